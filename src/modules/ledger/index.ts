export { type BulkEntry, type EntriesDocument, EntriesDocumentBuilder, withNewEntryIds } from "./domain/entries-document.js";
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
export { type AccountBalance, balancesAsOf, type EntryContext, insertEntriesDocument, loadActiveEntries } from "./ledger.repository.js";
export { type SyncReport, syncLedger } from "./ledger.service.js";
