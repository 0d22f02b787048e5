// Fingerprints of what a close leaves behind, independent of generated ids and timestamps: two
// runs that did the same work hash the same. Used by the crash test and the benchmark.
import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { Executor } from "../../platform/db/index.js";

/** The ledger: every entry's loan, key, kind, date and postings, in a canonical order. */
export async function ledgerHash(executor: Executor, lenderId: string): Promise<string> {
  const hash = createHash("sha256");
  const rows = await sql<{ line: string }>`
    select e.loan_id || '|' || e.event_key || '|' || e.kind || '|' || e.effective_on || '|' ||
           string_agg(p.account || ':' || coalesce(p.installment_number::text, '-') || ':' || p.amount_minor, ',' order by p.account, p.installment_number, p.amount_minor) as line
    from journal_entries e join postings p on p.entry_id = e.id
    where e.lender_id = ${lenderId}
    group by e.id, e.loan_id, e.event_key, e.kind, e.effective_on
    order by 1`.execute(executor);
  for (const row of rows.rows) hash.update(`${row.line}\n`);
  return hash.digest("hex");
}

/** Ledger, account state, cases and events together. */
export async function closeStateHash(executor: Executor, lenderId: string): Promise<string> {
  const hash = createHash("sha256");
  hash.update(await ledgerHash(executor, lenderId));
  const parts = [
    sql<{
      line: string;
    }>`select concat_ws('|', loan_id, state::text, state_on, next_event_on, overdue_since, dpd, bucket, overdue_minor, outstanding_minor, status, write_off_candidate, closed_on) as line
      from account_close_state where lender_id = ${lenderId} order by loan_id`,
    sql<{ line: string }>`select concat_ws('|', borrower_id, status, opened_on, closed_on, close_reason) as line
      from collection_cases where lender_id = ${lenderId} order by borrower_id, opened_on, status`,
    sql<{ line: string }>`select concat_ws('|', loan_id, borrower_id, business_date, kind, details - 'caseId') as line
      from account_events where lender_id = ${lenderId} order by 1`,
    sql<{ line: string }>`select concat_ws('|', business_date, status, partition_count) as line from close_runs where lender_id = ${lenderId} order by 1`,
  ];
  for (const part of parts) for (const row of (await part.execute(executor)).rows) hash.update(`${row.line}\n`);
  return hash.digest("hex");
}
