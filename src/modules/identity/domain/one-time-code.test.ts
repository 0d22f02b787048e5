import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canIssueCode, checkCode } from "./one-time-code.js";

const now = new Date("2026-11-22T02:00:00Z");
const valid = { expiresAt: new Date("2026-11-22T02:04:00Z"), attempts: 0, consumedAt: null, matches: true };

describe("checkCode", () => {
  it("accepts a matching unexpired code", () => assert.deepEqual(checkCode(valid, now), { outcome: "accepted" }));
  it("refuses when no code was issued or it was used", () => {
    assert.equal(checkCode(undefined, now).outcome, "no_code");
    assert.equal(checkCode({ ...valid, consumedAt: now }, now).outcome, "no_code");
  });
  it("refuses an expired code even when it matches", () => {
    assert.equal(checkCode({ ...valid, expiresAt: now }, now).outcome, "expired");
  });
  it("counts wrong tries and gives up at the fifth", () => {
    assert.deepEqual(checkCode({ ...valid, matches: false, attempts: 1 }, now), { outcome: "wrong", attempts: 2, attemptsLeft: 3 });
    assert.equal(checkCode({ ...valid, matches: false, attempts: 4 }, now).outcome, "attempts_exceeded");
    assert.equal(checkCode({ ...valid, attempts: 5 }, now).outcome, "attempts_exceeded");
  });
});

describe("canIssueCode", () => {
  it("issues a first code", () => assert.equal(canIssueCode(null, 0, now).outcome, "issue"));
  it("asks to wait within a minute of the last code", () => {
    assert.deepEqual(canIssueCode(new Date("2026-11-22T01:59:45Z"), 1, now), { outcome: "too_soon", retryAfterSeconds: 45 });
  });
  it("stops at ten codes a day", () => assert.equal(canIssueCode(new Date("2026-11-22T01:00:00Z"), 10, now).outcome, "daily_limit"));
});
