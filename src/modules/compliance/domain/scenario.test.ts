import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decideContact } from "./contact-decision.js";
import { formatPath, normalizeScenario, parseScenario, type ScenarioInput } from "./scenario.js";

const contractExample = {
  pack: "us-regf",
  request: { at: "2026-04-08T10:00:00-04:00", channel: "call", personId: "p1", debtId: "d1", contentClass: "collection" },
  persons: [
    {
      id: "p1",
      role: "borrower",
      timeZones: ["America/New_York"],
      preAgreed: true,
      refusedContact: false,
      optOuts: ["sms"],
      inconvenientTimes: [{ days: ["sat", "sun"], from: "00:00", to: "24:00" }],
    },
  ],
  facts: {
    debtorReachable: true,
    complaintOpen: false,
    disputeOpen: false,
    ceaseRequested: false,
    stopCalling: false,
    planInGoodStanding: false,
    attorneyRepresented: false,
    deceased: false,
    firstPartyCreditor: false,
    agentTrainedOn: "2026-01-05",
  },
  history: [{ at: "2026-04-01T10:00:00-04:00", channel: "call", direction: "outbound", personId: "p1", debtIds: ["d1"], outcome: "no_answer" }],
  consents: [{ personId: "p1", channel: "call", givenAt: "2026-03-01T10:00:00-05:00" }],
};

function errorsOf(input: unknown): { path: string; message: string }[] {
  const parsed = parseScenario(input);
  assert.equal(parsed.ok, false, "expected the scenario to be rejected");
  return parsed.ok ? [] : parsed.errors;
}

describe("parseScenario", () => {
  it("accepts the contract's example and decides it", () => {
    const parsed = parseScenario(contractExample);
    assert.ok(parsed.ok);
    assert.equal(parsed.scenario.request.atMs, Date.parse("2026-04-08T14:00:00Z"));
    assert.deepEqual(parsed.scenario.persons[0]?.inconvenientTimes, [{ days: ["sat", "sun"], fromMinutes: 0, toMinutes: 1440 }]);
    assert.equal(decideContact(parsed.scenario).decision, "allow");
  });

  it("accepts a minimal scenario and fills safe defaults", () => {
    const parsed = parseScenario({ pack: "cn-default", request: { at: "2026-04-08T10:00:00+08:00", channel: "sms", personId: "p1" } });
    assert.ok(parsed.ok);
    const scenario = parsed.scenario;
    assert.equal(scenario.request.contentClass, "collection");
    assert.equal(scenario.request.debtId, null);
    assert.deepEqual(scenario.persons, [
      {
        id: "p1",
        role: "borrower",
        timeZones: [],
        preAgreed: false,
        refusedContact: false,
        optOuts: [],
        inconvenientTimes: [],
        agreedSchedule: null,
        locationContactRequested: false,
      },
    ]);
    assert.equal(scenario.facts.debtorReachable, null);
    assert.equal(decideContact(scenario).decision, "allow");
  });

  it("names the failing field paths", () => {
    const errors = errorsOf({
      pack: "us-regf",
      request: { at: "2026-04-08 10:00", channel: "fax", personId: "p1" },
      persons: [{ id: "p1", timeZones: ["America/New_York", "Mars/Olympus_Mons"] }],
      history: [
        { at: "2026-04-01T10:00:00Z", channel: "call", personId: "p1", outcome: "no_answer" },
        { at: "2026-04-01T10:00:00Z", channel: "call", personId: "p1", outcome: "no_answer" },
        { at: "2026-04-01T10:00:00Z", channel: "call", personId: "p1", outcome: "no_answer" },
        { at: "2026-04-01T10:00:00Z", channel: "call", personId: "p1", outcome: "answered" },
      ],
    });
    assert.deepEqual(errors.map((error) => error.path).sort(), ["history[3].outcome", "persons[0].timeZones[1]", "request.at", "request.channel"]);
    assert.match(errors.find((error) => error.path === "persons[0].timeZones[1]")?.message ?? "", /IANA/);
  });

  it("names an unknown pack, also next to other problems", () => {
    assert.deepEqual(
      errorsOf({ pack: "mars-default", request: { at: "2026-04-08T10:00:00Z", channel: "call", personId: "p1" } }).map((error) => error.path),
      ["pack"],
    );
    const errors = errorsOf({ pack: "mars-default", request: { at: "yesterday", channel: "call", personId: "p1" } });
    assert.deepEqual(errors.map((error) => error.path).sort(), ["pack", "request.at"]);
  });

  it("names a request before the pack's first version by its time", () => {
    assert.deepEqual(
      errorsOf({ pack: "cn-default", request: { at: "2020-01-01T10:00:00+08:00", channel: "call", personId: "p1" } }).map((error) => error.path),
      ["request.at"],
    );
  });

  it("requires instants with a UTC offset, dates as YYYY-MM-DD and clock times as HH:MM", () => {
    const errors = errorsOf({
      pack: "us-regf",
      request: { at: "2026-04-08T10:00:00", channel: "call", personId: "p1" },
      persons: [{ id: "p1", inconvenientTimes: [{ from: "9am", to: "17:00" }] }],
      facts: { agentTrainedOn: "2026-02-30" },
      consents: [{ personId: "p1", givenAt: "2026-04-01T10:00:00-04:00", validUntil: "soon" }],
    });
    assert.deepEqual(errors.map((error) => error.path).sort(), [
      "consents[0].validUntil",
      "facts.agentTrainedOn",
      "persons[0].inconvenientTimes[0].from",
      "request.at",
    ]);
  });

  it("refuses duplicate people, a request for someone not listed and a consent that ends before it starts", () => {
    const errors = errorsOf({
      pack: "us-regf",
      request: { at: "2026-04-08T10:00:00-04:00", channel: "call", personId: "p9" },
      persons: [{ id: "p1" }, { id: "p1" }],
      consents: [{ personId: "p1", givenAt: "2026-04-08T10:00:00-04:00", validUntil: "2026-04-07T10:00:00-04:00" }],
    });
    assert.deepEqual(errors.map((error) => error.path).sort(), ["consents[0].validUntil", "persons[1].id", "request.personId"]);
  });

  it("names an override that loosens a statutory limit by its path", () => {
    const errors = errorsOf({
      pack: "cn-default",
      request: { at: "2026-04-08T10:00:00+08:00", channel: "call", personId: "p1" },
      overrides: { voiceContactsPerDayMax: 5 },
    });
    assert.deepEqual(
      errors.map((error) => error.path),
      ["overrides.voiceContactsPerDayMax"],
    );
  });

  it("gives the same scenario through the fast path for trusted input", () => {
    const parsed = parseScenario(contractExample);
    assert.ok(parsed.ok);
    assert.deepEqual(normalizeScenario(contractExample as ScenarioInput), parsed.scenario);
  });

  it("formats paths the way the API reports them", () => {
    assert.equal(formatPath(["persons", 0, "timeZones", 1]), "persons[0].timeZones[1]");
    assert.equal(formatPath(["request", "at"]), "request.at");
    assert.equal(formatPath([]), "");
  });
});
