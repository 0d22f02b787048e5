// A case's figures for a message to the borrower (a template rendered with their own numbers):
// the same overdue amount, DPD and penalty the suggested script uses, the borrower's name as
// the reader's role sees it, and the dates a reminder names. Scoped like the case page.
import { type Actor, dataScopeOf, scopeCondition } from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import { AppError } from "../../platform/errors.js";
import { addDays, dateInZone } from "../../platform/plain-date.js";
import { getBorrowerProfile } from "../borrowers/index.js";
import { caseAccountsOf } from "./case-detail.service.js";
import { borrowerFiguresOf } from "./suggested-script.service.js";

export interface CaseFigures {
  caseId: string;
  borrowerId: string;
  /** As the reader's role may see it (agents: in full). */
  borrowerName: string | null;
  locale: string;
  currency: string;
  overdueMinor: bigint;
  daysPastDue: number;
  penaltySoFarMinor: bigint;
  /** The next installment not yet paid nor overdue; null when none is left. */
  nextDueOn: string | null;
  /** The due date of the oldest unpaid installment; null when nothing is overdue. */
  overdueSinceOn: string | null;
}

export async function caseFiguresFor(context: AppContext, actor: Actor, caseId: string): Promise<CaseFigures> {
  if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
  const { db } = context.database;
  const found = await db
    .selectFrom("collection_cases")
    .innerJoin("lenders", "lenders.id", "collection_cases.lender_id")
    .select(["collection_cases.id", "collection_cases.borrower_id", "lenders.time_zone", "lenders.currency"])
    .where("collection_cases.id", "=", caseId)
    .where((eb) =>
      scopeCondition(eb, dataScopeOf(actor), {
        lender: "collection_cases.lender_id",
        borrower: "collection_cases.borrower_id",
        agency: "collection_cases.agency_id",
        assignedAgent: "collection_cases.assigned_agent_id",
      }),
    )
    .executeTakeFirst();
  if (!found) throw new AppError("NOT_FOUND", `case ${caseId} not found`);
  // The case was found within the actor's scope, and with it its borrower.
  const today = dateInZone(context.clock.now(), found.time_zone);
  const accounts = await caseAccountsOf(db, found.borrower_id, today);
  const [figures, borrower] = await Promise.all([
    borrowerFiguresOf(context, { borrowerId: found.borrower_id, scopeChecked: true }, accounts),
    getBorrowerProfile(context, actor, found.borrower_id),
  ]);
  const facts = figures?.facts;
  return {
    caseId: found.id,
    borrowerId: found.borrower_id,
    borrowerName: borrower.name,
    locale: borrower.locale,
    currency: facts?.currency ?? found.currency,
    overdueMinor: facts?.overdueMinor ?? 0n,
    daysPastDue: facts?.daysPastDue ?? 0,
    penaltySoFarMinor: facts?.penaltySoFarMinor ?? 0n,
    nextDueOn: facts?.nextDueOn ?? null,
    overdueSinceOn: facts && facts.daysPastDue > 0 ? addDays(today, -facts.daysPastDue) : null,
  };
}
