import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { addDays } from "../../../platform/plain-date.js";
import { buildStatement, type LoanFacts, type PaymentFact, quotePayoff } from "./loan-statement.js";
import { type Component, defaultTerms, type ProductTerms } from "./product-terms.js";
import { buildSchedule, type ScheduleMethod } from "./schedule.js";

function loan(
  overrides: Partial<ProductTerms> = {},
  schedule: { principalMinor?: bigint; rate?: string; months?: number; method?: ScheduleMethod; start?: string } = {},
): LoanFacts {
  const principalMinor = schedule.principalMinor ?? 1_200_000n;
  const startDate = schedule.start ?? "2026-01-15";
  return {
    principalMinor,
    annualRatePercent: schedule.rate ?? "18",
    startDate,
    installments: buildSchedule({
      principalMinor,
      annualRatePercent: schedule.rate ?? "18",
      months: schedule.months ?? 3,
      method: schedule.method ?? "equal_principal",
      startDate,
    }),
    terms: { ...defaultTerms, ...overrides },
  };
}

describe("owed on a date, and why", () => {
  // 12,000 over 3 months at 18%, equal principal: installment 1 due 2026-02-15 = 4,000 + 180 interest.
  it("has nothing overdue before the first due date", () => {
    const statement = buildStatement(loan(), [], "2026-02-15");
    assert.equal(statement.daysPastDue, 0);
    assert.equal(statement.bucket, "M0");
    assert.equal(statement.outstanding.principal, 400_000n);
    assert.equal(statement.outstanding.interest, 18_000n);
    assert.equal(statement.installments[0]?.status, "due");
    assert.equal(statement.overdueMinor, 0n);
  });

  it("accrues simple penalty on overdue principal from the day after the due date", () => {
    const statement = buildStatement(loan(), [], "2026-02-25");
    const first = statement.installments[0];
    assert.equal(statement.daysPastDue, 10);
    assert.equal(statement.bucket, "M1");
    assert.equal(first?.status, "overdue");
    // 4,000.00 × 0.05% = 2.00 a day, 10 days.
    assert.deepEqual(first?.penaltyLines, [
      {
        from: "2026-02-16",
        to: "2026-02-25",
        days: 10,
        baseMinor: 400_000n,
        dailyRatePercent: "0.05",
        dailyAmountMinor: 200n,
        amountMinor: 2_000n,
        cappedMinor: 0n,
      },
    ]);
    assert.equal(statement.outstanding.penalty, 2_000n);
    assert.equal(statement.overdueMinor, 400_000n + 18_000n + 2_000n);
  });

  it("counts across a month end and a leap day", () => {
    // Due 2028-02-28; overdue on 02-29, 03-01, 03-02.
    const facts = loan({}, { start: "2028-01-28", months: 1, method: "bullet", principalMinor: 1_000_000n });
    const statement = buildStatement(facts, [], "2028-03-02");
    assert.equal(statement.daysPastDue, 3);
    assert.deepEqual(
      statement.installments[0]?.penaltyLines.map((line) => [line.from, line.to, line.days, line.amountMinor]),
      [["2028-02-29", "2028-03-02", 3, 1_500n]],
    );
  });

  it("compounds: unpaid penalty joins the next day's base", () => {
    const facts = loan(
      { penalty: { base: "overdue_amount", dailyRatePercent: "1", compounding: "compound" }, legalCap: null },
      { months: 1, method: "bullet", principalMinor: 100_000n, rate: "0" },
    );
    const statement = buildStatement(facts, [], addDays("2026-02-15", 3));
    // 1,000.00 → 10.00, then 1% of 1,010.00 = 10.10, then 1% of 1,020.10 = 10.20 (10.201 rounded).
    assert.deepEqual(
      statement.installments[0]?.penaltyLines.map((line) => [line.baseMinor, line.dailyAmountMinor]),
      [
        [100_000n, 1_000n],
        [101_000n, 1_010n],
        [102_010n, 1_020n],
      ],
    );
  });

  it("waits out the grace days before DPD, the late fee and penalty start", () => {
    const facts = loan({ graceDays: 3, legalCap: { annualPercent: "36" }, lateFee: { kind: "percent", percent: "5", minMinor: 1_000n, maxMinor: 10_000n } });
    const inGrace = buildStatement(facts, [], "2026-02-18");
    assert.equal(inGrace.daysPastDue, 0);
    assert.equal(inGrace.outstanding.penalty + inGrace.outstanding.fee, 0n);
    const after = buildStatement(facts, [], "2026-02-20");
    assert.equal(after.daysPastDue, 2);
    // 5% of 4,180.00 = 209.00, held to the 100.00 maximum, once.
    assert.deepEqual(after.installments[0]?.lateFee, { chargedOn: "2026-02-19", amountMinor: 10_000n, cappedMinor: 0n });
    assert.equal(after.installments[0]?.penaltyLines[0]?.from, "2026-02-19");
  });

  it("never claims more than the legal cap", () => {
    // A 1% daily penalty against a 24% APR cap on a 1,000.00 bullet loan at 0%.
    const facts = loan(
      { penalty: { base: "overdue_principal", dailyRatePercent: "1", compounding: "simple" }, legalCap: { annualPercent: "24" } },
      { months: 1, method: "bullet", principalMinor: 100_000n, rate: "0" },
    );
    const statement = buildStatement(facts, [], "2026-03-16");
    // Allowance: 1,000.00 × (24% − 0% contract) × 60 days (Jan 16 – Mar 16) / 360 = 40.00; uncapped, the
    // penalty would be 29 days (Feb 16 – Mar 16) × 10.00.
    assert.equal(statement.capAllowanceMinor, 4_000n);
    assert.equal(statement.chargesClaimedMinor, 4_000n);
    assert.equal(statement.outstanding.penalty, 4_000n);
    assert.equal(statement.cappedMinor, 29_000n - 4_000n);
    assert.ok(
      statement.installments[0]?.penaltyLines.some((line) => line.cappedMinor > 0n),
      "the explanation says what was cut",
    );
  });
});

describe("payments", () => {
  const facts = loan();

  it("allocates costs, then interest, then principal, oldest installment first (Civil Code art. 561)", () => {
    const statement = buildStatement(facts, [{ id: "p1", receivedOn: "2026-02-20", amountMinor: 30_000n }], "2026-02-20");
    // Five days of penalty (10.00) first, then 180.00 interest, then 110.00 of principal.
    assert.deepEqual(statement.payments[0]?.allocations, [
      { installmentNumber: 1, component: "penalty", amountMinor: 1_000n },
      { installmentNumber: 1, component: "interest", amountMinor: 18_000n },
      { installmentNumber: 1, component: "principal", amountMinor: 11_000n },
    ]);
    assert.equal(statement.installments[0]?.balances.principal.outstandingMinor, 389_000n);
  });

  it("keeps an overpayment as credit and spends it when the next installment falls due", () => {
    const statement = buildStatement(facts, [{ id: "p1", receivedOn: "2026-02-15", amountMinor: 500_000n }], "2026-03-15");
    assert.equal(statement.payments[0]?.toCreditMinor, 500_000n - 418_000n);
    assert.equal(statement.creditApplications[0]?.appliedOn, "2026-03-15");
    assert.equal(statement.creditMinor, 0n);
    assert.equal(statement.installments[0]?.status, "paid");
    assert.equal(statement.installments[1]?.balances.interest.paidMinor, 12_000n, "8,000.00 left × 1.5%");
  });

  it("follows a component-major waterfall when the product asks", () => {
    const componentMajor = loan({ waterfall: { order: ["principal", "interest", "penalty", "fee"], mode: "component_major" } });
    const statement = buildStatement(componentMajor, [{ id: "p1", receivedOn: "2026-03-20", amountMinor: 900_000n }], "2026-03-20");
    assert.deepEqual(
      statement.payments[0]?.allocations.map((allocation) => [allocation.installmentNumber, allocation.component]),
      [
        [1, "principal"],
        [2, "principal"],
        [1, "interest"],
        [2, "interest"],
        [1, "penalty"],
        [2, "penalty"],
      ],
    );
  });

  it("undoes a returned payment: the statement without it is what was owed all along", () => {
    const payments: PaymentFact[] = [
      { id: "p1", receivedOn: "2026-02-16", amountMinor: 418_200n },
      { id: "p2", receivedOn: "2026-03-20", amountMinor: 100_000n },
    ];
    const returned = buildStatement(facts, payments.slice(1), "2026-04-01");
    assert.equal(returned.daysPastDue, 45, "installment 1 is overdue again from 2026-02-16");
    // p2 now pays installment 1's penalty and interest first instead of installment 2's.
    assert.equal(returned.payments[0]?.allocations[0]?.installmentNumber, 1);
    const paid = buildStatement(facts, payments, "2026-04-01");
    assert.equal(paid.daysPastDue, 17);
  });
});

describe("early repayment", () => {
  // 12,000 over 3 months at 18%, equal principal, opened 2026-01-15; installment 2 runs
  // 2026-02-15 → 2026-03-15 (28 days) with 120.00 interest.
  it("quotes a payoff with the current period's interest prorated by days", () => {
    const facts = loan();
    const paidFirst: PaymentFact[] = [{ id: "p1", receivedOn: "2026-02-15", amountMinor: 418_000n }];
    const quote = quotePayoff(facts, paidFirst, "2026-03-01");
    // 14 of 28 days: 60.00; principal not yet due 8,000.00.
    assert.deepEqual(
      [quote.dueNowMinor, quote.principalNotYetDueMinor, quote.interestMinor, quote.feeMinor, quote.totalMinor, quote.currentInstallment],
      [0n, 800_000n, 6_000n, 0n, 806_000n, 2],
    );
    const fullPeriod = quotePayoff(loan({ earlyRepayment: { interest: "full_period", feePercent: "1" } }), paidFirst, "2026-03-01");
    assert.deepEqual([fullPeriod.interestMinor, fullPeriod.feeMinor, fullPeriod.totalMinor], [12_000n, 8_000n, 820_000n]);
  });

  it("settles the loan when a payoff payment covers the quote, and keeps it a plain payment when it does not", () => {
    const facts = loan();
    const first: PaymentFact = { id: "p1", receivedOn: "2026-02-15", amountMinor: 418_000n };
    const settled = buildStatement(facts, [first, { id: "p2", receivedOn: "2026-03-01", amountMinor: 806_000n, purpose: "payoff" }], "2026-05-01");
    assert.deepEqual(
      settled.installments.map((installment) => [installment.status, installment.chargedOn, installment.balances.interest.chargedMinor]),
      [
        ["paid", "2026-02-15", 18_000n],
        ["paid", "2026-03-01", 6_000n],
        ["paid", "2026-03-01", 0n],
      ],
    );
    assert.equal(settled.principalOutstandingMinor, 0n);
    assert.equal(settled.daysPastDue, 0);
    assert.equal(settled.payments[1]?.payoff?.totalMinor, 806_000n);
    const short = buildStatement(facts, [first, { id: "p2", receivedOn: "2026-03-01", amountMinor: 805_999n, purpose: "payoff" }], "2026-03-01");
    assert.equal(short.payments[1]?.payoff, null);
    assert.equal(short.creditMinor, 805_999n, "too little to settle: held as credit for the next installment");
  });
});

describe("statement properties", () => {
  const scenario = fc.record({
    method: fc.constantFrom<ScheduleMethod>("equal_installment", "equal_principal", "interest_first", "bullet"),
    principalMinor: fc.bigInt({ min: 10_000n, max: 50_000_000n }),
    months: fc.integer({ min: 1, max: 12 }),
    rate: fc.constantFrom("0", "7.2", "12", "18", "23.99"),
    graceDays: fc.integer({ min: 0, max: 5 }),
    dailyRatePercent: fc.constantFrom("0", "0.03", "0.05", "0.1", "1"),
    base: fc.constantFrom<"overdue_principal" | "overdue_amount">("overdue_principal", "overdue_amount"),
    compounding: fc.constantFrom<"simple" | "compound">("simple", "compound"),
    order: fc.shuffledSubarray<Component>(["fee", "penalty", "interest", "principal"], { minLength: 4, maxLength: 4 }),
    mode: fc.constantFrom<"installment_major" | "component_major">("installment_major", "component_major"),
    cap: fc.constantFrom<string | null>(null, "24", "36"),
    lateFee: fc.constantFrom<ProductTerms["lateFee"]>(
      { kind: "none" },
      { kind: "fixed", amountMinor: 5_000n },
      { kind: "percent", percent: "5", minMinor: 1_000n, maxMinor: 20_000n },
    ),
    payments: fc.array(fc.record({ day: fc.integer({ min: 0, max: 400 }), amountMinor: fc.bigInt({ min: 1n, max: 5_000_000n }) }), { maxLength: 8 }),
    asOfDay: fc.integer({ min: 0, max: 420 }),
  });

  it("balances: allocations sum to each payment, nothing goes negative, credit is what was not allocated", () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const facts = loan(
          {
            graceDays: input.graceDays,
            penalty: { base: input.base, dailyRatePercent: input.dailyRatePercent, compounding: input.compounding },
            waterfall: { order: input.order, mode: input.mode },
            legalCap: input.cap ? { annualPercent: input.cap } : null,
            lateFee: input.lateFee,
          },
          { principalMinor: input.principalMinor, months: input.months, rate: input.rate, method: input.method, start: "2026-01-31" },
        );
        const payments = input.payments.map((payment, index) => ({
          id: `p${index}`,
          receivedOn: addDays("2026-01-31", payment.day),
          amountMinor: payment.amountMinor,
        }));
        const asOf = addDays("2026-01-31", input.asOfDay);
        const statement = buildStatement(facts, payments, asOf);
        let paidTotal = 0n;
        let received = 0n;
        for (const payment of statement.payments) {
          const allocated = payment.allocations.reduce((sum, allocation) => sum + allocation.amountMinor, 0n);
          if (allocated + payment.toCreditMinor !== payment.amountMinor) return false;
          received += payment.amountMinor;
        }
        for (const installment of statement.installments) {
          for (const balance of Object.values(installment.balances)) {
            if (balance.outstandingMinor < 0n || balance.paidMinor < 0n || balance.paidMinor > balance.chargedMinor) return false;
            paidTotal += balance.paidMinor;
          }
        }
        if (paidTotal + statement.creditMinor !== received) return false;
        if (statement.principalOutstandingMinor < 0n || statement.principalOutstandingMinor > input.principalMinor) return false;
        if (statement.capAllowanceMinor !== null && statement.chargesClaimedMinor > statement.capAllowanceMinor) return false;
        const charges = statement.installments.reduce(
          (sum, installment) => sum + installment.balances.penalty.chargedMinor + installment.balances.fee.chargedMinor,
          0n,
        );
        if (charges !== statement.chargesClaimedMinor) return false;
        return true;
      }),
      { numRuns: 1500 },
    );
  });
});
