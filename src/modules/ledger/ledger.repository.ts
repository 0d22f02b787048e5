// SQL in, ledger values out.
import { sql } from "kysely";
import { type Executor, unnestColumns } from "../../platform/db/index.js";
import { uuidv7 } from "../../platform/ids.js";
import { ENTRY_COLUMNS, type EntriesDocument, type EntryColumn, POSTING_COLUMNS, type PostingColumn } from "./domain/entries-document.js";
import type { ActiveEntry, EntryKind, LedgerAccount, LedgerEvent, PostingLine } from "./domain/journal.js";

export interface EntryContext {
  lenderId: string;
  loanId: string;
  currency: string;
  recordedAt: Date;
}

/** Entries of a loan that no reversal points at, with their postings. */
export async function loadActiveEntries(executor: Executor, loanId: string): Promise<ActiveEntry[]> {
  const rows = await executor
    .selectFrom("journal_entries as entry")
    .innerJoin("postings", "postings.entry_id", "entry.id")
    .select([
      "entry.id",
      "entry.event_key",
      "entry.kind",
      "entry.effective_on",
      "entry.payment_id",
      "postings.account",
      "postings.installment_number",
      "postings.amount_minor",
    ])
    .where("entry.loan_id", "=", loanId)
    .where("entry.kind", "<>", "reversal")
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("journal_entries as reversal").select("reversal.id").whereRef("reversal.reverses_entry_id", "=", "entry.id"))),
    )
    .orderBy("entry.effective_on")
    .orderBy("postings.entry_id")
    .orderBy("postings.line_no")
    .execute();
  const entries = new Map<string, ActiveEntry>();
  for (const row of rows) {
    let entry = entries.get(row.id);
    if (!entry) {
      entry = { id: row.id, key: row.event_key, kind: row.kind as EntryKind, effectiveOn: row.effective_on, paymentId: row.payment_id, postings: [] };
      entries.set(row.id, entry);
    }
    entry.postings.push({ account: row.account as LedgerAccount, installmentNumber: row.installment_number, amountMinor: row.amount_minor });
  }
  return [...entries.values()];
}

const INSERT_CHUNK_ROWS = 2_000;

export interface ReversalRequest {
  entry: ActiveEntry;
  reasonCode: string;
  postings: readonly PostingLine[];
}

/** Inserts reversals and new entries with their postings in a few statements, whatever their number. */
export async function insertEntries(
  executor: Executor,
  context: EntryContext,
  reversals: readonly ReversalRequest[],
  events: readonly LedgerEvent[],
): Promise<void> {
  const entryRows = [];
  // Postings grouped by entry: a statement carries whole entries, as the balance check expects.
  const postingGroups: { entry_id: string; line_no: number; account: string; installment_number: number | null; amount_minor: bigint; currency: string }[][] =
    [];
  const postingRowsOf = (id: string, postings: readonly PostingLine[]) =>
    postings.map((posting, index) => ({
      entry_id: id,
      line_no: index + 1,
      account: posting.account,
      installment_number: posting.installmentNumber,
      amount_minor: posting.amountMinor,
      currency: context.currency,
    }));
  for (const reversal of reversals) {
    const id = uuidv7();
    entryRows.push({
      id,
      lender_id: context.lenderId,
      loan_id: context.loanId,
      event_key: reversal.entry.key,
      kind: "reversal" as const,
      effective_on: reversal.entry.effectiveOn,
      recorded_at: context.recordedAt,
      reverses_entry_id: reversal.entry.id,
      reason_code: reversal.reasonCode,
      payment_id: reversal.entry.paymentId,
    });
    postingGroups.push(postingRowsOf(id, reversal.postings));
  }
  for (const event of events) {
    const id = uuidv7();
    entryRows.push({
      id,
      lender_id: context.lenderId,
      loan_id: context.loanId,
      event_key: event.key,
      kind: event.kind,
      effective_on: event.effectiveOn,
      recorded_at: context.recordedAt,
      reverses_entry_id: null,
      reason_code: null,
      payment_id: event.paymentId,
    });
    postingGroups.push(postingRowsOf(id, event.postings));
  }
  for (let index = 0; index < entryRows.length; index += INSERT_CHUNK_ROWS) {
    await executor
      .insertInto("journal_entries")
      .values(entryRows.slice(index, index + INSERT_CHUNK_ROWS))
      .execute();
  }
  let chunk: (typeof postingGroups)[number] = [];
  for (const group of postingGroups) {
    if (chunk.length > 0 && chunk.length + group.length > INSERT_CHUNK_ROWS) {
      await executor.insertInto("postings").values(chunk).execute();
      chunk = [];
    }
    chunk.push(...group);
  }
  if (chunk.length > 0) await executor.insertInto("postings").values(chunk).execute();
}

/**
 * Inserts many loans' new entries and their postings (EntriesDocumentBuilder) in one statement: the
 * rows travel as one text per column, so the same SQL runs on both engines. The ledger's
 * statement-level checks run after both inserts. Returns the number of rows written.
 */
export async function insertEntriesDocument(executor: Executor, entries: EntriesDocument, recordedAt: Date): Promise<number> {
  if (entries.entries === 0) return 0;
  await sql`
    with inserted_entries as (
      insert into journal_entries (${sql.join(ENTRY_COLUMNS.map((column) => sql.id(column)))}, recorded_at)
      select e.*, ${recordedAt}::timestamptz from ${unnestColumns("e", ENTRY_COLUMNS, ENTRY_TYPES, entries.entryColumns)}
    )
    insert into postings (${sql.join(POSTING_COLUMNS.map((column) => sql.id(column)))})
    select p.* from ${unnestColumns("p", POSTING_COLUMNS, POSTING_TYPES, entries.postingColumns)}`.execute(executor);
  return entries.rows;
}

const ENTRY_TYPES: Record<EntryColumn, string> = {
  id: "uuid",
  lender_id: "uuid",
  loan_id: "uuid",
  event_key: "text",
  kind: "text",
  effective_on: "date",
  payment_id: "uuid",
};
const POSTING_TYPES: Record<PostingColumn, string> = {
  entry_id: "uuid",
  line_no: "smallint",
  account: "text",
  installment_number: "integer",
  amount_minor: "bigint",
  currency: "char(3)",
};

export interface AccountBalance {
  account: LedgerAccount;
  installmentNumber: number | null;
  balanceMinor: bigint;
}

/** Balances derived from postings effective on or before `asOf`. */
export async function balancesAsOf(executor: Executor, loanId: string, asOf: string, byInstallment: boolean): Promise<AccountBalance[]> {
  const installment = byInstallment ? sql<number | null>`postings.installment_number` : sql<number | null>`null::integer`;
  const rows = await executor
    .selectFrom("postings")
    .innerJoin("journal_entries", "journal_entries.id", "postings.entry_id")
    .select(["postings.account", installment.as("installment_number"), sql<string>`sum(postings.amount_minor)::text`.as("balance")])
    .where("journal_entries.loan_id", "=", loanId)
    .where("journal_entries.effective_on", "<=", asOf)
    .groupBy(byInstallment ? ["postings.account", "postings.installment_number"] : ["postings.account"])
    .orderBy("postings.account")
    .execute();
  return rows
    .map((row) => ({ account: row.account as LedgerAccount, installmentNumber: row.installment_number, balanceMinor: BigInt(row.balance) }))
    .filter((row) => row.balanceMinor !== 0n);
}
