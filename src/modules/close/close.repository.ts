// SQL in, close rows out. Every statement works on a whole partition at once: rows travel as one
// JSON document through json_to_recordset, or (the account states, the largest) as one text per
// column, so the same SQL runs on PostgreSQL and PGlite.
import { sql } from "kysely";
import { type Executor, unnestColumns } from "../../platform/db/index.js";
import type { PlainDate } from "../../platform/plain-date.js";
import {
  ACCOUNT_STATE_COLUMNS,
  type AccountStateColumn,
  type AccountsDocument,
  type DueAccount,
  type EventRow,
  type NewPayment,
} from "./domain/partition-compute.js";
import type { Range } from "./domain/partitions.js";

export type { DueAccount, EventRow, NewPayment } from "./domain/partition-compute.js";

const inRange = (range: Range) =>
  range.end === null ? sql`s.loan_id >= ${range.start}::uuid` : sql`s.loan_id >= ${range.start}::uuid and s.loan_id < ${range.end}::uuid`;

/**
 * Accounts whose next event is due on `on`. Writers never set a next event before the lender's
 * first unclosed date (loans' nextEventFloor), so the scan starts at the last closed date: it
 * never walks the index entries that earlier closes left behind.
 */
export const dueOn = (lenderId: string, on: PlainDate) =>
  sql<boolean>`s.next_event_on <= ${on}::date and s.next_event_on >= coalesce(
    (select least(closed_through, ${on}::date - 1) from lenders where id = ${lenderId}), '-infinity'::date)`;

export interface DueAccountRow extends DueAccount {
  state_on: string;
}

/**
 * Accounts of a partition that the close must touch. Read without locks by default: locking
 * marks every row read, which cost a partition of 5,000 accounts 60–105 ms and 7–9 MB of WAL.
 * The write-back then updates only rows still at the version read, and the partition runs
 * again with `lock` when a payment or ledger sync rewrote one of them in between.
 */
export async function readAccounts(
  executor: Executor,
  lenderId: string,
  range: Range,
  on: PlainDate,
  fullScan: boolean,
  lock: boolean,
): Promise<DueAccountRow[]> {
  const due = fullScan ? sql`s.status in ('current','overdue')` : dueOn(lenderId, on);
  // The contract and snapshot stay JSON text here: they are parsed where they are computed.
  const result = await sql<DueAccountRow>`
    select s.loan_id, s.borrower_id, s.product_id, s.facts::text as facts, s.state::text as state, s.state_on::text as state_on,
           s.dpd, s.bucket, s.status, s.write_off_candidate, s.xmin::text as xmin
    from account_close_state s
    where s.lender_id = ${lenderId} and ${inRange(range)} and ${due}
    order by s.loan_id
    ${lock ? sql`for update of s` : sql``}`.execute(executor);
  return result.rows;
}

/**
 * Payments received after each touched account's snapshot and up to the business date, not
 * returned. Each account's payments are read through the loan's index (a lateral subquery): a
 * join left to the planner hashed the whole payments table, which grows every day, because it
 * cannot know how many accounts the document holds.
 */
export async function newPayments(executor: Executor, accounts: readonly { loan_id: string; state_on: string }[], on: PlainDate): Promise<NewPayment[]> {
  if (accounts.length === 0) return [];
  const keys = accounts.map((account) => ({ loan_id: account.loan_id, state_on: account.state_on }));
  const result = await sql<NewPayment>`
    select p.id, p.loan_id, p.received_on::text as received_on, p.amount_minor::text as amount_minor, p.purpose
    from json_to_recordset(${JSON.stringify(keys)}::json) as a(loan_id uuid, state_on date)
    cross join lateral (
      select p.id, p.loan_id, p.received_on, p.amount_minor, p.purpose from payments p
      where p.loan_id = a.loan_id and p.received_on > a.state_on and p.received_on <= ${on}::date
        and not exists (select 1 from payment_reversals r where r.payment_id = p.id)
    ) p`.execute(executor);
  return result.rows;
}

/**
 * Writes a partition's new account state (computePartition's accounts document) and returns how
 * many rows it wrote: with `checkVersions`, fewer than given when another writer changed a row
 * since it was read at its `xmin`. The rows travel as one text per column; each state is JSON
 * text, cast once.
 */
export async function updateAccountsDocument(executor: Executor, accounts: AccountsDocument, on: PlainDate, checkVersions = true): Promise<number> {
  if (accounts.loanIds.length === 0) return 0;
  const result = await sql`
    update account_close_state s set
      state = v.state::json, state_on = v.state_on, next_event_on = v.next_event_on, overdue_since = v.overdue_since, dpd = v.dpd, bucket = v.bucket,
      overdue_minor = v.overdue_minor, outstanding_minor = v.outstanding_minor, status = v.status,
      write_off_candidate = v.write_off_candidate, closed_on = ${on}::date
    from ${unnestColumns("v", ACCOUNT_STATE_COLUMNS, ACCOUNT_STATE_TYPES, accounts.columns)}
    where s.loan_id = v.loan_id and (${!checkVersions} or s.xmin = v.xmin)`.execute(executor);
  return Number(result.numAffectedRows ?? 0n);
}

const ACCOUNT_STATE_TYPES: Record<AccountStateColumn, string> = {
  loan_id: "uuid",
  state: "text",
  state_on: "date",
  next_event_on: "date",
  overdue_since: "date",
  dpd: "integer",
  bucket: "text",
  overdue_minor: "bigint",
  outstanding_minor: "bigint",
  status: "text",
  write_off_candidate: "boolean",
  xmin: "xid",
};

export async function updateLoanStatuses(executor: Executor, rows: readonly { loan_id: string; status: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    update loan_accounts l set status = case v.status when 'current' then 'active' else v.status end
    from json_to_recordset(${JSON.stringify(rows)}::json) as v(loan_id uuid, status text)
    where l.id = v.loan_id`.execute(executor);
}

export async function insertEvents(executor: Executor, lenderId: string, runId: string, on: PlainDate, rows: readonly EventRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into account_events (lender_id, loan_id, borrower_id, business_date, kind, details, run_id)
    select ${lenderId}, v.loan_id, v.borrower_id, ${on}::date, v.kind, v.details, ${runId}
    from json_to_recordset(${JSON.stringify(rows)}::json) as v(loan_id uuid, borrower_id uuid, kind text, details jsonb)`.execute(executor);
}

/** Opens a case for every touched borrower with an account at or past the opening DPD and no open case. */
export async function openCases(
  executor: Executor,
  lenderId: string,
  borrowerIds: readonly string[],
  caseOpenDpd: number,
  on: PlainDate,
  now: Date,
): Promise<{ id: string; borrower_id: string }[]> {
  if (borrowerIds.length === 0) return [];
  const result = await sql<{ id: string; borrower_id: string }>`
    insert into collection_cases (id, lender_id, borrower_id, status, opened_on, created_at)
    select gen_random_uuid(), ${lenderId}, b.borrower_id, 'new', ${on}::date, ${now}
    from (select distinct l.borrower_id from loan_accounts l join account_close_state s on s.loan_id = l.id
          where l.borrower_id in (select value::uuid from json_array_elements_text(${JSON.stringify(borrowerIds)}::json))
            and s.lender_id = ${lenderId} and s.status = 'overdue' and s.dpd >= ${caseOpenDpd}
          order by l.borrower_id) b
    on conflict (lender_id, borrower_id) where status not in ('resolved','closed') do nothing
    returning id, borrower_id`.execute(executor);
  return result.rows;
}

/** Closes the open cases of touched borrowers with nothing overdue left: cured, settled or written off. */
export async function closeCases(
  executor: Executor,
  lenderId: string,
  borrowerIds: readonly string[],
  on: PlainDate,
): Promise<{ id: string; borrower_id: string; close_reason: string }[]> {
  if (borrowerIds.length === 0) return [];
  const result = await sql<{ id: string; borrower_id: string; close_reason: string }>`
    update collection_cases c set
      status = case when agg.written_off then 'closed' else 'resolved' end,
      closed_on = ${on}::date,
      close_reason = case when agg.written_off then 'written_off' when agg.all_paid then 'settled' else 'cured' end
    from (select l.borrower_id, bool_and(s.status = 'paid_off') as all_paid, bool_or(s.status = 'written_off') as written_off,
                 bool_or(s.status = 'overdue') as overdue
          from loan_accounts l join account_close_state s on s.loan_id = l.id
          where l.borrower_id in (select value::uuid from json_array_elements_text(${JSON.stringify(borrowerIds)}::json))
            and s.lender_id = ${lenderId}
          group by l.borrower_id) agg
    where c.lender_id = ${lenderId} and c.borrower_id = agg.borrower_id and not agg.overdue
      and c.status not in ('resolved','closed')
    returning c.id, c.borrower_id, c.close_reason`.execute(executor);
  return result.rows;
}
