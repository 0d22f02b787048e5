// What a channel adapter is handed and what it answers: one planned message to one person, the
// provider's verdict on it, and the question asked after a crash ("did you already take it?").
// Adapters never throw for a provider's or the network's failure; they answer `retry` or
// `rejected`. They throw only when the caller broke the contract (see assertChannelMessage).
import { assert } from "../../../platform/errors.js";

export type ChannelKind = "sms" | "email" | "voice_robot";
export const channelKinds: readonly ChannelKind[] = ["sms", "email", "voice_robot"];

export interface ChannelMessage {
  /** Stable per planned message; the same key on a retry means the same message. Max 100 chars, [A-Za-z0-9:._-]. */
  idempotencyKey: string;
  channel: ChannelKind;
  /** E.164-ish phone for sms/voice_robot (e.g. "+8613800138000" or "13800138000"), an e-mail address for email. */
  to: string;
  /** SMS text, e-mail plain-text body, or the robot's opening text. */
  body: string;
  /** E-mail only. */
  subject?: string;
  language: "zh-CN" | "en";
  /** For providers that need a provider template id (Aliyun TemplateCode). */
  templateCode?: string;
  /** Aliyun-style named template parameters. */
  templateParams?: Record<string, string>;
  /** Voice robot: the script the robot runs. */
  scriptId?: string;
}

export type SendResult =
  /** The provider took the message. */
  | { outcome: "accepted"; providerMessageId: string }
  /** Permanent: do not retry (bad number, invalid template, refused credentials...). */
  | { outcome: "rejected"; code: string; message: string }
  /** Transient: 429, 5xx, timeout, connection refused. */
  | { outcome: "retry"; code: string; message: string; retryAfterMs?: number };

export type LookupResult = { found: true; providerMessageId: string } | { found: false } | { unknown: true };

export interface ChannelAdapter {
  /** "smtp", "http-json", "aliyun-sms", "voice-http", "outbox". */
  readonly provider: string;
  readonly channels: readonly ChannelKind[];
  /**
   * After a crash between send and record, a second send under the same key never reaches the
   * person twice: the provider answers `lookup` or dedupes the key. False for SMTP.
   */
  readonly isResendSafe: boolean;
  /** Requests per second this provider allows (the dispatcher's rate limit), from config. */
  readonly ratePerSecond: number;
  send(message: ChannelMessage): Promise<SendResult>;
  /** After a crash between send and record: did the provider already take this key? Adapters that cannot ask return { unknown: true }. */
  lookup(idempotencyKey: string, message: ChannelMessage): Promise<LookupResult>;
  close(): Promise<void>;
}

export const IDEMPOTENCY_KEY_LENGTH_MAX = 100;
/** Every send and lookup gives up after this long unless configured otherwise (DUECARE_CHANNEL_TIMEOUT_MS). */
export const DEFAULT_CHANNEL_TIMEOUT_MS = 10_000;
const idempotencyKeyPattern = /^[A-Za-z0-9:._-]{1,100}$/;
/** Longer bodies are refused before they reach a provider: no SMS, robot opening or reminder e-mail is this long. */
export const BODY_LENGTH_MAX = 20_000;

export function isIdempotencyKey(value: unknown): value is string {
  return typeof value === "string" && idempotencyKeyPattern.test(value);
}

/**
 * The caller's side of the contract, checked before anything goes out: a well-formed key and a
 * channel the adapter serves. Breaking it is a bug in the dispatcher, so it throws.
 */
export function assertChannelMessage(message: ChannelMessage, channels: readonly ChannelKind[]): void {
  assert(isIdempotencyKey(message.idempotencyKey), `idempotencyKey must match [A-Za-z0-9:._-]{1,${IDEMPOTENCY_KEY_LENGTH_MAX}}`);
  assert(channels.includes(message.channel), `this adapter serves ${channels.join(", ")}, not ${message.channel}`);
  assert(typeof message.to === "string" && typeof message.body === "string", "to and body must be strings");
  assert(message.language === "zh-CN" || message.language === "en", "language must be zh-CN or en");
}

export function rejected(code: string, message: string): SendResult {
  return { outcome: "rejected", code, message };
}

export function retry(code: string, message: string, retryAfterMs?: number): SendResult {
  return retryAfterMs === undefined ? { outcome: "retry", code, message } : { outcome: "retry", code, message, retryAfterMs };
}
