import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { formatMinor } from "../../../platform/money.js";
import { buildSchedule, checkTerms, type Installment, levelPaymentMinor, repaymentMethods, type ScheduleMethod, scheduleTotals } from "./schedule.js";

const row = (installment: Installment) => [
  installment.number,
  installment.dueDate,
  formatMinor(installment.principalMinor, "CNY"),
  formatMinor(installment.interestMinor, "CNY"),
  formatMinor(installment.paymentMinor, "CNY"),
  formatMinor(installment.remainingPrincipalMinor, "CNY"),
];

describe("equal installment 等额本息", () => {
  it("gives the textbook mortgage: 1,000,000 at 4.9% over 30 years pays 5,307.27 a month", () => {
    const schedule = buildSchedule({
      principalMinor: 100_000_000n,
      annualRatePercent: "4.9",
      months: 360,
      method: "equal_installment",
      startDate: "2026-01-15",
    });
    assert.equal(schedule.length, 360);
    assert.deepEqual(row(schedule[0] as Installment), [1, "2026-02-15", "1223.94", "4083.33", "5307.27", "998776.06"]);
    assert.deepEqual(row(schedule[1] as Installment), [2, "2026-03-15", "1228.93", "4078.34", "5307.27", "997547.13"]);
    assert.deepEqual(row(schedule[359] as Installment), [360, "2056-01-15", "5283.62", "21.57", "5305.19", "0.00"]);
    const totals = scheduleTotals(schedule);
    assert.equal(formatMinor(totals.principalMinor, "CNY"), "1000000.00");
    assert.equal(formatMinor(totals.interestMinor, "CNY"), "910615.12");
  });

  it("works a small consumer loan by hand: 12,000 at 18% over 12 months", () => {
    // r = 1.5% a month; payment = 12000 × 0.015 × 1.015^12 / (1.015^12 − 1) = 1100.1599… → 1100.16
    const schedule = buildSchedule({ principalMinor: 1_200_000n, annualRatePercent: "18", months: 12, method: "equal_installment", startDate: "2026-03-10" });
    assert.deepEqual(row(schedule[0] as Installment), [1, "2026-04-10", "920.16", "180.00", "1100.16", "11079.84"]);
    assert.deepEqual(row(schedule[11] as Installment), [12, "2027-03-10", "1083.93", "16.26", "1100.19", "0.00"]);
  });

  it("splits evenly at a zero rate", () => {
    const schedule = buildSchedule({ principalMinor: 100_000n, annualRatePercent: "0", months: 3, method: "equal_installment", startDate: "2026-01-01" });
    assert.deepEqual(
      schedule.map((item) => item.paymentMinor),
      [33_333n, 33_333n, 33_334n],
    );
  });
});

describe("equal principal 等额本金", () => {
  it("repays the same principal each month with falling interest, the last taking the residue", () => {
    const schedule = buildSchedule({ principalMinor: 1_000_000n, annualRatePercent: "12", months: 3, method: "equal_principal", startDate: "2026-01-31" });
    assert.deepEqual(schedule.map(row), [
      [1, "2026-02-28", "3333.33", "100.00", "3433.33", "6666.67"],
      [2, "2026-03-31", "3333.33", "66.67", "3400.00", "3333.34"],
      [3, "2026-04-30", "3333.34", "33.33", "3366.67", "0.00"],
    ]);
  });
});

describe("interest first 先息后本", () => {
  it("pays interest monthly and the principal with the last installment", () => {
    const schedule = buildSchedule({ principalMinor: 5_000_000n, annualRatePercent: "9.6", months: 3, method: "interest_first", startDate: "2028-01-31" });
    assert.deepEqual(schedule.map(row), [
      [1, "2028-02-29", "0.00", "400.00", "400.00", "50000.00"],
      [2, "2028-03-31", "0.00", "400.00", "400.00", "50000.00"],
      [3, "2028-04-30", "50000.00", "400.00", "50400.00", "0.00"],
    ]);
  });
});

describe("bullet 到期一次还本付息", () => {
  it("repays principal and simple interest once at maturity", () => {
    const schedule = buildSchedule({ principalMinor: 3_000_000n, annualRatePercent: "7.2", months: 3, method: "bullet", startDate: "2026-11-30" });
    assert.deepEqual(schedule.map(row), [[1, "2027-02-28", "30000.00", "540.00", "30540.00", "0.00"]]);
  });
});

describe("terms", () => {
  it("names the bad field", () => {
    const good = { principalMinor: 100n, annualRatePercent: "5", months: 12, method: "bullet" as const, startDate: "2026-01-01" };
    assert.equal(checkTerms(good), null);
    assert.equal(checkTerms({ ...good, principalMinor: 0n })?.field, "principalMinor");
    assert.equal(checkTerms({ ...good, months: 0 })?.field, "months");
    assert.equal(checkTerms({ ...good, annualRatePercent: "abc" })?.field, "annualRatePercent");
    assert.equal(checkTerms({ ...good, annualRatePercent: "101" })?.field, "annualRatePercent");
    assert.equal(checkTerms({ ...good, startDate: "2026-02-30" })?.field, "startDate");
    assert.throws(() => buildSchedule({ ...good, months: 601 }), /^Error: months: /);
  });
});

describe("schedule properties", () => {
  const terms = fc.record({
    principalMinor: fc.bigInt({ min: 1n, max: 10n ** 12n }),
    annualRatePercent: fc
      .tuple(fc.integer({ min: 0, max: 36 }), fc.integer({ min: 0, max: 99 }))
      .map(([whole, fraction]) => `${whole}.${String(fraction).padStart(2, "0")}`),
    months: fc.integer({ min: 1, max: 360 }),
    method: fc.constantFrom<ScheduleMethod>(...repaymentMethods),
    startDate: fc.date({ min: new Date("2000-01-01"), max: new Date("2060-12-31"), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
  });

  it("principal sums to the loan, nothing is negative, and the balance ends at zero", () => {
    fc.assert(
      fc.property(terms, (loan) => {
        const schedule = buildSchedule(loan);
        let remaining = loan.principalMinor;
        let previousDue = loan.startDate;
        for (const installment of schedule) {
          if (installment.principalMinor < 0n || installment.interestMinor < 0n) return false;
          if (installment.paymentMinor !== installment.principalMinor + installment.interestMinor) return false;
          remaining -= installment.principalMinor;
          if (installment.remainingPrincipalMinor !== remaining) return false;
          if (installment.dueDate <= previousDue) return false;
          previousDue = installment.dueDate;
        }
        return scheduleTotals(schedule).principalMinor === loan.principalMinor && remaining === 0n;
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps every equal installment but the last at the level payment", () => {
    fc.assert(
      fc.property(terms, (loan) => {
        const schedule = buildSchedule({ ...loan, method: "equal_installment" });
        const level = levelPaymentMinor(loan.principalMinor, loan.annualRatePercent, loan.months);
        const allButLast = schedule.slice(0, -1).filter((installment) => installment.remainingPrincipalMinor > 0n);
        return allButLast.every((installment) => installment.paymentMinor === level);
      }),
      { numRuns: 1000 },
    );
  });
});
