// The daily close (日终批量) for one lender and business date. A run is cut into account-id
// ranges; each partition is one transaction that locks the accounts whose next event is due,
// advances them with the engine's core, and writes ledger entries, account state, events and
// cases in a handful of set-based statements, then marks itself done. Killed at any point, a
// run resumes with the partitions not yet done and ends in the state an uninterrupted run gives.
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import { AppError } from "../../platform/errors.js";
import { compareDates, isPlainDate, nextDay, type PlainDate } from "../../platform/plain-date.js";
import { assignOpenCases, checkPromisesDue, defaultPromisePolicy, type PromiseCheckCounts, type PromisePolicy } from "../cases/index.js";
import { type EntriesDocument, insertEntriesDocument } from "../ledger/index.js";
import { closeCases, dueOn, insertEvents, newPayments, openCases, readAccounts, updateAccountsDocument, updateLoanStatuses } from "./close.repository.js";
import { type ClosePolicy, defaultClosePolicy } from "./domain/advance.js";
import {
  type AccountsDocument,
  type ComputedCounts,
  computePartition,
  type EventRow,
  noComputedCounts,
  type PartitionInput,
  type PartitionOutput,
} from "./domain/partition-compute.js";
import { type PartitionPolicy, partitionRanges, plannedPartitions } from "./domain/partitions.js";

export type CloseMode = "event_driven" | "full_scan";

/** A partition's counts: what computePartition counted, and what its writes did. */
export interface PartitionCounts extends ComputedCounts {
  ledgerRows: number;
  casesOpened: number;
  casesClosed: number;
}

export interface StepTimes {
  loadMs: number;
  computeMs: number;
  ledgerMs: number;
  stateMs: number;
  eventsMs: number;
  casesMs: number;
}

/**
 * Computes a partition's writes from what it read: computePartition on the event loop, or the
 * same function on a compute thread (close.compute.ts).
 */
export type PartitionCompute = (input: PartitionInput) => PartitionOutput | Promise<PartitionOutput>;

/** Runs a run's pending partitions: one after another, or through a queue's workers. */
export interface PartitionRunner {
  run(context: AppContext, runId: string, partitionNos: readonly number[], onDone: () => void): Promise<void>;
}

export const sequentialRunner: PartitionRunner = {
  async run(context, runId, partitionNos, onDone) {
    for (const partitionNo of partitionNos) {
      await processPartition(context, runId, partitionNo);
      onDone();
    }
  },
};

export interface CloseOptions {
  mode?: CloseMode;
  partitions?: number;
  runner?: PartitionRunner;
  onProgress?: (progress: { date: PlainDate; done: number; total: number }) => void;
}

export interface CloseRunSummary {
  runId: string;
  lenderId: string;
  date: PlainDate;
  mode: CloseMode;
  alreadyClosed: boolean;
  partitions: number;
  totals: PartitionCounts & RunLevelCounts & { rowsWritten: number; ms: number };
}

export function closePolicyOf(settings: unknown): ClosePolicy & PartitionPolicy {
  const value = (settings ?? {}) as Partial<ClosePolicy & PartitionPolicy>;
  return {
    caseOpenDpd: Number.isInteger(value.caseOpenDpd) && (value.caseOpenDpd as number) > 0 ? (value.caseOpenDpd as number) : defaultClosePolicy.caseOpenDpd,
    writeOffDpd: Number.isInteger(value.writeOffDpd) && (value.writeOffDpd as number) > 0 ? (value.writeOffDpd as number) : defaultClosePolicy.writeOffDpd,
    partitions: Number.isInteger(value.partitions) && (value.partitions as number) > 0 ? (value.partitions as number) : 8,
    accountsPerPartition:
      Number.isInteger(value.accountsPerPartition) && (value.accountsPerPartition as number) > 0 ? (value.accountsPerPartition as number) : 5_000,
  };
}

/**
 * Closes every business date after the lender's last closed one up to `date`, in order (only
 * `date` when the lender was never closed). Closing a closed date changes nothing.
 */
export async function closeThrough(context: AppContext, lenderId: string, date: PlainDate, options: CloseOptions = {}): Promise<CloseRunSummary[]> {
  if (!isPlainDate(date)) throw new AppError("VALIDATION_FAILED", `date ${JSON.stringify(date)} is not a date (YYYY-MM-DD)`, { field: "date" });
  const lender = await context.database.db.selectFrom("lenders").select(["closed_through"]).where("id", "=", lenderId).executeTakeFirst();
  if (!lender) throw new AppError("NOT_FOUND", `lender ${lenderId} not found`);
  const summaries: CloseRunSummary[] = [];
  let day = lender.closed_through && compareDates(lender.closed_through, date) < 0 ? nextDay(lender.closed_through) : date;
  for (; compareDates(day, date) <= 0; day = nextDay(day)) summaries.push(await closeDate(context, lenderId, day, options));
  return summaries;
}

export async function closeDate(context: AppContext, lenderId: string, date: PlainDate, options: CloseOptions = {}): Promise<CloseRunSummary> {
  const { db } = context.database;
  const started = performance.now();
  const lender = await db.selectFrom("lenders").select(["close_settings"]).where("id", "=", lenderId).executeTakeFirstOrThrow();
  const policy = closePolicyOf(lender.close_settings);
  const mode = options.mode ?? "event_driven";
  let run = await db.selectFrom("close_runs").selectAll().where("lender_id", "=", lenderId).where("business_date", "=", date).executeTakeFirst();
  const alreadyClosed = run?.status === "completed";
  if (!run) {
    const partitions = options.partitions ?? plannedPartitions(mode === "full_scan" ? Number.MAX_SAFE_INTEGER : await dueAccounts(db, lenderId, date), policy);
    await db.transaction().execute(async (trx) => {
      const id = randomUUID();
      const inserted = await sql`
        insert into close_runs (id, lender_id, business_date, mode, status, partition_count, started_at)
        values (${id}, ${lenderId}, ${date}::date, ${mode}, 'running', ${partitions}, ${context.clock.now()})
        on conflict (lender_id, business_date) do nothing`.execute(trx);
      if (Number(inserted.numAffectedRows ?? 0n) === 1) {
        await trx
          .insertInto("close_partitions")
          .values(
            partitionRanges(partitions).map((range, index) => ({
              run_id: id,
              partition_no: index,
              range_start: range.start,
              range_end: range.end,
              status: "pending" as const,
            })),
          )
          .execute();
      }
    });
    run = await db.selectFrom("close_runs").selectAll().where("lender_id", "=", lenderId).where("business_date", "=", date).executeTakeFirstOrThrow();
  }
  if (run.status !== "completed") {
    const pending = await db
      .selectFrom("close_partitions")
      .select("partition_no")
      .where("run_id", "=", run.id)
      .where("status", "=", "pending")
      .orderBy("partition_no")
      .execute();
    let done = run.partition_count - pending.length;
    options.onProgress?.({ date, done, total: run.partition_count });
    await (options.runner ?? sequentialRunner).run(
      context,
      run.id,
      pending.map((row) => row.partition_no),
      () => {
        done += 1;
        options.onProgress?.({ date, done, total: run.partition_count });
      },
    );
    await finishRun(context, run.id, lenderId, date);
  }
  const finished = await db.selectFrom("close_runs").select("totals").where("id", "=", run.id).executeTakeFirstOrThrow();
  const totals = { ...(await runTotals(db, run.id)), ...runLevelCountsOf(finished.totals) };
  return {
    runId: run.id,
    lenderId,
    date,
    mode: run.mode,
    alreadyClosed,
    partitions: run.partition_count,
    totals: { ...totals, ms: Math.round(performance.now() - started) },
  };
}

async function finishRun(context: AppContext, runId: string, lenderId: string, date: PlainDate): Promise<void> {
  await context.database.db.transaction().execute(async (trx) => {
    // One finisher per run: a second close of the same date waits here, then finds it done.
    const run = await trx.selectFrom("close_runs").select("status").where("id", "=", runId).forUpdate().executeTakeFirstOrThrow();
    if (run.status === "completed") return;
    const left = await trx.selectFrom("close_partitions").select("partition_no").where("run_id", "=", runId).where("status", "=", "pending").execute();
    if (left.length > 0) throw new AppError("CONFLICT", `close run ${runId} still has ${left.length} partitions pending`);
    // Promises are checked per business date across the book, once the accounts are closed.
    const lender = await trx.selectFrom("lenders").select("close_settings").where("id", "=", lenderId).executeTakeFirstOrThrow();
    const promises = await checkPromisesDue(trx, lenderId, date, promisePolicyOf(lender.close_settings), runId);
    // The cases the close opened go to agents before the day starts.
    const assignment = await assignOpenCases(context, trx, lenderId, null);
    const totals = { ...(await runTotals(trx, runId)), ...promises, casesAssigned: assignment.assigned };
    await trx
      .updateTable("close_runs")
      .set({ status: "completed", finished_at: context.clock.now(), totals: JSON.stringify(totals) })
      .where("id", "=", runId)
      .where("status", "=", "running")
      .execute();
    await sql`update lenders set closed_through = greatest(coalesce(closed_through, ${date}::date), ${date}::date) where id = ${lenderId}`.execute(trx);
  });
  // The embedded database has no autovacuum: clear the old row versions the close left, so the
  // next close's index scan does not walk them (PostgreSQL's autovacuum does this by itself).
  if (context.database.engine === "pglite") await sql`vacuum account_close_state`.execute(context.database.db);
}

export function promisePolicyOf(settings: unknown): PromisePolicy {
  const value = (settings ?? {}) as { promiseToleranceMinor?: unknown; promiseGraceDays?: unknown };
  const tolerance =
    typeof value.promiseToleranceMinor === "string" || typeof value.promiseToleranceMinor === "number" ? String(value.promiseToleranceMinor) : null;
  return {
    toleranceMinor: tolerance !== null && /^\d{1,12}$/.test(tolerance) ? BigInt(tolerance) : defaultPromisePolicy.toleranceMinor,
    graceDays:
      Number.isInteger(value.promiseGraceDays) && (value.promiseGraceDays as number) >= 0 && (value.promiseGraceDays as number) <= 30
        ? (value.promiseGraceDays as number)
        : defaultPromisePolicy.graceDays,
  };
}

/** Counts of the steps that run once per date rather than per partition. */
export type RunLevelCounts = PromiseCheckCounts & { casesAssigned: number };

function runLevelCountsOf(totals: unknown): RunLevelCounts {
  const value = (totals ?? {}) as Partial<RunLevelCounts>;
  return {
    promisesKept: value.promisesKept ?? 0,
    promisesBroken: value.promisesBroken ?? 0,
    promiseInstallmentsChecked: value.promiseInstallmentsChecked ?? 0,
    casesAssigned: value.casesAssigned ?? 0,
  };
}

async function dueAccounts(executor: Executor, lenderId: string, date: PlainDate): Promise<number> {
  const result = await sql<{ due: string }>`
    select count(*)::text as due from account_close_state s
    where s.lender_id = ${lenderId} and ${dueOn(lenderId, date)}`.execute(executor);
  return Number(result.rows[0]?.due ?? 0);
}

const emptyCounts = (): PartitionCounts => ({ ...noComputedCounts(), ledgerRows: 0, casesOpened: 0, casesClosed: 0 });

async function runTotals(executor: Executor, runId: string): Promise<PartitionCounts & { rowsWritten: number }> {
  const rows = await executor.selectFrom("close_partitions").select(["counts", "rows_written"]).where("run_id", "=", runId).execute();
  const totals = { ...emptyCounts(), rowsWritten: 0 };
  for (const row of rows) {
    totals.rowsWritten += row.rows_written ?? 0;
    const counts = (row.counts ?? {}) as Partial<PartitionCounts>;
    for (const key of Object.keys(emptyCounts()) as (keyof PartitionCounts)[]) totals[key] += counts[key] ?? 0;
  }
  return totals;
}

/** Writes that a partition would make, handed to an observer (the benchmark replays them as bare SQL). */
export interface PartitionWrites {
  entries: EntriesDocument;
  accounts: AccountsDocument;
  statuses: { loan_id: string; status: string }[];
  events: EventRow[];
}

/** Sees a partition's writes before they are made, inside its transaction (benchmark and tests). */
export type WritesObserver = (writes: PartitionWrites, executor: Executor) => void | Promise<void>;

let writesObserver: WritesObserver | null = null;
export function observePartitionWrites(observer: WritesObserver | null): void {
  writesObserver = observer;
}

/** A payment or ledger sync rewrote an account between the partition's read and its write-back. */
class AccountsMoved extends Error {}

/**
 * Closes one partition in one transaction; a partition already done is left alone. Accounts are
 * read without locks; if another writer changed one before the write-back, the transaction
 * rolls back and the partition runs again with its accounts locked as they are read.
 */
export async function processPartition(
  context: AppContext,
  runId: string,
  partitionNo: number,
  compute: PartitionCompute = computePartition,
): Promise<boolean> {
  try {
    return await closePartition(context, runId, partitionNo, compute, false);
  } catch (error) {
    if (!(error instanceof AccountsMoved)) throw error;
    return closePartition(context, runId, partitionNo, compute, true);
  }
}

async function closePartition(context: AppContext, runId: string, partitionNo: number, compute: PartitionCompute, lock: boolean): Promise<boolean> {
  return context.database.db.transaction().execute(async (trx) => {
    const partition = await sql<{ status: string; range_start: string; range_end: string | null; lender_id: string; business_date: string; mode: CloseMode }>`
      select p.status, p.range_start, p.range_end, r.lender_id, r.business_date::text as business_date, r.mode
      from close_partitions p join close_runs r on r.id = p.run_id
      where p.run_id = ${runId} and p.partition_no = ${partitionNo}
      for update of p`.execute(trx);
    const row = partition.rows[0];
    if (!row) throw new AppError("NOT_FOUND", `close partition ${runId}/${partitionNo} not found`);
    if (row.status === "done") return false;
    const lenderId = row.lender_id;
    const on = row.business_date;
    const fullScan = row.mode === "full_scan";
    const range = { start: row.range_start, end: row.range_end };
    const times: StepTimes = { loadMs: 0, computeMs: 0, ledgerMs: 0, stateMs: 0, eventsMs: 0, casesMs: 0 };
    let mark = performance.now();
    const lap = (step: keyof StepTimes) => {
      const now = performance.now();
      times[step] += Math.round((now - mark) * 10) / 10;
      mark = now;
    };

    // A partition's accounts are sorted by id for locking, ~1 KB a row: at the default 4 MB the
    // sort of 5,000 of them spilled to disk.
    await sql`set local work_mem = '32MB'`.execute(trx);
    const settings = await trx.selectFrom("lenders").select("close_settings").where("id", "=", lenderId).executeTakeFirstOrThrow();
    const policy = closePolicyOf(settings.close_settings);
    const products = await trx.selectFrom("products").select(["id", "terms", "currency"]).where("lender_id", "=", lenderId).execute();
    const accounts = await readAccounts(trx, lenderId, range, on, fullScan, lock);
    const payments = await newPayments(trx, accounts, on);
    lap("loadMs");

    const computed = await compute({ lenderId, on, policy, products, accounts, payments });
    const counts: PartitionCounts = { ...computed.counts, ledgerRows: 0, casesOpened: 0, casesClosed: 0 };
    const writes: PartitionWrites = { entries: computed.entries, accounts: computed.accounts, statuses: computed.statuses, events: computed.events };
    lap("computeMs");

    await writesObserver?.(writes, trx);
    counts.ledgerRows = await insertEntriesDocument(trx, writes.entries, context.clock.now());
    lap("ledgerMs");
    const written = await updateAccountsDocument(trx, writes.accounts, on);
    const expected = writes.accounts.loanIds.length;
    if (written !== expected) throw new AccountsMoved(`${expected - written} of ${expected} accounts changed while closing`);
    await updateLoanStatuses(trx, writes.statuses);
    lap("stateMs");
    const borrowers = computed.touchedBorrowers;
    const opened = await openCases(trx, lenderId, borrowers, policy.caseOpenDpd, on, context.clock.now());
    const closed = await closeCases(trx, lenderId, borrowers, on);
    counts.casesOpened = opened.length;
    counts.casesClosed = closed.length;
    for (const item of opened) writes.events.push({ loan_id: null, borrower_id: item.borrower_id, kind: "case_opened", details: { caseId: item.id } });
    for (const item of closed)
      writes.events.push({ loan_id: null, borrower_id: item.borrower_id, kind: "case_closed", details: { caseId: item.id, reason: item.close_reason } });
    lap("casesMs");
    await insertEvents(trx, lenderId, runId, on, writes.events);
    lap("eventsMs");
    const rowsWritten = counts.ledgerRows + writes.accounts.loanIds.length + writes.statuses.length + writes.events.length;
    await trx
      .updateTable("close_partitions")
      .set({
        status: "done",
        accounts_touched: counts.accountsTouched,
        rows_written: rowsWritten,
        counts: JSON.stringify(counts),
        step_ms: JSON.stringify(times),
        finished_at: context.clock.now(),
      })
      .where("run_id", "=", runId)
      .where("partition_no", "=", partitionNo)
      .execute();
    return true;
  });
}
