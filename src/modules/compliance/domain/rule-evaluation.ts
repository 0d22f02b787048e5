// What a pack's rules see (the scenario at one instant, the resolved pack, the person) and what
// they report (hits). A hit's message is built only if the hit reaches the final decision, so a
// re-evaluation while searching for the next allowed time costs no string formatting.
import { obligorRoles, type PersonRole, type RuleEffect } from "./contact-vocabulary.js";
import type { ContentSpan } from "./content-check.js";
import { DAY_MS, localDayOf, startOfLocalDay } from "./local-time.js";
import type { RuleId } from "./rule-catalogue.js";
import type { BilingualText } from "./rule-messages.js";
import type { ResolvedPack } from "./rule-packs.js";
import type { ContactHistoryItem, ContactPerson, ContactScenario } from "./scenario.js";

export interface RuleHit {
  rule: RuleId;
  effect: RuleEffect;
  /** For a deferral: the earliest instant at which this rule alone no longer holds the contact back. */
  allowedFromMs: number | null;
  /** The case's details for the message; null when the rule's statement says it all. */
  describe: (() => BilingualText) | null;
  span?: ContentSpan;
  /** A content finding's complete messages (already built by the content check). */
  messages?: BilingualText;
}

export interface EvaluationContext {
  scenario: ContactScenario;
  pack: ResolvedPack;
  /** The instant the contact would happen: request.at, or a later candidate while searching. */
  nowMs: number;
  person: ContactPerson;
  /** Zones the person may be in (the pack's default when unknown). */
  timeZones: readonly string[];
  /** The zone whose calendar gives the person's "local day": the first of timeZones. */
  calendarZone: string;
}

export function hitOf(rule: RuleId, effect: RuleEffect, describe: (() => BilingualText) | null, allowedFromMs: number | null = null): RuleHit {
  return { rule, effect, allowedFromMs, describe };
}

export function isObligor(role: PersonRole): boolean {
  return obligorRoles.includes(role);
}

/** Whether a history item is about the requested debt (an item naming no debt is about all of them). */
export function concernsDebt(item: ContactHistoryItem, debtId: string | null): boolean {
  return debtId === null || item.debtIds === null || item.debtIds.includes(debtId);
}

/** The instants bounding a local day in a zone: [start, end). */
export function localDayBounds(timeZone: string, nowMs: number): { day: number; startMs: number; endMs: number } {
  const day = localDayOf(timeZone, nowMs);
  return { day, startMs: startOfLocalDay(timeZone, day), endMs: startOfLocalDay(timeZone, day + 1) };
}

/** A cheap test for "possibly on or after local day `fromDay`": no zone is more than 14 h ahead of UTC (26 h leaves room). */
export function mayBeOnOrAfterDay(atMs: number, fromDay: number): boolean {
  return atMs >= fromDay * DAY_MS - 26 * 3_600_000;
}
