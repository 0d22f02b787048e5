// The agent's queue (我的案件): open cases in the caller's scope, ordered by what is due —
// callbacks whose time has come, broken promises, promises due, then the most overdue — with
// the amounts and DPD the last close left, and callbacks and next actions on a case.
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { appendAudit } from "../../platform/audit/index.js";
import { type Actor, dataScopeOf, scopeCondition } from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import { AppError } from "../../platform/errors.js";
import type { KeptValues } from "../../platform/kept-values.js";
import { dateInZone, daysBetween } from "../../platform/plain-date.js";
import { presentBorrowerRow } from "../borrowers/index.js";
import { isPageCurrent, type QueuePage } from "./domain/queue-pages.js";

const caseColumns = {
  lender: "c.lender_id",
  borrower: "c.borrower_id",
  agency: "c.agency_id",
  assignedAgent: "c.assigned_agent_id",
};
const openStatuses = ["new", "in_progress", "promised", "promise_broken", "plan_requested", "plan_active", "paused"] as const;

export interface QueueItem {
  id: string;
  borrowerId: string;
  borrowerName: string | null;
  phoneMasked: string;
  status: string;
  openedOn: string;
  assignedAgent: string | null;
  /** The case's overdue amount, in minor units of `currency` (the lender's: a case sums its borrower's accounts). */
  overdueMinor: string;
  currency: string;
  daysPastDueMax: number;
  bucket: string;
  nextActionAt: string | null;
  nextActionKind: string | null;
  promiseDueOn: string | null;
  lastContactAt: string | null;
  /** Why it is where it is: action_due, promise_broken, promise_due, overdue. */
  dueReason: "action_due" | "promise_broken" | "promise_due" | "overdue";
}

export interface QueueFilter {
  limit: number;
  status?: string;
  bucket?: string;
}

/**
 * The agent's queue as a response body: the page kept between requests while it is current
 * (`domain/queue-pages.ts`), or read afresh and kept.
 */
export async function queueBody(context: AppContext, pages: KeptValues<QueuePage>, actor: Actor, filter: QueueFilter): Promise<string> {
  if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
  const scope = dataScopeOf(actor);
  const scopeKey =
    scope.kind === "assigned" ? `a:${scope.agentId}` : scope.kind === "agency" ? `g:${scope.agencyId}` : scope.kind === "lender" ? `l:${scope.lenderId}` : null;
  const id = [actor.userId, actor.roles.join(","), scopeKey, filter.limit, filter.status ?? "", filter.bucket ?? ""].join("|");
  const nowMs = context.clock.now().getTime();
  const page = await context.changes.readThrough(
    pages,
    id,
    (kept) => isPageCurrent(kept, nowMs, (timeZone) => dateInZone(new Date(nowMs), timeZone)),
    async (): Promise<QueuePage> => {
      const read = await readQueue(context, actor, filter);
      return {
        body: JSON.stringify({ cases: read.items }),
        // A scope of none has no cases: its empty page changes only with its viewer.
        keys: [...(scopeKey ? [scopeKey] : []), `u:${actor.userId}`, ...read.items.flatMap((item) => [`c:${item.id}`, `b:${item.borrowerId}`])],
        today: read.today,
        timeZone: read.timeZone,
        computedAtMs: read.now.getTime(),
        refreshAtMs: read.refreshAt?.getTime() ?? Number.POSITIVE_INFINITY,
      };
    },
  );
  return page.body;
}

interface QueueRead {
  items: QueueItem[];
  now: Date;
  today: string;
  timeZone: string;
  /** The first callback or next action due after `now` in the scope: the queue's order moves then. */
  refreshAt: Date | null;
}

async function readQueue(context: AppContext, actor: Actor & { type: "staff" }, filter: QueueFilter): Promise<QueueRead> {
  const { db } = context.database;
  const lender = await db.selectFrom("lenders").select(["time_zone", "currency"]).where("id", "=", actor.lenderId).executeTakeFirstOrThrow();
  const now = context.clock.now();
  const today = dateInZone(now, lender.time_zone);
  // The sort keys live on the case (kept current by triggers: migration 0018). Ranking reads
  // only them and the scope columns, which an index of each agent's open cases carries
  // (migration 0022), so it never visits the case rows; what is only shown is read for the page.
  const rank = sql<number>`case when c.next_action_at <= ${now} then 0 when c.status = 'promise_broken' then 1 when c.promise_due_on <= ${today} then 2 else 3 end`;
  const rows = await db
    .with("ranked", (qb) =>
      qb
        .selectFrom("collection_cases as c")
        .select(["c.id", rank.as("rank"), "c.next_action_at", "c.overdue_since", "c.overdue_minor"])
        .where((eb) => scopeCondition(eb, dataScopeOf(actor), caseColumns))
        .where("c.status", "in", filter.status ? [filter.status as (typeof openStatuses)[number]] : [...openStatuses])
        .$if(Boolean(filter.bucket), (query) => query.where("c.bucket", "=", filter.bucket as string))
        .orderBy("rank")
        .orderBy(sql`c.next_action_at asc nulls last`)
        .orderBy(sql`c.overdue_since asc nulls last`)
        .orderBy("c.overdue_minor", "desc")
        .orderBy("c.id")
        .limit(Math.min(Math.max(filter.limit, 1), 500)),
    )
    .selectFrom("ranked as r")
    .innerJoin("collection_cases as c", "c.id", "r.id")
    .innerJoin("borrowers as b", "b.id", "c.borrower_id")
    .leftJoin("staff_users as u", "u.id", "c.assigned_agent_id")
    .select([
      "c.id",
      "c.borrower_id",
      "b.name_enc",
      "b.phone_enc",
      "c.status",
      "c.opened_on",
      sql<string>`c.overdue_minor::text`.as("overdue_minor"),
      sql<string | null>`c.overdue_since::text`.as("overdue_since"),
      "c.bucket",
      "c.next_action_at",
      sql<string | null>`c.promise_due_on::text`.as("promise_due_on"),
      "u.display_name as agent_name",
      sql<string | null>`(select a.kind from case_actions a where a.case_id = c.id and a.done_at is null order by a.due_at, a.id limit 1)`.as(
        "next_action_kind",
      ),
      sql<Date | null>`(select max(t.at) from contact_attempts t where t.borrower_id = c.borrower_id and t.status in ('in_progress','sent','completed'))`.as(
        "last_contact_at",
      ),
    ])
    .orderBy("r.rank")
    .orderBy(sql`r.next_action_at asc nulls last`)
    .orderBy(sql`r.overdue_since asc nulls last`)
    .orderBy("r.overdue_minor", "desc")
    .orderBy("r.id")
    .execute();
  const next = await db
    .selectFrom("collection_cases as c")
    .select((eb) => eb.fn.min("c.next_action_at").as("at"))
    .where((eb) => scopeCondition(eb, dataScopeOf(actor), caseColumns))
    .where("c.status", "in", [...openStatuses])
    .where("c.next_action_at", ">", now)
    .executeTakeFirst();
  const refreshAt = next?.at ? new Date(next.at) : null;
  const items = rows.map((row): QueueItem => {
    const borrower = presentBorrowerRow(context, actor.roles, { id: row.borrower_id, name_enc: row.name_enc, phone_enc: row.phone_enc });
    const nextActionAt = row.next_action_at ? new Date(row.next_action_at) : null;
    const dueReason =
      nextActionAt && nextActionAt <= now
        ? "action_due"
        : row.status === "promise_broken"
          ? "promise_broken"
          : row.promise_due_on && row.promise_due_on <= today
            ? "promise_due"
            : "overdue";
    return {
      id: row.id,
      borrowerId: row.borrower_id,
      borrowerName: borrower.name,
      phoneMasked: borrower.phoneMasked,
      status: row.status,
      openedOn: row.opened_on,
      assignedAgent: row.agent_name,
      overdueMinor: row.overdue_minor,
      currency: lender.currency,
      daysPastDueMax: row.overdue_since ? Math.max(0, daysBetween(row.overdue_since, today)) : 0,
      bucket: row.bucket ?? "M0",
      nextActionAt: nextActionAt?.toISOString() ?? null,
      nextActionKind: row.next_action_kind,
      promiseDueOn: row.promise_due_on,
      lastContactAt: row.last_contact_at ? new Date(row.last_contact_at).toISOString() : null,
      dueReason,
    };
  });
  return { items, now, today, timeZone: lender.time_zone, refreshAt };
}

const scopedCaseColumns = {
  lender: "collection_cases.lender_id",
  borrower: "collection_cases.borrower_id",
  agency: "collection_cases.agency_id",
  assignedAgent: "collection_cases.assigned_agent_id",
};

/** Schedules a callback or next action on a case the actor may work. */
export async function scheduleAction(
  context: AppContext,
  actor: Actor,
  caseId: string,
  input: { kind: "callback" | "follow_up" | "visit" | "send_document"; dueAt: Date; note: string | null },
): Promise<string> {
  if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
  const now = context.clock.now();
  if (input.dueAt.getTime() < now.getTime() - 60_000) throw new AppError("VALIDATION_FAILED", "dueAt is in the past", { field: "dueAt" });
  if (input.dueAt.getTime() > now.getTime() + 90 * 86_400_000) throw new AppError("VALIDATION_FAILED", "dueAt is more than 90 days away", { field: "dueAt" });
  return context.database.db.transaction().execute(async (trx) => {
    const found = await trx
      .selectFrom("collection_cases")
      .select(["id", "status"])
      .where("id", "=", caseId)
      .where((eb) => scopeCondition(eb, dataScopeOf(actor), scopedCaseColumns))
      .executeTakeFirst();
    if (!found) throw new AppError("NOT_FOUND", `case ${caseId} not found`);
    if (!(openStatuses as readonly string[]).includes(found.status)) throw new AppError("CONFLICT", `case ${caseId} is ${found.status}`);
    const id = randomUUID();
    await trx
      .insertInto("case_actions")
      .values({
        id,
        case_id: caseId,
        kind: input.kind,
        due_at: input.dueAt,
        note: input.note,
        created_by: actor.userId,
        created_at: now,
        done_at: null,
        done_by: null,
      })
      .execute();
    await appendAudit(
      trx,
      {
        actorType: "staff",
        actorId: actor.userId,
        action: "case.action_scheduled",
        targetType: "case",
        targetId: caseId,
        details: { id, kind: input.kind, dueAt: input.dueAt.toISOString() },
      },
      now,
    );
    return id;
  });
}

export async function completeAction(context: AppContext, actor: Actor, actionId: string): Promise<void> {
  if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
  await context.database.db.transaction().execute(async (trx) => {
    const action = await trx
      .selectFrom("case_actions")
      .innerJoin("collection_cases", "collection_cases.id", "case_actions.case_id")
      .select(["case_actions.id", "case_actions.done_at", "case_actions.case_id"])
      .where("case_actions.id", "=", actionId)
      .where((eb) => scopeCondition(eb, dataScopeOf(actor), scopedCaseColumns))
      .executeTakeFirst();
    if (!action) throw new AppError("NOT_FOUND", `action ${actionId} not found`);
    if (action.done_at) throw new AppError("CONFLICT", `action ${actionId} is already done`);
    const now = context.clock.now();
    await trx.updateTable("case_actions").set({ done_at: now, done_by: actor.userId }).where("id", "=", actionId).execute();
    await appendAudit(
      trx,
      { actorType: "staff", actorId: actor.userId, action: "case.action_done", targetType: "case", targetId: action.case_id, details: { id: actionId } },
      now,
    );
  });
}
