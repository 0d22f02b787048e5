import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatMinor, parseMinor } from "./money.js";

describe("money", () => {
  it("formats minor units as decimal strings", () => {
    assert.equal(formatMinor(1200000n, "CNY"), "12000.00");
    assert.equal(formatMinor(5n, "CNY"), "0.05");
    assert.equal(formatMinor(-530727n, "CNY"), "-5307.27");
    assert.equal(formatMinor(1500n, "JPY"), "1500");
    assert.equal(formatMinor(123456789012345678n, "CNY"), "1234567890123456.78");
  });
  it("parses decimal strings exactly", () => {
    assert.equal(parseMinor("12000.5", "CNY"), 1200050n);
    assert.equal(parseMinor("0.07", "CNY"), 7n);
    assert.equal(parseMinor("-3", "CNY"), -300n);
  });
  it("refuses what it cannot represent exactly", () => {
    assert.throws(() => parseMinor("1.005", "CNY"), /more than 2 decimals/);
    assert.throws(() => parseMinor("1e5", "CNY"), /not a decimal/);
    assert.throws(() => formatMinor(1n, "XXX"), /unknown currency/);
  });
  it("round-trips", () => {
    for (const minor of [0n, 1n, 99n, 100n, 987654321n, -42n]) assert.equal(parseMinor(formatMinor(minor, "CNY"), "CNY"), minor);
  });
});
