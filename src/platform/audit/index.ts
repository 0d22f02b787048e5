export { canonicalJson, GENESIS_HASH, hashAuditRow } from "./audit-chain.js";
export { type AuditEntryView, type AuditEvent, type AuditVerification, appendAudit, listAuditEntries, verifyAuditLog } from "./audit-log.js";
