import { z } from "zod";
import type { RouteModule } from "../../platform/http/index.js";
import { formatMinor } from "../../platform/money.js";
import { cardStatement, postCardTransaction } from "./card-accounts.service.js";
import type { CardAccountState } from "./domain/card-statement.js";

const money = z.string().describe("decimal string in the account's currency");
const cardStateSchema = z.object({
  asOf: z.string(),
  currency: z.string(),
  creditLimit: money.nullable(),
  billed: money,
  unbilled: money,
  accruedInterest: money,
  accruedFees: money,
  credit: money,
  daysPastDue: z.number(),
  bucket: z.string(),
  statements: z.array(
    z.object({
      statementDate: z.string(),
      dueDate: z.string(),
      previousBalance: money,
      purchases: money,
      payments: money,
      interest: money,
      fees: money,
      balance: money,
      minimum: money,
      paidByDue: money.nullable(),
      isPaidInFull: z.boolean().nullable(),
      isMinimumMet: z.boolean().nullable(),
      interestLines: z.array(z.object({ reason: z.string(), from: z.string(), to: z.string(), days: z.number(), base: money, amount: money })),
    }),
  ),
});

export function presentCardState(state: CardAccountState, currency: string, creditLimitMinor: bigint | null) {
  const format = (amount: bigint) => formatMinor(amount, currency);
  return {
    asOf: state.asOf,
    currency,
    creditLimit: creditLimitMinor === null ? null : format(creditLimitMinor),
    billed: format(state.billedMinor),
    unbilled: format(state.unbilledMinor),
    accruedInterest: format(state.accruedInterestMinor),
    accruedFees: format(state.accruedFeesMinor),
    credit: format(state.creditMinor),
    daysPastDue: state.daysPastDue,
    bucket: state.bucket,
    statements: state.statements.map((statement) => ({
      statementDate: statement.statementDate,
      dueDate: statement.dueDate,
      previousBalance: format(statement.previousBalanceMinor),
      purchases: format(statement.purchasesMinor),
      payments: format(statement.paymentsMinor),
      interest: format(statement.interestMinor),
      fees: format(statement.feesMinor),
      balance: format(statement.balanceMinor),
      minimum: format(statement.minimumMinor),
      paidByDue: statement.paidByDueMinor === null ? null : format(statement.paidByDueMinor),
      isPaidInFull: statement.isPaidInFull,
      isMinimumMet: statement.isMinimumMet,
      interestLines: statement.interestLines.map((line) => ({
        reason: line.reason,
        from: line.from,
        to: line.to,
        days: line.days,
        base: format(line.baseMinor),
        amount: format(line.amountMinor),
      })),
    })),
  };
}

export const cardRoutes: RouteModule = (app, context) => {
  app.get(
    "/api/loans/:loanId/card-statement",
    {
      config: { access: "borrowers:read" },
      schema: {
        tags: ["loans"],
        summary: "A credit-card account's statements, balances and interest explanation as of a date",
        params: z.object({ loanId: z.uuid() }),
        querystring: z.object({
          asOf: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")
            .optional(),
        }),
        response: { 200: cardStateSchema },
      },
    },
    async (request) => {
      const result = await cardStatement(context, request.actor, request.params.loanId, request.query.asOf);
      return presentCardState(result.state, result.currency, result.creditLimitMinor);
    },
  );

  app.post(
    "/api/loans/:loanId/card-transactions",
    {
      config: { access: "payments:post" },
      schema: {
        tags: ["loans"],
        summary: "Post a purchase on a credit-card account once per idempotency key",
        params: z.object({ loanId: z.uuid() }),
        body: z.object({
          idempotencyKey: z.string().min(1).max(100),
          amount: z.string().min(1).max(32),
          postedOn: z.string(),
          description: z.string().max(200).optional(),
        }),
        response: {
          200: z.object({ transactionId: z.string(), duplicate: z.boolean(), state: cardStateSchema }),
          201: z.object({ transactionId: z.string(), duplicate: z.boolean(), state: cardStateSchema }),
        },
      },
    },
    async (request, reply) => {
      const result = await postCardTransaction(context, request.actor, { loanId: request.params.loanId, ...request.body });
      return reply
        .code(result.duplicate ? 200 : 201)
        .send({ transactionId: result.transactionId, duplicate: result.duplicate, state: presentCardState(result.state, result.currency, null) });
    },
  );
};
