import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decideLogin } from "./login-decision.js";

const policy = { attemptsMax: 5, lockoutMinutes: 15 };
const now = new Date("2026-11-22T02:00:00Z");
const fresh = { isActive: true, failedLoginCount: 0, lockedUntil: null };

describe("decideLogin", () => {
  it("accepts the right password and clears the failure count", () => {
    const decision = decideLogin({ ...fresh, failedLoginCount: 3 }, true, now, policy);
    assert.deepEqual(decision, { outcome: "success", failedLoginCount: 0, lockedUntil: null });
  });

  it("counts failures and says how many attempts are left", () => {
    const decision = decideLogin({ ...fresh, failedLoginCount: 2 }, false, now, policy);
    assert.equal(decision.outcome, "invalid_credentials");
    assert.equal(decision.failedLoginCount, 3);
    assert.equal(decision.outcome === "invalid_credentials" && decision.attemptsLeft, 2);
  });

  it("locks the account on the fifth failure for the lock-out period", () => {
    const decision = decideLogin({ ...fresh, failedLoginCount: 4 }, false, now, policy);
    assert.equal(decision.outcome, "locked");
    assert.equal(decision.lockedUntil?.toISOString(), "2026-11-22T02:15:00.000Z");
    assert.equal(decision.outcome === "locked" && decision.lockedNow, true);
  });

  it("refuses even the right password while locked", () => {
    const lockedUntil = new Date("2026-11-22T02:10:00Z");
    const decision = decideLogin({ ...fresh, failedLoginCount: 5, lockedUntil }, true, now, policy);
    assert.equal(decision.outcome, "locked");
    assert.equal(decision.outcome === "locked" && decision.lockedNow, false);
  });

  it("starts a fresh count once the lock has run out", () => {
    const lockedUntil = new Date("2026-11-22T01:59:00Z");
    const decision = decideLogin({ ...fresh, failedLoginCount: 5, lockedUntil }, false, now, policy);
    assert.equal(decision.outcome, "invalid_credentials");
    assert.equal(decision.failedLoginCount, 1);
  });

  it("treats a deactivated user's right password as a failure", () => {
    const decision = decideLogin({ ...fresh, isActive: false }, true, now, policy);
    assert.equal(decision.outcome, "invalid_credentials");
  });
});
