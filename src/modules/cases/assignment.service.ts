// Case assignment in the running system: after each daily close the unassigned open cases are
// dealt to agents (returning borrowers to their previous agent); supervisors reassign in bulk and
// put cases on hold. Every change is a case_assignments row and an audit event.
import { sql } from "kysely";
import { appendAudit } from "../../platform/audit/index.js";
import type { Actor } from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import { AppError } from "../../platform/errors.js";
import { dateInZone, isPlainDate } from "../../platform/plain-date.js";
import { routeCasesToQueues } from "./case-queues.service.js";
import { type AgentSlot, assignCases } from "./domain/case-assignment.js";

const openStatuses = ["new", "in_progress", "promised", "promise_broken", "plan_requested", "plan_active", "paused"] as const;
/** Cases handled per statement: a limit on every batch. */
const ASSIGN_BATCH_MAX = 20_000;

async function agentSlots(executor: Executor, lenderId: string): Promise<AgentSlot[]> {
  const rows = await sql<{ id: string; agency_id: string | null; team_id: string | null; case_capacity: number; open_cases: string }>`
    select u.id, u.agency_id, u.team_id, u.case_capacity,
           (select count(*) from collection_cases c
             where c.assigned_agent_id = u.id and c.status in ('new','in_progress','promised','promise_broken','plan_requested','plan_active','paused'))::text as open_cases
    from staff_users u
    where u.lender_id = ${lenderId} and u.is_active and 'agent' = any(u.roles)
    order by u.id`.execute(executor);
  return rows.rows.map((row) => ({
    agentId: row.id,
    agencyId: row.agency_id,
    teamId: row.team_id,
    capacity: row.case_capacity,
    openCases: Number(row.open_cases),
  }));
}

async function recordAssignments(
  executor: Executor,
  rows: readonly { case_id: string; agent_id: string | null; reason: string }[],
  assignedBy: string | null,
  at: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    update collection_cases c set assigned_agent_id = v.agent_id, assigned_at = ${at}
    from json_to_recordset(${JSON.stringify(rows)}::json) as v(case_id uuid, agent_id uuid, reason text)
    where c.id = v.case_id`.execute(executor);
  await sql`
    insert into case_assignments (case_id, borrower_id, agent_id, assigned_at, assigned_by, reason)
    select c.id, c.borrower_id, v.agent_id, ${at}, ${assignedBy}, v.reason
    from json_to_recordset(${JSON.stringify(rows)}::json) as v(case_id uuid, agent_id uuid, reason text)
    join collection_cases c on c.id = v.case_id`.execute(executor);
}

/**
 * Routes the lender's open cases to their queues, then deals the unassigned ones to agents with
 * room (a queued case within its queue's team). Running it again assigns only what is still
 * unassigned, so it is safe after a crash or twice a day.
 */
export async function assignOpenCases(
  context: AppContext,
  executor: Executor,
  lenderId: string,
  assignedBy: string | null,
): Promise<{ assigned: number; unassigned: number; requeued: number }> {
  const { requeued } = await routeCasesToQueues(context, executor, lenderId, assignedBy);
  const cases = await sql<{ id: string; agency_id: string | null; team_id: string | null; previous_agent_id: string | null }>`
    select c.id, c.agency_id, q.team_id,
           (select a.agent_id from case_assignments a join staff_users u on u.id = a.agent_id
             where a.borrower_id = c.borrower_id and a.case_id <> c.id and a.agent_id is not null and u.is_active
             order by a.assigned_at desc, a.id desc limit 1) as previous_agent_id
    from collection_cases c
    left join case_queues q on q.id = c.queue_id
    where c.lender_id = ${lenderId} and c.assigned_agent_id is null
      and c.status in ('new','in_progress','promised','promise_broken','plan_requested','plan_active','paused')
    order by c.opened_on, c.id
    limit ${ASSIGN_BATCH_MAX}
    for update of c`.execute(executor);
  if (cases.rows.length === 0) return { assigned: 0, unassigned: 0, requeued };
  const result = assignCases(
    cases.rows.map((row) => ({ caseId: row.id, agencyId: row.agency_id, teamId: row.team_id, previousAgentId: row.previous_agent_id })),
    await agentSlots(executor, lenderId),
  );
  const now = context.clock.now();
  await recordAssignments(
    executor,
    result.assignments.map((item) => ({ case_id: item.caseId, agent_id: item.agentId, reason: item.reason })),
    assignedBy,
    now,
  );
  if (result.assignments.length > 0) {
    await appendAudit(
      executor,
      {
        actorType: assignedBy ? "staff" : "system",
        actorId: assignedBy,
        action: "cases.assigned",
        targetType: "lender",
        targetId: lenderId,
        details: {
          assigned: result.assignments.length,
          unassigned: result.unassigned.length,
          caseIds: result.assignments.map((item) => item.caseId).slice(0, 1_000),
        },
      },
      now,
    );
  }
  return { assigned: result.assignments.length, unassigned: result.unassigned.length, requeued };
}

/**
 * A supervisor moves cases to an agent (or back to the pool with agentId null). Held cases stay
 * unless `includeHeld`. Returns what moved and what stayed, case by case.
 */
export async function reassignCases(
  context: AppContext,
  actor: Actor,
  input: { caseIds: readonly string[]; agentId: string | null; includeHeld: boolean; note: string | null },
): Promise<{ moved: string[]; held: string[] }> {
  if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
  return context.database.db.transaction().execute(async (trx) => {
    let agentAgency: string | null = null;
    if (input.agentId) {
      const agent = await trx
        .selectFrom("staff_users")
        .select(["id", "agency_id", "roles", "is_active"])
        .where("id", "=", input.agentId)
        .where("lender_id", "=", actor.lenderId)
        .executeTakeFirst();
      if (!agent?.is_active || !agent.roles.includes("agent"))
        throw new AppError("VALIDATION_FAILED", `agent ${input.agentId} is not an active agent of this lender`, { field: "agentId" });
      agentAgency = agent.agency_id;
    }
    const cases = await trx
      .selectFrom("collection_cases")
      .select(["id", "agency_id", "hold_until", "status"])
      .where("id", "in", input.caseIds as string[])
      .where("lender_id", "=", actor.lenderId)
      .where((eb) => (actor.agencyId ? eb("agency_id", "=", actor.agencyId) : eb.lit(true)))
      .forUpdate()
      .execute();
    const found = new Set(cases.map((row) => row.id));
    const missing = input.caseIds.filter((id) => !found.has(id));
    if (missing.length > 0) throw new AppError("NOT_FOUND", `cases not found: ${missing.slice(0, 5).join(", ")}`, { caseIds: missing });
    // A hold runs through its date on the lender's calendar, not the UTC one.
    const lender = await trx.selectFrom("lenders").select("time_zone").where("id", "=", actor.lenderId).executeTakeFirstOrThrow();
    const today = dateInZone(context.clock.now(), lender.time_zone);
    const held = cases.filter((row) => !input.includeHeld && row.hold_until !== null && row.hold_until >= today).map((row) => row.id);
    const movable = cases.filter((row) => !held.includes(row.id));
    const wrongAgency = input.agentId ? movable.filter((row) => row.agency_id !== agentAgency) : [];
    if (wrongAgency.length > 0) {
      throw new AppError(
        "VALIDATION_FAILED",
        `case ${wrongAgency[0]?.id} belongs to ${wrongAgency[0]?.agency_id ? "an agency" : "the lender's own team"}; the agent does not`,
        {
          field: "agentId",
        },
      );
    }
    const now = context.clock.now();
    await recordAssignments(
      trx,
      movable.map((row) => ({ case_id: row.id, agent_id: input.agentId, reason: input.agentId ? "reassigned" : "unassigned" })),
      actor.userId,
      now,
    );
    await appendAudit(
      trx,
      {
        actorType: "staff",
        actorId: actor.userId,
        action: "cases.reassigned",
        targetType: "staff_user",
        targetId: input.agentId,
        reason: input.note,
        details: { moved: movable.map((row) => row.id), held },
      },
      now,
    );
    return { moved: movable.map((row) => row.id), held };
  });
}

/** A case hold (留案): the case stays with its agent until the date, whatever reassignment runs. */
export async function holdCase(context: AppContext, actor: Actor, caseId: string, until: string | null, reason: string): Promise<void> {
  if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
  if (until !== null && !isPlainDate(until))
    throw new AppError("VALIDATION_FAILED", `until ${JSON.stringify(until)} is not a date (YYYY-MM-DD)`, { field: "until" });
  await context.database.db.transaction().execute(async (trx) => {
    const found = await trx
      .selectFrom("collection_cases")
      .select(["id", "status"])
      .where("id", "=", caseId)
      .where("lender_id", "=", actor.lenderId)
      .executeTakeFirst();
    if (!found) throw new AppError("NOT_FOUND", `case ${caseId} not found`);
    if (!(openStatuses as readonly string[]).includes(found.status)) throw new AppError("CONFLICT", `case ${caseId} is ${found.status}`);
    await trx.updateTable("collection_cases").set({ hold_until: until }).where("id", "=", caseId).execute();
    await appendAudit(
      trx,
      {
        actorType: "staff",
        actorId: actor.userId,
        action: until ? "case.held" : "case.hold_released",
        targetType: "case",
        targetId: caseId,
        reason,
        details: { until },
      },
      context.clock.now(),
    );
  });
}
