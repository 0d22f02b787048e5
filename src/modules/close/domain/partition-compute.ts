// What a close partition computes, between reading its accounts and writing them back: every
// due account advanced to the business date, and the partition's writes as the documents the
// repository sends (journal entries, account state) plus its status changes, events and counts.
// Pure and self-contained in its input and output (plain data, contracts and snapshots as the
// JSON text the database holds), so that it runs the same on the event loop and on a compute
// thread (close.compute.ts).
import { ColumnTexts } from "../../../platform/column-text.js";
import { addDays, compareDates, type PlainDate } from "../../../platform/plain-date.js";
import { type EntriesDocument, EntriesDocumentBuilder } from "../../ledger/index.js";
import {
  decodeFacts,
  decodeSnapshot,
  decodeTerms,
  type EncodedFacts,
  type EncodedSnapshot,
  encodeSnapshot,
  type PaymentFact,
  type ProductTerms,
} from "../../loans/index.js";
import { type AccountStatus, advanceAccount, type ClosePolicy } from "./advance.js";

/** An account as the partition read it; `facts` and `state` are the stored JSON text. */
export interface DueAccount {
  loan_id: string;
  borrower_id: string;
  product_id: string;
  facts: string;
  state: string;
  dpd: number;
  bucket: string;
  status: AccountStatus;
  write_off_candidate: boolean;
  /** The row version read, for the optimistic write-back. */
  xmin: string;
}

export interface NewPayment {
  id: string;
  loan_id: string;
  received_on: PlainDate;
  amount_minor: string;
  purpose: "regular" | "payoff";
}

export interface StoredProduct {
  id: string;
  terms: unknown;
  currency: string;
}

export interface PartitionInput {
  lenderId: string;
  on: PlainDate;
  policy: ClosePolicy;
  products: StoredProduct[];
  accounts: DueAccount[];
  payments: NewPayment[];
}

export interface EventRow {
  loan_id: string | null;
  borrower_id: string;
  kind: string;
  details: Record<string, unknown>;
}

/** One account's new state, a row of the accounts document. */
export interface AccountStateRow {
  loan_id: string;
  /** The encoded snapshot as JSON text. */
  state: string;
  state_on: PlainDate;
  next_event_on: PlainDate | null;
  overdue_since: PlainDate | null;
  dpd: number;
  bucket: string;
  overdue_minor: string;
  outstanding_minor: string;
  status: AccountStatus;
  write_off_candidate: boolean;
  /** The row version the account was read at. */
  xmin: string;
}

/** The accounts' new state as one text per ACCOUNT_STATE_COLUMNS column, the form updateAccountsDocument writes. */
export interface AccountsDocument {
  columns: string[];
  loanIds: string[];
}

/** The columns of an accounts document, in this order. */
export const ACCOUNT_STATE_COLUMNS = [
  "loan_id",
  "state",
  "state_on",
  "next_event_on",
  "overdue_since",
  "dpd",
  "bucket",
  "overdue_minor",
  "outstanding_minor",
  "status",
  "write_off_candidate",
  "xmin",
] as const satisfies readonly (keyof AccountStateRow)[];
export type AccountStateColumn = (typeof ACCOUNT_STATE_COLUMNS)[number];

/** Builds an accounts document row by row (computePartition keeps only the text of each). */
export class AccountsDocumentBuilder {
  private readonly texts = new ColumnTexts("account_close_state", ACCOUNT_STATE_COLUMNS);
  private readonly loanIds: string[] = [];

  add(row: AccountStateRow): void {
    this.loanIds.push(row.loan_id);
    this.texts.add(ACCOUNT_STATE_COLUMNS.map((column) => (row[column] === null ? null : String(row[column]))));
  }

  finish(): AccountsDocument {
    return { columns: this.texts.texts(), loanIds: this.loanIds };
  }
}

export function accountsDocumentOf(rows: readonly AccountStateRow[]): AccountsDocument {
  const builder = new AccountsDocumentBuilder();
  for (const row of rows) builder.add(row);
  return builder.finish();
}

export interface ComputedCounts {
  accountsTouched: number;
  installmentsFallingDue: number;
  lateFees: number;
  accrualEntries: number;
  paymentsApplied: number;
  becameOverdue: number;
  bucketChanged: number;
  cured: number;
  paidOff: number;
  writeOffCandidates: number;
}

export function noComputedCounts(): ComputedCounts {
  return {
    accountsTouched: 0,
    installmentsFallingDue: 0,
    lateFees: 0,
    accrualEntries: 0,
    paymentsApplied: 0,
    becameOverdue: 0,
    bucketChanged: 0,
    cured: 0,
    paidOff: 0,
    writeOffCandidates: 0,
  };
}

export interface PartitionOutput {
  entries: EntriesDocument;
  accounts: AccountsDocument;
  statuses: { loan_id: string; status: string }[];
  events: EventRow[];
  /** Borrowers whose cases may open or close: an event, or overdue before or after. Sorted. */
  touchedBorrowers: string[];
  counts: ComputedCounts;
}

export function computePartition(input: PartitionInput): PartitionOutput {
  const terms = new Map<string, ProductTerms>(input.products.map((product) => [product.id, decodeTerms(product.terms, product.currency)]));
  const paymentsByLoan = new Map<string, PaymentFact[]>();
  for (const payment of input.payments) {
    const list = paymentsByLoan.get(payment.loan_id) ?? [];
    if (list.length === 0) paymentsByLoan.set(payment.loan_id, list);
    list.push({ id: payment.id, receivedOn: payment.received_on, amountMinor: BigInt(payment.amount_minor), purpose: payment.purpose });
  }
  const counts = noComputedCounts();
  // Entries and states are kept as text as each account is computed, so its objects are garbage at once.
  const entries = new EntriesDocumentBuilder();
  const states = new AccountsDocumentBuilder();
  const statuses: PartitionOutput["statuses"] = [];
  const events: EventRow[] = [];
  const touchedBorrowers = new Set<string>();
  for (const account of input.accounts) {
    const productTerms = terms.get(account.product_id);
    if (!productTerms) throw new Error(`product ${account.product_id} of loan ${account.loan_id} not found`);
    const facts = decodeFacts(JSON.parse(account.facts) as EncodedFacts, productTerms);
    const snapshot = decodeSnapshot(JSON.parse(account.state) as EncodedSnapshot);
    const result = advanceAccount(
      facts,
      snapshot,
      paymentsByLoan.get(account.loan_id) ?? [],
      compareDates(snapshot.on, input.on) > 0 ? snapshot.on : input.on,
      { dpd: account.dpd, bucket: account.bucket, status: account.status, writeOffCandidate: account.write_off_candidate },
      input.policy,
    );
    counts.accountsTouched += 1;
    counts.installmentsFallingDue += result.counts.installmentsFallingDue;
    counts.lateFees += result.counts.lateFees;
    counts.accrualEntries += result.counts.accrualEntries;
    counts.paymentsApplied += result.counts.paymentsApplied;
    for (const event of result.entries) entries.add({ lenderId: input.lenderId, loanId: account.loan_id, currency: productTerms.currency, event });
    states.add({
      loan_id: account.loan_id,
      state: JSON.stringify(encodeSnapshot(result.snapshot)),
      state_on: result.snapshot.on,
      next_event_on: result.nextEventOn,
      overdue_since: result.view.dpd > 0 ? addDays(result.snapshot.on, -result.view.dpd) : null,
      dpd: result.view.dpd,
      bucket: result.view.bucket,
      overdue_minor: String(result.overdueMinor),
      outstanding_minor: String(result.outstandingMinor),
      status: result.view.status,
      write_off_candidate: result.view.writeOffCandidate,
      xmin: account.xmin,
    });
    if (result.view.status !== account.status) statuses.push({ loan_id: account.loan_id, status: result.view.status });
    for (const event of result.events) {
      events.push({ loan_id: account.loan_id, borrower_id: account.borrower_id, kind: event.kind, details: event.details });
      if (event.kind === "became_overdue") counts.becameOverdue += 1;
      else if (event.kind === "bucket_changed") counts.bucketChanged += 1;
      else if (event.kind === "cured") counts.cured += 1;
      else if (event.kind === "paid_off") counts.paidOff += 1;
      else if (event.kind === "write_off_candidate") counts.writeOffCandidates += 1;
    }
    if (result.events.length > 0 || account.dpd > 0 || result.view.dpd > 0) touchedBorrowers.add(account.borrower_id);
  }
  return {
    entries: entries.finish(),
    accounts: states.finish(),
    statuses,
    events,
    touchedBorrowers: [...touchedBorrowers].sort(),
    counts,
  };
}
