// Promises to pay in the running system: an agent records one on a case; the daily close checks
// the installments due each business date, in one pass over what is due, and records kept and
// broken promises as account events; the promise-kept rate per agent follows from the rows.
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { appendAudit } from "../../platform/audit/index.js";
import { type Actor, type BorrowerRef, borrowerRef, dataScopeOf, scopeCondition } from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import { AppError } from "../../platform/errors.js";
import { addDays, dateInZone, type PlainDate } from "../../platform/plain-date.js";
import { checkPromise, type PromiseInput, type PromiseInstallment, type PromisePolicy, validatePromise } from "./domain/promise-to-pay.js";

const caseColumns = {
  lender: "collection_cases.lender_id",
  borrower: "collection_cases.borrower_id",
  agency: "collection_cases.agency_id",
  assignedAgent: "collection_cases.assigned_agent_id",
};

export interface PromiseView {
  id: string;
  caseId: string | null;
  loanId: string | null;
  promisedOn: string;
  status: string;
  recordedBy: string | null;
  totalMinor: string;
  installments: { installmentNo: number; dueOn: string; amountMinor: string; status: string; paidMinor: string | null }[];
}

/** The promise, its installments, and the case "promised": the same rows whoever records it. */
async function insertPromise(
  trx: Executor,
  input: {
    found: { id: string; lender_id: string; borrower_id: string };
    loanId: string | null;
    contactAttemptId: string | null;
    promisedOn: PlainDate;
    recordedBy: string | null;
    installments: readonly { installmentNo: number; dueOn: string; amountMinor: bigint }[];
    now: Date;
  },
): Promise<string> {
  const id = randomUUID();
  await trx
    .insertInto("promises_to_pay")
    .values({
      id,
      lender_id: input.found.lender_id,
      borrower_id: input.found.borrower_id,
      case_id: input.found.id,
      loan_id: input.loanId,
      contact_attempt_id: input.contactAttemptId,
      promised_on: input.promisedOn,
      status: "pending",
      recorded_by: input.recordedBy,
      created_at: input.now,
      resolved_on: null,
      cancel_reason: null,
    })
    .execute();
  await trx
    .insertInto("promise_installments")
    .values(
      input.installments.map((installment) => ({
        promise_id: id,
        installment_no: installment.installmentNo,
        due_on: installment.dueOn,
        amount_minor: installment.amountMinor,
        checked_on: null,
      })),
    )
    .execute();
  await trx.updateTable("collection_cases").set({ status: "promised" }).where("id", "=", input.found.id).execute();
  return id;
}

/** Records a promise on a case the actor may work; the case becomes "promised". */
export async function recordPromise(
  context: AppContext,
  actor: Actor,
  caseId: string,
  input: PromiseInput & { loanId: string | null; contactAttemptId: string | null },
): Promise<string> {
  if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
  return context.database.db.transaction().execute(async (trx) => {
    const found = await trx
      .selectFrom("collection_cases")
      .innerJoin("lenders", "lenders.id", "collection_cases.lender_id")
      .select(["collection_cases.id", "collection_cases.borrower_id", "collection_cases.lender_id", "collection_cases.status", "lenders.time_zone"])
      .where("collection_cases.id", "=", caseId)
      .where((eb) => scopeCondition(eb, dataScopeOf(actor), caseColumns))
      .executeTakeFirst();
    if (!found) throw new AppError("NOT_FOUND", `case ${caseId} not found`);
    if (found.status === "resolved" || found.status === "closed") throw new AppError("CONFLICT", `case ${caseId} is ${found.status}`);
    const today = dateInZone(context.clock.now(), found.time_zone);
    const checked = validatePromise(input, today);
    if (!checked.ok) throw new AppError("VALIDATION_FAILED", `${checked.problem.field}: ${checked.problem.message}`, { field: checked.problem.field });
    if (input.loanId) {
      const loan = await trx
        .selectFrom("loan_accounts")
        .select("id")
        .where("id", "=", input.loanId)
        .where("borrower_id", "=", found.borrower_id)
        .executeTakeFirst();
      if (!loan) throw new AppError("VALIDATION_FAILED", `loan ${input.loanId} is not this borrower's`, { field: "loanId" });
    }
    if (input.contactAttemptId) {
      const attempt = await trx
        .selectFrom("contact_attempts")
        .select("id")
        .where("id", "=", input.contactAttemptId)
        .where("borrower_id", "=", found.borrower_id)
        .executeTakeFirst();
      if (!attempt)
        throw new AppError("VALIDATION_FAILED", `contact attempt ${input.contactAttemptId} is not with this borrower`, { field: "contactAttemptId" });
    }
    const now = context.clock.now();
    const id = await insertPromise(trx, {
      found,
      loanId: input.loanId,
      contactAttemptId: input.contactAttemptId,
      promisedOn: today,
      recordedBy: actor.userId,
      installments: checked.installments,
      now,
    });
    await appendAudit(
      trx,
      {
        actorType: "staff",
        actorId: actor.userId,
        action: "promise.recorded",
        targetType: "case",
        targetId: caseId,
        details: {
          promiseId: id,
          installments: checked.installments.map((installment) => ({ dueOn: installment.dueOn, amountMinor: installment.amountMinor })),
        },
      },
      now,
    );
    return id;
  });
}

export async function listPromises(context: AppContext, actor: Actor, borrower: BorrowerRef): Promise<PromiseView[]> {
  const { db } = context.database;
  const { borrowerId, checked } = borrowerRef(borrower);
  const inScope =
    checked ||
    (await db
      .selectFrom("collection_cases")
      .select("id")
      .where("borrower_id", "=", borrowerId)
      .where((eb) => scopeCondition(eb, dataScopeOf(actor), caseColumns))
      .executeTakeFirst());
  if (!inScope) throw new AppError("NOT_FOUND", `borrower ${borrowerId} not found`);
  // Each promise with its installments, in one statement (amounts as text: JSON has no bigint).
  const promises = await db
    .selectFrom("promises_to_pay")
    .leftJoin("staff_users", "staff_users.id", "promises_to_pay.recorded_by")
    .select([
      "promises_to_pay.id",
      "promises_to_pay.case_id",
      "promises_to_pay.loan_id",
      "promises_to_pay.promised_on",
      "promises_to_pay.status",
      "staff_users.username",
      sql<{ installment_no: number; due_on: string; amount_minor: string; status: string; paid_minor: string | null }[]>`coalesce((
        select json_agg(json_build_object('installment_no', i.installment_no, 'due_on', i.due_on, 'amount_minor', i.amount_minor::text,
          'status', i.status, 'paid_minor', i.paid_minor::text) order by i.installment_no)
        from promise_installments i where i.promise_id = promises_to_pay.id), '[]'::json)`.as("installments"),
    ])
    .where("promises_to_pay.borrower_id", "=", borrowerId)
    .orderBy("promises_to_pay.created_at", "desc")
    .limit(100)
    .execute();
  return promises.map((promise) => ({
    id: promise.id,
    caseId: promise.case_id,
    loanId: promise.loan_id,
    promisedOn: promise.promised_on,
    status: promise.status,
    recordedBy: promise.username,
    totalMinor: String(promise.installments.reduce((sum, installment) => sum + BigInt(installment.amount_minor), 0n)),
    installments: promise.installments.map((installment) => ({
      installmentNo: installment.installment_no,
      dueOn: installment.due_on,
      amountMinor: installment.amount_minor,
      status: installment.status,
      paidMinor: installment.paid_minor,
    })),
  }));
}

export interface PromiseCheckCounts {
  promisesKept: number;
  promisesBroken: number;
  promiseInstallmentsChecked: number;
}

/**
 * The close's promise step for one lender and business date: every pending installment whose
 * check day (due date + grace) has come is checked against the borrower's payments since the
 * promise was made. Reads and writes whole sets; running it twice for a date changes nothing.
 */
export async function checkPromisesDue(
  executor: Executor,
  lenderId: string,
  on: PlainDate,
  policy: PromisePolicy,
  runId: string | null,
): Promise<PromiseCheckCounts> {
  const counts: PromiseCheckCounts = { promisesKept: 0, promisesBroken: 0, promiseInstallmentsChecked: 0 };
  const due = await sql<{ promise_id: string }>`
    select distinct i.promise_id from promise_installments i join promises_to_pay p on p.id = i.promise_id
    where i.status = 'pending' and i.due_on <= ${addDays(on, -policy.graceDays)}::date and p.lender_id = ${lenderId} and p.status = 'pending'`.execute(
    executor,
  );
  if (due.rows.length === 0) return counts;
  const promiseIds = due.rows.map((row) => row.promise_id);
  const promises = await executor
    .selectFrom("promises_to_pay")
    .select(["id", "borrower_id", "loan_id", "case_id", "promised_on"])
    .where("id", "in", promiseIds)
    .where("status", "=", "pending")
    .orderBy("id")
    .forUpdate()
    .execute();
  if (promises.length === 0) return counts;
  const lockedIds = promises.map((promise) => promise.id);
  const installments = await executor.selectFrom("promise_installments").selectAll().where("promise_id", "in", lockedIds).orderBy("installment_no").execute();
  const payments = await sql<{ promise_id: string; received_on: string; amount_minor: string }>`
    select p.id as promise_id, pay.received_on::text as received_on, pay.amount_minor::text as amount_minor
    from promises_to_pay p
    join loan_accounts l on l.borrower_id = p.borrower_id and (p.loan_id is null or l.id = p.loan_id)
    join payments pay on pay.loan_id = l.id and pay.received_on >= p.promised_on and pay.received_on <= ${on}::date
    where p.id in (select value::uuid from json_array_elements_text(${JSON.stringify(lockedIds)}::json))
      and not exists (select 1 from payment_reversals r where r.payment_id = pay.id)`.execute(executor);
  const installmentUpdates: { promise_id: string; installment_no: number; status: string; paid_minor: string | null }[] = [];
  const promiseUpdates: { id: string; status: string }[] = [];
  const events: { loan_id: string | null; borrower_id: string; kind: string; details: unknown }[] = [];
  const brokenCases: string[] = [];
  const keptCases: string[] = [];
  for (const promise of promises) {
    const own: PromiseInstallment[] = installments
      .filter((installment) => installment.promise_id === promise.id)
      .map((installment) => ({
        installmentNo: installment.installment_no,
        dueOn: installment.due_on,
        amountMinor: BigInt(installment.amount_minor),
        status: installment.status,
      }));
    const paid = payments.rows.filter((row) => row.promise_id === promise.id);
    const paidThrough = (date: PlainDate) => paid.filter((row) => row.received_on <= date).reduce((sum, row) => sum + BigInt(row.amount_minor), 0n);
    const result = checkPromise(own, paidThrough, on, policy);
    for (const check of result.checks) {
      installmentUpdates.push({
        promise_id: promise.id,
        installment_no: check.installmentNo,
        status: check.status,
        paid_minor: check.paidMinor === null ? null : String(check.paidMinor),
      });
      if (check.status !== "cancelled") counts.promiseInstallmentsChecked += 1;
    }
    if (result.promiseStatus === "pending") continue;
    promiseUpdates.push({ id: promise.id, status: result.promiseStatus });
    const promisedMinor = own.reduce((sum, installment) => sum + installment.amountMinor, 0n);
    const broken = result.checks.find((check) => check.status === "broken");
    events.push({
      loan_id: promise.loan_id,
      borrower_id: promise.borrower_id,
      kind: result.promiseStatus === "kept" ? "promise_kept" : "promise_broken",
      details: {
        promiseId: promise.id,
        promisedMinor: String(promisedMinor),
        ...(broken ? { installmentNo: broken.installmentNo, paidMinor: String(broken.paidMinor) } : {}),
      },
    });
    if (result.promiseStatus === "kept") counts.promisesKept += 1;
    else counts.promisesBroken += 1;
    if (promise.case_id) (result.promiseStatus === "kept" ? keptCases : brokenCases).push(promise.case_id);
  }
  if (installmentUpdates.length > 0) {
    await sql`
      update promise_installments i set status = v.status, paid_minor = v.paid_minor, checked_on = ${on}::date
      from json_to_recordset(${JSON.stringify(installmentUpdates)}::json) as v(promise_id uuid, installment_no smallint, status text, paid_minor bigint)
      where i.promise_id = v.promise_id and i.installment_no = v.installment_no and i.status = 'pending'`.execute(executor);
  }
  if (promiseUpdates.length > 0) {
    await sql`
      update promises_to_pay p set status = v.status, resolved_on = ${on}::date
      from json_to_recordset(${JSON.stringify(promiseUpdates)}::json) as v(id uuid, status text)
      where p.id = v.id and p.status = 'pending'`.execute(executor);
    await sql`
      insert into account_events (lender_id, loan_id, borrower_id, business_date, kind, details, run_id)
      select ${lenderId}, v.loan_id, v.borrower_id, ${on}::date, v.kind, v.details, ${runId}
      from json_to_recordset(${JSON.stringify(events)}::json) as v(loan_id uuid, borrower_id uuid, kind text, details jsonb)`.execute(executor);
  }
  // A broken promise shows on the case; a kept one returns it to work in progress. Cases that
  // moved on meanwhile (a plan, a pause, closed) keep their status.
  if (brokenCases.length > 0) {
    await sql`update collection_cases set status = 'promise_broken'
      where id in (select value::uuid from json_array_elements_text(${JSON.stringify(brokenCases)}::json)) and status = 'promised'`.execute(executor);
  }
  if (keptCases.length > 0) {
    await sql`update collection_cases set status = 'in_progress'
      where id in (select value::uuid from json_array_elements_text(${JSON.stringify(keptCases)}::json)) and status = 'promised'`.execute(executor);
  }
  return counts;
}

export interface PromiseKeptRate {
  agentId: string;
  agent: string;
  made: number;
  kept: number;
  broken: number;
  pending: number;
  /** kept / (kept + broken), null before any promise of the agent was due. */
  keptRate: number | null;
}

/** Promise-kept rate per agent for promises made in [from, to]. */
export async function promiseKeptRates(context: AppContext, lenderId: string, from: PlainDate, to: PlainDate): Promise<PromiseKeptRate[]> {
  const rows = await sql<{ agent_id: string; username: string; made: string; kept: string; broken: string; pending: string }>`
    select u.id as agent_id, u.username, count(*)::text as made,
           count(*) filter (where p.status = 'kept')::text as kept,
           count(*) filter (where p.status = 'broken')::text as broken,
           count(*) filter (where p.status = 'pending')::text as pending
    from promises_to_pay p join staff_users u on u.id = p.recorded_by
    where p.lender_id = ${lenderId} and p.promised_on between ${from}::date and ${to}::date and p.status <> 'cancelled'
    group by u.id, u.username
    order by u.username`.execute(context.database.db);
  return rows.rows.map((row) => {
    const kept = Number(row.kept);
    const broken = Number(row.broken);
    return {
      agentId: row.agent_id,
      agent: row.username,
      made: Number(row.made),
      kept,
      broken,
      pending: Number(row.pending),
      keptRate: kept + broken === 0 ? null : Math.round((kept / (kept + broken)) * 1000) / 1000,
    };
  });
}

/**
 * A promise the borrower made to the voice robot (or another system channel): recorded on their
 * open case with no staff author, under the same rules as an agent's; the case becomes
 * "promised". Returns null, changing nothing, when the case is closed or the promise is not one
 * an agent could record (the robot's outcome is still stored with the message).
 */
export async function recordSystemPromise(
  context: AppContext,
  trx: Executor,
  input: { caseId: string; loanId: string | null; contactAttemptId: string | null; dueOn: string; amountMinor: bigint; source: string },
): Promise<string | null> {
  const found = await trx
    .selectFrom("collection_cases")
    .innerJoin("lenders", "lenders.id", "collection_cases.lender_id")
    .select(["collection_cases.id", "collection_cases.borrower_id", "collection_cases.lender_id", "collection_cases.status", "lenders.time_zone"])
    .where("collection_cases.id", "=", input.caseId)
    .executeTakeFirst();
  if (!found || found.status === "resolved" || found.status === "closed") return null;
  const today = dateInZone(context.clock.now(), found.time_zone);
  const checked = validatePromise({ installments: [{ dueOn: input.dueOn, amountMinor: input.amountMinor.toString() }] }, today);
  if (!checked.ok) return null;
  const now = context.clock.now();
  const id = await insertPromise(trx, {
    found,
    loanId: input.loanId,
    contactAttemptId: input.contactAttemptId,
    promisedOn: today,
    recordedBy: null,
    installments: checked.installments,
    now,
  });
  await appendAudit(
    trx,
    {
      actorType: "system",
      action: "promise.recorded",
      targetType: "case",
      targetId: found.id,
      details: { promiseId: id, source: input.source, installments: [{ dueOn: input.dueOn, amountMinor: input.amountMinor.toString() }] },
    },
    now,
  );
  return id;
}
