import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { divideRoundHalfUp, formatRational, parseDecimal } from "./decimal.js";

describe("decimal", () => {
  it("parses decimal strings into exact rationals", () => {
    assert.deepEqual(parseDecimal("4.9"), { numerator: 49n, denominator: 10n });
    assert.deepEqual(parseDecimal("0.05"), { numerator: 5n, denominator: 100n });
    assert.deepEqual(parseDecimal("-18"), { numerator: -18n, denominator: 1n });
    assert.throws(() => parseDecimal("4,9", "annual rate"), /annual rate "4,9" is not a decimal number/);
    assert.throws(() => parseDecimal("1e3"), /not a decimal/);
  });

  it("rounds half up at exactly half, and otherwise to the nearest", () => {
    assert.equal(divideRoundHalfUp(5n, 2n), 3n);
    assert.equal(divideRoundHalfUp(7n, 3n), 2n);
    assert.equal(divideRoundHalfUp(8n, 3n), 3n);
    assert.equal(divideRoundHalfUp(-5n, 2n), -3n);
    assert.equal(divideRoundHalfUp(1n, -2n), -1n);
    assert.equal(formatRational({ numerator: 2n, denominator: 3n }, 4), "0.6667");
    assert.equal(formatRational({ numerator: -1n, denominator: 8n }, 2), "-0.13");
  });

  it("never rounds further than half a unit (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (numerator, denominator) => {
        const rounded = divideRoundHalfUp(numerator, denominator);
        const error = rounded * denominator - numerator;
        const absolute = error < 0n ? -error : error;
        return absolute * 2n <= denominator;
      }),
    );
  });
});
