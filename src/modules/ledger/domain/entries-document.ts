// Many loans' new journal entries as column texts (platform/column-text.ts), the form
// insertEntriesDocument writes in one statement. Built apart from the write so that the daily
// close can build it on a compute thread and only send it from the event loop. A close
// partition writes some 10,000 entries and 25,000 postings; as column texts the database cuts
// them with a plain scan where a JSON document had to be lexed key by key, and only the event
// keys and amounts are new text.
import { COLUMN_SEPARATOR, ColumnTexts } from "../../../platform/column-text.js";
import { uuidv7 } from "../../../platform/ids.js";
import type { LedgerEvent } from "./journal.js";

export interface BulkEntry {
  lenderId: string;
  loanId: string;
  currency: string;
  event: LedgerEvent;
}

/** The entries' columns, in the order of an entries document (each is the table's column of that name). */
export const ENTRY_COLUMNS = ["id", "lender_id", "loan_id", "event_key", "kind", "effective_on", "payment_id"] as const;
/** The postings' columns, likewise. */
export const POSTING_COLUMNS = ["entry_id", "line_no", "account", "installment_number", "amount_minor", "currency"] as const;
export type EntryColumn = (typeof ENTRY_COLUMNS)[number];
export type PostingColumn = (typeof POSTING_COLUMNS)[number];

export interface EntriesDocument {
  /** One text per ENTRY_COLUMNS column. */
  entryColumns: string[];
  /** One text per POSTING_COLUMNS column. */
  postingColumns: string[];
  entries: number;
  /** Entries and postings: the rows the document writes. */
  rows: number;
}

/**
 * Builds an entries document one entry at a time, so that a caller producing thousands of entries
 * keeps only their text and not the entry objects (which then die young, cheap to collect).
 */
export class EntriesDocumentBuilder {
  private readonly entries = new ColumnTexts("journal_entries", ENTRY_COLUMNS);
  private readonly postings = new ColumnTexts("postings", POSTING_COLUMNS);

  add({ lenderId, loanId, currency, event }: BulkEntry): void {
    const id = uuidv7();
    this.entries.add([id, lenderId, loanId, event.key, event.kind, event.effectiveOn, event.paymentId]);
    let line = 0;
    for (const posting of event.postings) {
      line += 1;
      const installment = posting.installmentNumber === null ? null : String(posting.installmentNumber);
      this.postings.add([id, String(line), posting.account, installment, String(posting.amountMinor), currency]);
    }
  }

  finish(): EntriesDocument {
    return {
      entryColumns: this.entries.texts(),
      postingColumns: this.postings.texts(),
      entries: this.entries.rows,
      rows: this.entries.rows + this.postings.rows,
    };
  }
}

/** The same document with new entry ids (the postings follow): to write its entries a second time. */
export function withNewEntryIds(document: EntriesDocument): EntriesDocument {
  if (document.entries === 0) return document;
  const renamed = new Map<string, string>();
  const ids = (document.entryColumns[0] as string).split(COLUMN_SEPARATOR).map((id) => {
    const fresh = uuidv7();
    renamed.set(id, fresh);
    return fresh;
  });
  const entryIds = (document.postingColumns[0] as string).split(COLUMN_SEPARATOR).map((id) => renamed.get(id) as string);
  return {
    ...document,
    entryColumns: [ids.join(COLUMN_SEPARATOR), ...document.entryColumns.slice(1)],
    postingColumns: [entryIds.join(COLUMN_SEPARATOR), ...document.postingColumns.slice(1)],
  };
}
