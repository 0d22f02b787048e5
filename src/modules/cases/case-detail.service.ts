// A case as the agent works it (borrower 360°): the borrower, masked by role; the overdue
// accounts as the last close left them; contacts; the contact timeline with gateway decisions;
// promises and restrictions; and what the gateway would say to a call or an SMS right now.
import { sql } from "kysely";
import { type Actor, dataScopeOf, scopeCondition } from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import { AppError } from "../../platform/errors.js";
import { dateInZone, daysBetween } from "../../platform/plain-date.js";
import { type BorrowerProfile, getBorrowerProfile } from "../borrowers/index.js";
import { type AttemptView, type ContactDecision, listAttempts, listRestrictions, previewContact, type RestrictionView } from "../compliance/index.js";
import { listPromises, type PromiseView } from "./promises.service.js";

const caseColumns = {
  lender: "collection_cases.lender_id",
  borrower: "collection_cases.borrower_id",
  agency: "collection_cases.agency_id",
  assignedAgent: "collection_cases.assigned_agent_id",
};

export interface CaseAccount {
  loanId: string;
  externalRef: string;
  product: string;
  productEn: string;
  status: string;
  daysPastDue: number;
  bucket: string;
  overdueMinor: string;
  outstandingMinor: string;
  currency: string;
}

export interface CaseDetail {
  id: string;
  status: string;
  openedOn: string;
  assignedAgent: string | null;
  holdUntil: string | null;
  borrower: BorrowerProfile;
  accounts: CaseAccount[];
  totals: { overdueMinor: string; outstandingMinor: string; daysPastDueMax: number };
  contacts: { id: string; kind: string; relationship: string | null; phoneMasked: string; isPreAgreed: boolean; hasRefused: boolean; verification: string }[];
  attempts: AttemptView[];
  promises: PromiseView[];
  restrictions: RestrictionView[];
  /** Callbacks and next actions: open ones first by due time, then the last done ones. */
  actions: { id: string; kind: string; dueAt: string; note: string | null; doneAt: string | null }[];
  /** What the gateway would decide for a call and an SMS to the borrower now. */
  allowedNow: { call: Pick<ContactDecision, "decision" | "reasons" | "nextAllowedAt">; sms: Pick<ContactDecision, "decision" | "reasons" | "nextAllowedAt"> };
}

export async function getCaseDetail(context: AppContext, actor: Actor, caseId: string): Promise<CaseDetail> {
  if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
  const { db } = context.database;
  const found = await db
    .selectFrom("collection_cases")
    .innerJoin("lenders", "lenders.id", "collection_cases.lender_id")
    .leftJoin("staff_users", "staff_users.id", "collection_cases.assigned_agent_id")
    .select([
      "collection_cases.id",
      "collection_cases.borrower_id",
      "collection_cases.status",
      "collection_cases.opened_on",
      "collection_cases.hold_until",
      "staff_users.display_name as agent_name",
      "lenders.time_zone",
    ])
    .where("collection_cases.id", "=", caseId)
    .where((eb) => scopeCondition(eb, dataScopeOf(actor), caseColumns))
    .executeTakeFirst();
  if (!found) throw new AppError("NOT_FOUND", `case ${caseId} not found`);
  const borrowerId = found.borrower_id;
  const today = dateInZone(context.clock.now(), found.time_zone);
  const accounts = await db
    .selectFrom("loan_accounts as l")
    .innerJoin("products as p", "p.id", "l.product_id")
    .leftJoin("account_close_state as s", "s.loan_id", "l.id")
    .select([
      "l.id",
      "l.external_ref",
      "l.status",
      "l.currency",
      "p.name",
      "p.name_en",
      "s.overdue_since",
      "s.bucket",
      "s.overdue_minor",
      "s.outstanding_minor",
    ])
    .where("l.borrower_id", "=", borrowerId)
    .orderBy("l.opened_on")
    .execute();
  const accountViews: CaseAccount[] = accounts.map((row) => ({
    loanId: row.id,
    externalRef: row.external_ref,
    product: row.name,
    productEn: row.name_en,
    status: row.status,
    // DPD is stored as the day it counts from, so it is right today without a close.
    daysPastDue: row.overdue_since ? Math.max(0, daysBetween(row.overdue_since, today)) : 0,
    bucket: row.bucket ?? "M0",
    overdueMinor: String(row.overdue_minor ?? 0),
    outstandingMinor: String(row.outstanding_minor ?? 0),
    currency: row.currency,
  }));
  const contacts = await db
    .selectFrom("borrower_contacts")
    .select(["id", "kind", "relationship", "phone_masked", "is_pre_agreed", "has_refused", "verification"])
    .where("borrower_id", "=", borrowerId)
    .where("kind", "<>", "self")
    .orderBy("created_at")
    .execute();
  const actions = await db
    .selectFrom("case_actions")
    .select(["id", "kind", "due_at", "note", "done_at"])
    .where("case_id", "=", caseId)
    .orderBy(sql`done_at is not null`)
    .orderBy("due_at")
    .limit(50)
    .execute();
  const scope = dataScopeOf(actor);
  const requester = { kind: "staff" as const, userId: actor.userId, lenderId: actor.lenderId };
  const now = context.clock.now();
  const preview = async (channel: "call" | "sms") => {
    const decision = await previewContact(context, db, requester, {
      borrowerId,
      contactId: null,
      channel,
      contentClass: "collection",
      text: null,
      loanId: null,
      at: now,
    });
    return { decision: decision.decision, reasons: decision.reasons, nextAllowedAt: decision.nextAllowedAt };
  };
  const [borrower, attempts, promises, restrictions, call, sms] = await Promise.all([
    getBorrowerProfile(context, actor, borrowerId),
    listAttempts(context, scope, borrowerId, 50),
    listPromises(context, actor, borrowerId),
    listRestrictions(context, scope, borrowerId),
    preview("call"),
    preview("sms"),
  ]);
  return {
    id: found.id,
    status: found.status,
    openedOn: found.opened_on,
    assignedAgent: found.agent_name,
    holdUntil: found.hold_until,
    borrower,
    accounts: accountViews,
    totals: {
      overdueMinor: String(accountViews.reduce((sum, account) => sum + BigInt(account.overdueMinor), 0n)),
      outstandingMinor: String(accountViews.reduce((sum, account) => sum + BigInt(account.outstandingMinor), 0n)),
      daysPastDueMax: Math.max(0, ...accountViews.map((account) => account.daysPastDue)),
    },
    contacts: contacts.map((row) => ({
      id: row.id,
      kind: row.kind,
      relationship: row.relationship,
      phoneMasked: row.phone_masked,
      isPreAgreed: row.is_pre_agreed,
      hasRefused: row.has_refused,
      verification: row.verification,
    })),
    attempts,
    promises,
    restrictions,
    actions: actions.map((row) => ({
      id: row.id,
      kind: row.kind,
      dueAt: row.due_at.toISOString(),
      note: row.note,
      doneAt: row.done_at?.toISOString() ?? null,
    })),
    allowedNow: { call, sms },
  };
}
