// Many loans' new journal entries as column texts (platform/column-text.ts), the form
// insertEntriesDocument writes in one statement. Built apart from the write so that the daily
// close can build it on a compute thread and only send it from the event loop. A close
// partition writes some 10,000 entries and 25,000 postings; as column texts the database cuts
// them with a plain scan where a JSON document had to be lexed key by key, and only the event
// keys and amounts are new text.
import { COLUMN_SEPARATOR, ColumnText } from "../../../platform/column-text.js";
import { uuidv7 } from "../../../platform/ids.js";
import type { LedgerEvent } from "./journal.js";

export interface BulkEntry {
  lenderId: string;
  loanId: string;
  currency: string;
  event: LedgerEvent;
}

/** The entries' columns, in this order. */
export const ENTRY_COLUMNS = ["id", "lender_id", "loan_id", "event_key", "kind", "effective_on", "payment_id"] as const;
/** The postings' columns, in this order. */
export const POSTING_COLUMNS = ["entry_id", "line_no", "account", "installment_number", "amount_minor", "currency"] as const;

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
  private readonly ids = new ColumnText("journal_entries.id");
  private readonly lenders = new ColumnText("journal_entries.lender_id");
  private readonly loans = new ColumnText("journal_entries.loan_id");
  private readonly keys = new ColumnText("journal_entries.event_key");
  private readonly kinds = new ColumnText("journal_entries.kind");
  private readonly dates = new ColumnText("journal_entries.effective_on");
  private readonly payments = new ColumnText("journal_entries.payment_id");
  private readonly entryIds = new ColumnText("postings.entry_id");
  private readonly lines = new ColumnText("postings.line_no");
  private readonly accounts = new ColumnText("postings.account");
  private readonly installments = new ColumnText("postings.installment_number");
  private readonly amounts = new ColumnText("postings.amount_minor");
  private readonly postingCurrencies = new ColumnText("postings.currency");

  add({ lenderId, loanId, currency, event }: BulkEntry): void {
    const id = uuidv7();
    this.ids.push(id);
    this.lenders.push(lenderId);
    this.loans.push(loanId);
    this.keys.push(event.key);
    this.kinds.push(event.kind);
    this.dates.push(event.effectiveOn);
    this.payments.push(event.paymentId);
    let line = 0;
    for (const posting of event.postings) {
      line += 1;
      this.entryIds.push(id);
      this.lines.push(String(line));
      this.accounts.push(posting.account);
      this.installments.push(posting.installmentNumber === null ? null : String(posting.installmentNumber));
      this.amounts.push(String(posting.amountMinor));
      this.postingCurrencies.push(currency);
    }
  }

  finish(): EntriesDocument {
    const entryColumns = [this.ids, this.lenders, this.loans, this.keys, this.kinds, this.dates, this.payments];
    const postingColumns = [this.entryIds, this.lines, this.accounts, this.installments, this.amounts, this.postingCurrencies];
    return {
      entryColumns: entryColumns.map((column) => column.text()),
      postingColumns: postingColumns.map((column) => column.text()),
      entries: this.ids.length,
      rows: this.ids.length + this.entryIds.length,
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
