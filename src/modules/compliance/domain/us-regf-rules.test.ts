import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ScenarioInput } from "./scenario.js";
import { callsAt, days, decide, rulesOf, usScenario } from "./scenario-fixtures.js";

const newYork = (date: string, time: string) => `${date}T${time}:00-04:00`;
type Persons = NonNullable<ScenarioInput["persons"]>;
type History = NonNullable<ScenarioInput["history"]>;
const dailyCallsAt = (first: string, count: number, time = "10:00"): History =>
  callsAt(
    "p1",
    days(first, count).map((date) => newYork(date, time)),
  );

describe("us.call-frequency.seven-in-seven: no more than 7 calls in 7 consecutive days per person and debt", () => {
  it("allows the 7th call and defers the 8th until the oldest call leaves the 7 days", () => {
    const seventh = decide(usScenario({ history: dailyCallsAt("2026-04-02", 6), request: { at: newYork("2026-04-08", "15:00") } }));
    assert.equal(seventh.decision, "allow");
    const eighth = decide(usScenario({ history: dailyCallsAt("2026-04-02", 7), request: { at: newYork("2026-04-08", "15:00") } }));
    assert.equal(eighth.decision, "defer");
    assert.deepEqual(rulesOf(eighth), ["us.call-frequency.seven-in-seven"]);
    assert.equal(eighth.reasons[0]?.allowedFrom, "2026-04-09T04:00:00.000Z", "local midnight starting April 9");
    assert.equal(eighth.nextAllowedAt, "2026-04-09T12:00:00.000Z", "08:00 in New York");
    assert.match(eighth.reasons[0]?.source ?? "", /1006\.14\(b\)\(2\)\(i\)\(A\)/);
  });

  it("defers the 8th call of a single day for a week", () => {
    const history = callsAt(
      "p1",
      ["08:00", "08:15", "08:30", "08:45", "09:00", "09:15", "09:30"].map((time) => newYork("2026-04-08", time)),
    );
    const decision = decide(usScenario({ history, request: { at: newYork("2026-04-08", "15:00") } }));
    assert.equal(decision.decision, "defer");
    assert.equal(decision.nextAllowedAt, "2026-04-15T12:00:00.000Z");
  });

  it("counts unanswered calls and voicemails but not calls that never connected to the number", () => {
    const history = [...dailyCallsAt("2026-04-02", 6), ...callsAt("p1", [newYork("2026-04-08", "09:00")], "voicemail")];
    assert.equal(decide(usScenario({ history, request: { at: newYork("2026-04-08", "15:00") } })).decision, "defer");
    const busy = [...dailyCallsAt("2026-04-02", 6), ...callsAt("p1", [newYork("2026-04-08", "09:00")], "not_connected")];
    assert.equal(decide(usScenario({ history: busy, request: { at: newYork("2026-04-08", "15:00") } })).decision, "allow");
  });

  it("does not count the consumer's own calls or calls about another debt, but counts a call about several debts for each", () => {
    const inbound = [...dailyCallsAt("2026-04-02", 6), ...callsAt("p1", [newYork("2026-04-08", "09:00")], "no_answer", { direction: "inbound" })];
    assert.equal(decide(usScenario({ history: inbound, request: { at: newYork("2026-04-08", "15:00") } })).decision, "allow");
    const otherDebt = [...dailyCallsAt("2026-04-02", 6), ...callsAt("p1", [newYork("2026-04-08", "09:00")], "no_answer", { debtIds: ["d2"] })];
    assert.equal(decide(usScenario({ history: otherDebt, request: { at: newYork("2026-04-08", "15:00") } })).decision, "allow");
    const bothDebts = [...dailyCallsAt("2026-04-02", 6), ...callsAt("p1", [newYork("2026-04-08", "09:00")], "no_answer", { debtIds: ["d2", "d1"] })];
    assert.equal(decide(usScenario({ history: bothDebts, request: { at: newYork("2026-04-08", "15:00") } })).decision, "defer");
  });

  it("counts the 7 days on the consumer's calendar: 23:30 on April 1 in New York is outside April 2–8", () => {
    const history = [...dailyCallsAt("2026-04-02", 6), ...callsAt("p1", ["2026-04-01T23:30:00-04:00"])];
    assert.equal(decide(usScenario({ history, request: { at: newYork("2026-04-08", "15:00") } })).decision, "allow");
  });

  it("finds the day boundary across the DST change: midnight starting March 9 is 04:00Z", () => {
    const history = callsAt(
      "p1",
      days("2026-03-02", 7).map((date) => `${date}T10:00:00${date < "2026-03-08" ? "-05:00" : "-04:00"}`),
    );
    const decision = decide(usScenario({ history, request: { at: "2026-03-08T15:00:00-04:00" } }));
    assert.equal(decision.reasons[0]?.allowedFrom, "2026-03-09T04:00:00.000Z");
    assert.equal(decision.nextAllowedAt, "2026-03-09T12:00:00.000Z");
  });

  it("does not apply to calls to the consumer's attorney", () => {
    const persons: Persons = [
      { id: "p1", role: "borrower", timeZones: ["America/New_York"] },
      { id: "a1", role: "attorney", timeZones: ["America/New_York"] },
    ];
    const history = callsAt(
      "a1",
      days("2026-04-02", 7).map((date) => newYork(date, "10:00")),
    );
    assert.equal(decide(usScenario({ persons, history, request: { at: newYork("2026-04-08", "15:00"), personId: "a1" } })).decision, "allow");
  });
});

describe("us.call-frequency.seven-in-seven and after-conversation: direct prior consent (1006.14(b)(3)(i))", () => {
  const conversation = callsAt("p1", [newYork("2026-04-06", "10:00")], "conversation");

  it("excludes a call under consent, and counts it once the consent has run out (validUntil)", () => {
    const consents = [{ personId: "p1", channel: "call" as const, givenAt: newYork("2026-04-06", "10:05"), validUntil: newYork("2026-04-08", "10:00") }];
    assert.equal(decide(usScenario({ history: conversation, consents, request: { at: newYork("2026-04-08", "09:59") } })).decision, "allow");
    const expired = decide(usScenario({ history: conversation, consents, request: { at: newYork("2026-04-08", "10:00") } }));
    assert.deepEqual(rulesOf(expired), ["us.call-frequency.after-conversation"]);
    assert.equal(expired.nextAllowedAt, "2026-04-13T12:00:00.000Z");
  });

  it("ends consent when it is revoked", () => {
    const consents = [{ personId: "p1", givenAt: newYork("2026-04-06", "10:05"), revokedAt: newYork("2026-04-07", "12:00") }];
    assert.equal(decide(usScenario({ history: conversation, consents, request: { at: newYork("2026-04-07", "11:59") } })).decision, "allow");
    assert.equal(decide(usScenario({ history: conversation, consents, request: { at: newYork("2026-04-07", "12:00") } })).decision, "defer");
  });

  it("lets a telephone conversation use the consent up", () => {
    const consents = [{ personId: "p1", givenAt: newYork("2026-04-06", "10:05") }];
    const calledBack = [...conversation, ...callsAt("p1", [newYork("2026-04-07", "11:00")], "conversation")];
    const decision = decide(usScenario({ history: calledBack, consents, request: { at: newYork("2026-04-07", "15:00") } }));
    assert.deepEqual(rulesOf(decision), ["us.call-frequency.after-conversation"]);
    assert.equal(decision.nextAllowedAt, "2026-04-14T12:00:00.000Z", "seven days from the call-back");
  });

  it("lasts 7 days with the day of consent as day 1: calls on day 7 are excluded, calls on day 8 count", () => {
    const eightCallsOnApril8 = callsAt(
      "p1",
      ["08:00", "08:10", "08:20", "08:30", "08:40", "08:50", "09:00"].map((time) => newYork("2026-04-08", time)),
    );
    const givenApril2 = [{ personId: "p1", givenAt: newYork("2026-04-02", "07:00") }];
    assert.notEqual(
      decide(usScenario({ history: eightCallsOnApril8, consents: givenApril2, request: { at: newYork("2026-04-08", "10:00") } })).decision,
      "defer",
    );
    const givenApril1 = [{ personId: "p1", givenAt: newYork("2026-04-01", "07:00") }];
    assert.equal(decide(usScenario({ history: eightCallsOnApril8, consents: givenApril1, request: { at: newYork("2026-04-08", "10:00") } })).decision, "defer");
  });

  it("applies a lender's shorter consent window of 3 days", () => {
    const consents = [{ personId: "p1", givenAt: newYork("2026-04-06", "10:05") }];
    const options = { overrides: { consentWindowDays: 3 } };
    assert.equal(decide(usScenario({ history: conversation, consents, request: { at: newYork("2026-04-08", "20:00") } }), options).decision, "allow");
    assert.equal(decide(usScenario({ history: conversation, consents, request: { at: newYork("2026-04-09", "08:00") } }), options).decision, "defer");
  });

  it("covers only the debts the consent names", () => {
    const consents = [{ personId: "p1", givenAt: newYork("2026-04-06", "10:05"), debtIds: ["d2"] }];
    assert.equal(decide(usScenario({ history: conversation, consents, request: { at: newYork("2026-04-07", "10:00") } })).decision, "defer");
  });
});

describe("us.call-frequency.after-conversation: no call within 7 days after a conversation, its day being day 1", () => {
  it("defers a call on day 7 and allows one on day 8", () => {
    const history = callsAt("p1", [newYork("2026-04-01", "10:00")], "conversation");
    const day7 = decide(usScenario({ history, request: { at: newYork("2026-04-07", "20:00") } }));
    assert.deepEqual(rulesOf(day7), ["us.call-frequency.after-conversation"]);
    assert.equal(day7.reasons[0]?.allowedFrom, "2026-04-08T04:00:00.000Z");
    assert.equal(day7.nextAllowedAt, "2026-04-08T12:00:00.000Z");
    assert.equal(decide(usScenario({ history, request: { at: newYork("2026-04-08", "08:00") } })).decision, "allow");
  });

  it("counts a conversation the consumer started, but not one about another debt or by text", () => {
    const inbound = callsAt("p1", [newYork("2026-04-05", "10:00")], "conversation", { direction: "inbound" });
    assert.equal(decide(usScenario({ history: inbound, request: { at: newYork("2026-04-08", "10:00") } })).decision, "defer");
    const otherDebt = callsAt("p1", [newYork("2026-04-05", "10:00")], "conversation", { debtIds: ["d2"] });
    assert.equal(decide(usScenario({ history: otherDebt, request: { at: newYork("2026-04-08", "10:00") } })).decision, "allow");
    const byText = callsAt("p1", [newYork("2026-04-05", "10:00")], "conversation", { channel: "sms" });
    assert.equal(decide(usScenario({ history: byText, request: { at: newYork("2026-04-08", "10:00") } })).decision, "allow");
  });

  it("does not hold back a text message", () => {
    const history = callsAt("p1", [newYork("2026-04-07", "10:00")], "conversation");
    const text = "Acme Lending: this is a communication from a debt collector. Reply STOP to opt out.";
    assert.equal(
      decide(usScenario({ history, facts: { institutionName: "Acme Lending" }, request: { at: newYork("2026-04-08", "10:00"), channel: "sms", text } }))
        .decision,
      "allow",
    );
  });
});

describe("us.call-frequency.rapid-succession: warn about calls that rebut the presumption", () => {
  it("warns about a call 4 minutes after the last one but not 5 minutes after", () => {
    const history = callsAt("p1", [newYork("2026-04-08", "09:56")]);
    const rapid = decide(usScenario({ history }));
    assert.deepEqual([rapid.decision, rulesOf(rapid)], ["warn", ["us.call-frequency.rapid-succession"]]);
    assert.equal(decide(usScenario({ history: callsAt("p1", [newYork("2026-04-08", "09:55")]) })).decision, "allow");
  });

  it("warns about the 4th call to a person in a local day, any debt", () => {
    const three = callsAt("p1", [newYork("2026-04-08", "08:00"), newYork("2026-04-08", "08:30")], "no_answer").concat(
      callsAt("p1", [newYork("2026-04-08", "09:00")], "no_answer", { debtIds: ["d2"] }),
    );
    assert.deepEqual(rulesOf(decide(usScenario({ history: three }))), ["us.call-frequency.rapid-succession"]);
    assert.equal(decide(usScenario({ history: three.slice(1) })).decision, "allow");
  });
});

describe("us.call-frequency.after-consumer-ended: warn about a call right after the consumer ended a conversation", () => {
  it("warns within 120 minutes and not after", () => {
    const ended = (time: string) => callsAt("p1", [newYork("2026-04-08", time)], "conversation", { debtIds: ["d2"], endedByConsumer: true });
    assert.deepEqual(rulesOf(decide(usScenario({ history: ended("08:01") }))), ["us.call-frequency.after-consumer-ended"]);
    assert.equal(decide(usScenario({ history: ended("08:00") })).decision, "allow");
  });
});

describe("us.inconvenient-time: not before 8:00 or after 21:00 local, in every zone the consumer may be in", () => {
  it("defers 07:59 to 08:00, allows 08:00 and 20:59, defers 21:00 to the next morning", () => {
    const early = decide(usScenario({ request: { at: newYork("2026-04-08", "07:59") } }));
    assert.deepEqual([early.decision, rulesOf(early), early.nextAllowedAt], ["defer", ["us.inconvenient-time"], "2026-04-08T12:00:00.000Z"]);
    assert.equal(decide(usScenario({ request: { at: newYork("2026-04-08", "08:00") } })).decision, "allow");
    assert.equal(decide(usScenario({ request: { at: newYork("2026-04-08", "20:59") } })).decision, "allow");
    assert.equal(decide(usScenario({ request: { at: newYork("2026-04-08", "21:00") } })).nextAllowedAt, "2026-04-09T12:00:00.000Z");
  });

  it("follows New York's DST changes on 2026-03-08 and 2026-11-01", () => {
    assert.equal(decide(usScenario({ request: { at: "2026-03-08T11:59:00Z" } })).nextAllowedAt, "2026-03-08T12:00:00.000Z");
    assert.equal(decide(usScenario({ request: { at: "2026-03-08T12:00:00Z" } })).decision, "allow");
    assert.equal(decide(usScenario({ request: { at: "2026-03-07T12:59:00Z" } })).nextAllowedAt, "2026-03-07T13:00:00.000Z");
    assert.equal(decide(usScenario({ request: { at: "2026-11-01T12:30:00Z" } })).nextAllowedAt, "2026-11-01T13:00:00.000Z");
    assert.equal(decide(usScenario({ request: { at: "2026-10-31T11:30:00Z" } })).nextAllowedAt, "2026-10-31T12:00:00.000Z");
    // 01:30 happens twice on November 1; both are too early.
    assert.equal(decide(usScenario({ request: { at: "2026-11-01T05:30:00Z" } })).nextAllowedAt, "2026-11-01T13:00:00.000Z");
    assert.equal(decide(usScenario({ request: { at: "2026-11-01T06:30:00Z" } })).nextAllowedAt, "2026-11-01T13:00:00.000Z");
  });

  it("follows London's change on 2026-10-25 for a consumer there", () => {
    const persons: Persons = [{ id: "p1", timeZones: ["Europe/London"] }];
    assert.equal(decide(usScenario({ persons, request: { at: "2026-10-25T07:30:00Z" } })).nextAllowedAt, "2026-10-25T08:00:00.000Z");
    assert.equal(decide(usScenario({ persons, request: { at: "2026-10-24T06:30:00Z" } })).nextAllowedAt, "2026-10-24T07:00:00.000Z");
  });

  it("intersects every zone a consumer may be in: New York and Los Angeles open at 11:00 Eastern", () => {
    const persons: Persons = [{ id: "p1", timeZones: ["America/New_York", "America/Los_Angeles"] }];
    const decision = decide(usScenario({ persons, request: { at: newYork("2026-04-08", "10:30") } }));
    assert.equal(decision.nextAllowedAt, "2026-04-08T15:00:00.000Z");
    assert.match(decision.reasons[0]?.messageEn ?? "", /America\/Los_Angeles/);
    assert.equal(decide(usScenario({ persons, request: { at: newYork("2026-04-08", "11:00") } })).decision, "allow");
  });

  it("assumes every US zone when the location is unknown, so noon Eastern waits for 08:00 in Honolulu", () => {
    const decision = decide(usScenario({ persons: [{ id: "p1" }], request: { at: newYork("2026-04-08", "12:00") } }));
    assert.equal(decision.nextAllowedAt, "2026-04-08T18:00:00.000Z");
  });

  it("blocks when the zones never share a convenient hour", () => {
    const persons: Persons = [{ id: "p1", timeZones: ["America/New_York", "Asia/Tokyo", "Europe/London"] }];
    const decision = decide(usScenario({ persons }));
    assert.deepEqual([decision.decision, rulesOf(decision), decision.nextAllowedAt], ["block", ["us.inconvenient-time"], null]);
  });

  it("holds e-mails to the time they are sent, but not letters", () => {
    const email = decide(usScenario({ request: { at: newYork("2026-04-08", "22:00"), channel: "email" } }));
    assert.ok(rulesOf(email).includes("us.inconvenient-time"));
    assert.equal(decide(usScenario({ request: { at: newYork("2026-04-08", "22:00"), channel: "letter" } })).decision, "allow");
  });
});

describe("us.inconvenient-time.consumer-named: not at a time the consumer named as inconvenient", () => {
  const persons: Persons = [{ id: "p1", timeZones: ["America/New_York"], inconvenientTimes: [{ days: ["sat", "sun"], from: "00:00", to: "24:00" }] }];

  it("defers a Saturday call to Monday 08:00 and allows a weekday", () => {
    const saturday = decide(usScenario({ persons, request: { at: newYork("2026-04-11", "10:00") } }));
    assert.deepEqual(rulesOf(saturday), ["us.inconvenient-time.consumer-named"]);
    assert.equal(saturday.reasons[0]?.allowedFrom, "2026-04-13T04:00:00.000Z");
    assert.equal(saturday.nextAllowedAt, "2026-04-13T12:00:00.000Z");
    assert.equal(decide(usScenario({ persons, request: { at: newYork("2026-04-10", "10:00") } })).decision, "allow");
  });
});

describe("us.medium-opt-out: not through a medium the person refused; no calls after a stop-calling request", () => {
  it("blocks texts to a person who opted out of texts, but still allows a call", () => {
    const persons: Persons = [{ id: "p1", timeZones: ["America/New_York"], optOuts: ["sms"] }];
    const text = decide(usScenario({ persons, request: { channel: "sms" } }));
    assert.equal(text.decision, "block");
    assert.ok(rulesOf(text).includes("us.medium-opt-out"));
    assert.equal(decide(usScenario({ persons })).decision, "allow");
  });

  it("blocks calls and robot calls after a stop-calling request, not letters", () => {
    assert.deepEqual(rulesOf(decide(usScenario({ facts: { stopCalling: true } }))), ["us.medium-opt-out"]);
    assert.deepEqual(rulesOf(decide(usScenario({ facts: { stopCalling: true }, request: { channel: "voice_robot" } }))), ["us.medium-opt-out"]);
    assert.equal(decide(usScenario({ facts: { stopCalling: true }, request: { channel: "letter" } })).decision, "allow");
  });
});

describe("us.cease-communication, us.attorney-represented, us.dispute-verification, us.deceased: standing blocks", () => {
  const persons: Persons = [
    { id: "p1", role: "borrower", timeZones: ["America/New_York"] },
    { id: "a1", role: "attorney", timeZones: ["America/New_York"] },
  ];

  it("us.cease-communication: blocks every channel after a cease request, but the attorney may be contacted", () => {
    for (const channel of ["call", "sms", "email", "letter"] as const) {
      const decision = decide(usScenario({ persons, facts: { ceaseRequested: true }, request: { channel } }));
      assert.equal(decision.decision, "block");
      assert.ok(rulesOf(decision).includes("us.cease-communication"));
    }
    assert.equal(decide(usScenario({ persons, facts: { ceaseRequested: true }, request: { personId: "a1" } })).decision, "allow");
  });

  it("us.attorney-represented: blocks the consumer, not the attorney", () => {
    assert.deepEqual(rulesOf(decide(usScenario({ persons, facts: { attorneyRepresented: true } }))), ["us.attorney-represented"]);
    assert.equal(decide(usScenario({ persons, facts: { attorneyRepresented: true }, request: { personId: "a1" } })).decision, "allow");
  });

  it("us.dispute-verification: blocks collection while a dispute awaits verification", () => {
    const decision = decide(usScenario({ facts: { disputeOpen: true } }));
    assert.deepEqual([decision.decision, rulesOf(decision), decision.nextAllowedAt], ["block", ["us.dispute-verification"], null]);
  });

  it("us.deceased: blocks contact with a deceased consumer", () => {
    assert.deepEqual(rulesOf(decide(usScenario({ persons, facts: { deceased: true } }))), ["us.deceased"]);
    assert.equal(decide(usScenario({ persons, facts: { deceased: true }, request: { personId: "a1" } })).decision, "allow");
  });
});

describe("us.third-party.location-only: third parties only for location information, once", () => {
  const persons: Persons = [
    { id: "p1", role: "borrower", timeZones: ["America/New_York"] },
    { id: "n1", role: "third_party", timeZones: ["America/New_York"] },
  ];
  const request = { personId: "n1", contentClass: "location_only" as const };

  it("allows a first location call and blocks a collection call", () => {
    assert.equal(decide(usScenario({ persons, request })).decision, "allow");
    const collection = decide(usScenario({ persons, request: { ...request, contentClass: "collection" } }));
    assert.deepEqual([collection.decision, rulesOf(collection)], ["block", ["us.third-party.location-only"]]);
  });

  it("blocks a second communication, unless the first attempt never reached them or they asked to be called again", () => {
    const reached = callsAt("n1", [newYork("2026-04-01", "10:00")], "conversation");
    assert.equal(decide(usScenario({ persons, history: reached, request })).decision, "block");
    const unanswered = callsAt("n1", [newYork("2026-04-01", "10:00")], "no_answer");
    assert.equal(decide(usScenario({ persons, history: unanswered, request })).decision, "allow");
    const askedAgain: Persons = [
      persons[0] as Persons[number],
      { id: "n1", role: "third_party", timeZones: ["America/New_York"], locationContactRequested: true },
    ];
    assert.equal(decide(usScenario({ persons: askedAgain, history: reached, request })).decision, "allow");
  });

  it("blocks location calls once the consumer has an attorney, and content that mentions the debt", () => {
    assert.equal(decide(usScenario({ persons, facts: { attorneyRepresented: true }, request })).decision, "block");
    const text = "Hi, this is Robin Smith. We are trying to reach John Doe about his overdue loan.";
    assert.deepEqual([...new Set(rulesOf(decide(usScenario({ persons, request: { ...request, text } }))))], ["us.content.debt-disclosure"]);
  });
});

describe("us.limited-content: a voicemail for the consumer with only the allowed content", () => {
  const facts = { institutionName: "ABC, Inc." };
  const text = "This is {{agentName}} calling from ABC, Inc. Please contact me at {{callbackNumber}}.";

  it("allows a limited-content voicemail by call and blocks one by text or to a third party", () => {
    assert.equal(decide(usScenario({ facts, request: { contentClass: "limited_content", text } })).decision, "allow");
    const byText = decide(usScenario({ facts, request: { contentClass: "limited_content", channel: "sms", text } }));
    assert.ok(rulesOf(byText).includes("us.limited-content"));
    const persons: Persons = [
      { id: "p1", role: "borrower", timeZones: ["America/New_York"] },
      { id: "n1", role: "third_party", timeZones: ["America/New_York"] },
    ];
    const toThirdParty = decide(usScenario({ persons, facts, request: { personId: "n1", contentClass: "limited_content", text } }));
    assert.ok(rulesOf(toThirdParty).includes("us.limited-content"));
  });

  it("blocks a voicemail that mentions the balance", () => {
    const decision = decide(usScenario({ facts, request: { contentClass: "limited_content", text: `${text} About your balance.` } }));
    assert.deepEqual(
      decision.reasons.map((reason) => [reason.rule, reason.span?.text]),
      [["us.limited-content", "balance"]],
    );
  });
});

describe("us.scope.first-party-creditor: a creditor collecting its own debts is outside Regulation F", () => {
  it("skips Regulation F rules but still blocks threats", () => {
    const history = dailyCallsAt("2026-04-02", 7);
    const exempt = decide(usScenario({ history, facts: { firstPartyCreditor: true }, request: { at: newYork("2026-04-08", "15:00") } }));
    assert.deepEqual([exempt.decision, rulesOf(exempt)], ["allow", ["us.scope.first-party-creditor"]]);
    assert.equal(exempt.reasons[0]?.effect, "info");
    const threat = decide(usScenario({ facts: { firstPartyCreditor: true }, request: { channel: "sms", text: "Pay now or you will be arrested." } }));
    assert.deepEqual(
      [threat.decision, rulesOf(threat)],
      ["block", ["us.content.false-consequence", "us.scope.first-party-creditor"]],
      "blocks first, then the note",
    );
  });

  it("applies Regulation F anyway when the lender turns the exemption off", () => {
    const history = dailyCallsAt("2026-04-02", 7);
    const decision = decide(usScenario({ history, facts: { firstPartyCreditor: true }, request: { at: newYork("2026-04-08", "15:00") } }), {
      overrides: { exemptsFirstPartyCreditor: false },
    });
    assert.equal(decision.decision, "defer");
  });
});

describe("us.content.opt-out-notice and us.content.debt-collector-disclosure in decisions", () => {
  const facts = { institutionName: "Acme Lending" };

  it("us.content.opt-out-notice: blocks a text without an opt-out and warns when the text is not supplied", () => {
    const missing = decide(usScenario({ facts, request: { channel: "sms", text: "Acme Lending: this is a communication from a debt collector." } }));
    assert.deepEqual([missing.decision, rulesOf(missing)], ["block", ["us.content.opt-out-notice"]]);
    const unknown = decide(usScenario({ facts, request: { channel: "email" } }));
    assert.deepEqual([unknown.decision, rulesOf(unknown)], ["warn", ["us.content.opt-out-notice"]]);
  });

  it("us.content.debt-collector-disclosure: blocks collection text without the disclosure", () => {
    const decision = decide(usScenario({ facts, request: { channel: "sms", text: "Acme Lending: please pay today. Reply STOP to opt out." } }));
    assert.deepEqual(rulesOf(decision), ["us.content.debt-collector-disclosure"]);
  });
});
