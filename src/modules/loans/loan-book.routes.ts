// Loan accounts through the API: schedule, statement (what is owed and why), ledger balances,
// payments; posting and reversing payments. Staff routes respect data scopes.
import { z } from "zod";
import type { RouteModule } from "../../platform/http/index.js";
import { formatMinor } from "../../platform/money.js";
import type { LoanStatement } from "./domain/loan-statement.js";
import { loanBalances, loanPayoffQuote, loanStatement, postPayment, reversalReasons, reversePayment } from "./loan-book.service.js";

const loanParams = z.object({ loanId: z.uuid() });
const asOfQuery = z.object({
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")
    .optional(),
});
const money = z.string().describe("decimal string in the loan's currency");

const componentBalance = z.object({ charged: money, paid: money, outstanding: money });
const statementSchema = z.object({
  asOf: z.string(),
  currency: z.string(),
  daysPastDue: z.number(),
  bucket: z.string(),
  overdue: money,
  penaltyPerDay: money.describe("penalty interest added per day at the current overdue balances"),
  principalOutstanding: money,
  credit: money,
  outstanding: z.object({ principal: money, interest: money, penalty: money, fee: money }),
  legalCap: z.object({ allowance: money.nullable(), claimed: money, notClaimed: money }),
  installments: z.array(
    z.object({
      number: z.number(),
      dueDate: z.string(),
      graceEndsOn: z.string(),
      status: z.string(),
      daysPastDue: z.number(),
      principal: componentBalance,
      interest: componentBalance,
      penalty: componentBalance,
      fee: componentBalance,
      penaltyLines: z.array(
        z.object({
          from: z.string(),
          to: z.string(),
          days: z.number(),
          base: money,
          dailyRatePercent: z.string(),
          perDay: money,
          amount: money,
          notClaimed: money,
        }),
      ),
      lateFee: z.object({ chargedOn: z.string(), amount: money, notClaimed: money }).nullable(),
    }),
  ),
});

export function presentStatement(statement: LoanStatement, currency: string) {
  const format = (amount: bigint) => formatMinor(amount, currency);
  return {
    asOf: statement.asOf,
    currency,
    daysPastDue: statement.daysPastDue,
    bucket: statement.bucket,
    overdue: format(statement.overdueMinor),
    // What was actually charged on the statement date (after the legal cap), not the formula's rate.
    penaltyPerDay: format(
      statement.accruals
        .filter((accrual) => accrual.component === "penalty" && accrual.on === statement.asOf)
        .reduce((sum, accrual) => sum + accrual.amountMinor, 0n),
    ),
    principalOutstanding: format(statement.principalOutstandingMinor),
    credit: format(statement.creditMinor),
    outstanding: {
      principal: format(statement.outstanding.principal),
      interest: format(statement.outstanding.interest),
      penalty: format(statement.outstanding.penalty),
      fee: format(statement.outstanding.fee),
    },
    legalCap: {
      allowance: statement.capAllowanceMinor === null ? null : format(statement.capAllowanceMinor),
      claimed: format(statement.chargesClaimedMinor),
      notClaimed: format(statement.cappedMinor),
    },
    installments: statement.installments.map((installment) => {
      const balance = (component: "principal" | "interest" | "penalty" | "fee") => ({
        charged: format(installment.balances[component].chargedMinor),
        paid: format(installment.balances[component].paidMinor),
        outstanding: format(installment.balances[component].outstandingMinor),
      });
      return {
        number: installment.number,
        dueDate: installment.dueDate,
        graceEndsOn: installment.graceEndsOn,
        status: installment.status,
        daysPastDue: installment.daysPastDue,
        principal: balance("principal"),
        interest: balance("interest"),
        penalty: balance("penalty"),
        fee: balance("fee"),
        penaltyLines: installment.penaltyLines.map((line) => ({
          from: line.from,
          to: line.to,
          days: line.days,
          base: format(line.baseMinor),
          dailyRatePercent: line.dailyRatePercent,
          perDay: format(line.dailyAmountMinor),
          amount: format(line.amountMinor),
          notClaimed: format(line.cappedMinor),
        })),
        lateFee: installment.lateFee
          ? { chargedOn: installment.lateFee.chargedOn, amount: format(installment.lateFee.amountMinor), notClaimed: format(installment.lateFee.cappedMinor) }
          : null,
      };
    }),
  };
}

export const loanBookRoutes: RouteModule = (app, context) => {
  app.get(
    "/api/loans/:loanId/statement",
    {
      config: { access: "borrowers:read" },
      schema: {
        tags: ["loans"],
        summary: "What is owed on a date, and why (per installment and component)",
        params: loanParams,
        querystring: asOfQuery,
        response: { 200: statementSchema },
      },
    },
    async (request) => {
      const { loan, statement } = await loanStatement(context, request.actor, request.params.loanId, request.query.asOf);
      return presentStatement(statement, loan.currency);
    },
  );

  app.get(
    "/api/portal/accounts/:loanId/statement",
    {
      config: { access: "borrower" },
      schema: { tags: ["portal"], summary: "The borrower's own loan: what is owed today, and why", params: loanParams, response: { 200: statementSchema } },
    },
    async (request) => {
      const { loan, statement } = await loanStatement(context, request.actor, request.params.loanId, undefined);
      return presentStatement(statement, loan.currency);
    },
  );

  app.get(
    "/api/loans/:loanId/schedule",
    {
      config: { access: "borrowers:read" },
      schema: {
        tags: ["loans"],
        summary: "The contracted repayment schedule",
        params: loanParams,
        response: {
          200: z.object({
            currency: z.string(),
            installments: z.array(z.object({ number: z.number(), dueDate: z.string(), principal: money, interest: money, payment: money })),
          }),
        },
      },
    },
    async (request) => {
      const { loan } = await loanStatement(context, request.actor, request.params.loanId, undefined);
      return {
        currency: loan.currency,
        installments: loan.facts.installments.map((item) => ({
          number: item.number,
          dueDate: item.dueDate,
          principal: formatMinor(item.principalMinor, loan.currency),
          interest: formatMinor(item.interestMinor, loan.currency),
          payment: formatMinor(item.paymentMinor, loan.currency),
        })),
      };
    },
  );

  app.get(
    "/api/loans/:loanId/payoff",
    {
      config: { access: "borrowers:read" },
      schema: {
        tags: ["loans"],
        summary: "What settles the loan early on a date (today by default), and how it is made up",
        params: loanParams,
        querystring: z.object({
          on: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")
            .optional(),
        }),
        response: {
          200: z.object({
            on: z.string(),
            currency: z.string(),
            dueNow: money,
            principalNotYetDue: money,
            interest: money,
            interestRule: z.string(),
            fee: money,
            credit: money,
            total: money,
          }),
        },
      },
    },
    async (request) => {
      const { currency, quote } = await loanPayoffQuote(context, request.actor, request.params.loanId, request.query.on);
      const format = (amount: bigint) => formatMinor(amount, currency);
      return {
        on: quote.on,
        currency,
        dueNow: format(quote.dueNowMinor),
        principalNotYetDue: format(quote.principalNotYetDueMinor),
        interest: format(quote.interestMinor),
        interestRule: quote.interestRule,
        fee: format(quote.feeMinor),
        credit: format(quote.creditMinor),
        total: format(quote.totalMinor),
      };
    },
  );

  app.get(
    "/api/loans/:loanId/balances",
    {
      config: { access: "borrowers:read" },
      schema: {
        tags: ["loans"],
        summary: "Ledger balances per account and installment, derived from postings, as of a date",
        params: loanParams,
        querystring: asOfQuery,
        response: {
          200: z.object({
            asOf: z.string(),
            currency: z.string(),
            balances: z.array(z.object({ account: z.string(), installmentNumber: z.number().nullable(), balance: money })),
          }),
        },
      },
    },
    async (request) => {
      const result = await loanBalances(context, request.actor, request.params.loanId, request.query.asOf);
      return {
        asOf: result.asOf,
        currency: result.currency,
        balances: result.balances.map((row) => ({
          account: row.account,
          installmentNumber: row.installmentNumber,
          balance: formatMinor(row.balanceMinor, result.currency),
        })),
      };
    },
  );

  app.get(
    "/api/loans/:loanId/payments",
    {
      config: { access: "borrowers:read" },
      schema: {
        tags: ["loans"],
        summary: "Payments of a loan with their allocation",
        params: loanParams,
        response: {
          200: z.object({
            payments: z.array(
              z.object({
                id: z.string(),
                receivedOn: z.string(),
                amount: money,
                toCredit: money,
                allocations: z.array(z.object({ installmentNumber: z.number(), component: z.string(), amount: money })),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { loan, statement } = await loanStatement(context, request.actor, request.params.loanId, undefined);
      return {
        payments: statement.payments.map((payment) => ({
          id: payment.id,
          receivedOn: payment.receivedOn,
          amount: formatMinor(payment.amountMinor, loan.currency),
          toCredit: formatMinor(payment.toCreditMinor, loan.currency),
          allocations: payment.allocations.map((allocation) => ({
            installmentNumber: allocation.installmentNumber,
            component: allocation.component,
            amount: formatMinor(allocation.amountMinor, loan.currency),
          })),
        })),
      };
    },
  );

  app.post(
    "/api/loans/:loanId/payments",
    {
      config: { access: "payments:post" },
      schema: {
        tags: ["loans"],
        summary: "Post a payment once per idempotency key (same key, other payload: 409)",
        params: loanParams,
        body: z.object({
          idempotencyKey: z.string().min(1).max(100),
          amount: z.string().min(1).max(32),
          receivedOn: z.string(),
          source: z.string().min(1).max(40).default("api"),
          purpose: z.enum(["regular", "payoff"]).default("regular").describe("payoff settles the loan early when the amount covers the quote"),
        }),
        response: {
          200: z.object({ paymentId: z.string(), duplicate: z.boolean(), statement: statementSchema.nullable() }),
          201: z.object({ paymentId: z.string(), duplicate: z.boolean(), statement: statementSchema.nullable() }),
        },
      },
    },
    async (request, reply) => {
      const result = await postPayment(context, request.actor, { loanId: request.params.loanId, ...request.body }, request.ip);
      return reply.code(result.duplicate ? 200 : 201).send({
        paymentId: result.paymentId,
        duplicate: result.duplicate,
        statement: result.statement ? presentStatement(result.statement, result.currency) : null,
      });
    },
  );

  app.post(
    "/api/payments/:paymentId/reverse",
    {
      config: { access: "payments:reverse" },
      schema: {
        tags: ["loans"],
        summary: "Reverse a returned payment; later payments are re-allocated in date order",
        params: z.object({ paymentId: z.uuid() }),
        body: z.object({ reasonCode: z.enum(reversalReasons), note: z.string().max(500).optional() }),
        response: { 200: z.object({ statement: statementSchema.nullable() }) },
      },
    },
    async (request) => {
      const result = await reversePayment(context, request.actor, request.params.paymentId, request.body.reasonCode, request.body.note ?? null, request.ip);
      return { statement: result.statement ? presentStatement(result.statement, result.currency) : null };
    },
  );
};
