// Loans with their contracted schedules, payments with idempotency keys, returned payments,
// and the ledger kept equal to what the statement engine says. Every write here is audited in
// the same transaction and runs under a per-loan lock inside syncLedger.
import { createHash, randomUUID } from "node:crypto";
import { sql } from "kysely";
import { appendAudit } from "../../platform/audit/index.js";
import { type Actor, type CheckedBorrower, dataScopeOf } from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import { AppError } from "../../platform/errors.js";
import { formatMinor, parseMinor } from "../../platform/money.js";
import { addDays, compareDates, dateInZone, isPlainDate, type PlainDate } from "../../platform/plain-date.js";
import { isBorrowerInScope } from "../borrowers/index.js";
import { balancesAsOf, syncLedger } from "../ledger/index.js";
import { openCardAccount, syncCardLedger } from "./card-accounts.service.js";
import { ledgerEventsWithPending } from "./domain/ledger-events.js";
import { buildStatement, type LoanFacts, type LoanStatement, type PaymentFact, quotePayoff, replayLoan } from "./domain/loan-statement.js";
import { buildSchedule, type ScheduleMethod } from "./domain/schedule.js";
import { encodeFacts, encodeSnapshot } from "./domain/snapshot-codec.js";
import { decodeTerms } from "./domain/terms-codec.js";

export interface LoanRecord {
  id: string;
  lenderId: string;
  borrowerId: string;
  currency: string;
  timeZone: string;
  facts: LoanFacts;
}

interface LoanRow {
  principal_minor: bigint;
  currency: string;
  opened_on: PlainDate;
  annual_rate: string | null;
  product_rate: string;
  terms: unknown;
}

interface InstallmentRow {
  number: number;
  due_date: PlainDate;
  principal_minor: bigint;
  interest_minor: bigint;
}

/** A loan's contract as the statement engine takes it, from its row and its installments. */
function factsOf(row: LoanRow, installments: readonly InstallmentRow[]): LoanFacts {
  return {
    principalMinor: row.principal_minor,
    annualRatePercent: row.annual_rate ?? row.product_rate,
    startDate: row.opened_on,
    terms: decodeTerms(row.terms, row.currency),
    installments: installments.map((item) => ({
      number: item.number,
      dueDate: item.due_date,
      principalMinor: item.principal_minor,
      interestMinor: item.interest_minor,
      paymentMinor: item.principal_minor + item.interest_minor,
      remainingPrincipalMinor: 0n,
    })),
  };
}

export async function loadLoan(executor: Executor, loanId: string): Promise<LoanRecord> {
  const row = await executor
    .selectFrom("loan_accounts")
    .innerJoin("products", "products.id", "loan_accounts.product_id")
    .innerJoin("lenders", "lenders.id", "loan_accounts.lender_id")
    .select([
      "loan_accounts.id",
      "loan_accounts.lender_id",
      "loan_accounts.borrower_id",
      "loan_accounts.principal_minor",
      "loan_accounts.currency",
      "loan_accounts.opened_on",
      "loan_accounts.annual_rate",
      "products.annual_rate as product_rate",
      "products.terms",
      "lenders.time_zone",
    ])
    .where("loan_accounts.id", "=", loanId)
    .executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", `loan ${loanId} not found`);
  const installments = await executor.selectFrom("loan_installments").selectAll().where("loan_id", "=", loanId).orderBy("number").execute();
  if (installments.length === 0) throw new AppError("CONFLICT", `account ${loanId} is a credit-card account: read its card statement`, { cardAccount: true });
  return {
    id: row.id,
    lenderId: row.lender_id,
    borrowerId: row.borrower_id,
    currency: row.currency,
    timeZone: row.time_zone,
    facts: factsOf(row, installments),
  };
}

/**
 * The statements as of the lender's business day of some of a borrower's installment loans, in
 * one statement: each loan with its installments and its payments not returned. The borrower
 * comes checked against the reader's scope; credit-card accounts have no installment statement
 * and are left out.
 */
export async function loanStatementsOf(
  context: AppContext,
  executor: Executor,
  borrower: CheckedBorrower,
  loanIds: readonly string[],
): Promise<Map<string, LoanStatement>> {
  const statements = new Map<string, LoanStatement>();
  if (loanIds.length === 0) return statements;
  const result = await sql<{
    id: string;
    principal_minor: string;
    currency: string;
    opened_on: PlainDate;
    annual_rate: string | null;
    product_rate: string;
    terms: unknown;
    time_zone: string;
    installments: { number: number; due_date: PlainDate; principal_minor: string; interest_minor: string }[];
    payments: { id: string; received_on: PlainDate; amount_minor: string; purpose: PaymentFact["purpose"] }[];
  }>`
    select l.id, l.principal_minor::text as principal_minor, l.currency, l.opened_on::text as opened_on, l.annual_rate::text as annual_rate,
      p.annual_rate::text as product_rate, p.terms, k.time_zone,
      coalesce((select json_agg(json_build_object('number', i.number, 'due_date', i.due_date, 'principal_minor', i.principal_minor::text,
                 'interest_minor', i.interest_minor::text) order by i.number)
                from loan_installments i where i.loan_id = l.id), '[]'::json) as installments,
      coalesce((select json_agg(json_build_object('id', y.id, 'received_on', y.received_on, 'amount_minor', y.amount_minor::text, 'purpose', y.purpose)
                 order by y.received_on, y.id)
                from payments y where y.loan_id = l.id and not exists (select 1 from payment_reversals r where r.payment_id = y.id)), '[]'::json) as payments
    from loan_accounts l join products p on p.id = l.product_id join lenders k on k.id = l.lender_id
    where l.borrower_id = ${borrower.borrowerId} and l.id = any(${[...loanIds]}::uuid[])`.execute(executor);
  for (const row of result.rows) {
    if (row.installments.length === 0) continue;
    const facts = factsOf(
      { ...row, principal_minor: BigInt(row.principal_minor) },
      row.installments.map((item) => ({ ...item, principal_minor: BigInt(item.principal_minor), interest_minor: BigInt(item.interest_minor) })),
    );
    const payments = row.payments.map((item) => ({ id: item.id, receivedOn: item.received_on, amountMinor: BigInt(item.amount_minor), purpose: item.purpose }));
    statements.set(row.id, buildStatement(facts, payments, businessToday(context, row.time_zone)));
  }
  return statements;
}

export async function loadPayments(executor: Executor, loanId: string): Promise<PaymentFact[]> {
  const rows = await executor
    .selectFrom("payments")
    .leftJoin("payment_reversals", "payment_reversals.payment_id", "payments.id")
    .select(["payments.id", "payments.received_on", "payments.amount_minor", "payments.purpose"])
    .where("payments.loan_id", "=", loanId)
    .where("payment_reversals.payment_id", "is", null)
    .orderBy("payments.received_on")
    .orderBy("payments.id")
    .execute();
  return rows.map((row) => ({ id: row.id, receivedOn: row.received_on, amountMinor: row.amount_minor, purpose: row.purpose }));
}

/**
 * The earliest next-event date written outside the daily close: the day asked for, or the
 * lender's first unclosed date if that day is already closed. The close scans from its last
 * closed date (close.repository#readAccounts), so nothing set this way is missed, and a
 * payment received on a closed date is applied by the next close.
 */
function nextEventFloor(lenderId: string, date: PlainDate) {
  return sql<string>`greatest(${date}::date, coalesce((select closed_through + 1 from lenders where id = ${lenderId}), ${date}::date))`;
}

export function businessToday(context: AppContext, timeZone: string): PlainDate {
  return dateInZone(context.clock.now(), timeZone);
}

/** Brings the loan's ledger to what its statement says on `asOf`. */
export async function syncLoanLedger(context: AppContext, executor: Executor, loanId: string, asOf: PlainDate, reasonCode: string): Promise<LoanStatement> {
  // The close-state row is locked first: the daily close locks the same rows, never the other way round.
  await sql`select 1 from account_close_state where loan_id = ${loanId} for update`.execute(executor);
  const loan = await loadLoan(executor, loanId);
  const run = replayLoan(loan.facts, await loadPayments(executor, loanId), asOf);
  const statement = run.statement(asOf);
  const { events, pending } = ledgerEventsWithPending(loan.facts, statement);
  await syncLedger(executor, { lenderId: loan.lenderId, loanId, currency: loan.currency, recordedAt: context.clock.now() }, events, reasonCode);
  const allPaid = statement.installments.every((installment) => installment.status === "paid");
  // The daily close resumes from here and looks at the account again on this day. A new row
  // starts with the account as it is now, so its first close reports changes, not history.
  const snapshot = run.snapshot(pending);
  const outstandingMinor = statement.outstanding.fee + statement.outstanding.penalty + statement.outstanding.interest + statement.principalOutstandingMinor;
  const productId = await executor.selectFrom("loan_accounts").select("product_id").where("id", "=", loanId).executeTakeFirstOrThrow();
  await sql`
    insert into account_close_state (loan_id, lender_id, borrower_id, product_id, facts, state, state_on, next_event_on,
                                     overdue_since, dpd, bucket, status, overdue_minor, outstanding_minor)
    values (${loanId}, ${loan.lenderId}, ${loan.borrowerId}, ${productId.product_id}, ${JSON.stringify(encodeFacts(loan.facts))}::json,
            ${JSON.stringify(encodeSnapshot(snapshot))}::json, ${snapshot.on}::date, ${nextEventFloor(loan.lenderId, snapshot.on)},
            ${statement.daysPastDue > 0 ? addDays(asOf, -statement.daysPastDue) : null}::date, ${statement.daysPastDue}, ${statement.bucket},
            ${allPaid ? "paid_off" : statement.daysPastDue > 0 ? "overdue" : "current"}, ${String(statement.overdueMinor)}::bigint, ${String(outstandingMinor)}::bigint)
    on conflict (loan_id) do update set state = excluded.state, state_on = excluded.state_on,
      overdue_minor = excluded.overdue_minor, outstanding_minor = excluded.outstanding_minor,
      next_event_on = least(account_close_state.next_event_on, excluded.next_event_on)`.execute(executor);
  const status = allPaid ? "paid_off" : statement.daysPastDue > 0 ? "overdue" : "active";
  await executor.updateTable("loan_accounts").set({ status, ledger_synced_on: asOf }).where("id", "=", loanId).execute();
  return statement;
}

/** Brings any account's ledger up to date: an installment loan through its statement, a card through its card state. */
export async function syncAccountLedger(context: AppContext, executor: Executor, loanId: string, asOf: PlainDate, reasonCode: string): Promise<void> {
  const account = await loadAccountBasics(executor, loanId);
  if (account.isCard) await syncCardLedger(context, executor, loanId, asOf, reasonCode);
  else await syncLoanLedger(context, executor, loanId, asOf, reasonCode);
}

export interface NewLoan {
  lenderId: string;
  borrowerId: string;
  productId: string;
  externalRef: string;
  principalMinor: bigint;
  openedOn: PlainDate;
}

/** Opens a loan on a product: schedule from the product's method, term and rate; disbursement posted. */
export async function openLoan(
  context: AppContext,
  executor: Executor,
  input: NewLoan,
  audit: { actorType: "staff" | "system"; actorId: string | null },
  options: { syncLedger?: boolean } = {},
): Promise<string> {
  const product = await executor
    .selectFrom("products")
    .selectAll()
    .where("id", "=", input.productId)
    .where("lender_id", "=", input.lenderId)
    .executeTakeFirst();
  if (!product) throw new AppError("VALIDATION_FAILED", `product ${input.productId} does not exist for this lender`, { field: "productId" });
  if (!isPlainDate(input.openedOn)) throw new AppError("VALIDATION_FAILED", `openedOn ${JSON.stringify(input.openedOn)} is not a date`, { field: "openedOn" });
  if (product.repayment_method === "credit_card") return openCardAccount(context, executor, input, product.currency, audit);
  const schedule = buildSchedule({
    principalMinor: input.principalMinor,
    annualRatePercent: product.annual_rate,
    months: product.term_months,
    method: product.repayment_method as ScheduleMethod,
    startDate: input.openedOn,
  });
  const id = randomUUID();
  await executor
    .insertInto("loan_accounts")
    .values({
      id,
      lender_id: input.lenderId,
      borrower_id: input.borrowerId,
      product_id: input.productId,
      external_ref: input.externalRef,
      principal_minor: input.principalMinor,
      currency: product.currency,
      opened_on: input.openedOn,
      status: "active",
      annual_rate: product.annual_rate,
      term_months: product.term_months,
      repayment_method: product.repayment_method,
      created_at: context.clock.now(),
    })
    .execute();
  await executor
    .insertInto("loan_installments")
    .values(
      schedule.map((item) => ({
        loan_id: id,
        number: item.number,
        due_date: item.dueDate,
        principal_minor: item.principalMinor,
        interest_minor: item.interestMinor,
      })),
    )
    .execute();
  if (options.syncLedger !== false) {
    const lender = await executor.selectFrom("lenders").select("time_zone").where("id", "=", input.lenderId).executeTakeFirstOrThrow();
    const today = businessToday(context, lender.time_zone);
    await syncLoanLedger(context, executor, id, compareDates(today, input.openedOn) < 0 ? input.openedOn : today, "opened");
  }
  await appendAudit(
    executor,
    {
      ...audit,
      action: "loan.opened",
      targetType: "loan",
      targetId: id,
      details: { externalRef: input.externalRef, principal: formatMinor(input.principalMinor, product.currency), openedOn: input.openedOn },
    },
    context.clock.now(),
  );
  return id;
}

export async function assertLoanInScope(executor: Executor, actor: Actor, loanId: string): Promise<void> {
  const loan = await executor.selectFrom("loan_accounts").select(["borrower_id"]).where("id", "=", loanId).executeTakeFirst();
  if (!loan || !(await isBorrowerInScope(executor, dataScopeOf(actor), loan.borrower_id))) throw new AppError("NOT_FOUND", `loan ${loanId} not found`);
}

export interface PaymentInput {
  loanId: string;
  idempotencyKey: string;
  amount: string;
  receivedOn: PlainDate;
  source: string;
  purpose?: "regular" | "payoff";
}

export interface PostedPayment {
  paymentId: string;
  duplicate: boolean;
  currency: string;
  /** null for a credit-card account, whose state is its card statement. */
  statement: LoanStatement | null;
}

export interface AccountBasics {
  lenderId: string;
  borrowerId: string;
  currency: string;
  timeZone: string;
  openedOn: PlainDate;
  isCard: boolean;
}

export async function loadAccountBasics(executor: Executor, loanId: string): Promise<AccountBasics> {
  const row = await executor
    .selectFrom("loan_accounts")
    .innerJoin("lenders", "lenders.id", "loan_accounts.lender_id")
    .select([
      "loan_accounts.lender_id",
      "loan_accounts.borrower_id",
      "loan_accounts.currency",
      "loan_accounts.opened_on",
      "loan_accounts.repayment_method",
      "lenders.time_zone",
    ])
    .where("loan_accounts.id", "=", loanId)
    .executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", `loan ${loanId} not found`);
  return {
    lenderId: row.lender_id,
    borrowerId: row.borrower_id,
    currency: row.currency,
    timeZone: row.time_zone,
    openedOn: row.opened_on,
    isCard: row.repayment_method === "credit_card",
  };
}

/**
 * Posts a payment once per idempotency key: the same key and payload again returns the first
 * result; the same key with another payload is a conflict and changes nothing.
 */
export async function postPayment(context: AppContext, actor: Actor, input: PaymentInput, ip: string | null = null): Promise<PostedPayment> {
  const key = input.idempotencyKey.trim();
  if (!/^[\w.:-]{1,100}$/.test(key))
    throw new AppError("VALIDATION_FAILED", "idempotencyKey must be 1-100 letters, digits or . : _ -", { field: "idempotencyKey" });
  if (!isPlainDate(input.receivedOn))
    throw new AppError("VALIDATION_FAILED", `receivedOn ${JSON.stringify(input.receivedOn)} is not a date (YYYY-MM-DD)`, { field: "receivedOn" });
  return context.database.db.transaction().execute(async (trx) => {
    await assertLoanInScope(trx, actor, input.loanId);
    const loan = await loadAccountBasics(trx, input.loanId);
    let amountMinor: bigint;
    try {
      amountMinor = parseMinor(input.amount, loan.currency);
    } catch (error) {
      throw new AppError("VALIDATION_FAILED", `amount: ${(error as Error).message}`, { field: "amount" });
    }
    if (amountMinor <= 0n) throw new AppError("VALIDATION_FAILED", "amount must be greater than 0", { field: "amount" });
    const today = businessToday(context, loan.timeZone);
    if (compareDates(input.receivedOn, today) > 0)
      throw new AppError("VALIDATION_FAILED", `receivedOn ${input.receivedOn} is after today's business date ${today}`, { field: "receivedOn" });
    if (compareDates(input.receivedOn, loan.openedOn) < 0)
      throw new AppError("VALIDATION_FAILED", `receivedOn ${input.receivedOn} is before the loan opened on ${loan.openedOn}`, { field: "receivedOn" });
    const purpose = input.purpose ?? "regular";
    const payloadHash = paymentPayloadHash(input.loanId, amountMinor, loan.currency, input.receivedOn, purpose);
    const existing = await trx
      .selectFrom("payments")
      .select(["id", "payload_hash"])
      .where("lender_id", "=", loan.lenderId)
      .where("idempotency_key", "=", key)
      .executeTakeFirst();
    if (existing) {
      if (existing.payload_hash !== payloadHash)
        throw new AppError("IDEMPOTENCY_CONFLICT", `idempotency key ${key} was used for a different payment`, { idempotencyKey: key, paymentId: existing.id });
      const statement = loan.isCard ? null : buildStatement((await loadLoan(trx, input.loanId)).facts, await loadPayments(trx, input.loanId), today);
      return { paymentId: existing.id, duplicate: true, currency: loan.currency, statement };
    }
    const paymentId = await recordPayment(context, trx, {
      lenderId: loan.lenderId,
      loanId: input.loanId,
      idempotencyKey: key,
      amountMinor,
      currency: loan.currency,
      receivedOn: input.receivedOn,
      source: input.source,
      purpose,
    });
    let statement: LoanStatement | null = null;
    if (loan.isCard) await syncCardLedger(context, trx, input.loanId, today, "payment_posted");
    else statement = await syncLoanLedger(context, trx, input.loanId, today, "payment_posted");
    await appendAudit(
      trx,
      {
        actorType: actor.type === "staff" ? "staff" : "system",
        actorId: actor.type === "staff" ? actor.userId : null,
        action: "payment.posted",
        targetType: "loan",
        targetId: input.loanId,
        ip,
        details: { paymentId, amount: formatMinor(amountMinor, loan.currency), receivedOn: input.receivedOn, idempotencyKey: key, purpose },
      },
      context.clock.now(),
    );
    return { paymentId, duplicate: false, currency: loan.currency, statement };
  });
}

export interface PaymentRecord {
  lenderId: string;
  loanId: string;
  idempotencyKey: string;
  amountMinor: bigint;
  currency: string;
  receivedOn: PlainDate;
  source: string;
  purpose?: "regular" | "payoff";
}

export function paymentPayloadHash(
  loanId: string,
  amountMinor: bigint,
  currency: string,
  receivedOn: PlainDate,
  purpose: "regular" | "payoff" = "regular",
): string {
  const payload = [loanId, amountMinor.toString(), currency, receivedOn, ...(purpose === "payoff" ? ["payoff"] : [])];
  return createHash("sha256").update(JSON.stringify(payload)).digest("hex");
}

/**
 * Stores a payment. The daily close applies it on its received date. If a close (or a sync) has
 * already stepped the account to that date or past it, no close would read it, so the account's
 * ledger is synced here; otherwise the ledger is left alone (bulk loads sync each loan once
 * afterwards).
 */
export async function recordPayment(context: AppContext, executor: Executor, payment: PaymentRecord): Promise<string> {
  // The close-state row is locked first, as a ledger sync and a locking close take it: a close
  // holding it finishes first, and the date it stepped the account to is read after it.
  const state = await sql<{ state_on: string; time_zone: string }>`
    select s.state_on::text as state_on, l.time_zone from account_close_state s join lenders l on l.id = s.lender_id
    where s.loan_id = ${payment.loanId} for update of s`.execute(executor);
  const id = randomUUID();
  const purpose = payment.purpose ?? "regular";
  const payloadHash = paymentPayloadHash(payment.loanId, payment.amountMinor, payment.currency, payment.receivedOn, purpose);
  await executor
    .insertInto("payments")
    .values({
      id,
      lender_id: payment.lenderId,
      loan_id: payment.loanId,
      idempotency_key: payment.idempotencyKey,
      payload_hash: payloadHash,
      amount_minor: payment.amountMinor,
      currency: payment.currency,
      received_on: payment.receivedOn,
      source: payment.source,
      purpose,
      recorded_at: context.clock.now(),
    })
    .execute();
  const floor = nextEventFloor(payment.lenderId, payment.receivedOn);
  // A new row version even when the account is already due and the date stays: a close that
  // read the account without locks then finds it rewritten at its write-back and closes the
  // partition again, reading this payment. Skipping those rows lost such payments.
  await sql`update account_close_state set next_event_on = least(next_event_on, ${floor}::date) where loan_id = ${payment.loanId}`.execute(executor);
  const row = state.rows[0];
  if (row && compareDates(row.state_on, payment.receivedOn) >= 0)
    await syncLoanLedger(context, executor, payment.loanId, businessToday(context, row.time_zone), "payment_recorded");
  return id;
}

export const reversalReasons = ["returned", "bounced", "duplicate", "posted_in_error"] as const;

/** Reverses a returned payment: everything after it is re-allocated in date order. */
export async function reversePayment(
  context: AppContext,
  actor: Actor,
  paymentId: string,
  reasonCode: string,
  note: string | null,
  ip: string | null = null,
): Promise<{ currency: string; statement: LoanStatement | null }> {
  if (!(reversalReasons as readonly string[]).includes(reasonCode))
    throw new AppError("VALIDATION_FAILED", `reasonCode must be one of ${reversalReasons.join(", ")}`, { field: "reasonCode" });
  return context.database.db.transaction().execute(async (trx) => {
    const payment = await trx.selectFrom("payments").selectAll().where("id", "=", paymentId).executeTakeFirst();
    if (!payment) throw new AppError("NOT_FOUND", `payment ${paymentId} not found`);
    await assertLoanInScope(trx, actor, payment.loan_id);
    const reversed = await trx.selectFrom("payment_reversals").select("payment_id").where("payment_id", "=", paymentId).executeTakeFirst();
    if (reversed) throw new AppError("CONFLICT", `payment ${paymentId} is already reversed`);
    const loan = await loadAccountBasics(trx, payment.loan_id);
    const today = businessToday(context, loan.timeZone);
    await trx
      .insertInto("payment_reversals")
      .values({
        payment_id: paymentId,
        reason_code: reasonCode,
        note,
        reversed_on: today,
        recorded_at: context.clock.now(),
        actor_id: actor.type === "staff" ? actor.userId : null,
      })
      .execute();
    let statement: LoanStatement | null = null;
    if (loan.isCard) await syncCardLedger(context, trx, payment.loan_id, today, `payment_${reasonCode}`);
    else statement = await syncLoanLedger(context, trx, payment.loan_id, today, `payment_${reasonCode}`);
    await appendAudit(
      trx,
      {
        actorType: actor.type === "staff" ? "staff" : "system",
        actorId: actor.type === "staff" ? actor.userId : null,
        action: "payment.reversed",
        targetType: "loan",
        targetId: payment.loan_id,
        reason: note,
        ip,
        details: { paymentId, reasonCode, amount: formatMinor(payment.amount_minor, payment.currency) },
      },
      context.clock.now(),
    );
    return { currency: loan.currency, statement };
  });
}

export async function loanStatement(
  context: AppContext,
  actor: Actor,
  loanId: string,
  asOf: PlainDate | undefined,
): Promise<{ loan: LoanRecord; statement: LoanStatement }> {
  const { db } = context.database;
  await assertLoanInScope(db, actor, loanId);
  const loan = await loadLoan(db, loanId);
  const date = asOf ?? businessToday(context, loan.timeZone);
  if (!isPlainDate(date)) throw new AppError("VALIDATION_FAILED", `asOf ${JSON.stringify(asOf)} is not a date`, { field: "asOf" });
  return { loan, statement: buildStatement(loan.facts, await loadPayments(db, loanId), date) };
}

export async function loanPayoffQuote(context: AppContext, actor: Actor, loanId: string, on: PlainDate | undefined) {
  const { db } = context.database;
  await assertLoanInScope(db, actor, loanId);
  const loan = await loadLoan(db, loanId);
  const today = businessToday(context, loan.timeZone);
  const date = on ?? today;
  if (!isPlainDate(date) || compareDates(date, today) < 0)
    throw new AppError("VALIDATION_FAILED", `on ${JSON.stringify(on)} must be a date from today (${today})`, { field: "on" });
  return { currency: loan.currency, quote: quotePayoff(loan.facts, await loadPayments(db, loanId), date) };
}

/** Balances from the ledger's postings as of a date (the ledger is brought up to date first). */
export async function loanBalances(context: AppContext, actor: Actor, loanId: string, asOf: PlainDate | undefined) {
  return context.database.db.transaction().execute(async (trx) => {
    await assertLoanInScope(trx, actor, loanId);
    const loan = await loadAccountBasics(trx, loanId);
    const today = businessToday(context, loan.timeZone);
    const date = asOf ?? today;
    if (!isPlainDate(date)) throw new AppError("VALIDATION_FAILED", `asOf ${JSON.stringify(asOf)} is not a date`, { field: "asOf" });
    await syncAccountLedger(context, trx, loanId, today, "catch_up");
    return { currency: loan.currency, asOf: date, balances: await balancesAsOf(trx, loanId, date, true) };
  });
}

export interface LoanReference {
  id: string;
  isCard: boolean;
  borrowerId: string;
  productId: string;
  principalMinor: bigint;
  openedOn: PlainDate;
  currency: string;
}

export async function findLoansByExternalRef(executor: Executor, lenderId: string, refs: readonly string[]): Promise<Map<string, LoanReference>> {
  const found = new Map<string, LoanReference>();
  for (let index = 0; index < refs.length; index += 5_000) {
    const chunk = refs.slice(index, index + 5_000);
    if (chunk.length === 0) continue;
    const rows = await executor
      .selectFrom("loan_accounts")
      .select(["id", "external_ref", "borrower_id", "product_id", "principal_minor", "opened_on", "currency", "repayment_method"])
      .where("lender_id", "=", lenderId)
      .where("external_ref", "in", chunk)
      .execute();
    for (const row of rows)
      found.set(row.external_ref, {
        id: row.id,
        isCard: row.repayment_method === "credit_card",
        borrowerId: row.borrower_id,
        productId: row.product_id,
        principalMinor: row.principal_minor,
        openedOn: row.opened_on,
        currency: row.currency,
      });
  }
  return found;
}

export async function findProductsByCode(executor: Executor, lenderId: string): Promise<Map<string, { id: string; currency: string }>> {
  const rows = await executor.selectFrom("products").select(["id", "code", "currency"]).where("lender_id", "=", lenderId).execute();
  return new Map(rows.map((row) => [row.code, { id: row.id, currency: row.currency }]));
}

export async function findPaymentsByKey(
  executor: Executor,
  lenderId: string,
  keys: readonly string[],
): Promise<Map<string, { id: string; payloadHash: string }>> {
  const found = new Map<string, { id: string; payloadHash: string }>();
  for (let index = 0; index < keys.length; index += 5_000) {
    const chunk = keys.slice(index, index + 5_000);
    if (chunk.length === 0) continue;
    const rows = await executor
      .selectFrom("payments")
      .select(["id", "idempotency_key", "payload_hash"])
      .where("lender_id", "=", lenderId)
      .where("idempotency_key", "in", chunk)
      .execute();
    for (const row of rows) found.set(row.idempotency_key, { id: row.id, payloadHash: row.payload_hash });
  }
  return found;
}
