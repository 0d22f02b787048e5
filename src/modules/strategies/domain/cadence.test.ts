import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isAppError } from "../../../platform/errors.js";
import { parseCadence, stepsOnDay } from "./cadence.js";
import type { PlanningAccount } from "./segment.js";

const account = (overrides: Partial<PlanningAccount>): PlanningAccount => ({
  loanId: "3b8f7c1e-5d2a-4c3b-9e7f-1a2b3c4d5e6f",
  bucket: "M0",
  dpd: 0,
  score: null,
  overdueReason: null,
  overdueMinor: 0n,
  productCode: "CASH-12",
  daysBeforeDue: null,
  ...overrides,
});

const sms = (key: string, anchor: "due" | "dpd", day: number, at = "10:00") => ({ key, anchor, day, channel: "sms", templateCode: "pre-due-d3", at });

function fieldOf(input: unknown): string {
  try {
    parseCadence(input);
  } catch (error) {
    assert.ok(isAppError(error) && error.code === "VALIDATION_FAILED", String(error));
    const { field } = error.details as { field: string };
    assert.ok(error.message.startsWith(field), error.message);
    return field;
  }
  throw new Error(`${JSON.stringify(input)} was accepted`);
}

describe("cadences", () => {
  const cadence = parseCadence([
    sms("d-3", "due", -3),
    sms("d-1", "due", -1),
    sms("d0", "due", 0, "09:00"),
    sms("dpd-1", "dpd", 1),
    { key: "dpd-5", anchor: "dpd", day: 5, channel: "agent", at: "09:30" },
    { key: "dpd-5-email", anchor: "dpd", day: 5, channel: "email", templateCode: "overdue-m1", at: "09:00" },
  ]);

  it("gives the steps that fall on the account's day", () => {
    const keys = (overrides: Partial<PlanningAccount>) => stepsOnDay(cadence, account(overrides)).map((step) => step.key);
    assert.deepEqual(keys({ daysBeforeDue: 3 }), ["d-3"]);
    assert.deepEqual(keys({ daysBeforeDue: 2 }), []);
    assert.deepEqual(keys({ daysBeforeDue: 0 }), ["d0"], "the due day");
    assert.deepEqual(keys({ dpd: 1, bucket: "M1" }), ["dpd-1"]);
    assert.deepEqual(keys({ dpd: 5, bucket: "M1" }), ["dpd-5", "dpd-5-email"], "two steps on one day, in cadence order");
    assert.deepEqual(keys({ dpd: 0, daysBeforeDue: null }), [], "no due date ahead and not overdue: nothing");
  });

  it("keeps a step as given, and an agent step without a template", () => {
    assert.deepEqual(cadence[4], { key: "dpd-5", anchor: "dpd", day: 5, channel: "agent", at: "09:30" });
    assert.deepEqual(parseCadence(JSON.parse(JSON.stringify(cadence))), cadence);
    assert.deepEqual(parseCadence([]), [], "a hold-out variant contacts no one");
  });

  it("names the field of every bad step", () => {
    for (const [input, field] of [
      [{}, "cadence"],
      [[null], "cadence[0]"],
      [[sms("d-3", "due", -3), { ...sms("x", "due", -1), when: "soon" }], "cadence[1].when"],
      [[sms("D-3", "due", -3)], "cadence[0].key"],
      [[sms("d-3", "due", -3), sms("d-3", "due", -2)], "cadence[1].key"],
      [[{ ...sms("d-3", "due", -3), anchor: "before" }], "cadence[0].anchor"],
      [[sms("d-31", "due", -31)], "cadence[0].day"],
      [[sms("d1", "due", 1)], "cadence[0].day"],
      [[sms("dpd-0", "dpd", 0)], "cadence[0].day"],
      [[sms("dpd-721", "dpd", 721)], "cadence[0].day"],
      [[sms("dpd-1", "dpd", 1.5)], "cadence[0].day"],
      [[{ ...sms("dpd-1", "dpd", 1), channel: "fax" }], "cadence[0].channel"],
      [[sms("a", "dpd", 1), sms("b", "dpd", 2), { key: "c", anchor: "dpd", day: 3, channel: "voice_robot", at: "10:00" }], "cadence[2].templateCode"],
      [[{ ...sms("a", "dpd", 1), templateCode: "Bad Code" }], "cadence[0].templateCode"],
      [[{ key: "a", anchor: "dpd", day: 1, channel: "agent", templateCode: "overdue-m1", at: "10:00" }], "cadence[0].templateCode"],
      [[sms("a", "dpd", 1, "24:00")], "cadence[0].at"],
      [[sms("a", "dpd", 1, "9:30")], "cadence[0].at"],
    ] as const)
      assert.equal(fieldOf(input), field, JSON.stringify(input));
  });

  it("names the field under the variant it sits in", () => {
    assert.throws(
      () => parseCadence([{ key: "a", anchor: "dpd", day: 3, channel: "sms", at: "10:00" }], "variants[1].cadence"),
      (error: unknown) => {
        assert.ok(isAppError(error));
        assert.deepEqual(error.details, { field: "variants[1].cadence[0].templateCode" });
        return true;
      },
    );
  });
});
