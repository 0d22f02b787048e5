// The parameters of each rule pack: their defaults, units and which direction tightens them.
// A lender's override of a statutory parameter may only tighten it (fewer calls, a shorter
// window, more channels counted); policy parameters (thresholds of warnings) may go either way.
import type { Channel, ContactOutcome } from "./contact-vocabulary.js";
import { channels, contactOutcomes } from "./contact-vocabulary.js";

export type ParameterValue = number | boolean | string | readonly string[];

/** How a value becomes stricter: a lower or higher number, true or false, fewer or more list items. */
export type Tightening = "lower" | "higher" | "true" | "false" | "subset" | "superset";

export interface ParameterDefinition {
  name: string;
  defaultValue: ParameterValue;
  tighten: Tightening;
  /** A limit set by law or the standard; overrides may only tighten it. */
  isStatutory: boolean;
  unit: string | null;
  /** For list parameters: the values an item may take, or any IANA time zone. */
  items: readonly string[] | "time_zone" | null;
  minimum: number | null;
  maximum: number | null;
  description: string;
}

function numberParameter(
  name: string,
  defaultValue: number,
  tighten: "lower" | "higher",
  unit: string,
  minimum: number,
  maximum: number,
  description: string,
  isStatutory = true,
): ParameterDefinition {
  return { name, defaultValue, tighten, isStatutory, unit, items: null, minimum, maximum, description };
}

function listParameter(
  name: string,
  defaultValue: readonly string[],
  tighten: "subset" | "superset",
  items: readonly string[] | "time_zone",
  description: string,
): ParameterDefinition {
  return { name, defaultValue, tighten, isStatutory: true, unit: null, items, minimum: null, maximum: null, description };
}

function booleanParameter(name: string, defaultValue: boolean, tighten: "true" | "false", description: string): ParameterDefinition {
  return { name, defaultValue, tighten, isStatutory: true, unit: null, items: null, minimum: null, maximum: null, description };
}

const contactChannels: Channel[] = ["call", "sms", "email", "voice_robot", "visit"];

export interface CnParameters {
  windowStartMinutes: number;
  windowEndMinutes: number;
  windowChannels: readonly Channel[];
  voiceContactsPerDayMax: number;
  voiceCountedChannels: readonly Channel[];
  voiceCountedOutcomes: readonly ContactOutcome[];
  voiceCountsInbound: boolean;
  visitsPerDayMax: number;
  unreachableFailedAttemptsMin: number;
  unreachableWindowDays: number;
  unreachableAttemptChannels: readonly Channel[];
  unreachableFailedOutcomes: readonly ContactOutcome[];
  trainingValidDays: number;
  trainingChannels: readonly Channel[];
}

export const cnParameterDefinitions: readonly ParameterDefinition[] = [
  numberParameter("windowStartMinutes", 8 * 60, "higher", "minutes after local midnight", 0, 1440, "contact window opens (08:00)"),
  numberParameter("windowEndMinutes", 22 * 60, "lower", "minutes after local midnight", 0, 1440, "contact window closes (22:00, exclusive)"),
  listParameter("windowChannels", contactChannels, "superset", channels, "channels held to the contact window"),
  numberParameter("voiceContactsPerDayMax", 3, "lower", "contacts per local day", 0, 100, "connected voice contacts with one debtor per local day"),
  listParameter("voiceCountedChannels", ["call", "voice_robot"], "superset", channels, "channels whose contacts count toward the daily voice cap"),
  listParameter("voiceCountedOutcomes", ["connected", "conversation"], "superset", contactOutcomes, "outcomes that make a voice contact count"),
  booleanParameter("voiceCountsInbound", false, "true", "whether calls the debtor made count toward the cap"),
  numberParameter("visitsPerDayMax", 1, "lower", "visits per local day", 0, 10, "field visits to one person per local day"),
  numberParameter("unreachableFailedAttemptsMin", 6, "higher", "attempts", 1, 1000, "failed attempts before the debtor counts as unreachable"),
  numberParameter("unreachableWindowDays", 3, "lower", "local days", 1, 365, "local days (today included) the failed attempts must fall in"),
  listParameter("unreachableAttemptChannels", ["call", "voice_robot"], "subset", channels, "channels whose failed attempts count"),
  listParameter("unreachableFailedOutcomes", ["not_connected", "no_answer", "voicemail"], "subset", contactOutcomes, "outcomes that are a failed attempt"),
  numberParameter("trainingValidDays", 365, "lower", "days", 0, 3650, "days a collection training stays valid"),
  listParameter("trainingChannels", ["call", "visit"], "superset", channels, "channels an agent works in person"),
];

export interface UsParameters {
  exemptsFirstPartyCreditor: boolean;
  callsInSevenDaysMax: number;
  conversationQuietDays: number;
  frequencyChannels: readonly Channel[];
  excludedOutcomes: readonly ContactOutcome[];
  consentWindowDays: number;
  consentEndsAtConversation: boolean;
  windowStartMinutes: number;
  windowEndMinutes: number;
  windowChannels: readonly Channel[];
  defaultTimeZones: readonly string[];
  locationContactsMax: number;
  locationCommunicationOutcomes: readonly ContactOutcome[];
  rapidSuccessionMinutes: number;
  callsPerDayConcentrationMin: number;
  consumerEndedQuietMinutes: number;
}

const usTimeZones = [
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Los_Angeles",
  "America/Phoenix",
  "America/Anchorage",
  "Pacific/Honolulu",
];

export const usParameterDefinitions: readonly ParameterDefinition[] = [
  booleanParameter("exemptsFirstPartyCreditor", true, "false", "a creditor collecting its own debts is outside Regulation F"),
  numberParameter("callsInSevenDaysMax", 7, "lower", "calls per 7 consecutive local days", 0, 100, "calls to a person about a debt in 7 consecutive days"),
  numberParameter("conversationQuietDays", 7, "higher", "local days", 0, 60, "days after a telephone conversation (its day is day 1) without calls"),
  listParameter("frequencyChannels", ["call", "voice_robot"], "superset", channels, "channels that place telephone calls"),
  listParameter("excludedOutcomes", ["not_connected"], "subset", contactOutcomes, "outcomes excluded from the call count (1006.14(b)(3)(ii))"),
  numberParameter("consentWindowDays", 7, "lower", "local days", 0, 7, "days (day of consent is day 1) a direct prior consent excludes calls"),
  booleanParameter("consentEndsAtConversation", true, "true", "a consent is used up by the next telephone conversation"),
  numberParameter("windowStartMinutes", 8 * 60, "higher", "minutes after local midnight", 0, 1440, "convenient time begins (08:00)"),
  numberParameter("windowEndMinutes", 21 * 60, "lower", "minutes after local midnight", 0, 1440, "convenient time ends (21:00, exclusive)"),
  listParameter("windowChannels", contactChannels, "superset", channels, "channels held to convenient times"),
  listParameter("defaultTimeZones", usTimeZones, "superset", "time_zone", "zones assumed when a person's location is unknown"),
  numberParameter("locationContactsMax", 1, "lower", "communications", 0, 10, "communications with a third party for location information"),
  listParameter(
    "locationCommunicationOutcomes",
    ["connected", "conversation", "voicemail", "limited_content_message"],
    "superset",
    contactOutcomes,
    "outcomes that make an attempt a communication with the third party",
  ),
  numberParameter("rapidSuccessionMinutes", 5, "higher", "minutes", 0, 1440, "calls closer together than this are flagged", false),
  numberParameter("callsPerDayConcentrationMin", 4, "lower", "calls per local day", 1, 100, "the call that makes this many in a local day is flagged", false),
  numberParameter(
    "consumerEndedQuietMinutes",
    120,
    "higher",
    "minutes",
    0,
    10_080,
    "calls this soon after the consumer ended a conversation are flagged",
    false,
  ),
];

export function defaultValuesOf(definitions: readonly ParameterDefinition[]): Record<string, ParameterValue> {
  const values: Record<string, ParameterValue> = {};
  for (const definition of definitions) values[definition.name] = definition.defaultValue;
  return values;
}
