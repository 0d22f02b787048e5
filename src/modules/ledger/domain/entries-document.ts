// Many loans' new journal entries as one JSON document, the form insertEntriesDocument writes in
// one statement. Built apart from the write so that the daily close can build it on a compute
// thread and only send it from the event loop. Each entry carries its postings as
// [account, installment, amount] triples and its currency once; short keys keep the document
// small (a close partition writes some 10,000 entries and 25,000 postings).
import { uuidv7 } from "../../../platform/ids.js";
import type { LedgerEvent } from "./journal.js";

export interface BulkEntry {
  lenderId: string;
  loanId: string;
  currency: string;
  event: LedgerEvent;
}

export interface EntriesDocument {
  /** A JSON array of entries; "[]" when there are none. */
  document: string;
  entries: number;
  /** Entries and postings: the rows the document writes. */
  rows: number;
}

/**
 * Builds an entries document one entry at a time, so that a caller producing thousands of entries
 * keeps only their text and not the entry objects (which then die young, cheap to collect).
 */
export class EntriesDocumentBuilder {
  private readonly rows: string[] = [];
  private postings = 0;

  // Written out directly rather than through JSON.stringify of an object per entry and an array
  // per posting: ids, dates, kinds, account names and currencies need no escaping (they are
  // uuids, ISO dates and fixed identifiers); the event key is escaped as any string would be.
  add({ lenderId, loanId, currency, event }: BulkEntry): void {
    let postings = "";
    for (const posting of event.postings) {
      if (postings !== "") postings += ",";
      postings += `["${posting.account}",${posting.installmentNumber === null ? "null" : posting.installmentNumber},"${posting.amountMinor}"]`;
    }
    this.postings += event.postings.length;
    const payment = event.paymentId === null ? "null" : `"${event.paymentId}"`;
    this.rows.push(
      `{"i":"${uuidv7()}","r":"${lenderId}","l":"${loanId}","k":${JSON.stringify(event.key)},"t":"${event.kind}","d":"${event.effectiveOn}","y":${payment},"c":"${currency}","p":[${postings}]}`,
    );
  }

  finish(): EntriesDocument {
    return { document: `[${this.rows.join(",")}]`, entries: this.rows.length, rows: this.rows.length + this.postings };
  }
}
