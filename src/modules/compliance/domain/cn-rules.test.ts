import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RulePackError } from "./rule-packs.js";
import type { ScenarioInput } from "./scenario.js";
import { callsAt, cnScenario, decide, rulesOf } from "./scenario-fixtures.js";

const shanghai = (date: string, time: string) => `${date}T${time}:00+08:00`;
type Persons = NonNullable<ScenarioInput["persons"]>;

describe("cn.contact-window: no contact 22:00–08:00 in the contact's local time", () => {
  it("defers 07:59 to 08:00 and allows 08:00", () => {
    const early = decide(cnScenario({ request: { at: shanghai("2026-04-08", "07:59") } }));
    assert.equal(early.decision, "defer");
    assert.deepEqual(rulesOf(early), ["cn.contact-window"]);
    assert.equal(early.nextAllowedAt, "2026-04-08T00:00:00.000Z");
    assert.equal(early.reasons[0]?.allowedFrom, "2026-04-08T00:00:00.000Z");
    assert.equal(decide(cnScenario({ request: { at: shanghai("2026-04-08", "08:00") } })).decision, "allow");
  });

  it("allows 21:59 and defers 22:00 to 08:00 the next morning", () => {
    assert.equal(decide(cnScenario({ request: { at: shanghai("2026-04-08", "21:59") } })).decision, "allow");
    const late = decide(cnScenario({ request: { at: shanghai("2026-04-08", "22:00") } }));
    assert.equal(late.decision, "defer");
    assert.equal(late.nextAllowedAt, "2026-04-09T00:00:00.000Z");
  });

  it("explains the deferral in Chinese by default and in English on request", () => {
    const late = decide(cnScenario({ request: { at: shanghai("2026-04-08", "23:15") } }));
    const reason = late.reasons[0];
    assert.equal(reason?.message, reason?.messageZh);
    assert.match(reason?.messageZh ?? "", /2026-04-08 23:15 \(Asia\/Shanghai\).*2026-04-09 08:00/);
    assert.match(reason?.messageEn ?? "", /outside 08:00–22:00/);
    assert.match(reason?.source ?? "", /GB\/T 45251-2025 §5\.3/);
    const english = decide(cnScenario({ request: { at: shanghai("2026-04-08", "23:15"), locale: "en" } }));
    assert.equal(english.reasons[0]?.message, english.reasons[0]?.messageEn);
  });

  it("uses Asia/Shanghai for a person with no zone, and the person's own zone otherwise", () => {
    const persons: Persons = [{ id: "p1" }];
    assert.equal(decide(cnScenario({ persons, request: { at: "2026-04-08T00:30:00Z" } })).decision, "allow", "08:30 in Shanghai");
    assert.equal(decide(cnScenario({ persons, request: { at: "2026-04-08T14:30:00Z" } })).decision, "defer", "22:30 in Shanghai");
    const newYork: Persons = [{ id: "p1", timeZones: ["America/New_York"] }];
    assert.equal(decide(cnScenario({ persons: newYork, request: { at: "2026-04-08T14:30:00Z" } })).decision, "allow", "10:30 in New York");
  });

  it("follows London's clock change on 2026-03-29: 08:00 is 07:00Z that day and 08:00Z the day before", () => {
    const persons: Persons = [{ id: "p1", timeZones: ["Europe/London"] }];
    const sunday = decide(cnScenario({ persons, request: { at: "2026-03-29T06:30:00Z" } }));
    assert.equal(sunday.nextAllowedAt, "2026-03-29T07:00:00.000Z");
    const saturday = decide(cnScenario({ persons, request: { at: "2026-03-28T07:30:00Z" } }));
    assert.equal(saturday.nextAllowedAt, "2026-03-28T08:00:00.000Z");
    assert.equal(decide(cnScenario({ persons, request: { at: "2026-03-29T07:00:00Z" } })).decision, "allow");
  });

  it("replaces the window with a schedule agreed with the person", () => {
    const persons: Persons = [{ id: "p1", timeZones: ["Asia/Shanghai"], agreedSchedule: [{ from: "21:00", to: "23:00" }] }];
    assert.equal(decide(cnScenario({ persons, request: { at: shanghai("2026-04-08", "22:30") } })).decision, "allow");
    const morning = decide(cnScenario({ persons, request: { at: shanghai("2026-04-08", "10:00") } }));
    assert.equal(morning.nextAllowedAt, "2026-04-08T13:00:00.000Z");
  });

  it("lets a lender narrow the window to 09:00 and honours times the person named as inconvenient", () => {
    const narrowed = decide(cnScenario({ request: { at: shanghai("2026-04-08", "08:30") } }), { overrides: { windowStartMinutes: 540 } });
    assert.equal(narrowed.nextAllowedAt, "2026-04-08T01:00:00.000Z");
    const persons: Persons = [{ id: "p1", timeZones: ["Asia/Shanghai"], inconvenientTimes: [{ days: ["wed"], from: "09:00", to: "12:00" }] }];
    assert.equal(decide(cnScenario({ persons, request: { at: shanghai("2026-04-08", "10:00") } })).nextAllowedAt, "2026-04-08T04:00:00.000Z");
  });

  it("does not hold letters to the window", () => {
    assert.equal(decide(cnScenario({ request: { at: shanghai("2026-04-08", "23:00"), channel: "letter" } })).decision, "allow");
  });
});

describe("cn.voice-daily-cap: at most 3 connected voice contacts per debtor per local day", () => {
  const today = (times: string[], outcome: "connected" | "conversation" | "no_answer" = "connected") =>
    callsAt(
      "p1",
      times.map((time) => shanghai("2026-04-08", time)),
      outcome,
    );

  it("allows the 3rd connected contact of the day and defers the 4th to the next morning", () => {
    assert.equal(decide(cnScenario({ history: today(["09:00", "10:00"]), request: { at: shanghai("2026-04-08", "15:00") } })).decision, "allow");
    const fourth = decide(cnScenario({ history: today(["09:00", "10:00", "11:00"]), request: { at: shanghai("2026-04-08", "15:00") } }));
    assert.equal(fourth.decision, "defer");
    assert.deepEqual(rulesOf(fourth), ["cn.voice-daily-cap"]);
    assert.equal(fourth.reasons[0]?.allowedFrom, "2026-04-08T16:00:00.000Z", "local midnight");
    assert.equal(fourth.nextAllowedAt, "2026-04-09T00:00:00.000Z", "then the window opens at 08:00");
  });

  it("counts connected calls and robot calls from every agency, but not unanswered attempts, inbound calls or texts", () => {
    const history = [
      ...today(["08:10", "08:20", "08:30"], "no_answer"),
      { at: shanghai("2026-04-08", "09:00"), channel: "voice_robot" as const, personId: "p1", outcome: "connected" as const },
      { at: shanghai("2026-04-08", "09:30"), channel: "call" as const, direction: "inbound" as const, personId: "p1", outcome: "conversation" as const },
      { at: shanghai("2026-04-08", "09:40"), channel: "sms" as const, personId: "p1", outcome: "connected" as const },
      { at: shanghai("2026-04-08", "10:00"), channel: "call" as const, personId: "p1", outcome: "conversation" as const },
    ];
    assert.equal(decide(cnScenario({ history, request: { at: shanghai("2026-04-08", "15:00") } })).decision, "allow");
    const withInbound = decide(cnScenario({ history, request: { at: shanghai("2026-04-08", "15:00") } }), { overrides: { voiceCountsInbound: true } });
    assert.equal(withInbound.decision, "defer");
  });

  it("counts on the contact's own calendar: London evening calls are not Shanghai's next day", () => {
    const persons: Persons = [{ id: "p1", timeZones: ["Europe/London"] }];
    // 18:00–20:00 in London on April 8 is 01:00–03:00 on April 9 in Shanghai.
    const history = callsAt("p1", ["2026-04-08T18:00:00+01:00", "2026-04-08T19:00:00+01:00", "2026-04-08T20:00:00+01:00"], "connected");
    const sameEvening = decide(cnScenario({ persons, history, request: { at: "2026-04-08T21:00:00+01:00" } }));
    assert.equal(sameEvening.decision, "defer");
    assert.equal(sameEvening.nextAllowedAt, "2026-04-09T07:00:00.000Z", "08:00 in London");
    assert.equal(decide(cnScenario({ persons, history, request: { at: "2026-04-09T09:00:00+01:00" } })).decision, "allow");
  });

  it("applies a lender's tighter cap of 2, and rejects a looser cap of 4 naming the parameter", () => {
    const history = today(["09:00", "10:00"]);
    const tightened = decide(cnScenario({ history, request: { at: shanghai("2026-04-08", "15:00") } }), { overrides: { voiceContactsPerDayMax: 2 } });
    assert.equal(tightened.decision, "defer");
    assert.throws(
      () => decide(cnScenario({ history, request: { at: shanghai("2026-04-08", "15:00") } }), { overrides: { voiceContactsPerDayMax: 4 } }),
      (error: unknown) => error instanceof RulePackError && error.parameter === "voiceContactsPerDayMax",
    );
  });

  it("does not hold back a text message", () => {
    assert.equal(
      decide(cnScenario({ history: today(["09:00", "10:00", "11:00"]), request: { at: shanghai("2026-04-08", "15:00"), channel: "sms" } })).decision,
      "allow",
    );
  });
});

describe("cn.visit-daily-cap: at most one field visit per local day", () => {
  it("allows the first visit of the day and defers the second", () => {
    const yesterday = [{ at: shanghai("2026-04-07", "10:00"), channel: "visit" as const, personId: "p1", outcome: "conversation" as const }];
    assert.equal(decide(cnScenario({ history: yesterday, request: { at: shanghai("2026-04-08", "10:00"), channel: "visit" } })).decision, "allow");
    const todayVisit = [{ at: shanghai("2026-04-08", "09:00"), channel: "visit" as const, personId: "p1", outcome: "no_answer" as const }];
    const second = decide(cnScenario({ history: todayVisit, request: { at: shanghai("2026-04-08", "15:00"), channel: "visit" } }));
    assert.deepEqual(rulesOf(second), ["cn.visit-daily-cap"]);
    assert.equal(second.nextAllowedAt, "2026-04-09T00:00:00.000Z");
  });
});

describe("cn.collection-target: only the debtor and the guarantor", () => {
  it("blocks an unrelated third party for good", () => {
    const persons: Persons = [
      { id: "p1", role: "borrower" },
      { id: "n1", role: "third_party" },
    ];
    const decision = decide(cnScenario({ persons, request: { personId: "n1" } }));
    assert.equal(decision.decision, "block");
    assert.deepEqual(rulesOf(decision), ["cn.collection-target"]);
    assert.equal(decision.nextAllowedAt, null);
  });

  it("allows the guarantor and the debtor's attorney", () => {
    const persons: Persons = [
      { id: "p1", role: "borrower" },
      { id: "g1", role: "guarantor" },
      { id: "a1", role: "attorney" },
    ];
    assert.equal(decide(cnScenario({ persons, request: { personId: "g1" } })).decision, "allow");
    assert.equal(decide(cnScenario({ persons, request: { personId: "a1" } })).decision, "allow");
  });
});

describe("cn.emergency-contact: only when the debtor is unreachable, pre-agreed, not refused, never about the debt", () => {
  const persons: Persons = [
    { id: "p1", role: "borrower", timeZones: ["Asia/Shanghai"] },
    { id: "e1", role: "emergency_contact", preAgreed: true },
  ];
  const request = { at: shanghai("2026-04-08", "10:00"), personId: "e1", contentClass: "location_only" as const };
  // Six failed attempts on April 6–8: the last 3 local days, today included.
  const sixFailures = callsAt("p1", [
    shanghai("2026-04-06", "09:00"),
    shanghai("2026-04-06", "15:00"),
    shanghai("2026-04-07", "09:00"),
    shanghai("2026-04-07", "15:00"),
    shanghai("2026-04-08", "08:10"),
    shanghai("2026-04-08", "08:20"),
  ]);

  it("allows a pre-agreed contact once the debtor has 6 failed attempts on the last 3 days", () => {
    assert.equal(decide(cnScenario({ persons, history: sixFailures, request })).decision, "allow");
  });

  it("blocks at 5 failed attempts, the edge of the definition", () => {
    const decision = decide(cnScenario({ persons, history: sixFailures.slice(1), request }));
    assert.equal(decision.decision, "block");
    assert.deepEqual(rulesOf(decision), ["cn.emergency-contact"]);
    assert.match(decision.reasons[0]?.messageEn ?? "", /only 5 failed attempts/);
  });

  it("blocks when one of the six fell on the 4th day back, outside the 3-day span", () => {
    const history = [...sixFailures.slice(1), ...callsAt("p1", [shanghai("2026-04-05", "21:59")])];
    assert.equal(decide(cnScenario({ persons, history, request })).decision, "block");
  });

  it("blocks when the debtor answered or called in during those days", () => {
    const answered = [...sixFailures, ...callsAt("p1", [shanghai("2026-04-07", "18:00")], "connected")];
    assert.equal(decide(cnScenario({ persons, history: answered, request })).decision, "block");
    const calledIn = [...sixFailures, { at: shanghai("2026-04-07", "18:00"), channel: "sms" as const, direction: "inbound" as const, personId: "p1" }];
    assert.equal(decide(cnScenario({ persons, history: calledIn, request })).decision, "block");
  });

  it("honours facts.debtorReachable: false makes the debtor unreachable, true keeps them reachable", () => {
    assert.equal(decide(cnScenario({ persons, facts: { debtorReachable: false }, request })).decision, "allow");
    assert.equal(decide(cnScenario({ persons, facts: { debtorReachable: true }, history: sixFailures, request })).decision, "block");
  });

  it("blocks a contact not pre-agreed, one who refused, and content about the debt", () => {
    const facts = { debtorReachable: false };
    const notAgreed: Persons = [persons[0] as Persons[number], { id: "e1", role: "emergency_contact", preAgreed: false }];
    assert.match(decide(cnScenario({ persons: notAgreed, facts, request })).reasons[0]?.messageEn ?? "", /not pre-agreed/);
    const refused: Persons = [persons[0] as Persons[number], { id: "e1", role: "emergency_contact", preAgreed: true, refusedContact: true }];
    assert.match(decide(cnScenario({ persons: refused, facts, request })).reasons[0]?.messageEn ?? "", /refused/);
    const collection = decide(cnScenario({ persons, facts, request: { ...request, contentClass: "collection" } }));
    assert.match(collection.reasons[0]?.messageEn ?? "", /location_only/);
    const disclosing = decide(
      cnScenario({
        persons,
        facts: { ...facts, institutionName: "安心消费金融" },
        request: { ...request, channel: "sms", text: "【安心消费金融】请转告张先生尽快还款" },
      }),
    );
    assert.deepEqual(rulesOf(disclosing), ["cn.content.debt-disclosure"]);
  });
});

describe("cn.pause: collection pauses", () => {
  it("cn.pause.complaint-or-dispute: blocks collection while a complaint or dispute is open, but not plan reminders", () => {
    assert.deepEqual(rulesOf(decide(cnScenario({ facts: { complaintOpen: true } }))), ["cn.pause.complaint-or-dispute"]);
    assert.deepEqual(rulesOf(decide(cnScenario({ facts: { disputeOpen: true } }))), ["cn.pause.complaint-or-dispute"]);
    assert.equal(decide(cnScenario({ facts: { complaintOpen: true }, request: { contentClass: "plan_reminder" } })).decision, "allow");
  });

  it("cn.pause.repayment-plan: only plan reminders while an approved plan is in good standing", () => {
    const blocked = decide(cnScenario({ facts: { planInGoodStanding: true } }));
    assert.deepEqual([blocked.decision, blocked.nextAllowedAt], ["block", null]);
    assert.deepEqual(rulesOf(blocked), ["cn.pause.repayment-plan"]);
    assert.equal(decide(cnScenario({ facts: { planInGoodStanding: true }, request: { contentClass: "plan_reminder" } })).decision, "allow");
  });

  it("cn.pause.cease-request: blocks every channel after the debtor asked contact to stop, except the attorney", () => {
    for (const channel of ["call", "sms", "letter"] as const) {
      assert.deepEqual(rulesOf(decide(cnScenario({ facts: { ceaseRequested: true }, request: { channel } }))), ["cn.pause.cease-request"]);
    }
    const persons: Persons = [
      { id: "p1", role: "borrower" },
      { id: "a1", role: "attorney" },
    ];
    assert.equal(decide(cnScenario({ persons, facts: { ceaseRequested: true }, request: { personId: "a1" } })).decision, "allow");
  });

  it("cn.pause.legal-representation: blocks the debtor and guarantor but not the attorney", () => {
    const persons: Persons = [
      { id: "p1", role: "borrower" },
      { id: "a1", role: "attorney" },
    ];
    assert.deepEqual(rulesOf(decide(cnScenario({ persons, facts: { attorneyRepresented: true } }))), ["cn.pause.legal-representation"]);
    assert.equal(decide(cnScenario({ persons, facts: { attorneyRepresented: true }, request: { personId: "a1" } })).decision, "allow");
  });

  it("cn.pause.deceased: blocks collection when the debtor has died", () => {
    const decision = decide(cnScenario({ facts: { deceased: true } }));
    assert.deepEqual([decision.decision, rulesOf(decision), decision.nextAllowedAt], ["block", ["cn.pause.deceased"], null]);
  });
});

describe("cn.agent-training: training over 365 days old bars dialling", () => {
  it("allows an agent trained 365 days ago and blocks one trained 366 days ago", () => {
    const facts = { agentTrainedOn: "2025-04-08" };
    assert.equal(decide(cnScenario({ facts, request: { at: shanghai("2026-04-08", "10:00") } })).decision, "allow");
    const stale = decide(cnScenario({ facts, request: { at: shanghai("2026-04-09", "10:00") } }));
    assert.deepEqual([stale.decision, rulesOf(stale)], ["block", ["cn.agent-training"]]);
    assert.match(stale.reasons[0]?.messageEn ?? "", /366 days ago/);
  });

  it("counts days on the Shanghai calendar: 23:59 and 00:00 fall on different days", () => {
    const facts = { agentTrainedOn: "2025-04-08" };
    // A schedule agreed for the whole day keeps the window out of the way.
    const persons: Persons = [{ id: "p1", agreedSchedule: [{ from: "00:00", to: "24:00" }] }];
    assert.equal(decide(cnScenario({ facts, persons, request: { at: shanghai("2026-04-08", "23:59") } })).decision, "allow");
    assert.equal(decide(cnScenario({ facts, persons, request: { at: shanghai("2026-04-09", "00:00") } })).decision, "block");
  });

  it("warns when the training date is unknown, and does not apply to texts", () => {
    const unknown = decide(cnScenario({ facts: { agentTrainedOn: undefined } }));
    assert.deepEqual([unknown.decision, rulesOf(unknown)], ["warn", ["cn.agent-training"]]);
    assert.equal(decide(cnScenario({ facts: { agentTrainedOn: "2020-01-01" }, request: { channel: "sms" } })).decision, "allow");
  });
});
