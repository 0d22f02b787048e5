// Revolving credit-card accounts in the loan book: a loan account on a credit_card product
// (its principal is the credit limit), purchases posted once per idempotency key, payments
// shared with loans, and a ledger kept equal to the card engine's state.
import { createHash, randomUUID } from "node:crypto";
import { appendAudit } from "../../platform/audit/index.js";
import type { Actor } from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import { AppError } from "../../platform/errors.js";
import { formatMinor, parseMinor } from "../../platform/money.js";
import { compareDates, isPlainDate, type PlainDate } from "../../platform/plain-date.js";
import { syncLedger } from "../ledger/index.js";
import { cardLedgerEventsOf } from "./domain/card-ledger-events.js";
import { buildCardState, type CardAccountState, type CardPayment, type CardTerms, type CardTransaction } from "./domain/card-statement.js";
import { decodeTerms } from "./domain/terms-codec.js";
import { assertLoanInScope, businessToday, loadAccountBasics, loadPayments, type NewLoan } from "./loan-book.service.js";

export interface CardAccount {
  id: string;
  lenderId: string;
  currency: string;
  timeZone: string;
  openedOn: PlainDate;
  creditLimitMinor: bigint;
  terms: CardTerms;
  transactions: CardTransaction[];
  payments: CardPayment[];
}

export async function openCardAccount(
  context: AppContext,
  executor: Executor,
  input: NewLoan,
  currency: string,
  audit: { actorType: "staff" | "system"; actorId: string | null },
): Promise<string> {
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
      currency,
      opened_on: input.openedOn,
      status: "active",
      repayment_method: "credit_card",
      created_at: context.clock.now(),
    })
    .execute();
  await appendAudit(
    executor,
    {
      ...audit,
      action: "card_account.opened",
      targetType: "loan",
      targetId: id,
      details: { externalRef: input.externalRef, creditLimit: formatMinor(input.principalMinor, currency), openedOn: input.openedOn },
    },
    context.clock.now(),
  );
  return id;
}

export async function loadCard(executor: Executor, loanId: string): Promise<CardAccount> {
  const row = await executor
    .selectFrom("loan_accounts")
    .innerJoin("products", "products.id", "loan_accounts.product_id")
    .innerJoin("lenders", "lenders.id", "loan_accounts.lender_id")
    .select([
      "loan_accounts.id",
      "loan_accounts.lender_id",
      "loan_accounts.currency",
      "loan_accounts.opened_on",
      "loan_accounts.principal_minor",
      "loan_accounts.repayment_method",
      "products.terms",
      "lenders.time_zone",
    ])
    .where("loan_accounts.id", "=", loanId)
    .executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", `account ${loanId} not found`);
  if (row.repayment_method !== "credit_card") throw new AppError("CONFLICT", `account ${loanId} is an installment loan: read its statement`);
  const transactions = await executor
    .selectFrom("card_transactions")
    .select(["id", "posted_on", "amount_minor"])
    .where("loan_id", "=", loanId)
    .orderBy("posted_on")
    .orderBy("id")
    .execute();
  const payments = await loadPayments(executor, loanId);
  return {
    id: row.id,
    lenderId: row.lender_id,
    currency: row.currency,
    timeZone: row.time_zone,
    openedOn: row.opened_on,
    creditLimitMinor: row.principal_minor,
    terms: decodeTerms(row.terms, row.currency).card,
    transactions: transactions.map((item) => ({ id: item.id, postedOn: item.posted_on, amountMinor: item.amount_minor })),
    payments: payments.map((item) => ({ id: item.id, receivedOn: item.receivedOn, amountMinor: item.amountMinor })),
  };
}

export async function syncCardLedger(context: AppContext, executor: Executor, loanId: string, asOf: PlainDate, reasonCode: string): Promise<CardAccountState> {
  const card = await loadCard(executor, loanId);
  const state = buildCardState(card.terms, card.openedOn, card.transactions, card.payments, asOf);
  await syncLedger(
    executor,
    { lenderId: card.lenderId, loanId, currency: card.currency, recordedAt: context.clock.now() },
    cardLedgerEventsOf(state, card.transactions, card.payments),
    reasonCode,
  );
  const status = state.daysPastDue > 0 ? "overdue" : "active";
  await executor.updateTable("loan_accounts").set({ status, ledger_synced_on: asOf }).where("id", "=", loanId).execute();
  return state;
}

export function cardTransactionPayloadHash(loanId: string, amountMinor: bigint, postedOn: PlainDate): string {
  return createHash("sha256")
    .update(JSON.stringify([loanId, amountMinor.toString(), postedOn]))
    .digest("hex");
}

export interface CardTransactionRecord {
  lenderId: string;
  loanId: string;
  idempotencyKey: string;
  amountMinor: bigint;
  postedOn: PlainDate;
  description: string | null;
}

/** Stores a purchase without touching the ledger (imports sync each account once afterwards). */
export async function recordCardTransaction(context: AppContext, executor: Executor, record: CardTransactionRecord): Promise<string> {
  const id = randomUUID();
  await executor
    .insertInto("card_transactions")
    .values({
      id,
      lender_id: record.lenderId,
      loan_id: record.loanId,
      idempotency_key: record.idempotencyKey,
      payload_hash: cardTransactionPayloadHash(record.loanId, record.amountMinor, record.postedOn),
      posted_on: record.postedOn,
      amount_minor: record.amountMinor,
      description: record.description,
      recorded_at: context.clock.now(),
    })
    .execute();
  return id;
}

export async function findCardTransactionsByKey(executor: Executor, lenderId: string, keys: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let index = 0; index < keys.length; index += 5_000) {
    const chunk = keys.slice(index, index + 5_000);
    if (chunk.length === 0) continue;
    const rows = await executor
      .selectFrom("card_transactions")
      .select(["idempotency_key", "payload_hash"])
      .where("lender_id", "=", lenderId)
      .where("idempotency_key", "in", chunk)
      .execute();
    for (const row of rows) found.set(row.idempotency_key, row.payload_hash);
  }
  return found;
}

export interface CardTransactionInput {
  loanId: string;
  idempotencyKey: string;
  amount: string;
  postedOn: PlainDate;
  description?: string | null;
}

/** Posts a purchase once per idempotency key; the same key with another payload is a conflict. */
export async function postCardTransaction(
  context: AppContext,
  actor: Actor,
  input: CardTransactionInput,
): Promise<{ transactionId: string; duplicate: boolean; state: CardAccountState; currency: string }> {
  const key = input.idempotencyKey.trim();
  if (!/^[\w.:-]{1,100}$/.test(key))
    throw new AppError("VALIDATION_FAILED", "idempotencyKey must be 1-100 letters, digits or . : _ -", { field: "idempotencyKey" });
  if (!isPlainDate(input.postedOn))
    throw new AppError("VALIDATION_FAILED", `postedOn ${JSON.stringify(input.postedOn)} is not a date (YYYY-MM-DD)`, { field: "postedOn" });
  return context.database.db.transaction().execute(async (trx) => {
    await assertLoanInScope(trx, actor, input.loanId);
    const account = await loadAccountBasics(trx, input.loanId);
    if (!account.isCard) throw new AppError("CONFLICT", `account ${input.loanId} is not a credit-card account`);
    let amountMinor: bigint;
    try {
      amountMinor = parseMinor(input.amount, account.currency);
    } catch (error) {
      throw new AppError("VALIDATION_FAILED", `amount: ${(error as Error).message}`, { field: "amount" });
    }
    if (amountMinor <= 0n) throw new AppError("VALIDATION_FAILED", "amount must be greater than 0", { field: "amount" });
    const today = businessToday(context, account.timeZone);
    if (compareDates(input.postedOn, today) > 0)
      throw new AppError("VALIDATION_FAILED", `postedOn ${input.postedOn} is after today's business date ${today}`, { field: "postedOn" });
    if (compareDates(input.postedOn, account.openedOn) <= 0)
      throw new AppError("VALIDATION_FAILED", `postedOn ${input.postedOn} must be after the account opened on ${account.openedOn}`, { field: "postedOn" });
    const payloadHash = cardTransactionPayloadHash(input.loanId, amountMinor, input.postedOn);
    const existing = await trx
      .selectFrom("card_transactions")
      .select(["id", "payload_hash"])
      .where("lender_id", "=", account.lenderId)
      .where("idempotency_key", "=", key)
      .executeTakeFirst();
    if (existing) {
      if (existing.payload_hash !== payloadHash)
        throw new AppError("IDEMPOTENCY_CONFLICT", `idempotency key ${key} was used for a different transaction`, { idempotencyKey: key });
      const card = await loadCard(trx, input.loanId);
      return {
        transactionId: existing.id,
        duplicate: true,
        currency: account.currency,
        state: buildCardState(card.terms, card.openedOn, card.transactions, card.payments, today),
      };
    }
    const transactionId = await recordCardTransaction(context, trx, {
      lenderId: account.lenderId,
      loanId: input.loanId,
      idempotencyKey: key,
      amountMinor,
      postedOn: input.postedOn,
      description: input.description ?? null,
    });

    const state = await syncCardLedger(context, trx, input.loanId, today, "purchase_posted");
    await appendAudit(
      trx,
      {
        actorType: actor.type === "staff" ? "staff" : "system",
        actorId: actor.type === "staff" ? actor.userId : null,
        action: "card_transaction.posted",
        targetType: "loan",
        targetId: input.loanId,
        details: { transactionId, amount: formatMinor(amountMinor, account.currency), postedOn: input.postedOn },
      },
      context.clock.now(),
    );
    return { transactionId, duplicate: false, currency: account.currency, state };
  });
}

export async function cardStatement(
  context: AppContext,
  actor: Actor,
  loanId: string,
  asOf: PlainDate | undefined,
): Promise<{ currency: string; creditLimitMinor: bigint; state: CardAccountState }> {
  const { db } = context.database;
  await assertLoanInScope(db, actor, loanId);
  const card = await loadCard(db, loanId);
  const date = asOf ?? businessToday(context, card.timeZone);
  if (!isPlainDate(date)) throw new AppError("VALIDATION_FAILED", `asOf ${JSON.stringify(asOf)} is not a date`, { field: "asOf" });
  return {
    currency: card.currency,
    creditLimitMinor: card.creditLimitMinor,
    state: buildCardState(card.terms, card.openedOn, card.transactions, card.payments, date),
  };
}
