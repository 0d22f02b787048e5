// The supervisor's team board (团队看板): for one business date, per agent in the supervisor's
// scope, the cases they hold against their capacity and the day's work — contact attempts,
// connected calls, right-party contacts, promises made, due, kept and broken, and the amount
// recovered — in a handful of grouped queries; and one agent's open cases, for reassignment.
//
// Case counts are as of now (what the agent holds); the day's figures are for the date. A
// payment counts for the agent who holds the borrower's case that was open on the date; a
// promise for the agent who recorded it (as the promise-kept rate does). A reversed payment
// is not recovered.
import { type RawBuilder, sql } from "kysely";
import { type Actor, dataScopeOf } from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import { AppError } from "../../platform/errors.js";
import { addDays, compareDates, dateInZone, daysBetween, isPlainDate, type PlainDate } from "../../platform/plain-date.js";
import { presentBorrowers } from "../borrowers/index.js";
import { PROMISE_HORIZON_DAYS } from "./domain/promise-to-pay.js";
import { type AgentFigures, type BoardAgent, type BoardRow, type BoardTotals, buildTeamBoard } from "./domain/team-board.js";

const openStatusList = sql.raw("('new','in_progress','promised','promise_broken','plan_requested','plan_active','paused')");
/** A limit on every read: no real team has more agents, and the page shows one agent's cases. */
const BOARD_AGENTS_MAX = 2_000;
const AGENT_CASES_MAX = 500;

export interface TeamBoard {
  date: PlainDate;
  timeZone: string;
  currency: string;
  scope: { kind: "lender" | "agency"; agencyId: string | null };
  agents: BoardRow[];
  totals: BoardTotals;
  unassignedCases: number;
}

interface SupervisorScope {
  lenderId: string;
  agencyId: string | null;
  timeZone: string;
  currency: string;
  today: PlainDate;
}

/** Lender-wide staff see every agent; an agency's supervisor only the agency's. */
async function supervisorScope(context: AppContext, actor: Actor): Promise<SupervisorScope> {
  if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
  const scope = dataScopeOf(actor);
  if (scope.kind !== "lender" && scope.kind !== "agency") throw new AppError("FORBIDDEN", "the team board is for supervisors");
  const lender = await context.database.db.selectFrom("lenders").select(["time_zone", "currency"]).where("id", "=", scope.lenderId).executeTakeFirstOrThrow();
  return {
    lenderId: scope.lenderId,
    agencyId: scope.kind === "agency" ? scope.agencyId : null,
    timeZone: lender.time_zone,
    currency: lender.currency.trim(),
    today: dateInZone(context.clock.now(), lender.time_zone),
  };
}

/** The date asked for, or today in the lender's zone; a bad or future date names the field. */
function boardDate(requested: string | undefined, today: PlainDate): PlainDate {
  if (requested === undefined || requested === "") return today;
  if (!isPlainDate(requested)) throw new AppError("VALIDATION_FAILED", `date ${JSON.stringify(requested)} is not a date (YYYY-MM-DD)`, { field: "date" });
  if (compareDates(requested, today) > 0)
    throw new AppError("VALIDATION_FAILED", `date ${requested} is after today (${today}) in the lender's time zone`, { field: "date" });
  return requested;
}

export async function teamBoard(context: AppContext, actor: Actor, requestedDate?: string): Promise<TeamBoard> {
  const scope = await supervisorScope(context, actor);
  const date = boardDate(requestedDate, scope.today);
  const { db } = context.database;
  const { lenderId, agencyId, timeZone } = scope;
  // The agents in scope, as a condition on staff_users u (joined by every figure query below).
  const agentOfScope: RawBuilder<unknown> = sql`u.lender_id = ${lenderId} and 'agent' = any(u.roles) ${agencyId ? sql`and u.agency_id = ${agencyId}` : sql``}`;
  const caseOfScope: RawBuilder<unknown> = sql`c.lender_id = ${lenderId} ${agencyId ? sql`and c.agency_id = ${agencyId}` : sql``}`;
  // The business day as instants: local midnight to the next, in the lender's zone.
  const dayStart = sql`(${date}::date)::timestamp at time zone ${timeZone}`;
  const dayEnd = sql`(${addDays(date, 1)}::date)::timestamp at time zone ${timeZone}`;

  const agents = await sql<{ id: string; username: string; display_name: string; agency_id: string | null; is_active: boolean; case_capacity: number }>`
    select u.id, u.username, u.display_name, u.agency_id, u.is_active, u.case_capacity
    from staff_users u
    where ${agentOfScope}
      and (u.is_active or exists (select 1 from collection_cases c where c.assigned_agent_id = u.id and c.status in ${openStatusList}))
    order by u.username
    limit ${BOARD_AGENTS_MAX}`.execute(db);

  const cases = await sql<{ agent_id: string | null; open_cases: number; held_cases: number }>`
    select c.assigned_agent_id as agent_id, count(*)::int as open_cases,
           count(*) filter (where c.hold_until >= ${date}::date)::int as held_cases
    from collection_cases c
    where ${caseOfScope} and c.status in ${openStatusList}
    group by c.assigned_agent_id`.execute(db);

  // Blocked and deferred attempts never reached anyone: they are not contact attempts made.
  const contacts = await sql<{ agent_id: string; attempts: number; connected: number; rpc: number }>`
    select t.agent_id, count(*) filter (where t.status in ('in_progress', 'sent', 'completed'))::int as attempts,
           count(*) filter (where t.outcome in ('connected', 'conversation'))::int as connected,
           count(*) filter (where t.right_party_contact)::int as rpc
    from staff_users u
    join contact_attempts t on t.agent_id = u.id and t.at >= ${dayStart} and t.at < ${dayEnd}
    where ${agentOfScope} and t.lender_id = ${lenderId}
    group by t.agent_id`.execute(db);

  const promises = await sql<{ agent_id: string; made: number; kept: number; broken: number }>`
    select p.recorded_by as agent_id,
           count(*) filter (where p.promised_on = ${date}::date and p.status <> 'cancelled')::int as made,
           count(*) filter (where p.resolved_on = ${date}::date and p.status = 'kept')::int as kept,
           count(*) filter (where p.resolved_on = ${date}::date and p.status = 'broken')::int as broken
    from staff_users u
    join promises_to_pay p on p.recorded_by = u.id and p.promised_on <= ${date}::date
    where ${agentOfScope} and p.lender_id = ${lenderId} and (p.promised_on = ${date}::date or p.resolved_on = ${date}::date)
    group by p.recorded_by`.execute(db);

  // An installment falls due at most PROMISE_HORIZON_DAYS after its promise was made.
  const promisesDue = await sql<{ agent_id: string; due: number; due_minor: string }>`
    select p.recorded_by as agent_id, count(*)::int as due, coalesce(sum(i.amount_minor), 0)::text as due_minor
    from staff_users u
    join promises_to_pay p on p.recorded_by = u.id
      and p.promised_on between ${addDays(date, -PROMISE_HORIZON_DAYS)}::date and ${date}::date
    join promise_installments i on i.promise_id = p.id and i.due_on = ${date}::date
    where ${agentOfScope} and p.lender_id = ${lenderId} and p.status <> 'cancelled' and i.status <> 'cancelled'
    group by p.recorded_by`.execute(db);

  // Each payment of the day goes to the agent of the borrower's case that was open that day
  // (the latest opened, should there be two), so no payment counts twice.
  const recovered = await sql<{ agent_id: string; payments: number; recovered_minor: string }>`
    select k.agent_id, count(*)::int as payments, sum(pay.amount_minor)::text as recovered_minor
    from payments pay
    join loan_accounts l on l.id = pay.loan_id
    cross join lateral (
      select c.assigned_agent_id as agent_id from collection_cases c
      where c.borrower_id = l.borrower_id and ${caseOfScope} and c.opened_on <= ${date}::date
        and (c.status in ${openStatusList} or c.closed_on >= ${date}::date)
      order by c.opened_on desc, c.created_at desc, c.id desc
      limit 1) k
    join staff_users u on u.id = k.agent_id
    where pay.lender_id = ${lenderId} and pay.received_on = ${date}::date and ${agentOfScope}
      and not exists (select 1 from payment_reversals r where r.payment_id = pay.id)
    group by k.agent_id`.execute(db);

  const figures = new Map<string, Partial<AgentFigures>>();
  const merge = (agentId: string, values: Partial<AgentFigures>) => figures.set(agentId, { ...figures.get(agentId), ...values });
  let unassignedCases = 0;
  for (const row of cases.rows) {
    if (row.agent_id === null) unassignedCases = row.open_cases;
    else merge(row.agent_id, { openCases: row.open_cases, heldCases: row.held_cases });
  }
  for (const row of contacts.rows) merge(row.agent_id, { contactAttempts: row.attempts, connected: row.connected, rightPartyContacts: row.rpc });
  for (const row of promises.rows) merge(row.agent_id, { promisesMade: row.made, promisesKept: row.kept, promisesBroken: row.broken });
  for (const row of promisesDue.rows) merge(row.agent_id, { promisesDue: row.due, promisedDueMinor: BigInt(row.due_minor) });
  for (const row of recovered.rows) merge(row.agent_id, { paymentsRecovered: row.payments, recoveredMinor: BigInt(row.recovered_minor) });

  const boardAgents: BoardAgent[] = agents.rows.map((row) => ({
    agentId: row.id,
    username: row.username,
    displayName: row.display_name,
    agencyId: row.agency_id,
    isActive: row.is_active,
    capacity: row.case_capacity,
  }));
  const board = buildTeamBoard(boardAgents, figures);
  return {
    date,
    timeZone,
    currency: scope.currency,
    scope: { kind: agencyId ? "agency" : "lender", agencyId },
    agents: board.rows,
    totals: board.totals,
    unassignedCases,
  };
}

export interface AgentCase {
  id: string;
  borrowerId: string;
  borrowerName: string | null;
  phoneMasked: string;
  status: string;
  openedOn: string;
  holdUntil: string | null;
  isHeld: boolean;
  overdueMinor: string;
  daysPastDueMax: number;
  bucket: string;
  lastContactAt: string | null;
}

/** One agent's open cases (or the unassigned pool), most overdue first, for reassignment. */
export async function listAgentCases(context: AppContext, actor: Actor, agentId: string | "unassigned"): Promise<AgentCase[]> {
  const scope = await supervisorScope(context, actor);
  const { db } = context.database;
  const { lenderId, agencyId } = scope;
  if (agentId !== "unassigned") {
    const agent = await db
      .selectFrom("staff_users")
      .select("id")
      .where("id", "=", agentId)
      .where("lender_id", "=", lenderId)
      .$if(agencyId !== null, (query) => query.where("agency_id", "=", agencyId as string))
      .executeTakeFirst();
    if (!agent) throw new AppError("NOT_FOUND", `agent ${agentId} not found`);
  }
  const rows = await sql<{
    id: string;
    borrower_id: string;
    status: string;
    opened_on: string;
    hold_until: string | null;
    overdue_minor: string;
    overdue_since: string | null;
    bucket: string;
    last_contact_at: Date | null;
  }>`
    select c.id, c.borrower_id, c.status, c.opened_on::text as opened_on, c.hold_until::text as hold_until,
           c.overdue_minor::text as overdue_minor, c.overdue_since::text as overdue_since, c.bucket,
           (select max(t.at) from contact_attempts t where t.borrower_id = c.borrower_id and t.status in ('in_progress', 'sent', 'completed')) as last_contact_at
    from collection_cases c
    where c.lender_id = ${lenderId} ${agencyId ? sql`and c.agency_id = ${agencyId}` : sql``}
      and c.status in ${openStatusList}
      and ${agentId === "unassigned" ? sql`c.assigned_agent_id is null` : sql`c.assigned_agent_id = ${agentId}`}
    order by c.overdue_since asc nulls last, c.opened_on, c.id
    limit ${AGENT_CASES_MAX}`.execute(db);
  const roles = actor.type === "staff" ? actor.roles : [];
  const borrowers = await presentBorrowers(context, db, roles, [...new Set(rows.rows.map((row) => row.borrower_id))]);
  return rows.rows.map((row) => ({
    id: row.id,
    borrowerId: row.borrower_id,
    borrowerName: borrowers.get(row.borrower_id)?.name ?? null,
    phoneMasked: borrowers.get(row.borrower_id)?.phoneMasked ?? "",
    status: row.status,
    openedOn: row.opened_on,
    holdUntil: row.hold_until,
    isHeld: row.hold_until !== null && compareDates(row.hold_until, scope.today) >= 0,
    overdueMinor: row.overdue_minor,
    daysPastDueMax: row.overdue_since ? Math.max(0, daysBetween(row.overdue_since, scope.today)) : 0,
    bucket: row.bucket,
    lastContactAt: row.last_contact_at ? new Date(row.last_contact_at).toISOString() : null,
  }));
}
