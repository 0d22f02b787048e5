import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type PackRegistry, RulePackError, type RulePackVersion, resolvePack, usRegF2021 } from "./rule-packs.js";

function rejection(action: () => unknown): RulePackError {
  try {
    action();
  } catch (error) {
    if (error instanceof RulePackError) return error;
    throw error;
  }
  assert.fail("expected a RulePackError");
}

describe("rule pack versions", () => {
  it("pick the version in effect at the instant, reading the date in the pack's zone", () => {
    assert.equal(resolvePack("cn-default", "2025-02-27T23:59:59+08:00").version, "2024.05");
    assert.equal(resolvePack("cn-default", "2025-02-28T00:00:00+08:00").version, "2025.02");
    assert.equal(resolvePack("cn-default", "2025-02-27T16:00:00Z").version, "2025.02", "midnight in Shanghai is 16:00Z the day before");
    assert.equal(resolvePack("us-regf", "2026-04-08T10:00:00-04:00").version, "2021.11");
  });

  it("cite the NIFA guideline in the 2024 version and GB/T 45251-2025 in the 2025 one", () => {
    const earlier = resolvePack("cn-default", "2024-06-01T00:00:00+08:00");
    const current = resolvePack("cn-default", "2026-04-08T00:00:00+08:00");
    assert.match(earlier.sources.get("cn.voice-daily-cap") ?? "", /NIFA《互联网金融贷后催收业务指引》\(2024\)/);
    assert.match(current.sources.get("cn.voice-daily-cap") ?? "", /GB\/T 45251-2025 §5\.3/);
  });

  it("refuse an unknown pack and an instant before the first version", () => {
    const unknown = rejection(() => resolvePack("mars-default", "2026-04-08T00:00:00Z"));
    assert.equal(unknown.problem, "unknown_pack");
    assert.equal(unknown.code, "VALIDATION_FAILED");
    assert.equal(rejection(() => resolvePack("cn-default", "2024-05-14T23:59:00+08:00")).problem, "not_in_effect");
    assert.equal(rejection(() => resolvePack("us-regf", "2021-11-29T12:00:00-05:00")).problem, "not_in_effect");
  });

  it("accept a newer version from a custom registry on its effective date", () => {
    const stricter: RulePackVersion = { ...usRegF2021, version: "2027.01", effectiveFrom: "2027-01-01" };
    const packs: PackRegistry = { "us-regf": [usRegF2021, stricter] };
    assert.equal(resolvePack("us-regf", "2026-12-31T23:59:00-05:00", null, packs).version, "2021.11");
    assert.equal(resolvePack("us-regf", "2027-01-01T00:00:00-05:00", null, packs).version, "2027.01");
  });
});

describe("rule pack overrides may only tighten a statutory limit", () => {
  const at = "2026-04-08T10:00:00+08:00";

  it("cn.voice-daily-cap: accepts 2 voice contacts a day and rejects 4, naming the parameter", () => {
    assert.equal(resolvePack("cn-default", at, { voiceContactsPerDayMax: 2 }).values["voiceContactsPerDayMax"], 2);
    const error = rejection(() => resolvePack("cn-default", at, { voiceContactsPerDayMax: 4 }));
    assert.equal(error.problem, "loosens_statutory_limit");
    assert.equal(error.parameter, "voiceContactsPerDayMax");
    assert.match(error.message, /voiceContactsPerDayMax/);
  });

  it("cn.contact-window: a lender may narrow the window to 09:00–20:00 but not widen it to 07:00", () => {
    const narrowed = resolvePack("cn-default", at, { windowStartMinutes: 540, windowEndMinutes: 1200 });
    assert.deepEqual([narrowed.values["windowStartMinutes"], narrowed.values["windowEndMinutes"]], [540, 1200]);
    assert.equal(rejection(() => resolvePack("cn-default", at, { windowStartMinutes: 420 })).parameter, "windowStartMinutes");
    assert.equal(rejection(() => resolvePack("cn-default", at, { windowEndMinutes: 1380 })).parameter, "windowEndMinutes");
    assert.equal(rejection(() => resolvePack("cn-default", at, { windowStartMinutes: 1000, windowEndMinutes: 900 })).parameter, "windowEndMinutes");
  });

  it("cn.voice-daily-cap: counting more channels tightens, counting fewer loosens", () => {
    const wider = resolvePack("cn-default", at, { voiceCountedChannels: ["call", "voice_robot", "sms"] });
    assert.deepEqual(wider.values["voiceCountedChannels"], ["call", "voice_robot", "sms"]);
    assert.equal(rejection(() => resolvePack("cn-default", at, { voiceCountedChannels: ["call"] })).parameter, "voiceCountedChannels");
  });

  it("cn.emergency-contact: requiring more failed attempts tightens, fewer loosens", () => {
    assert.equal(resolvePack("cn-default", at, { unreachableFailedAttemptsMin: 10 }).values["unreachableFailedAttemptsMin"], 10);
    assert.equal(rejection(() => resolvePack("cn-default", at, { unreachableFailedAttemptsMin: 2 })).parameter, "unreachableFailedAttemptsMin");
    assert.equal(
      rejection(() => resolvePack("cn-default", at, { unreachableFailedOutcomes: ["not_connected", "no_answer", "voicemail", "connected"] })).parameter,
      "unreachableFailedOutcomes",
    );
  });

  it("cn.agent-training: a shorter validity tightens, a longer one loosens", () => {
    assert.equal(resolvePack("cn-default", at, { trainingValidDays: 180 }).values["trainingValidDays"], 180);
    assert.equal(rejection(() => resolvePack("cn-default", at, { trainingValidDays: 400 })).parameter, "trainingValidDays");
  });

  it("us.scope.first-party-creditor: a lender may apply Regulation F to itself but a collector may not exempt itself", () => {
    const usAt = "2026-04-08T10:00:00-04:00";
    assert.equal(resolvePack("us-regf", usAt, { exemptsFirstPartyCreditor: false }).values["exemptsFirstPartyCreditor"], false);
    assert.equal(rejection(() => resolvePack("us-regf", usAt, { callsInSevenDaysMax: 8 })).parameter, "callsInSevenDaysMax");
    assert.equal(rejection(() => resolvePack("us-regf", usAt, { consentEndsAtConversation: false })).parameter, "consentEndsAtConversation");
    assert.equal(rejection(() => resolvePack("us-regf", usAt, { excludedOutcomes: ["not_connected", "no_answer"] })).parameter, "excludedOutcomes");
    assert.equal(rejection(() => resolvePack("us-regf", usAt, { defaultTimeZones: ["America/New_York"] })).parameter, "defaultTimeZones");
  });

  it("us.call-frequency.rapid-succession: policy thresholds of warnings may move either way", () => {
    const usAt = "2026-04-08T10:00:00-04:00";
    assert.equal(resolvePack("us-regf", usAt, { rapidSuccessionMinutes: 2 }).values["rapidSuccessionMinutes"], 2);
    assert.equal(resolvePack("us-regf", usAt, { rapidSuccessionMinutes: 30 }).values["rapidSuccessionMinutes"], 30);
  });

  it("reject unknown parameters, wrong types and unknown list items, naming the parameter", () => {
    const unknown = rejection(() => resolvePack("cn-default", at, { callsPerWeekMax: 3 }));
    assert.deepEqual([unknown.problem, unknown.parameter], ["unknown_parameter", "callsPerWeekMax"]);
    const mistyped = rejection(() => resolvePack("cn-default", at, { voiceContactsPerDayMax: "2" }));
    assert.deepEqual([mistyped.problem, mistyped.parameter], ["invalid_value", "voiceContactsPerDayMax"]);
    const fraction = rejection(() => resolvePack("cn-default", at, { voiceContactsPerDayMax: 2.5 }));
    assert.equal(fraction.parameter, "voiceContactsPerDayMax");
    const badChannel = rejection(() => resolvePack("cn-default", at, { windowChannels: ["call", "pigeon"] }));
    assert.deepEqual([badChannel.problem, badChannel.parameter], ["invalid_value", "windowChannels"]);
    const badZone = rejection(() => resolvePack("us-regf", "2026-04-08T10:00:00-04:00", { defaultTimeZones: ["Mars/Base"] }));
    assert.equal(badZone.parameter, "defaultTimeZones");
  });

  it("combine a lender's overrides and a scenario's to the tighter of each", () => {
    const resolved = resolvePack("cn-default", at, [
      { voiceContactsPerDayMax: 2, windowEndMinutes: 1260 },
      { voiceContactsPerDayMax: 3, windowEndMinutes: 1200 },
    ]);
    assert.equal(resolved.values["voiceContactsPerDayMax"], 2);
    assert.equal(resolved.values["windowEndMinutes"], 1200);
  });

  it("cache the resolved pack per version and overrides object", () => {
    const overrides = { voiceContactsPerDayMax: 2 };
    assert.equal(resolvePack("cn-default", at, overrides), resolvePack("cn-default", at, overrides));
    assert.equal(resolvePack("cn-default", at), resolvePack("cn-default", "2026-05-01T00:00:00Z"));
  });
});
