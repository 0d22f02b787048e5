// Provider settings for the channels (SMTP, SMS, voice robot, webhooks), validated at boot with
// the rest of the configuration: secrets come from the environment or the config file, never
// from the database. The channels module builds its adapters from these.
import { z } from "zod";

const DEFAULT_CHANNEL_TIMEOUT_MS = 10_000;
const httpUrl = z.string().regex(/^https?:\/\/[^\s]+$/, "expected an http:// or https:// URL");
const sharedSecret = z.string().min(16, "expected a shared secret of at least 16 characters");
const rate = (fallback: number) => z.coerce.number().positive("expected requests per second above 0").max(100_000).default(fallback);

export const channelConfigSchema = z.object({
  /** smtp://user:pass@host:port or smtps://…; unset: e-mail goes to the development outbox. */
  DUECARE_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, "expected smtp://user:pass@host:port or smtps://…")
    .optional(),
  /** The From of every e-mail, e.g. "某某消费金融 <no-reply@mail.lender.example>"; required with DUECARE_SMTP_URL. */
  DUECARE_MAIL_FROM: z.string().min(3).max(320).optional(),
  /** The right-hand side of every Message-ID; defaults to the From address's domain. */
  DUECARE_MAIL_DOMAIN: z
    .string()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/, "expected a domain name, e.g. mail.lender.example")
    .optional(),
  DUECARE_SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(50).default(5),
  DUECARE_SMS_PROVIDER: z.enum(["outbox", "http-json", "aliyun"]).default("outbox"),
  DUECARE_SMS_HTTP_URL: httpUrl.optional(),
  DUECARE_SMS_HTTP_SECRET: sharedSecret.optional(),
  DUECARE_ALIYUN_ACCESS_KEY_ID: z.string().min(1).optional(),
  DUECARE_ALIYUN_ACCESS_KEY_SECRET: z.string().min(1).optional(),
  /** The approved 短信签名. */
  DUECARE_ALIYUN_SIGN_NAME: z.string().min(1).max(50).optional(),
  DUECARE_ALIYUN_ENDPOINT: httpUrl.default("https://dysmsapi.aliyuncs.com"),
  DUECARE_ALIYUN_REGION_ID: z
    .string()
    .regex(/^[a-z0-9-]+$/, "expected a region id, e.g. cn-hangzhou")
    .default("cn-hangzhou"),
  /** Unset: robot calls go to the development outbox. */
  DUECARE_VOICE_HTTP_URL: httpUrl.optional(),
  DUECARE_VOICE_HTTP_SECRET: sharedSecret.optional(),
  /**
   * The token Aliyun's push URL must carry (Aliyun's push is unsigned); unset: Aliyun pushes are
   * refused. The HTTP SMS and voice providers sign their webhooks with their own shared secret.
   */
  DUECARE_WEBHOOK_SECRET: sharedSecret.optional(),
  DUECARE_SMS_RATE_PER_SECOND: rate(50),
  DUECARE_EMAIL_RATE_PER_SECOND: rate(20),
  DUECARE_VOICE_RATE_PER_SECOND: rate(5),
  DUECARE_OUTBOX_RATE_PER_SECOND: rate(1000),
  DUECARE_CHANNEL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(DEFAULT_CHANNEL_TIMEOUT_MS),
});
