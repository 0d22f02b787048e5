import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { PlainDate } from "../../../platform/plain-date.js";
import { checkPromise, type PromiseInstallment, validatePromise } from "./promise-to-pay.js";

const pending = (installmentNo: number, dueOn: PlainDate, amountMinor: bigint): PromiseInstallment => ({
  installmentNo,
  dueOn,
  amountMinor,
  status: "pending",
});
/** Payments as (date, amount); paidThrough sums those on or before the date. */
const paidBy = (payments: [PlainDate, bigint][]) => (date: PlainDate) => payments.filter(([on]) => on <= date).reduce((sum, [, amount]) => sum + amount, 0n);
const strict = { toleranceMinor: 0n, graceDays: 0 };

describe("promise to pay", () => {
  it("is kept when payments by the date cover it, and broken one fen short", () => {
    const promise = [pending(1, "2026-12-05", 100_000n)];
    assert.deepEqual(checkPromise(promise, paidBy([["2026-12-05", 100_000n]]), "2026-12-05", strict), {
      checks: [{ installmentNo: 1, status: "kept", paidMinor: 100_000n }],
      promiseStatus: "kept",
    });
    assert.equal(checkPromise(promise, paidBy([["2026-12-05", 99_999n]]), "2026-12-05", strict).promiseStatus, "broken");
    assert.equal(checkPromise(promise, paidBy([["2026-12-06", 100_000n]]), "2026-12-05", strict).promiseStatus, "broken", "a day late");
  });

  it("waits for the check day, counts the grace days and forgives the tolerance", () => {
    const promise = [pending(1, "2026-12-05", 100_000n)];
    assert.deepEqual(checkPromise(promise, paidBy([]), "2026-12-04", strict), { checks: [], promiseStatus: "pending" });
    const lenient = { toleranceMinor: 100n, graceDays: 2 };
    assert.deepEqual(checkPromise(promise, paidBy([]), "2026-12-06", lenient), { checks: [], promiseStatus: "pending" }, "inside the grace days");
    assert.equal(
      checkPromise(promise, paidBy([["2026-12-07", 99_900n]]), "2026-12-07", lenient).promiseStatus,
      "kept",
      "paid on the last grace day, 1.00 short",
    );
    assert.equal(checkPromise(promise, paidBy([["2026-12-07", 99_899n]]), "2026-12-07", lenient).promiseStatus, "broken", "1.01 short");
  });

  it("checks installments cumulatively; the first broken one cancels the rest", () => {
    const promise = [pending(1, "2026-12-05", 50_000n), pending(2, "2026-12-20", 50_000n), pending(3, "2027-01-05", 50_000n)];
    const first = checkPromise(promise, paidBy([["2026-12-01", 60_000n]]), "2026-12-05", strict);
    assert.deepEqual(first, { checks: [{ installmentNo: 1, status: "kept", paidMinor: 60_000n }], promiseStatus: "pending" });
    const afterFirst = promise.map((installment) => (installment.installmentNo === 1 ? { ...installment, status: "kept" as const } : installment));
    const second = checkPromise(
      afterFirst,
      paidBy([
        ["2026-12-01", 60_000n],
        ["2026-12-20", 30_000n],
      ]),
      "2026-12-20",
      strict,
    );
    assert.deepEqual(second, {
      checks: [
        { installmentNo: 2, status: "broken", paidMinor: 90_000n },
        { installmentNo: 3, status: "cancelled", paidMinor: null },
      ],
      promiseStatus: "broken",
    });
  });

  it("never keeps a promise whose payments fall short of the total, whatever the order of days", () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 1n, max: 1_000_000n }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.bigInt({ min: 1n, max: 1_000_000n })), { maxLength: 10 }),
        (amounts, payments) => {
          const installments = amounts.map((amount, index) => pending(index + 1, `2027-01-${String(index * 5 + 1).padStart(2, "0")}`, amount));
          const paid = paidBy(payments.map(([day, amount]) => [`2027-01-${String(Math.min(31, day + 1)).padStart(2, "0")}`, amount]));
          const result = checkPromise(installments, paid, "2027-03-01", strict);
          const total = amounts.reduce((sum, amount) => sum + amount, 0n);
          if (result.promiseStatus === "kept") assert.ok(paid("2027-03-01") >= total);
          assert.notEqual(result.promiseStatus, "pending", "every installment's day has passed");
        },
      ),
    );
  });

  it("accepts 1–12 ascending installments from today within 90 days, naming the bad field", () => {
    assert.equal(validatePromise({ installments: [{ dueOn: "2026-11-23", amountMinor: "100000" }] }, "2026-11-23").ok, true);
    const cases: [Parameters<typeof validatePromise>[0], string][] = [
      [{ installments: [] }, "installments"],
      [{ installments: [{ dueOn: "2026-11-22", amountMinor: "1" }] }, "installments[0].dueOn"],
      [{ installments: [{ dueOn: "2027-02-22", amountMinor: "1" }] }, "installments[0].dueOn"],
      [
        {
          installments: [
            { dueOn: "2026-11-30", amountMinor: "1" },
            { dueOn: "2026-11-30", amountMinor: "1" },
          ],
        },
        "installments[1].dueOn",
      ],
      [{ installments: [{ dueOn: "2026-11-30", amountMinor: "0" }] }, "installments[0].amountMinor"],
      [{ installments: [{ dueOn: "2026-11-30", amountMinor: "12.5" }] }, "installments[0].amountMinor"],
    ];
    for (const [input, field] of cases) {
      const result = validatePromise(input, "2026-11-23");
      assert.equal(result.ok, false);
      if (!result.ok) assert.equal(result.problem.field, field);
    }
  });
});
