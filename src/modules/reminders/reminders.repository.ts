// SQL in, planner and dispatcher values out. The planner walks a lender's open accounts by loan
// id in batches (keyset), reading what segments need in one statement; messages are written a
// batch at a time with one statement.
import { sql } from "kysely";
import type { Executor } from "../../platform/db/index.js";
import type { ReminderChannel, ReminderStatus } from "../../platform/db/schema.js";
import type { PlainDate } from "../../platform/plain-date.js";
import type { AccountRow } from "./domain/reminder-plan.js";

interface AccountTuple {
  loan_id: string;
  borrower_id: string;
  case_id: string | null;
  bucket: string;
  overdue_since: string | null;
  overdue_minor: string;
  product_code: string;
  next_due_on: string | null;
  time_zone: string;
  locale: string;
  overdue_reason: string | null;
}

/**
 * The next batch of the lender's open accounts after `afterLoanId`: state from the last close,
 * the borrower's zone and language, the open case, the next installment due within the pre-due
 * horizon (accounts not overdue), and — only when a strategy asks — the last overdue reason.
 */
export async function loadAccountBatch(
  executor: Executor,
  input: { lenderId: string; day: PlainDate; horizonEnd: PlainDate | null; afterLoanId: string | null; limit: number; withReasons: boolean },
): Promise<AccountRow[]> {
  // The next due date comes from the contract on the close state: a flat array [start, principal,
  // rate, then due date, principal, interest per installment], or in rows written before it, an
  // object whose `i` holds [due date, principal, interest] per installment. The close's next event
  // is never after it, so accounts whose next event lies beyond the horizon are not looked into.
  const nextDue =
    input.horizonEnd === null
      ? sql`null::date`
      : sql`case when s.overdue_since is null and s.next_event_on <= ${input.horizonEnd}::date then
          (select min(due.on) from (
             select value::date as on from json_array_elements_text(case when json_typeof(s.facts) = 'array' then s.facts end) with ordinality as f(value, n)
             where n >= 4 and n % 3 = 1
             union all
             select (e ->> 0)::date from json_array_elements(case when json_typeof(s.facts) = 'object' then s.facts -> 'i' end) e
           ) due
           where due.on between ${input.day}::date and ${input.horizonEnd}::date) end`;
  const reason = input.withReasons
    ? sql`(select a.overdue_reason from contact_attempts a where a.borrower_id = s.borrower_id and a.overdue_reason is not null order by a.at desc limit 1)`
    : sql`null::text`;
  const result = await sql<AccountTuple>`
    select s.loan_id, s.borrower_id, c.id as case_id, s.bucket, s.overdue_since::text as overdue_since, s.overdue_minor::text as overdue_minor,
      p.code as product_code, ${nextDue}::text as next_due_on, b.time_zone, b.locale, ${reason} as overdue_reason
    from account_close_state s
    join products p on p.id = s.product_id
    join borrowers b on b.id = s.borrower_id
    left join collection_cases c on c.lender_id = s.lender_id and c.borrower_id = s.borrower_id and c.status not in ('resolved', 'closed')
    where s.lender_id = ${input.lenderId} and s.status in ('current', 'overdue')
      and s.loan_id > ${input.afterLoanId ?? "00000000-0000-0000-0000-000000000000"}::uuid
    order by s.loan_id
    limit ${input.limit}`.execute(executor);
  return result.rows.map((row) => ({
    loanId: row.loan_id,
    borrowerId: row.borrower_id,
    caseId: row.case_id,
    bucket: row.bucket,
    overdueSince: row.overdue_since,
    overdueMinor: BigInt(row.overdue_minor),
    productCode: row.product_code,
    nextDueOn: row.next_due_on,
    timeZone: row.time_zone,
    locale: row.locale,
    overdueReason: row.overdue_reason,
    score: null,
  }));
}

export interface MessageRow {
  id: string;
  borrower_id: string;
  loan_id: string;
  case_id: string | null;
  strategy_id: string;
  strategy_version: number;
  variant_code: string;
  step_key: string;
  channel: ReminderChannel;
  template_version_id: string;
  content_class: string;
  language: "zh-CN" | "en";
  idempotency_key: string;
  scheduled_at: string;
  decision_id: string | null;
  decision: string | null;
  reasons: unknown;
  status: ReminderStatus;
  status_reason: string | null;
}

/** One statement for a batch; a key already planned (a re-run) keeps its first row. Returns the ids inserted. */
export async function insertMessages(
  executor: Executor,
  input: { lenderId: string; runId: string; day: PlainDate; now: Date; rows: readonly MessageRow[] },
): Promise<Set<string>> {
  if (input.rows.length === 0) return new Set();
  const result = await sql<{ id: string }>`
    insert into reminder_messages (id, lender_id, run_id, business_date, borrower_id, loan_id, case_id, strategy_id, strategy_version, variant_code,
      step_key, channel, template_version_id, content_class, language, idempotency_key, scheduled_at, decision_id, decision, reasons, status,
      status_reason, attempts, next_attempt_at, created_at, updated_at)
    select r.id, ${input.lenderId}::uuid, ${input.runId}::uuid, ${input.day}::date, r.borrower_id, r.loan_id, r.case_id, r.strategy_id, r.strategy_version,
      r.variant_code, r.step_key, r.channel, r.template_version_id, r.content_class, r.language, r.idempotency_key, r.scheduled_at, r.decision_id,
      r.decision, r.reasons, r.status, r.status_reason, 0, r.scheduled_at, ${input.now}::timestamptz, ${input.now}::timestamptz
    from json_to_recordset(${JSON.stringify(input.rows)}::json) as r(id uuid, borrower_id uuid, loan_id uuid, case_id uuid, strategy_id uuid,
      strategy_version integer, variant_code text, step_key text, channel text, template_version_id uuid, content_class text, language text,
      idempotency_key text, scheduled_at timestamptz, decision_id uuid, decision text, reasons jsonb, status text, status_reason text)
    on conflict (idempotency_key) do nothing
    returning id`.execute(executor);
  return new Set(result.rows.map((row) => row.id));
}

/** Callback tasks for the cases a strategy escalates to agents today (one per case and step). */
export async function insertEscalations(
  executor: Executor,
  rows: readonly { id: string; caseId: string; dueAt: string; note: string }[],
  now: Date,
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await sql`
    insert into case_actions (id, case_id, kind, due_at, note, created_by, created_at)
    select r.id, r.case_id, 'callback', r.due_at, r.note, null, ${now}::timestamptz
    from json_to_recordset(${JSON.stringify(rows.map((row) => ({ id: row.id, case_id: row.caseId, due_at: row.dueAt, note: row.note })))}::json)
      as r(id uuid, case_id uuid, due_at timestamptz, note text)
    where not exists (select 1 from case_actions a where a.case_id = r.case_id and a.note = r.note and a.done_at is null)`.execute(executor);
  return Number(result.numAffectedRows ?? 0n);
}

export interface MessageUpdate {
  id: string;
  status: ReminderStatus;
  statusReason?: string | null;
  decisionId?: string;
  decision?: "allow" | "warn" | "defer" | "block" | null;
  reasons?: unknown;
  attempts?: number;
  claimedAt?: Date;
  scheduledAt?: Date;
  nextAttemptAt?: Date;
  provider?: string;
  providerMessageId?: string;
  sentAt?: Date;
  failedAt?: Date;
  errorCode?: string | null;
}

const updateColumns: Record<Exclude<keyof MessageUpdate, "id">, [column: string, type: string]> = {
  status: ["status", "text"],
  statusReason: ["status_reason", "text"],
  decisionId: ["decision_id", "uuid"],
  decision: ["decision", "text"],
  reasons: ["reasons", "jsonb"],
  attempts: ["attempts", "integer"],
  claimedAt: ["claimed_at", "timestamptz"],
  scheduledAt: ["scheduled_at", "timestamptz"],
  nextAttemptAt: ["next_attempt_at", "timestamptz"],
  provider: ["provider", "text"],
  providerMessageId: ["provider_message_id", "text"],
  sentAt: ["sent_at", "timestamptz"],
  failedAt: ["failed_at", "timestamptz"],
  errorCode: ["error_code", "text"],
};

/** Many messages' changes: one statement per set of columns changed (a batch has a handful). */
export async function updateMessages(executor: Executor, updates: readonly MessageUpdate[], now: Date): Promise<void> {
  const byShape = new Map<string, MessageUpdate[]>();
  for (const update of updates) {
    const shape = Object.keys(update)
      .filter((key) => key !== "id")
      .sort()
      .join(",");
    const group = byShape.get(shape);
    if (group) group.push(update);
    else byShape.set(shape, [update]);
  }
  for (const [shape, group] of byShape) {
    const keys = shape.split(",") as Exclude<keyof MessageUpdate, "id">[];
    const assignments = keys.map((key) => `${updateColumns[key][0]} = r.${updateColumns[key][0]}`).join(", ");
    const columns = keys.map((key) => `${updateColumns[key][0]} ${updateColumns[key][1]}`).join(", ");
    const rows = group.map((update) => {
      const row: Record<string, unknown> = { id: update.id };
      for (const key of keys) row[updateColumns[key][0]] = update[key] instanceof Date ? (update[key] as Date).toISOString() : update[key];
      return row;
    });
    await sql`
      update reminder_messages m set ${sql.raw(assignments)}, updated_at = ${now}::timestamptz
      from json_to_recordset(${JSON.stringify(rows)}::json) as r(id uuid, ${sql.raw(columns)})
      where m.id = r.id`.execute(executor);
  }
}
