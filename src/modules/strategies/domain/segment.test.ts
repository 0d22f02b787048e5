import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { isAppError } from "../../../platform/errors.js";
import { type PlanningAccount, parseSegment, segmentMatches } from "./segment.js";

const account = (overrides: Partial<PlanningAccount> = {}): PlanningAccount => ({
  loanId: "3b8f7c1e-5d2a-4c3b-9e7f-1a2b3c4d5e6f",
  bucket: "M1",
  dpd: 12,
  score: 640,
  overdueReason: "income_drop",
  overdueMinor: 150_000n,
  productCode: "CASH-12",
  daysBeforeDue: null,
  ...overrides,
});

function fieldOf(input: unknown): string {
  try {
    parseSegment(input);
  } catch (error) {
    assert.ok(isAppError(error) && error.code === "VALIDATION_FAILED", String(error));
    const { field } = error.details as { field: string };
    assert.ok(error.message.startsWith(field), error.message);
    return field;
  }
  throw new Error(`${JSON.stringify(input)} was accepted`);
}

describe("segments", () => {
  it("matches when every stated criterion holds, bounds inclusive", () => {
    const segment = parseSegment({ buckets: ["M1", "M2"], dpdMin: 1, dpdMax: 30, overdueMinMinor: "100000", overdueMaxMinor: "500000" });
    for (const [overrides, expected] of [
      [{}, true],
      [{ bucket: "M3" }, false],
      [{ dpd: 1 }, true],
      [{ dpd: 30 }, true],
      [{ dpd: 31 }, false],
      [{ overdueMinor: 100_000n }, true],
      [{ overdueMinor: 99_999n }, false],
      [{ overdueMinor: 500_000n }, true],
      [{ overdueMinor: 500_001n }, false],
    ] as const)
      assert.equal(
        segmentMatches(segment, account(overrides)),
        expected,
        JSON.stringify(overrides, (_key, value) => (typeof value === "bigint" ? `${value}n` : value)),
      );
  });

  it("matches every account with no criterion at all", () => {
    assert.equal(segmentMatches(parseSegment({}), account({ bucket: "M7+", score: null, overdueReason: null })), true);
  });

  it("takes no account without a score into a score band, nor one without a reason into a reason list", () => {
    assert.equal(segmentMatches(parseSegment({ scoreMin: 0 }), account({ score: null })), false);
    assert.equal(segmentMatches(parseSegment({ scoreMax: 1000 }), account({ score: null })), false);
    assert.equal(segmentMatches(parseSegment({ scoreMin: 600, scoreMax: 700 }), account({ score: 640 })), true);
    assert.equal(segmentMatches(parseSegment({ overdueReasons: ["illness", "income_drop"] }), account()), true);
    assert.equal(segmentMatches(parseSegment({ overdueReasons: ["illness"] }), account()), false);
    assert.equal(segmentMatches(parseSegment({ overdueReasons: ["illness"] }), account({ overdueReason: null })), false);
  });

  it("takes pre-due accounts by days before the due date; an overdue account has none", () => {
    const preDue = parseSegment({ daysBeforeDueMin: 0, daysBeforeDueMax: 3 });
    assert.equal(segmentMatches(preDue, account({ bucket: "M0", dpd: 0, daysBeforeDue: 0 })), true, "due today");
    assert.equal(segmentMatches(preDue, account({ bucket: "M0", dpd: 0, daysBeforeDue: 3 })), true);
    assert.equal(segmentMatches(preDue, account({ bucket: "M0", dpd: 0, daysBeforeDue: 4 })), false);
    assert.equal(segmentMatches(preDue, account({ daysBeforeDue: null })), false);
  });

  it("matches products by the account's own product", () => {
    assert.equal(segmentMatches(parseSegment({ productCodes: ["CASH-12", "BIZ-6"] }), account()), true);
    assert.equal(segmentMatches(parseSegment({ productCodes: ["BIZ-6"] }), account()), false);
  });

  it("names the field of every bad criterion", () => {
    for (const [input, field] of [
      [null, "segment"],
      [["M1"], "segment"],
      [{ bucket: ["M1"] }, "segment.bucket"],
      [{ buckets: [] }, "segment.buckets"],
      [{ buckets: ["M1", "M8"] }, "segment.buckets[1]"],
      [{ dpdMin: -1 }, "segment.dpdMin"],
      [{ dpdMax: 1.5 }, "segment.dpdMax"],
      [{ dpdMin: 30, dpdMax: 10 }, "segment.dpdMax"],
      [{ scoreMin: 1001 }, "segment.scoreMin"],
      [{ scoreMin: 700, scoreMax: 600 }, "segment.scoreMax"],
      [{ overdueReasons: ["lazy"] }, "segment.overdueReasons[0]"],
      [{ overdueMinMinor: 100 }, "segment.overdueMinMinor"],
      [{ overdueMaxMinor: "12.50" }, "segment.overdueMaxMinor"],
      [{ overdueMinMinor: "500", overdueMaxMinor: "100" }, "segment.overdueMaxMinor"],
      [{ productCodes: ["no spaces"] }, "segment.productCodes[0]"],
      [{ daysBeforeDueMin: "3" }, "segment.daysBeforeDueMin"],
      [{ daysBeforeDueMin: 5, daysBeforeDueMax: 1 }, "segment.daysBeforeDueMax"],
    ] as const)
      assert.equal(fieldOf(input), field, JSON.stringify(input));
  });

  it("keeps amounts exact beyond a double's precision and reads its own output back unchanged", () => {
    const segment = parseSegment({ overdueMinMinor: "900719925474099300", buckets: ["M2", "M2"], overdueMaxMinor: "900719925474099399" });
    assert.deepEqual(segment, { buckets: ["M2"], overdueMinMinor: "900719925474099300", overdueMaxMinor: "900719925474099399" });
    assert.deepEqual(parseSegment(JSON.parse(JSON.stringify(segment))), segment);
    assert.deepEqual(parseSegment({ overdueMinMinor: "000500" }), { overdueMinMinor: "500" }, "one spelling per amount");
    assert.equal(segmentMatches(segment, account({ bucket: "M2", overdueMinor: 900_719_925_474_099_299n })), false);
    assert.equal(segmentMatches(segment, account({ bucket: "M2", overdueMinor: 900_719_925_474_099_300n })), true);
  });

  it("agrees with a direct reading of the amount band for any amount", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: 10n ** 12n }), (a, b, amount) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const segment = parseSegment({ overdueMinMinor: low.toString(), overdueMaxMinor: high.toString() });
        assert.equal(segmentMatches(segment, account({ overdueMinor: amount })), amount >= low && amount <= high);
      }),
    );
  });
});
