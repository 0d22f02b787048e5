// Building the channel adapters from configuration. The settings themselves (channelConfigSchema)
// are part of the platform's configuration, validated at boot; the rules that span keys
// ("http-json needs its URL and secret") live in createAdapters, which throws a ConfigError naming
// the missing variable.
import type { z } from "zod";
import type { Clock } from "../../platform/clock.js";
import { ConfigError } from "../../platform/config.js";
import { AliyunSmsAdapter } from "./aliyun-sms.adapter.js";
import type { ChannelAdapter, ChannelKind } from "./domain/channel-message.js";
import { HttpJsonSmsAdapter } from "./http-json.adapter.js";
import { OutboxAdapter, type OutboxDeliver, type OutboxFind } from "./outbox.adapter.js";
import { SmtpAdapter } from "./smtp.adapter.js";
import { VoiceHttpAdapter } from "./voice-http.adapter.js";

export { channelConfigSchema } from "../../platform/channel-settings.js";

import type { channelConfigSchema } from "../../platform/channel-settings.js";

export type ChannelConfig = z.infer<typeof channelConfigSchema>;

/** The adapter for each channel; an unconfigured channel is the development outbox. */
export type ChannelAdapters = Record<ChannelKind, ChannelAdapter>;

export interface AdapterDependencies {
  /** Stores a message in the development outbox and answers its id (supplied by the dispatcher). */
  outbox: OutboxDeliver;
  /** Optional: finds a stored outbox message by idempotency key. */
  outboxFind?: OutboxFind;
  clock?: Clock;
}

function required<T>(value: T | undefined, name: string, because: string): T {
  if (value === undefined) throw new ConfigError(`${name}: required ${because}`);
  return value;
}

/** "Name <user@domain>" or "user@domain" → domain. */
function domainOfAddress(from: string): string | undefined {
  return /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1];
}

function emailAdapter(config: ChannelConfig, outbox: OutboxAdapter): ChannelAdapter {
  if (config.DUECARE_SMTP_URL === undefined) return outbox;
  const from = required(config.DUECARE_MAIL_FROM, "DUECARE_MAIL_FROM", "with DUECARE_SMTP_URL (e.g. 某某消费金融 <no-reply@mail.lender.example>)");
  const domain = config.DUECARE_MAIL_DOMAIN ?? domainOfAddress(from);
  return new SmtpAdapter({
    url: config.DUECARE_SMTP_URL,
    from,
    messageIdDomain: required(domain, "DUECARE_MAIL_DOMAIN", "when DUECARE_MAIL_FROM has no address domain"),
    ratePerSecond: config.DUECARE_EMAIL_RATE_PER_SECOND,
    timeoutMs: config.DUECARE_CHANNEL_TIMEOUT_MS,
    maxConnections: config.DUECARE_SMTP_MAX_CONNECTIONS,
  });
}

function smsAdapter(config: ChannelConfig, outbox: OutboxAdapter, clock: Clock | undefined): ChannelAdapter {
  const common = { ratePerSecond: config.DUECARE_SMS_RATE_PER_SECOND, timeoutMs: config.DUECARE_CHANNEL_TIMEOUT_MS, ...(clock ? { clock } : {}) };
  switch (config.DUECARE_SMS_PROVIDER) {
    case "outbox":
      return outbox;
    case "http-json": {
      const because = "when DUECARE_SMS_PROVIDER is http-json";
      return new HttpJsonSmsAdapter({
        ...common,
        baseUrl: required(config.DUECARE_SMS_HTTP_URL, "DUECARE_SMS_HTTP_URL", because),
        secret: required(config.DUECARE_SMS_HTTP_SECRET, "DUECARE_SMS_HTTP_SECRET", because),
      });
    }
    case "aliyun": {
      const because = "when DUECARE_SMS_PROVIDER is aliyun";
      return new AliyunSmsAdapter({
        ...common,
        accessKeyId: required(config.DUECARE_ALIYUN_ACCESS_KEY_ID, "DUECARE_ALIYUN_ACCESS_KEY_ID", because),
        accessKeySecret: required(config.DUECARE_ALIYUN_ACCESS_KEY_SECRET, "DUECARE_ALIYUN_ACCESS_KEY_SECRET", because),
        signName: required(config.DUECARE_ALIYUN_SIGN_NAME, "DUECARE_ALIYUN_SIGN_NAME", because),
        endpoint: config.DUECARE_ALIYUN_ENDPOINT,
        regionId: config.DUECARE_ALIYUN_REGION_ID,
      });
    }
  }
}

function voiceAdapter(config: ChannelConfig, outbox: OutboxAdapter, clock: Clock | undefined): ChannelAdapter {
  if (config.DUECARE_VOICE_HTTP_URL === undefined) return outbox;
  return new VoiceHttpAdapter({
    baseUrl: config.DUECARE_VOICE_HTTP_URL,
    secret: required(config.DUECARE_VOICE_HTTP_SECRET, "DUECARE_VOICE_HTTP_SECRET", "with DUECARE_VOICE_HTTP_URL"),
    ratePerSecond: config.DUECARE_VOICE_RATE_PER_SECOND,
    timeoutMs: config.DUECARE_CHANNEL_TIMEOUT_MS,
    ...(clock ? { clock } : {}),
  });
}

/**
 * One adapter per channel from configuration. Throws ConfigError ("NAME: required when …") for a
 * chosen provider whose settings are missing, so a bad deployment stops at boot.
 */
export function createAdapters(config: ChannelConfig, dependencies: AdapterDependencies): ChannelAdapters {
  const outbox = new OutboxAdapter({
    deliver: dependencies.outbox,
    ...(dependencies.outboxFind ? { find: dependencies.outboxFind } : {}),
    ratePerSecond: config.DUECARE_OUTBOX_RATE_PER_SECOND,
  });
  // E-mail last: it is the only adapter that opens connections, so a ConfigError above leaks none.
  const sms = smsAdapter(config, outbox, dependencies.clock);
  const voice_robot = voiceAdapter(config, outbox, dependencies.clock);
  const email = emailAdapter(config, outbox);
  return { sms, email, voice_robot };
}

/** Closes each distinct adapter once (the outbox may serve several channels). */
export async function closeAdapters(adapters: ChannelAdapters): Promise<void> {
  await Promise.all([...new Set(Object.values(adapters))].map((adapter) => adapter.close()));
}
