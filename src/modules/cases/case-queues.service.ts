// Case queues and teams in the running system: supervisors define queues by rule and teams of
// agents; before each assignment every open case is routed to its queue, and a case that moved
// to a queue of another team leaves its agent (unless held) to be dealt within that team.
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { appendAudit } from "../../platform/audit/index.js";
import type { Actor } from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import { AppError } from "../../platform/errors.js";
import { dateInZone } from "../../platform/plain-date.js";
import { type CaseQueue, checkQueueCriteria, orderQueues, type QueueCriteria, queueFor, type StoredCriteria, storedCriteria } from "./domain/case-queues.js";

const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
/** Open cases routed per statement, and at most this many pages per run: a limit on every loop. */
const ROUTE_PAGE_SIZE = 20_000;
const ROUTE_PAGES_MAX = 1_000;
/** Queues and teams a lender may define. */
const QUEUES_MAX = 200;

export interface QueueView {
  id: string;
  code: string;
  name: string;
  priority: number;
  criteria: StoredCriteria;
  teamId: string | null;
  teamName: string | null;
  isActive: boolean;
  openCases: number;
}

export interface TeamView {
  id: string;
  code: string;
  name: string;
  agencyId: string | null;
  members: { id: string; displayName: string }[];
}

export interface QueueInput {
  code: string;
  name: string;
  priority: number;
  criteria: unknown;
  teamId: string | null;
  isActive: boolean;
}

function lenderStaff(actor: Actor): Extract<Actor, { type: "staff" }> {
  if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
  return actor;
}

/** Queues and teams are the lender's own arrangement: its supervisors and admins define them, not an agency's. */
function lenderManager(actor: Actor): Extract<Actor, { type: "staff" }> {
  const staff = lenderStaff(actor);
  if (staff.agencyId) throw new AppError("FORBIDDEN", "queues and teams are defined by the lender's own supervisors");
  return staff;
}

function checkedCriteria(input: unknown): QueueCriteria {
  const checked = checkQueueCriteria(input);
  if (!checked.ok) throw new AppError("VALIDATION_FAILED", checked.message, { field: checked.field });
  return checked.criteria;
}

async function checkTeam(executor: Executor, lenderId: string, teamId: string | null): Promise<void> {
  if (teamId === null) return;
  const team = await executor.selectFrom("teams").select("id").where("id", "=", teamId).where("lender_id", "=", lenderId).executeTakeFirst();
  if (!team) throw new AppError("VALIDATION_FAILED", `team ${teamId} is not a team of this lender`, { field: "teamId" });
}

export async function listQueues(context: AppContext, actor: Actor): Promise<QueueView[]> {
  const staff = lenderStaff(actor);
  const rows = await sql<{
    id: string;
    code: string;
    name: string;
    priority: number;
    criteria: StoredCriteria;
    team_id: string | null;
    team_name: string | null;
    is_active: boolean;
    open_cases: string;
  }>`
    select q.id, q.code, q.name, q.priority, q.criteria, q.team_id, t.name as team_name, q.is_active,
           (select count(*) from collection_cases c
             where c.queue_id = q.id and c.status in ('new','in_progress','promised','promise_broken','plan_requested','plan_active','paused')
               ${staff.agencyId ? sql`and c.agency_id = ${staff.agencyId}` : sql``})::text as open_cases
    from case_queues q left join teams t on t.id = q.team_id
    where q.lender_id = ${staff.lenderId}
    order by q.priority, q.code`.execute(context.database.db);
  return rows.rows.map((row) => ({
    id: row.id,
    code: row.code,
    name: row.name,
    priority: row.priority,
    criteria: row.criteria,
    teamId: row.team_id,
    teamName: row.team_name,
    isActive: row.is_active,
    openCases: Number(row.open_cases),
  }));
}

/** Creates a queue, or replaces the queue with this id. The next assignment routes cases by it. */
export async function saveQueue(context: AppContext, actor: Actor, id: string | null, input: QueueInput): Promise<string> {
  const staff = lenderManager(actor);
  if (!CODE.test(input.code))
    throw new AppError("VALIDATION_FAILED", `code ${JSON.stringify(input.code)} is not a queue code (letters, digits, - and _)`, { field: "code" });
  const criteria = storedCriteria(checkedCriteria(input.criteria));
  return context.database.db.transaction().execute(async (trx) => {
    await checkTeam(trx, staff.lenderId, input.teamId);
    const sameCode = await trx.selectFrom("case_queues").select("id").where("lender_id", "=", staff.lenderId).where("code", "=", input.code).executeTakeFirst();
    if (sameCode && sameCode.id !== id) throw new AppError("CONFLICT", `a queue with code ${input.code} exists`, { field: "code" });
    const now = context.clock.now();
    const values = {
      code: input.code,
      name: input.name,
      priority: input.priority,
      criteria: JSON.stringify(criteria),
      team_id: input.teamId,
      is_active: input.isActive,
      updated_at: now,
    };
    let queueId: string;
    if (id === null) {
      const count = await trx
        .selectFrom("case_queues")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("lender_id", "=", staff.lenderId)
        .executeTakeFirstOrThrow();
      if (Number(count.n) >= QUEUES_MAX) throw new AppError("CONFLICT", `a lender may define at most ${QUEUES_MAX} queues`);
      queueId = randomUUID();
      await trx
        .insertInto("case_queues")
        .values({ id: queueId, lender_id: staff.lenderId, created_at: now, ...values })
        .execute();
    } else {
      const updated = await trx.updateTable("case_queues").set(values).where("id", "=", id).where("lender_id", "=", staff.lenderId).executeTakeFirst();
      if (updated.numUpdatedRows === 0n) throw new AppError("NOT_FOUND", `queue ${id} not found`);
      queueId = id;
    }
    await appendAudit(
      trx,
      {
        actorType: "staff",
        actorId: staff.userId,
        action: id === null ? "case_queue.created" : "case_queue.updated",
        targetType: "case_queue",
        targetId: queueId,
        details: { ...values, criteria, updated_at: undefined },
      },
      now,
    );
    return queueId;
  });
}

export async function listTeams(context: AppContext, actor: Actor): Promise<TeamView[]> {
  const staff = lenderStaff(actor);
  const { db } = context.database;
  const teams = await db
    .selectFrom("teams")
    .select(["id", "code", "name", "agency_id"])
    .where("lender_id", "=", staff.lenderId)
    .$if(staff.agencyId !== null, (query) => query.where("agency_id", "=", staff.agencyId))
    .orderBy("code")
    .execute();
  const members =
    teams.length === 0
      ? []
      : await db
          .selectFrom("staff_users")
          .select(["id", "display_name", "team_id"])
          .where(
            "team_id",
            "in",
            teams.map((team) => team.id),
          )
          .orderBy("display_name")
          .execute();
  return teams.map((team) => ({
    id: team.id,
    code: team.code,
    name: team.name,
    agencyId: team.agency_id,
    members: members.filter((member) => member.team_id === team.id).map((member) => ({ id: member.id, displayName: member.display_name })),
  }));
}

export async function createTeam(context: AppContext, actor: Actor, input: { code: string; name: string; agencyId: string | null }): Promise<string> {
  const staff = lenderManager(actor);
  if (!CODE.test(input.code))
    throw new AppError("VALIDATION_FAILED", `code ${JSON.stringify(input.code)} is not a team code (letters, digits, - and _)`, { field: "code" });
  return context.database.db.transaction().execute(async (trx) => {
    if (input.agencyId) {
      const agency = await trx.selectFrom("agencies").select("id").where("id", "=", input.agencyId).where("lender_id", "=", staff.lenderId).executeTakeFirst();
      if (!agency) throw new AppError("VALIDATION_FAILED", `agency ${input.agencyId} is not an agency of this lender`, { field: "agencyId" });
    }
    const sameCode = await trx.selectFrom("teams").select("id").where("lender_id", "=", staff.lenderId).where("code", "=", input.code).executeTakeFirst();
    if (sameCode) throw new AppError("CONFLICT", `a team with code ${input.code} exists`, { field: "code" });
    const id = randomUUID();
    const now = context.clock.now();
    await trx
      .insertInto("teams")
      .values({ id, lender_id: staff.lenderId, agency_id: input.agencyId, code: input.code, name: input.name, created_at: now })
      .execute();
    await appendAudit(trx, { actorType: "staff", actorId: staff.userId, action: "team.created", targetType: "team", targetId: id, details: input }, now);
    return id;
  });
}

/** Puts agents in a team (taking them out of any other); an agency's team takes only that agency's agents. */
export async function addTeamMembers(context: AppContext, actor: Actor, teamId: string, userIds: readonly string[]): Promise<void> {
  const staff = lenderManager(actor);
  await context.database.db.transaction().execute(async (trx) => {
    const team = await trx.selectFrom("teams").select(["id", "agency_id"]).where("id", "=", teamId).where("lender_id", "=", staff.lenderId).executeTakeFirst();
    if (!team) throw new AppError("NOT_FOUND", `team ${teamId} not found`);
    const users = await trx
      .selectFrom("staff_users")
      .select(["id", "agency_id", "roles"])
      .where("id", "in", userIds as string[])
      .where("lender_id", "=", staff.lenderId)
      .execute();
    for (const [index, userId] of userIds.entries()) {
      const user = users.find((row) => row.id === userId);
      if (!user?.roles.includes("agent"))
        throw new AppError("VALIDATION_FAILED", `userIds[${index}] ${userId} is not an agent of this lender`, { field: `userIds[${index}]` });
      if (user.agency_id !== team.agency_id)
        throw new AppError("VALIDATION_FAILED", `userIds[${index}] ${userId} is not of the team's ${team.agency_id ? "agency" : "in-house staff"}`, {
          field: `userIds[${index}]`,
        });
    }
    await trx
      .updateTable("staff_users")
      .set({ team_id: teamId })
      .where("id", "in", userIds as string[])
      .execute();
    const now = context.clock.now();
    await appendAudit(
      trx,
      { actorType: "staff", actorId: staff.userId, action: "team.members_added", targetType: "team", targetId: teamId, details: { userIds } },
      now,
    );
  });
}

interface RoutedCase {
  id: string;
  queue_id: string | null;
  assigned_agent_id: string | null;
  agent_team_id: string | null;
  hold_until: string | null;
  locale: string;
  region_code: string | null;
  bucket: string;
  overdue_minor: string;
  product_codes: string[] | null;
}

/**
 * Routes every open case of the lender to its queue, from the case's keys (bucket and overdue
 * amount, kept from its accounts) and the products of its overdue accounts. A case whose queue changed and whose agent is not in the new queue's team goes back to
 * the pool (a held case stays with its agent), so the assignment that follows deals it within
 * the team. Returns how many cases changed queue and how many left their agent.
 */
export async function routeCasesToQueues(
  context: AppContext,
  executor: Executor,
  lenderId: string,
  assignedBy: string | null,
): Promise<{ requeued: number; released: number }> {
  const queueRows = await executor
    .selectFrom("case_queues")
    .select(["id", "code", "priority", "criteria", "team_id"])
    .where("lender_id", "=", lenderId)
    .where("is_active", "=", true)
    .execute();
  const openStatuses = sql`('new','in_progress','promised','promise_broken','plan_requested','plan_active','paused')`;
  if (queueRows.length === 0) {
    // Without queues every case is in the general pool; clear what earlier queues left.
    const cleared = await sql`update collection_cases set queue_id = null
      where lender_id = ${lenderId} and queue_id is not null and status in ${openStatuses}`.execute(executor);
    return { requeued: Number(cleared.numAffectedRows ?? 0n), released: 0 };
  }
  const queues: (CaseQueue & { teamId: string | null })[] = orderQueues(
    queueRows.map((row) => ({ id: row.id, code: row.code, priority: row.priority, criteria: checkedCriteria(row.criteria), teamId: row.team_id })),
  );
  const teamOf = new Map(queues.map((queue) => [queue.id, queue.teamId]));
  const lender = await executor.selectFrom("lenders").select("time_zone").where("id", "=", lenderId).executeTakeFirstOrThrow();
  const today = dateInZone(context.clock.now(), lender.time_zone);
  let cursor = "00000000-0000-0000-0000-000000000000";
  let requeued = 0;
  let released = 0;
  for (let page = 0; page < ROUTE_PAGES_MAX; page += 1) {
    const rows = await sql<RoutedCase>`
      select c.id, c.queue_id, c.assigned_agent_id, u.team_id as agent_team_id, c.hold_until::text as hold_until, b.locale, b.region_code,
             c.bucket, c.overdue_minor::text as overdue_minor,
             (select array_agg(distinct p.code) from loan_accounts l join account_close_state s on s.loan_id = l.id
               join products p on p.id = l.product_id
               where l.borrower_id = c.borrower_id and l.lender_id = c.lender_id and s.overdue_minor > 0) as product_codes
      from collection_cases c
      join borrowers b on b.id = c.borrower_id
      left join staff_users u on u.id = c.assigned_agent_id
      where c.lender_id = ${lenderId} and c.status in ${openStatuses} and c.id > ${cursor}
      order by c.id
      limit ${ROUTE_PAGE_SIZE}`.execute(executor);
    if (rows.rows.length === 0) break;
    cursor = rows.rows.at(-1)?.id ?? cursor;
    const changes: { case_id: string; queue_id: string | null; release: boolean }[] = [];
    for (const row of rows.rows) {
      const queueId = queueFor(
        {
          bucket: row.bucket,
          productCodes: row.product_codes ?? [],
          overdueMinor: BigInt(row.overdue_minor),
          regionCode: row.region_code,
          language: row.locale,
          score: null,
        },
        queues,
      );
      if (queueId === row.queue_id) continue;
      const team = queueId ? (teamOf.get(queueId) ?? null) : null;
      const isHeld = row.hold_until !== null && row.hold_until >= today;
      const release = row.assigned_agent_id !== null && team !== null && row.agent_team_id !== team && !isHeld;
      changes.push({ case_id: row.id, queue_id: queueId, release });
    }
    if (changes.length > 0) {
      const document = JSON.stringify(changes);
      await sql`
        update collection_cases c set queue_id = v.queue_id,
               assigned_agent_id = case when v.release then null else c.assigned_agent_id end,
               assigned_at = case when v.release then ${context.clock.now()} else c.assigned_at end
        from json_to_recordset(${document}::json) as v(case_id uuid, queue_id uuid, release boolean)
        where c.id = v.case_id`.execute(executor);
      const releasedRows = changes.filter((change) => change.release);
      if (releasedRows.length > 0) {
        await sql`
          insert into case_assignments (case_id, borrower_id, agent_id, assigned_at, assigned_by, reason)
          select c.id, c.borrower_id, null, ${context.clock.now()}, ${assignedBy}, 'requeued'
          from json_to_recordset(${JSON.stringify(releasedRows)}::json) as v(case_id uuid)
          join collection_cases c on c.id = v.case_id`.execute(executor);
      }
      requeued += changes.length;
      released += releasedRows.length;
    }
    if (rows.rows.length < ROUTE_PAGE_SIZE) break;
  }
  if (requeued > 0) {
    await appendAudit(
      executor,
      {
        actorType: assignedBy ? "staff" : "system",
        actorId: assignedBy,
        action: "cases.requeued",
        targetType: "lender",
        targetId: lenderId,
        details: { requeued, released },
      },
      context.clock.now(),
    );
  }
  return { requeued, released };
}
