// A contact scenario: the contact asked for, the people involved, the facts of the case, the
// contact history and any call consents. parseScenario validates JSON with zod and names the
// failing field (`persons[0].timeZones[1]`); normalizeScenario is the fast path for trusted input
// (the gateway's own rows) and skips validation. Both turn ISO instants into epoch milliseconds
// once, so the engine never parses a date.
import { z } from "zod";
import { isPlainDate, type PlainDate } from "../../../platform/plain-date.js";
import {
  type Channel,
  type ContactOutcome,
  type ContentClass,
  channels,
  contactOutcomes,
  contentClasses,
  type Direction,
  directions,
  type Locale,
  locales,
  type PersonRole,
  personRoles,
} from "./contact-vocabulary.js";
import type { LocalTimeRange } from "./contact-window.js";
import { isTimeZone, minutesOfClock, type Weekday, weekdays } from "./local-time.js";
import type { ParameterValue } from "./pack-parameters.js";
import { defaultPackRegistry, type PackOverrides, type PackRegistry, packVersionAt, RulePackError, resolveVersion } from "./rule-packs.js";

export interface ContactRequest {
  /** The instant as given, e.g. "2026-04-08T10:00:00-04:00"; "now" for the decision. */
  at: string;
  atMs: number;
  channel: Channel;
  personId: string;
  /** null: the contact is about every debt of the person. */
  debtId: string | null;
  contentClass: ContentClass;
  text: string | null;
  agentId: string | null;
  /** Language of `message` in the reasons; null picks the pack's (zh-CN for cn, en for us). */
  locale: Locale | null;
}

export interface ContactPerson {
  id: string;
  role: PersonRole;
  /** IANA zones the person may be in; empty means unknown (the pack's default applies). */
  timeZones: readonly string[];
  preAgreed: boolean;
  refusedContact: boolean;
  optOuts: readonly Channel[];
  inconvenientTimes: readonly LocalTimeRange[];
  /** A contact schedule agreed with the person; replaces the cn default window. */
  agreedSchedule: readonly LocalTimeRange[] | null;
  /** A third party asked to be contacted again (1006.10(b)(3)). */
  locationContactRequested: boolean;
}

export interface ContactFacts {
  /** null when unknown: reachability is then computed from the history. */
  debtorReachable: boolean | null;
  complaintOpen: boolean;
  disputeOpen: boolean;
  ceaseRequested: boolean;
  stopCalling: boolean;
  planInGoodStanding: boolean;
  attorneyRepresented: boolean;
  deceased: boolean;
  firstPartyCreditor: boolean;
  agentTrainedOn: PlainDate | null;
  institutionName: string | null;
}

export interface ContactHistoryItem {
  atMs: number;
  channel: Channel;
  direction: Direction;
  personId: string;
  /** null: the item concerns every debt of the person. */
  debtIds: readonly string[] | null;
  outcome: ContactOutcome;
  /** The person ended the conversation (hung up, asked to stop talking). */
  endedByConsumer: boolean;
}

export interface CallConsent {
  personId: string;
  channel: Channel;
  givenAtMs: number;
  validFromMs: number;
  validUntilMs: number | null;
  revokedAtMs: number | null;
  debtIds: readonly string[] | null;
}

export interface ContactScenario {
  pack: string;
  request: ContactRequest;
  persons: readonly ContactPerson[];
  facts: ContactFacts;
  history: readonly ContactHistoryItem[];
  consents: readonly CallConsent[];
  overrides: PackOverrides | null;
}

const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function isInstant(value: string): boolean {
  return instantPattern.test(value) && Number.isFinite(Date.parse(value));
}

const instant = z.string().refine(isInstant, { message: "must be an ISO 8601 date-time with a UTC offset, e.g. 2026-04-08T10:00:00-04:00" });
const identifier = z.string().min(1).max(200);
const clock = z.string().refine((value) => minutesOfClock(value) !== null, { message: "must be a local time HH:MM (00:00–24:00)" });
const timeZone = z.string().refine(isTimeZone, { message: "is not a known IANA time zone" });

const timeRangeSchema = z.object({
  days: z.array(z.enum(weekdays)).optional(),
  from: clock,
  to: clock,
});

const personSchema = z.object({
  id: identifier,
  role: z.enum(personRoles).optional(),
  timeZones: z.array(timeZone).max(20).optional(),
  preAgreed: z.boolean().optional(),
  refusedContact: z.boolean().optional(),
  optOuts: z.array(z.enum(channels)).optional(),
  inconvenientTimes: z.array(timeRangeSchema).max(50).optional(),
  agreedSchedule: z.array(timeRangeSchema).max(50).optional(),
  locationContactRequested: z.boolean().optional(),
});

const scenarioSchema = z.object({
  pack: z.string().min(1),
  request: z.object({
    at: instant,
    channel: z.enum(channels),
    personId: identifier,
    debtId: identifier.optional(),
    contentClass: z.enum(contentClasses).optional(),
    text: z.string().max(20_000).optional(),
    agentId: identifier.optional(),
    locale: z.enum(locales).optional(),
  }),
  persons: z.array(personSchema).max(100).optional(),
  facts: z
    .object({
      debtorReachable: z.boolean().optional(),
      complaintOpen: z.boolean().optional(),
      disputeOpen: z.boolean().optional(),
      ceaseRequested: z.boolean().optional(),
      stopCalling: z.boolean().optional(),
      planInGoodStanding: z.boolean().optional(),
      attorneyRepresented: z.boolean().optional(),
      deceased: z.boolean().optional(),
      firstPartyCreditor: z.boolean().optional(),
      agentTrainedOn: z.string().refine(isPlainDate, { message: "must be a date YYYY-MM-DD" }).optional(),
      institutionName: z.string().min(1).max(200).optional(),
    })
    .optional(),
  history: z
    .array(
      z.object({
        at: instant,
        channel: z.enum(channels),
        direction: z.enum(directions).optional(),
        personId: identifier,
        debtIds: z.array(identifier).max(100).optional(),
        outcome: z.enum(contactOutcomes).optional(),
        endedByConsumer: z.boolean().optional(),
      }),
    )
    .max(10_000)
    .optional(),
  consents: z
    .array(
      z.object({
        personId: identifier,
        channel: z.enum(channels).optional(),
        givenAt: instant,
        validFrom: instant.optional(),
        validUntil: instant.optional(),
        revokedAt: instant.optional(),
        debtIds: z.array(identifier).max(100).optional(),
      }),
    )
    .max(1_000)
    .optional(),
  overrides: z.record(z.string(), z.union([z.number(), z.boolean(), z.string(), z.array(z.string())])).optional(),
});

/** The scenario as JSON: the contract other tools write. Most fields are optional. */
export type ScenarioInput = z.input<typeof scenarioSchema>;

export interface ScenarioProblem {
  path: string;
  message: string;
}

export type ParseScenarioResult = { ok: true; scenario: ContactScenario } | { ok: false; errors: ScenarioProblem[] };

/** ["persons", 0, "timeZones", 1] → "persons[0].timeZones[1]". */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else text += text === "" ? String(key) : `.${String(key)}`;
  }
  return text;
}

function rangeOf(range: { days?: readonly Weekday[] | undefined; from: string; to: string }): LocalTimeRange {
  return {
    days: range.days && range.days.length > 0 ? range.days : null,
    fromMinutes: minutesOfClock(range.from) ?? 0,
    toMinutes: minutesOfClock(range.to) ?? 0,
  };
}

const noTimeZones: readonly string[] = [];
const noChannels: readonly Channel[] = [];
const noRanges: readonly LocalTimeRange[] = [];

function personOf(input: NonNullable<ScenarioInput["persons"]>[number]): ContactPerson {
  return {
    id: input.id,
    role: input.role ?? "borrower",
    timeZones: input.timeZones ?? noTimeZones,
    preAgreed: input.preAgreed ?? false,
    refusedContact: input.refusedContact ?? false,
    optOuts: input.optOuts ?? noChannels,
    inconvenientTimes: input.inconvenientTimes ? input.inconvenientTimes.map(rangeOf) : noRanges,
    agreedSchedule: input.agreedSchedule && input.agreedSchedule.length > 0 ? input.agreedSchedule.map(rangeOf) : null,
    locationContactRequested: input.locationContactRequested ?? false,
  };
}

function instantMs(value: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new Error(`not an instant: ${value}`);
  return ms;
}

/**
 * Fills defaults and converts instants, without validation: for trusted input only (the gateway's
 * own records). A request person missing from `persons` is taken to be the borrower.
 */
export function normalizeScenario(input: ScenarioInput): ContactScenario {
  const request = input.request;
  const persons = (input.persons ?? []).map(personOf);
  if (!persons.some((person) => person.id === request.personId)) persons.push(personOf({ id: request.personId }));
  const facts = input.facts ?? {};
  return {
    pack: input.pack,
    request: {
      at: request.at,
      atMs: instantMs(request.at),
      channel: request.channel,
      personId: request.personId,
      debtId: request.debtId ?? null,
      contentClass: request.contentClass ?? "collection",
      text: request.text ?? null,
      agentId: request.agentId ?? null,
      locale: request.locale ?? null,
    },
    persons,
    facts: {
      debtorReachable: facts.debtorReachable ?? null,
      complaintOpen: facts.complaintOpen ?? false,
      disputeOpen: facts.disputeOpen ?? false,
      ceaseRequested: facts.ceaseRequested ?? false,
      stopCalling: facts.stopCalling ?? false,
      planInGoodStanding: facts.planInGoodStanding ?? false,
      attorneyRepresented: facts.attorneyRepresented ?? false,
      deceased: facts.deceased ?? false,
      firstPartyCreditor: facts.firstPartyCreditor ?? false,
      agentTrainedOn: facts.agentTrainedOn ?? null,
      institutionName: facts.institutionName ?? null,
    },
    history: (input.history ?? []).map((item) => ({
      atMs: instantMs(item.at),
      channel: item.channel,
      direction: item.direction ?? "outbound",
      personId: item.personId,
      debtIds: item.debtIds && item.debtIds.length > 0 ? item.debtIds : null,
      // An unknown outcome is taken as connected: it then counts toward every cap (the safe side).
      outcome: item.outcome ?? "connected",
      endedByConsumer: item.endedByConsumer ?? false,
    })),
    consents: (input.consents ?? []).map((consent) => {
      const givenAtMs = instantMs(consent.givenAt);
      return {
        personId: consent.personId,
        channel: consent.channel ?? "call",
        givenAtMs,
        validFromMs: consent.validFrom ? instantMs(consent.validFrom) : givenAtMs,
        validUntilMs: consent.validUntil ? instantMs(consent.validUntil) : null,
        revokedAtMs: consent.revokedAt ? instantMs(consent.revokedAt) : null,
        debtIds: consent.debtIds && consent.debtIds.length > 0 ? consent.debtIds : null,
      };
    }),
    overrides: input.overrides && Object.keys(input.overrides).length > 0 ? (input.overrides as Record<string, ParameterValue>) : null,
  };
}

function crossCheck(input: ScenarioInput, packs: PackRegistry): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const persons = input.persons ?? [];
  const seen = new Set<string>();
  persons.forEach((person, index) => {
    if (seen.has(person.id)) problems.push({ path: `persons[${index}].id`, message: `duplicate person id ${JSON.stringify(person.id)}` });
    seen.add(person.id);
  });
  if (persons.length > 0 && !seen.has(input.request.personId)) {
    problems.push({ path: "request.personId", message: `no person with id ${JSON.stringify(input.request.personId)} in persons` });
  }
  try {
    const version = packVersionAt(input.pack, input.request.at, packs);
    try {
      resolveVersion(version, input.overrides ?? null);
    } catch (error) {
      if (!(error instanceof RulePackError)) throw error;
      problems.push({ path: error.parameter ? `overrides.${error.parameter}` : "overrides", message: error.message });
    }
  } catch (error) {
    if (!(error instanceof RulePackError)) throw error;
    problems.push({ path: error.problem === "not_in_effect" ? "request.at" : "pack", message: error.message });
  }
  input.consents?.forEach((consent, index) => {
    if (consent.validUntil && Date.parse(consent.validUntil) < Date.parse(consent.validFrom ?? consent.givenAt)) {
      problems.push({ path: `consents[${index}].validUntil`, message: "must not be before validFrom (or givenAt)" });
    }
  });
  return problems;
}

/** Validates a scenario; every problem names its field path. */
export function parseScenario(input: unknown, options: { packs?: PackRegistry } = {}): ParseScenarioResult {
  const packs = options.packs ?? defaultPackRegistry;
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
    // Name an unknown pack even when other fields fail, so one round trip shows every problem.
    const pack = typeof input === "object" && input !== null ? (input as { pack?: unknown }).pack : undefined;
    if (typeof pack === "string" && pack.length > 0 && !Object.hasOwn(packs, pack)) {
      errors.unshift({ path: "pack", message: `unknown rule pack ${JSON.stringify(pack)} (known: ${Object.keys(packs).join(", ")})` });
    }
    return { ok: false, errors };
  }
  const problems = crossCheck(parsed.data, packs);
  if (problems.length > 0) return { ok: false, errors: problems };
  return { ok: true, scenario: normalizeScenario(parsed.data) };
}
