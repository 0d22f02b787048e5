// Collection cases as the foundation knows them: listed through the caller's data scope, so an
// agent sees only cases assigned to them and an agency only its own. Queues, assignment rules
// and the workbench build on this with the case-work capability.
import { randomUUID } from "node:crypto";
import { type Actor, dataScopeOf, scopeCondition } from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import type { CaseStatus, Executor } from "../../platform/db/index.js";
import { presentBorrowers } from "../borrowers/index.js";

const caseColumns = {
  lender: "collection_cases.lender_id",
  borrower: "collection_cases.borrower_id",
  agency: "collection_cases.agency_id",
  assignedAgent: "collection_cases.assigned_agent_id",
};
const openStatuses: CaseStatus[] = ["new", "in_progress", "promised", "promise_broken", "plan_requested", "plan_active", "paused"];

export interface CaseListItem {
  id: string;
  borrowerId: string;
  borrowerName: string | null;
  phoneMasked: string;
  status: CaseStatus;
  openedOn: string;
  assignedAgent: string | null;
}

export async function listCases(context: AppContext, actor: Actor, limit = 100): Promise<CaseListItem[]> {
  return listCasesWhere(context, actor, limit, null);
}

/** The cases of these borrowers that the actor may see (search results). */
export async function listCasesOfBorrowers(context: AppContext, actor: Actor, borrowerIds: readonly string[]): Promise<CaseListItem[]> {
  if (borrowerIds.length === 0) return [];
  return listCasesWhere(context, actor, 100, borrowerIds);
}

async function listCasesWhere(context: AppContext, actor: Actor, limit: number, borrowerIds: readonly string[] | null): Promise<CaseListItem[]> {
  const { db } = context.database;
  const rows = await db
    .selectFrom("collection_cases")
    .leftJoin("staff_users", "staff_users.id", "collection_cases.assigned_agent_id")
    .select([
      "collection_cases.id",
      "collection_cases.borrower_id",
      "collection_cases.status",
      "collection_cases.opened_on",
      "staff_users.display_name as agent_name",
    ])
    .where((eb) => scopeCondition(eb, dataScopeOf(actor), caseColumns))
    .$if(borrowerIds !== null, (query) => query.where("collection_cases.borrower_id", "in", borrowerIds as string[]))
    .orderBy("collection_cases.opened_on")
    .orderBy("collection_cases.id")
    .limit(Math.min(Math.max(limit, 1), 500))
    .execute();
  const roles = actor.type === "staff" ? actor.roles : [];
  const borrowers = await presentBorrowers(context, db, roles, [...new Set(rows.map((row) => row.borrower_id))]);
  return rows.map((row) => ({
    id: row.id,
    borrowerId: row.borrower_id,
    borrowerName: borrowers.get(row.borrower_id)?.name ?? null,
    phoneMasked: borrowers.get(row.borrower_id)?.phoneMasked ?? "",
    status: row.status,
    openedOn: row.opened_on,
    assignedAgent: row.agent_name,
  }));
}

export interface HomeSummary {
  lender: { name: string; nameEn: string };
  counts: { borrowers: number; loanAccounts: number; openCases: number; myCases: number };
}

export async function homeSummary(context: AppContext, actor: Actor): Promise<HomeSummary> {
  if (actor.type !== "staff") throw new Error("home summary is for staff");
  const { db } = context.database;
  const scope = dataScopeOf(actor);
  const lender = await db.selectFrom("lenders").select(["name", "name_en"]).where("id", "=", actor.lenderId).executeTakeFirstOrThrow();
  const count = (value: string | number | bigint) => Number(value);
  const borrowers = await db
    .selectFrom("borrowers")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where((eb) =>
      scope.kind === "lender"
        ? eb("lender_id", "=", scope.lenderId)
        : eb(
            "id",
            "in",
            eb
              .selectFrom("collection_cases")
              .select("borrower_id")
              .where((inner) => scopeCondition(inner, scope, caseColumns)),
          ),
    )
    .executeTakeFirstOrThrow();
  const loanAccounts = await db
    .selectFrom("loan_accounts")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where((eb) =>
      scope.kind === "lender"
        ? eb("lender_id", "=", scope.lenderId)
        : eb(
            "borrower_id",
            "in",
            eb
              .selectFrom("collection_cases")
              .select("borrower_id")
              .where((inner) => scopeCondition(inner, scope, caseColumns)),
          ),
    )
    .executeTakeFirstOrThrow();
  const openCases = await db
    .selectFrom("collection_cases")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where((eb) => scopeCondition(eb, scope, caseColumns))
    .where("status", "in", openStatuses)
    .executeTakeFirstOrThrow();
  const myCases = await db
    .selectFrom("collection_cases")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("assigned_agent_id", "=", actor.userId)
    .where("status", "in", openStatuses)
    .executeTakeFirstOrThrow();
  return {
    lender: { name: lender.name, nameEn: lender.name_en },
    counts: { borrowers: count(borrowers.count), loanAccounts: count(loanAccounts.count), openCases: count(openCases.count), myCases: count(myCases.count) },
  };
}

export interface NewCase {
  lenderId: string;
  borrowerId: string;
  agencyId: string | null;
  assignedAgentId: string | null;
  status: CaseStatus;
  openedOn: string;
}

export async function openCases(context: AppContext, executor: Executor, cases: readonly NewCase[]): Promise<void> {
  if (cases.length === 0) return;
  const now = context.clock.now();
  await executor
    .insertInto("collection_cases")
    .values(
      cases.map((item) => ({
        id: randomUUID(),
        lender_id: item.lenderId,
        borrower_id: item.borrowerId,
        agency_id: item.agencyId,
        assigned_agent_id: item.assignedAgentId,
        status: item.status,
        opened_on: item.openedOn,
        created_at: now,
      })),
    )
    .execute();
}
