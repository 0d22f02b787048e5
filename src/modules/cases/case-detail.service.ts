// A case as the agent works it (borrower 360°): the borrower, masked by role; the overdue
// accounts as the last close left them; contacts; the contact timeline with gateway decisions;
// promises and restrictions; and what the gateway would say to a call or an SMS right now.
import { sql } from "kysely";
import { type Actor, type CheckedBorrower, dataScopeOf, scopeCondition } from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import { AppError } from "../../platform/errors.js";
import type { KeptValues } from "../../platform/kept-values.js";
import { dateInZone, daysBetween, type PlainDate } from "../../platform/plain-date.js";
import { type AddressView, type BorrowerProfile, type ContactView, getBorrowerFile } from "../borrowers/index.js";
import {
  type AttemptView,
  type ChannelPreview,
  type ContactDecision,
  decideChannelsAt,
  listContactRecord,
  prepareChannelPreview,
  type RestrictionView,
} from "../compliance/index.js";
import { type AllowedNow, type CasePage, casePageBody, casePageHead } from "./domain/case-pages.js";
import { isPageCurrent } from "./domain/queue-pages.js";
import type { SuggestedScript } from "./domain/suggested-script.js";
import { listPromises, type PromiseView } from "./promises.service.js";
import { borrowerFiguresOf, suggestedScriptForCase } from "./suggested-script.service.js";

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
  /** Every phone on file (the borrower's own extra numbers too) with source and verification. */
  contacts: ContactView[];
  /** Addresses with source and verification, masked by role. */
  addresses: AddressView[];
  /** What to say on this case: bucket, last overdue reason, the borrower's own numbers. */
  suggestedScript: SuggestedScript | null;
  attempts: AttemptView[];
  promises: PromiseView[];
  restrictions: RestrictionView[];
  /** Callbacks and next actions: open ones first by due time, then the last done ones. */
  actions: { id: string; kind: string; dueAt: string; note: string | null; doneAt: string | null }[];
  /** What the gateway would decide for a call and an SMS to the borrower now. */
  allowedNow: AllowedNow;
}

interface AccountJson {
  id: string;
  external_ref: string;
  status: string;
  currency: string;
  name: string;
  name_en: string;
  overdue_since: string | null;
  bucket: string | null;
  overdue_minor: string | bigint | null;
  outstanding_minor: string | bigint | null;
}

interface ActionJson {
  id: string;
  kind: string;
  due_at: string;
  note: string | null;
  done_at: string | null;
}

function presentAccount(row: AccountJson, today: PlainDate): CaseAccount {
  return {
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
  };
}

/** A borrower's accounts as the last close left them, with DPD counted to `today`. */
export async function caseAccountsOf(executor: Executor, borrowerId: string, today: PlainDate): Promise<CaseAccount[]> {
  const accounts = await executor
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
  return accounts.map((row) => presentAccount(row, today));
}

/**
 * The case page as a response body: kept between requests while it is current
 * (`domain/case-pages.ts`), or read afresh and kept; what a call or an SMS would get is decided
 * at each request from the kept facts.
 */
export async function caseDetailBody(context: AppContext, pages: KeptValues<CasePage>, actor: Actor, caseId: string): Promise<string> {
  if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
  const nowMs = context.clock.now().getTime();
  const page = await context.changes.readThrough(
    pages,
    [actor.userId, actor.roles.join(","), caseId].join("|"),
    (kept) => isPageCurrent(kept, nowMs, (timeZone) => dateInZone(new Date(nowMs), timeZone)),
    async (): Promise<CasePage> => {
      const read = await readCaseDetail(context, actor, caseId);
      return {
        head: casePageHead(read.detail),
        preview: read.preview,
        // `d:`: a statement that rewrote many cases or accounts of the lender (migration 0025).
        keys: [`c:${caseId}`, `b:${read.detail.borrower.id}`, `u:${actor.userId}`, `d:${actor.lenderId}`],
        today: read.today,
        timeZone: read.timeZone,
        computedAtMs: read.now.getTime(),
        refreshAtMs: read.preview.validUntil?.getTime() ?? Number.POSITIVE_INFINITY,
      };
    },
  );
  return casePageBody(page, allowedNowOf(page.preview, new Date(nowMs)));
}

function allowedNowOf(preview: ChannelPreview, at: Date): AllowedNow {
  const { call, sms } = decideChannelsAt(preview, at, ["call", "sms"]);
  const summary = ({ decision, reasons, nextAllowedAt }: ContactDecision) => ({ decision, reasons, nextAllowedAt });
  return { call: summary(call), sms: summary(sms) };
}

interface CaseRead {
  detail: Omit<CaseDetail, "allowedNow">;
  preview: ChannelPreview;
  now: Date;
  today: PlainDate;
  timeZone: string;
}

async function readCaseDetail(context: AppContext, actor: Actor, caseId: string): Promise<CaseRead> {
  if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
  const { db } = context.database;
  // The case, in the actor's scope, with its accounts and its callbacks in one statement.
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
      "lenders.name as lender_name",
      "lenders.name_en as lender_name_en",
      sql<AccountJson[]>`coalesce((
        select json_agg(json_build_object('id', l.id, 'external_ref', l.external_ref, 'status', l.status, 'currency', l.currency, 'name', p.name,
          'name_en', p.name_en, 'overdue_since', s.overdue_since, 'bucket', s.bucket, 'overdue_minor', s.overdue_minor::text,
          'outstanding_minor', s.outstanding_minor::text) order by l.opened_on, l.id)
        from loan_accounts l join products p on p.id = l.product_id left join account_close_state s on s.loan_id = l.id
        where l.borrower_id = collection_cases.borrower_id), '[]'::json)`.as("accounts"),
      sql<ActionJson[]>`coalesce((
        select json_agg(json_build_object('id', a.id, 'kind', a.kind, 'due_at', a.due_at, 'note', a.note, 'done_at', a.done_at)
                        order by a.done_at is not null, a.due_at, a.id)
        from (select * from case_actions where case_id = collection_cases.id order by done_at is not null, due_at, id limit 50) a), '[]'::json)`.as("actions"),
    ])
    .where("collection_cases.id", "=", caseId)
    .where((eb) => scopeCondition(eb, dataScopeOf(actor), caseColumns))
    .executeTakeFirst();
  if (!found) throw new AppError("NOT_FOUND", `case ${caseId} not found`);
  const borrowerId = found.borrower_id;
  const now = context.clock.now();
  const today = dateInZone(now, found.time_zone);
  const accountViews = found.accounts.map((row) => presentAccount(row, today));
  const requester = { kind: "staff" as const, userId: actor.userId, lenderId: actor.lenderId };
  // The case was found within the actor's scope above, and with it its borrower.
  const checked: CheckedBorrower = { borrowerId, scopeChecked: true };
  const [{ profile: borrower, contacts, addresses }, { attempts, restrictions }, promises, preview, figures] = await Promise.all([
    getBorrowerFile(context, actor, checked),
    listContactRecord(context, dataScopeOf(actor), checked, 50),
    listPromises(context, actor, checked),
    prepareChannelPreview(context, db, requester, { borrowerId, contactId: null, contentClass: "collection", text: null, loanId: null, at: now }, "call"),
    borrowerFiguresOf(context, checked, accountViews),
  ]);
  const suggestedScript = suggestedScriptForCase(figures, {
    attempts,
    borrowerName: borrower.name,
    locale: borrower.locale,
    lender: { name: found.lender_name, name_en: found.lender_name_en },
  });
  const detail: CaseRead["detail"] = {
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
    contacts,
    addresses,
    suggestedScript,
    attempts,
    promises,
    restrictions,
    actions: found.actions.map((row) => ({
      id: row.id,
      kind: row.kind,
      dueAt: new Date(row.due_at).toISOString(),
      note: row.note,
      doneAt: row.done_at === null ? null : new Date(row.done_at).toISOString(),
    })),
  };
  return { detail, preview, now, today, timeZone: found.time_zone };
}
