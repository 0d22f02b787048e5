// Builders for the compliance tests: scenarios from timelines ("calls at these local times"),
// parsed through parseScenario so the tests exercise the same path the gateway's preview does.
import { type ContactDecision, type DecideOptions, decideContact } from "./contact-decision.js";
import type { ContactOutcome } from "./contact-vocabulary.js";
import { type ContactScenario, parseScenario, type ScenarioInput } from "./scenario.js";

type HistoryInput = NonNullable<ScenarioInput["history"]>[number];
/** What a test changes: any top-level field, and any part of the request. */
export type ScenarioChanges = Omit<Partial<ScenarioInput>, "request"> & { request?: Partial<ScenarioInput["request"]> };

export function scenarioOf(input: ScenarioInput): ContactScenario {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(`test scenario is invalid: ${JSON.stringify(parsed.errors)}`);
  return parsed.scenario;
}

export function decide(input: ScenarioInput, options?: DecideOptions): ContactDecision {
  return decideContact(scenarioOf(input), options);
}

export function rulesOf(decision: ContactDecision): string[] {
  return decision.reasons.map((reason) => reason.rule);
}

/** Outbound calls to a person at the given instants. */
export function callsAt(
  personId: string,
  instants: readonly string[],
  outcome: ContactOutcome = "no_answer",
  extra: Partial<HistoryInput> = {},
): HistoryInput[] {
  return instants.map((at) => ({ at, channel: "call", direction: "outbound", personId, debtIds: ["d1"], outcome, ...extra }));
}

/** "2026-04-08" + "10:00" + "-04:00" → "2026-04-08T10:00:00-04:00". */
export function at(date: string, time: string, offset: string): string {
  return `${date}T${time}:00${offset}`;
}

/** The dates from `first` for `count` days, e.g. days("2026-04-02", 3) → 04-02, 04-03, 04-04. */
export function days(first: string, count: number): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: count }, (_, index) => new Date(start + index * 86_400_000).toISOString().slice(0, 10));
}

/** A borrower in New York under Regulation F; override what a test needs. */
export function usScenario(changes: ScenarioChanges = {}): ScenarioInput {
  const { request, ...rest } = changes;
  return {
    pack: "us-regf",
    persons: [{ id: "p1", role: "borrower", timeZones: ["America/New_York"] }],
    ...rest,
    request: { at: "2026-04-08T10:00:00-04:00", channel: "call", personId: "p1", debtId: "d1", contentClass: "collection", ...request },
  };
}

/** A borrower in Shanghai under cn-default, served by an agent trained this year; override what a test needs. */
export function cnScenario(changes: ScenarioChanges = {}): ScenarioInput {
  const { request, facts, ...rest } = changes;
  return {
    pack: "cn-default",
    persons: [{ id: "p1", role: "borrower", timeZones: ["Asia/Shanghai"] }],
    ...rest,
    facts: { agentTrainedOn: "2026-01-05", ...facts },
    request: { at: "2026-04-08T10:00:00+08:00", channel: "call", personId: "p1", debtId: "d1", contentClass: "collection", ...request },
  };
}
