import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { accountFiguresOf, isNextDuePrepaid, messageValuesOf } from "./message-figures.js";

const facts = {
  p: "1200000",
  r: "12",
  s: "2026-09-01",
  i: [
    ["2026-10-01", "100000", "12000"],
    ["2026-11-01", "100000", "11000"],
    ["2026-12-01", "100000", "10000"],
    ["2027-01-01", "100000", "9000"],
  ] as [string, string, string][],
};

describe("a reminder's figures", () => {
  it("sums penalty charged less paid and penalty accrued not yet posted, and names the oldest unpaid due date when overdue", () => {
    const state = {
      on: "2026-11-30",
      c: "0",
      n: "0",
      cl: "0",
      cp: "0",
      it: [
        [1, "2026-10-01", ["0", "0", "12000", "100000"], ["0", "0", "12000", "100000"], null, "2026-10-01"],
        [2, "2026-11-01", ["0", "1250", "11000", "100000"], ["0", "250", "0", "0"], null, null],
      ] as never,
      pd: [
        ["2026-11-29", 2, "p", "55"],
        ["2026-11-30", 2, "p", "55"],
        ["2026-11-30", 2, "f", "3000"],
      ] as never,
    };
    const figures = accountFiguresOf({ facts, state, overdueSince: "2026-11-04", overdueMinor: 111_000n, day: "2026-12-01" });
    assert.deepEqual(figures, { overdueMinor: 111_000n, daysPastDue: 27, penaltySoFarMinor: 1_110n, dueDate: "2026-11-04" });
  });

  it("names the next due date on or after the day for an account that is not overdue", () => {
    const state = { on: "2026-11-30", c: "0", n: "0", cl: "0", cp: "0", it: [] as never, pd: [] as never };
    assert.equal(accountFiguresOf({ facts, state, overdueSince: null, overdueMinor: 0n, day: "2026-11-28" }).dueDate, "2026-12-01");
    assert.equal(accountFiguresOf({ facts, state, overdueSince: null, overdueMinor: 0n, day: "2026-12-01" }).dueDate, "2026-12-01");
    assert.equal(accountFiguresOf({ facts, state, overdueSince: null, overdueMinor: 0n, day: "2027-02-01" }).dueDate, null);
  });

  it("gives the template its values in the lender's currency, amounts as bigint", () => {
    const values = messageValuesOf({ overdueMinor: 123_45n, daysPastDue: 3, penaltySoFarMinor: 7n, dueDate: "2026-11-28" }, "张三", {
      institutionName: "示例消费金融",
      repaymentLink: "https://pay.example.com",
      currency: "CNY",
    });
    assert.deepEqual(values.amountOverdue, { amountMinor: 12_345n, currency: "CNY" });
    assert.equal(values.daysOverdue, 3n);
    assert.equal(values.borrowerName, "张三");
  });

  it("knows the next installment is prepaid when the credit held covers its principal and interest", () => {
    const state = (credit: string) => ({ on: "2026-11-30", c: credit, n: "0", cl: "0", cp: "0", it: [] as never, pd: [] as never });
    // The next installment on or after 2026-11-28 is 2026-12-01: 100,000 principal + 10,000 interest.
    assert.equal(isNextDuePrepaid({ facts, state: state("110000"), overdueSince: null, day: "2026-11-28" }), true);
    assert.equal(isNextDuePrepaid({ facts, state: state("109999"), overdueSince: null, day: "2026-11-28" }), false);
    assert.equal(isNextDuePrepaid({ facts, state: state("0"), overdueSince: null, day: "2026-11-28" }), false);
    // An overdue account is not "prepaid", whatever its credit.
    assert.equal(isNextDuePrepaid({ facts, state: state("500000"), overdueSince: "2026-11-04", day: "2026-11-28" }), false);
  });
});
