// The gateway's side of system messages (planned reminders) sent in batches: which borrowers'
// facts changed after their decisions were made, taking decisions for sending (each used once),
// and recording the attempts the sends made, each with one statement for the whole batch.
import { sql } from "kysely";
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import { DECISION_VALID_MS } from "./contact-gateway.service.js";

/**
 * The borrowers for whom anything a decision reads changed after `since` (their own instant): a
 * contact attempt, a restriction starting or ending, their preferences (an opt-out). A decision
 * made ahead of time is used only when nothing did.
 */
export async function contactFactsChangedAfter(executor: Executor, borrowers: readonly { borrowerId: string; since: Date }[]): Promise<Set<string>> {
  if (borrowers.length === 0) return new Set();
  const rows = JSON.stringify(borrowers.map((borrower) => ({ b: borrower.borrowerId, s: borrower.since.toISOString() })));
  const result = await sql<{ borrower_id: string }>`
    select r.b as borrower_id from json_to_recordset(${rows}::json) as r(b uuid, s timestamptz)
    where exists (select 1 from contact_attempts a where a.borrower_id = r.b and a.created_at > r.s)
      or exists (select 1 from contact_restrictions x where x.borrower_id = r.b and (x.started_at > r.s or x.ended_at > r.s))
      or exists (select 1 from contact_preferences p where p.borrower_id = r.b and p.updated_at > r.s)`.execute(executor);
  return new Set(result.rows.map((row) => row.borrower_id));
}

/**
 * Marks decisions used for sending, in one statement: only the lender's, allowing (or warning)
 * the channel asked for, unused and fresh (made for within DECISION_VALID_MS of now). Returns the
 * ids taken; the rest must be decided again.
 */
export async function takeDecisions(
  executor: Executor,
  lenderId: string,
  decisions: readonly { id: string; channel: string }[],
  now: Date,
): Promise<Set<string>> {
  if (decisions.length === 0) return new Set();
  const result = await sql<{ id: string }>`
    update contact_decisions d set used_at = ${now}::timestamptz
    from json_to_recordset(${JSON.stringify(decisions)}::json) as r(id uuid, channel text)
    where d.id = r.id and d.lender_id = ${lenderId} and d.channel = r.channel and d.decision in ('allow', 'warn') and d.used_at is null
      and abs(extract(epoch from (${now}::timestamptz - d.contact_at)) * 1000) <= ${DECISION_VALID_MS}
    returning d.id`.execute(executor);
  return new Set(result.rows.map((row) => row.id));
}

export interface SystemAttempt {
  lenderId: string;
  borrowerId: string;
  channel: "sms" | "email" | "voice_robot";
  contentClass: string;
  decisionId: string;
  loanId: string | null;
  templateVersionId: string | null;
  /** A message is sent; a robot call is in progress until its outcome comes back. */
  status: "sent" | "in_progress";
}

/**
 * The attempts system messages made, recorded when the provider took them so the next decisions
 * see them in the history. The reminder's own row is its record; the audit log keeps the
 * planner's run, not each message (one audit row a message would serialise every send on the
 * audit chain's lock).
 */
export async function recordSystemAttempts(context: AppContext, executor: Executor, attempts: readonly SystemAttempt[]): Promise<void> {
  if (attempts.length === 0) return;
  const now = context.clock.now();
  const rows = attempts.map((attempt) => ({
    l: attempt.lenderId,
    b: attempt.borrowerId,
    c: attempt.channel,
    k: attempt.contentClass,
    d: attempt.decisionId,
    n: attempt.loanId,
    t: attempt.templateVersionId,
    s: attempt.status,
  }));
  await sql`
    insert into contact_attempts (id, lender_id, borrower_id, contact_id, person_role, channel, direction, content_class, decision_id, at, debt_ids,
      status, outcome, agent_id, created_at, template_version_id)
    select gen_random_uuid(), r.l, r.b, null, 'borrower', r.c, 'outbound', r.k, r.d, ${now}::timestamptz,
      case when r.n is null then null else array[r.n] end, r.s, null, null, ${now}::timestamptz, r.t
    from json_to_recordset(${JSON.stringify(rows)}::json) as r(l uuid, b uuid, c text, k text, d uuid, n uuid, t uuid, s text)`.execute(executor);
}
