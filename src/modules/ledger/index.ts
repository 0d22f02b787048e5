export {
  type ActiveEntry,
  assertBalanced,
  type EntryKind,
  type LedgerAccount,
  type LedgerEvent,
  ledgerAccounts,
  normalizePostings,
  type PostingLine,
  planSync,
  reversalPostings,
  UnbalancedEntryError,
} from "./domain/journal.js";
export { type AccountBalance, type BulkEntry, balancesAsOf, type EntryContext, insertEntriesBulk, loadActiveEntries } from "./ledger.repository.js";
export { type SyncReport, syncLedger } from "./ledger.service.js";
