export { complianceSettingsOf } from "./compliance.repository.js";
export { complianceRoutes } from "./compliance.routes.js";
export {
  type AttemptView,
  listAttempts,
  listContactRecord,
  listRestrictions,
  type PreviewResult,
  presentDecision,
  previewScenario,
  type RestrictionView,
  recordOptOut,
} from "./compliance.service.js";
export {
  type BatchDecision,
  CONTACT_BATCH_MAX,
  type ContactBatchOptions,
  type ContactBatchStats,
  decideContactsInBatch,
  emptyContactBatchStats,
} from "./contact-batch.service.js";
export {
  attemptContact,
  type ChannelPreview,
  type ContactRequestInput,
  DECISION_VALID_MS,
  decideAndStore,
  decideChannelsAt,
  dispatchUnderDecision,
  type OutboundMessage,
  prepareChannelPreview,
  previewContact,
  recipientOf,
  requesterOf,
  type StoredDecision,
  sendServiceMessage,
  takeDecision,
} from "./contact-gateway.service.js";
export * from "./domain/index.js";
export { contactFactsChangedAfter, recordSystemAttempts, type SystemAttempt, takeDecisions } from "./system-messages.service.js";
