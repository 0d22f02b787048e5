// Channels: the provider adapters that deliver reminders (SMTP e-mail, the generic signed-JSON
// HTTP SMS contract, Aliyun SMS, the HTTP voice robot, the development outbox), their
// configuration, and the normalisation of what providers send back (receipts, replies, robot
// outcomes). Test sinks live in ./testing and are not exported here.
export { AliyunSmsAdapter, type AliyunSmsOptions } from "./aliyun-sms.adapter.js";
export { type AdapterDependencies, type ChannelAdapters, type ChannelConfig, channelConfigSchema, closeAdapters, createAdapters } from "./channel-config.js";
export {
  type ChannelAdapter,
  type ChannelKind,
  type ChannelMessage,
  channelKinds,
  DEFAULT_CHANNEL_TIMEOUT_MS,
  IDEMPOTENCY_KEY_LENGTH_MAX,
  isIdempotencyKey,
  type LookupResult,
  type SendResult,
} from "./domain/channel-message.js";
export { messageIdFor } from "./domain/email-message.js";
export { signatureFor, signedHeaders } from "./domain/signed-request.js";
export { isStopReply } from "./domain/stop-reply.js";
export {
  type InboundEvent,
  parseAliyunReports,
  parseGenericWebhook,
  type RobotOutcome,
  robotOutcomes,
  verifySignedWebhook,
  verifyToken,
  WEBHOOK_TOLERANCE_SECONDS,
  type WebhookHeaders,
  type WebhookParseResult,
  type WebhookProblem,
  type WebhookRejection,
  type WebhookVerification,
} from "./domain/webhooks.js";
export { HttpJsonSmsAdapter, type HttpJsonSmsOptions } from "./http-json.adapter.js";
export { OutboxAdapter, type OutboxAdapterOptions, type OutboxDeliver, type OutboxFind } from "./outbox.adapter.js";
export { SmtpAdapter, type SmtpOptions } from "./smtp.adapter.js";
export { VoiceHttpAdapter, type VoiceHttpOptions } from "./voice-http.adapter.js";
