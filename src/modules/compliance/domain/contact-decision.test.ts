import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { decideContact } from "./contact-decision.js";
import { type Channel, type ContactOutcome, contactOutcomes, type Direction } from "./contact-vocabulary.js";
import { type Weekday, weekdays } from "./local-time.js";
import type { ScenarioInput } from "./scenario.js";
import { callsAt, cnScenario, decide, rulesOf, scenarioOf, usScenario } from "./scenario-fixtures.js";

const shanghai = (date: string, time: string) => `${date}T${time}:00+08:00`;
const newYork = (date: string, time: string) => `${date}T${time}:00-04:00`;

describe("decideContact", () => {
  it("ranks block over defer over warn over allow", () => {
    const blockAndDefer = decide(cnScenario({ facts: { ceaseRequested: true }, request: { at: shanghai("2026-04-08", "23:00") } }));
    assert.deepEqual([blockAndDefer.decision, blockAndDefer.nextAllowedAt], ["block", null]);
    assert.deepEqual(rulesOf(blockAndDefer), ["cn.pause.cease-request", "cn.contact-window"], "blocks come first");
    const deferAndWarn = decide(cnScenario({ facts: { agentTrainedOn: undefined }, request: { at: shanghai("2026-04-08", "23:00") } }));
    assert.equal(deferAndWarn.decision, "defer");
    assert.deepEqual(rulesOf(deferAndWarn), ["cn.contact-window", "cn.agent-training"]);
    assert.equal(decide(cnScenario({ facts: { agentTrainedOn: undefined } })).decision, "warn");
    assert.deepEqual(decide(cnScenario()), { decision: "allow", reasons: [], nextAllowedAt: null, pack: { id: "cn-default", version: "2025.02" } });
  });

  it("cn.voice-daily-cap with cn.contact-window: jumps past every deferring rule to the first allowed instant", () => {
    const history = callsAt(
      "p1",
      ["09:00", "10:00", "11:00"].map((time) => shanghai("2026-04-08", time)),
      "connected",
    );
    const decision = decide(cnScenario({ history, request: { at: shanghai("2026-04-08", "12:00") } }));
    assert.deepEqual(rulesOf(decision), ["cn.voice-daily-cap"]);
    assert.equal(decision.nextAllowedAt, "2026-04-09T00:00:00.000Z", "midnight is outside the window, so 08:00");
  });

  it("us.call-frequency.seven-in-seven with us.inconvenient-time.consumer-named: a call freed on Saturday waits for Monday", () => {
    const persons: ScenarioInput["persons"] = [
      { id: "p1", timeZones: ["America/New_York"], inconvenientTimes: [{ days: ["sat", "sun"], from: "00:00", to: "24:00" }] },
    ];
    const history = callsAt(
      "p1",
      ["2026-04-04", "2026-04-06", "2026-04-06", "2026-04-07", "2026-04-08", "2026-04-09", "2026-04-09"].map((date, index) => newYork(date, `1${index}:00`)),
    );
    const decision = decide(usScenario({ persons, history, request: { at: newYork("2026-04-10", "18:00") } }));
    assert.deepEqual(rulesOf(decision), ["us.call-frequency.seven-in-seven"]);
    assert.equal(decision.reasons[0]?.allowedFrom, "2026-04-11T04:00:00.000Z", "Saturday");
    assert.equal(decision.nextAllowedAt, "2026-04-13T12:00:00.000Z", "Monday 08:00");
  });

  it("cn.agent-training with cn.contact-window: gives no next time when the training lapses before the window opens", () => {
    const decision = decide(cnScenario({ facts: { agentTrainedOn: "2025-04-08" }, request: { at: shanghai("2026-04-08", "22:30") } }));
    assert.deepEqual([decision.decision, decision.nextAllowedAt], ["defer", null]);
  });

  it("returns the pack version used and every reason in both languages with its source", () => {
    const decision = decide(cnScenario({ request: { at: shanghai("2024-06-01", "23:00") } }));
    assert.deepEqual(decision.pack, { id: "cn-default", version: "2024.05" });
    const reason = decision.reasons[0];
    assert.ok(reason?.messageZh && reason.messageEn && reason.source);
    assert.match(reason.source, /NIFA/);
  });

  it("combines the lender's overrides with the scenario's to the tighter of each", () => {
    const history = callsAt("p1", [shanghai("2026-04-08", "09:00")], "connected");
    const scenario = cnScenario({ history, overrides: { voiceContactsPerDayMax: 2 }, request: { at: shanghai("2026-04-08", "15:00") } });
    assert.equal(decide(scenario, { overrides: { voiceContactsPerDayMax: 1 } }).decision, "defer");
    assert.equal(decide(scenario, { overrides: { voiceContactsPerDayMax: 3 } }).decision, "allow");
  });

  it("leaves the scenario untouched and gives the same answer twice", () => {
    const scenario = scenarioOf(usScenario({ history: callsAt("p1", [newYork("2026-04-07", "10:00")], "conversation") }));
    const copy = structuredClone(scenario);
    assert.deepEqual(decideContact(scenario), decideContact(scenario));
    assert.deepEqual(scenario, copy);
  });
});

// Random timelines for the properties: a borrower in one or two zones, up to 30 contacts in the
// two weeks before the request, sometimes a consent or named inconvenient times.
interface ContactDraft {
  minutesBefore: number;
  channel: Channel;
  direction: Direction;
  outcome: ContactOutcome;
  debtIds: string[] | undefined;
  endedByConsumer: boolean;
}

interface Timeline {
  pack: "cn-default" | "us-regf";
  atMinute: number;
  channel: Channel;
  timeZones: string[];
  inconvenient: { days: Weekday[]; from: number; hours: number } | undefined;
  consentMinutesBefore: number | undefined;
  history: ContactDraft[];
}

const zones = ["America/New_York", "America/Los_Angeles", "Europe/London", "Asia/Shanghai", "Australia/Sydney"];
const start = Date.parse("2026-01-01T00:00:00Z") / 60_000;
const end = Date.parse("2026-12-20T00:00:00Z") / 60_000;
const historyItem: fc.Arbitrary<ContactDraft> = fc.record({
  // Half the contacts fall in the last two days, so daily caps and 7-in-7 are reached often.
  minutesBefore: fc.oneof(fc.integer({ min: 0, max: 2 * 24 * 60 }), fc.integer({ min: 0, max: 14 * 24 * 60 })),
  channel: fc.constantFrom<Channel>("call", "call", "voice_robot", "sms", "visit"),
  direction: fc.constantFrom<Direction>("outbound", "outbound", "outbound", "inbound"),
  outcome: fc.constantFrom(...contactOutcomes),
  debtIds: fc.constantFrom<string[] | undefined>(["d1"], ["d2"], ["d1", "d2"], undefined),
  endedByConsumer: fc.boolean(),
});
const timeline: fc.Arbitrary<Timeline> = fc.record({
  pack: fc.constantFrom<Timeline["pack"]>("cn-default", "us-regf"),
  atMinute: fc.integer({ min: start, max: end }),
  channel: fc.constantFrom<Channel>("call", "call", "voice_robot", "sms", "email", "visit"),
  timeZones: fc.uniqueArray(fc.constantFrom(...zones), { minLength: 0, maxLength: 2 }),
  inconvenient: fc.option(
    fc.record({
      days: fc.uniqueArray(fc.constantFrom(...weekdays), { minLength: 1, maxLength: 3 }),
      from: fc.integer({ min: 0, max: 23 }),
      hours: fc.integer({ min: 1, max: 6 }),
    }),
    { nil: undefined },
  ),
  consentMinutesBefore: fc.option(fc.integer({ min: 0, max: 10 * 24 * 60 }), { nil: undefined }),
  history: fc.array(historyItem, { maxLength: 30 }),
});

// Busy timelines: many calls about the same debt in the last week, so 7-in-7 and the daily voice cap bite.
const busyCall: fc.Arbitrary<ContactDraft> = fc.record({
  minutesBefore: fc.oneof(fc.integer({ min: 0, max: 16 * 60 }), fc.integer({ min: 0, max: 7 * 24 * 60 })),
  channel: fc.constantFrom<Channel>("call", "voice_robot"),
  direction: fc.constant<Direction>("outbound"),
  outcome: fc.constantFrom<ContactOutcome>("no_answer", "voicemail", "connected", "connected", "not_connected"),
  debtIds: fc.constant(["d1"]),
  endedByConsumer: fc.constant(false),
});
const busyTimeline: fc.Arbitrary<Timeline> = timeline.chain((value) =>
  fc.array(busyCall, { minLength: 5, maxLength: 14 }).map((history): Timeline => ({ ...value, channel: "call", history })),
);
const anyTimeline = fc.oneof(timeline, busyTimeline);

const clock = (hour: number) => `${String(Math.min(hour, 24)).padStart(2, "0")}:00`;

function scenarioFromTimeline(value: Timeline, atMs = value.atMinute * 60_000): ScenarioInput {
  const requestAtMs = value.atMinute * 60_000;
  return {
    pack: value.pack,
    request: { at: new Date(atMs).toISOString(), channel: value.channel, personId: "p1", debtId: "d1" },
    persons: [
      {
        id: "p1",
        role: "borrower",
        timeZones: value.timeZones,
        inconvenientTimes: value.inconvenient
          ? [{ days: value.inconvenient.days, from: clock(value.inconvenient.from), to: clock(value.inconvenient.from + value.inconvenient.hours) }]
          : [],
      },
    ],
    facts: { agentTrainedOn: "2026-01-01" },
    history: value.history.map((item) => ({
      at: new Date(requestAtMs - item.minutesBefore * 60_000).toISOString(),
      channel: item.channel,
      direction: item.direction,
      personId: "p1",
      debtIds: item.debtIds,
      outcome: item.outcome,
      endedByConsumer: item.endedByConsumer,
    })),
    consents:
      value.consentMinutesBefore === undefined ? [] : [{ personId: "p1", givenAt: new Date(requestAtMs - value.consentMinutesBefore * 60_000).toISOString() }],
  };
}

describe("decideContact properties", () => {
  it("us.call-frequency.seven-in-seven, cn.voice-daily-cap, cn.contact-window, us.inconvenient-time: nextAllowedAt is later than at, is allowed, and a minute earlier is not", () => {
    fc.assert(
      fc.property(anyTimeline, (value) => {
        const decision = decide(scenarioFromTimeline(value));
        if (decision.decision !== "defer") assert.equal(decision.nextAllowedAt, null);
        if (decision.nextAllowedAt === null) return;
        const nextMs = Date.parse(decision.nextAllowedAt);
        assert.ok(decision.nextAllowedAt.endsWith("Z"));
        assert.ok(nextMs > value.atMinute * 60_000);
        const again = decide(scenarioFromTimeline(value, nextMs));
        assert.ok(again.decision === "allow" || again.decision === "warn", `re-deciding at ${decision.nextAllowedAt} gave ${again.decision}`);
        if (nextMs - 60_000 > value.atMinute * 60_000) {
          assert.equal(decide(scenarioFromTimeline(value, nextMs - 60_000)).decision, "defer", "the minute before is still held back");
        }
      }),
      { numRuns: 500 },
    );
  });

  it("us.call-frequency.seven-in-seven, us.call-frequency.after-conversation, cn.voice-daily-cap, cn.visit-daily-cap: more history never turns a block or defer into an allow", () => {
    fc.assert(
      fc.property(anyTimeline, fc.array(fc.oneof(historyItem, busyCall), { minLength: 1, maxLength: 10 }), (value, extra) => {
        const before = decide(scenarioFromTimeline(value)).decision;
        if (before !== "block" && before !== "defer") return;
        const after = decide(scenarioFromTimeline({ ...value, history: [...value.history, ...extra] })).decision;
        assert.ok(after === "block" || after === "defer", `${before} became ${after}`);
      }),
      { numRuns: 500 },
    );
  });
});
