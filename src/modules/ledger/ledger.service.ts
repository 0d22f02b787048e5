// Keeps a loan's ledger equal to the events its statement implies: reverses what changed
// (with a reason code) and posts what is new, all in the caller's transaction.
import { sql } from "kysely";
import type { Executor } from "../../platform/db/index.js";
import { type LedgerEvent, planSync, reversalPostings } from "./domain/journal.js";
import { type EntryContext, insertEntries, loadActiveEntries } from "./ledger.repository.js";

export interface SyncReport {
  reversed: number;
  posted: number;
}

export async function syncLedger(executor: Executor, context: EntryContext, target: readonly LedgerEvent[], reasonCode: string): Promise<SyncReport> {
  // One writer per loan at a time, across processes.
  await sql`select pg_advisory_xact_lock(hashtext(${`ledger:${context.loanId}`}))`.execute(executor);
  const active = await loadActiveEntries(executor, context.loanId);
  const plan = planSync(active, target);
  await insertEntries(
    executor,
    context,
    plan.reverse.map((entry) => ({ entry, reasonCode, postings: reversalPostings(entry) })),
    plan.post,
  );
  return { reversed: plan.reverse.length, posted: plan.post.length };
}
