// What the console shows of reminders: messages by status, a day's campaign progress, and the
// deliveries, replies and repayments per strategy variant and template (the champion/challenger
// comparison). Reads only; the planner and the dispatcher write.
import { sql } from "kysely";
import type { AppContext } from "../../platform/context.js";
import type { ReminderChannel, ReminderStatus } from "../../platform/db/schema.js";
import { AppError } from "../../platform/errors.js";
import type { PlainDate } from "../../platform/plain-date.js";

export const reminderStatuses: readonly ReminderStatus[] = ["planned", "sending", "sent", "delivered", "failed", "skipped", "cancelled"];

export interface MessageView {
  id: string;
  businessDate: string;
  borrowerId: string;
  loanId: string;
  caseId: string | null;
  strategyCode: string;
  variantCode: string;
  stepKey: string;
  channel: ReminderChannel;
  templateCode: string;
  language: string;
  status: ReminderStatus;
  statusReason: string | null;
  decision: string | null;
  scheduledAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  attempts: number;
  provider: string | null;
  errorCode: string | null;
}

export async function listMessages(
  context: AppContext,
  lenderId: string,
  filter: { date?: PlainDate; status?: ReminderStatus; channel?: ReminderChannel; strategyId?: string; limit: number; offset: number },
): Promise<{ messages: MessageView[]; total: number }> {
  const { db } = context.database;
  let query = db
    .selectFrom("reminder_messages as m")
    .innerJoin("strategies as s", "s.id", "m.strategy_id")
    .innerJoin("message_template_versions as v", "v.id", "m.template_version_id")
    .innerJoin("message_templates as t", "t.id", "v.template_id")
    .where("m.lender_id", "=", lenderId);
  if (filter.date) query = query.where("m.business_date", "=", filter.date);
  if (filter.status) query = query.where("m.status", "=", filter.status);
  if (filter.channel) query = query.where("m.channel", "=", filter.channel);
  if (filter.strategyId) query = query.where("m.strategy_id", "=", filter.strategyId);
  const [rows, total] = await Promise.all([
    query
      .select([
        "m.id",
        "m.business_date",
        "m.borrower_id",
        "m.loan_id",
        "m.case_id",
        "s.code as strategy_code",
        "m.variant_code",
        "m.step_key",
        "m.channel",
        "t.code as template_code",
        "m.language",
        "m.status",
        "m.status_reason",
        "m.decision",
        "m.scheduled_at",
        "m.sent_at",
        "m.delivered_at",
        "m.attempts",
        "m.provider",
        "m.error_code",
      ])
      .orderBy("m.scheduled_at", "desc")
      .orderBy("m.id")
      .limit(Math.min(Math.max(filter.limit, 1), 200))
      .offset(Math.max(filter.offset, 0))
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as("count")).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(total.count),
    messages: rows.map((row) => ({
      id: row.id,
      businessDate: row.business_date,
      borrowerId: row.borrower_id,
      loanId: row.loan_id,
      caseId: row.case_id,
      strategyCode: row.strategy_code,
      variantCode: row.variant_code,
      stepKey: row.step_key,
      channel: row.channel,
      templateCode: row.template_code,
      language: row.language,
      status: row.status,
      statusReason: row.status_reason,
      decision: row.decision,
      scheduledAt: row.scheduled_at.toISOString(),
      sentAt: row.sent_at?.toISOString() ?? null,
      deliveredAt: row.delivered_at?.toISOString() ?? null,
      attempts: row.attempts,
      provider: row.provider,
      errorCode: row.error_code,
    })),
  };
}

export interface RunView {
  id: string;
  businessDate: string;
  status: "running" | "completed";
  startedAt: string;
  finishedAt: string | null;
  /** Messages by status now (the campaign's progress). */
  byStatus: Record<ReminderStatus, number>;
  planned: number;
  escalations: number;
}

export async function listRuns(context: AppContext, lenderId: string, limit = 14): Promise<RunView[]> {
  const { db } = context.database;
  const runs = await db.selectFrom("reminder_runs").selectAll().where("lender_id", "=", lenderId).orderBy("business_date", "desc").limit(limit).execute();
  if (runs.length === 0) return [];
  const counts = await db
    .selectFrom("reminder_messages")
    .select(["run_id", "status", (eb) => eb.fn.countAll<string>().as("count")])
    .where(
      "run_id",
      "in",
      runs.map((run) => run.id),
    )
    .groupBy(["run_id", "status"])
    .execute();
  return runs.map((run) => {
    const byStatus = Object.fromEntries(reminderStatuses.map((status) => [status, 0])) as Record<ReminderStatus, number>;
    for (const row of counts) if (row.run_id === run.id) byStatus[row.status] = Number(row.count);
    const totals = (run.totals ?? {}) as { escalations?: number };
    return {
      id: run.id,
      businessDate: run.business_date,
      status: run.status,
      startedAt: run.started_at.toISOString(),
      finishedAt: run.finished_at?.toISOString() ?? null,
      byStatus,
      planned: Object.values(byStatus).reduce((sum, count) => sum + count, 0),
      escalations: totals.escalations ?? 0,
    };
  });
}

export interface VariantReportLine {
  strategyCode: string;
  strategyName: string;
  variantCode: string;
  templateCode: string;
  channel: ReminderChannel;
  planned: number;
  sent: number;
  delivered: number;
  failed: number;
  skipped: number;
  replies: number;
  optOuts: number;
  /** Loans with a payment within `paidWithinDays` of the message's day. */
  paidAfter: number;
  /** delivered ÷ (sent + delivered + failed), per mille; null with nothing sent. */
  deliveryRatePerMille: number | null;
  /** paidAfter ÷ planned − skipped, per mille. */
  paymentRatePerMille: number | null;
}

/** Champion/challenger: per strategy, variant and template over a span of days. */
export async function variantReport(
  context: AppContext,
  lenderId: string,
  input: { from: PlainDate; to: PlainDate; paidWithinDays?: number },
): Promise<VariantReportLine[]> {
  if (input.from > input.to) throw new AppError("VALIDATION_FAILED", "to: must be on or after from", { field: "to" });
  const within = input.paidWithinDays ?? 3;
  const result = await sql<{
    strategy_code: string;
    strategy_name: string;
    variant_code: string;
    template_code: string;
    channel: ReminderChannel;
    planned: string;
    sent: string;
    delivered: string;
    failed: string;
    skipped: string;
    replies: string;
    opt_outs: string;
    paid_after: string;
  }>`
    select s.code as strategy_code, s.name as strategy_name, m.variant_code, t.code as template_code, m.channel,
      count(*) as planned,
      count(*) filter (where m.status = 'sent') as sent,
      count(*) filter (where m.status = 'delivered') as delivered,
      count(*) filter (where m.status = 'failed') as failed,
      count(*) filter (where m.status in ('skipped', 'cancelled')) as skipped,
      count(*) filter (where exists (select 1 from inbound_events e where e.borrower_id = m.borrower_id and e.kind = 'reply'
        and e.received_at >= m.sent_at and e.received_at < m.sent_at + interval '2 days')) as replies,
      count(*) filter (where exists (select 1 from inbound_events e where e.borrower_id = m.borrower_id and e.kind = 'stop'
        and e.received_at >= m.sent_at and e.received_at < m.sent_at + interval '2 days')) as opt_outs,
      count(*) filter (where m.status in ('sent', 'delivered') and exists (select 1 from payments p where p.loan_id = m.loan_id
        and p.received_on >= m.business_date and p.received_on <= m.business_date + ${within}::integer)) as paid_after
    from reminder_messages m
    join strategies s on s.id = m.strategy_id
    join message_template_versions v on v.id = m.template_version_id
    join message_templates t on t.id = v.template_id
    where m.lender_id = ${lenderId} and m.business_date between ${input.from}::date and ${input.to}::date
    group by s.code, s.name, m.variant_code, t.code, m.channel
    order by s.code, m.variant_code, t.code`.execute(context.database.db);
  return result.rows.map((row) => {
    const sent = Number(row.sent);
    const delivered = Number(row.delivered);
    const failed = Number(row.failed);
    const planned = Number(row.planned);
    const skipped = Number(row.skipped);
    const attempted = sent + delivered + failed;
    const reached = planned - skipped;
    const paidAfter = Number(row.paid_after);
    return {
      strategyCode: row.strategy_code,
      strategyName: row.strategy_name,
      variantCode: row.variant_code,
      templateCode: row.template_code,
      channel: row.channel,
      planned,
      sent,
      delivered,
      failed,
      skipped,
      replies: Number(row.replies),
      optOuts: Number(row.opt_outs),
      paidAfter,
      deliveryRatePerMille: attempted > 0 ? Math.round((delivered * 1000) / attempted) : null,
      paymentRatePerMille: reached > 0 ? Math.round((paidAfter * 1000) / reached) : null,
    };
  });
}

export interface ReplyView {
  provider: string;
  eventId: string;
  kind: "reply" | "stop";
  borrowerId: string | null;
  fromMasked: string | null;
  text: string;
  receivedAt: string;
}

/** Replies and opt-outs, newest first; the text is decrypted for readers who review contacts. */
export async function listReplies(context: AppContext, lenderId: string, limit: number): Promise<ReplyView[]> {
  const rows = await context.database.db
    .selectFrom("inbound_events")
    .select(["provider", "event_id", "kind", "borrower_id", "from_masked", "text_enc", "received_at"])
    .where("lender_id", "=", lenderId)
    .where("kind", "in", ["reply", "stop"])
    .orderBy("received_at", "desc")
    .limit(Math.min(Math.max(limit, 1), 200))
    .execute();
  return rows.map((row) => ({
    provider: row.provider,
    eventId: row.event_id,
    kind: row.kind as "reply" | "stop",
    borrowerId: row.borrower_id,
    fromMasked: row.from_masked,
    text: row.text_enc ? context.privacy.cipher.decrypt(row.text_enc, `inbound:${row.provider}:${row.event_id}:text`) : "",
    receivedAt: row.received_at.toISOString(),
  }));
}
