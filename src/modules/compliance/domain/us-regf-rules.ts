// The us-regf pack's rules (Regulation F, 12 CFR part 1006) for one contact: the 7-in-7 call
// frequency presumptions and what they exclude, warnings for patterns that rebut them,
// inconvenient times in every zone the consumer may be in, media the person opted out of,
// cease-communication, attorney representation, disputes, third parties (location only, once)
// and limited-content messages. Content rules run in the content check.

import { telephoneChannels } from "./contact-vocabulary.js";
import { type ContactWindow, nextInsideAllZones } from "./contact-window.js";
import { clockOfMinutes, DAY_MS, describeLocal, localDayFunction, localDayOf, MINUTE_MS, plainDateOfEpochDay, startOfLocalDay } from "./local-time.js";
import type { UsParameters } from "./pack-parameters.js";
import type { RuleId } from "./rule-catalogue.js";
import { concernsDebt, type EvaluationContext, hitOf, isObligor, localDayBounds, mayBeOnOrAfterDay, type RuleHit } from "./rule-evaluation.js";
import type { BilingualText } from "./rule-messages.js";
import type { ContactHistoryItem } from "./scenario.js";

const SEVEN_DAYS = 7;
const newestFirst = (left: number, right: number) => right - left;

function block(hits: RuleHit[], rule: RuleId, zh?: string, en?: string): void {
  hits.push(hitOf(rule, "block", zh === undefined ? null : () => ({ zh, en: en ?? zh })));
}

function isTelephone(parameters: UsParameters, channel: ContactHistoryItem["channel"]): boolean {
  return parameters.frequencyChannels.includes(channel);
}

/**
 * Whether a call to the person at `atMs` is placed under a direct prior consent
 * (1006.14(b)(3)(i)): from the consent's start, within the consent window counted in local days
 * with the day it was given as day 1, before it runs out or is revoked, and (by default) before a
 * telephone conversation uses it up.
 */
export function isUnderConsent(context: EvaluationContext, parameters: UsParameters, atMs: number): boolean {
  const { consents, history, request } = context.scenario;
  if (consents.length === 0) return false;
  const personId = context.person.id;
  for (const consent of consents) {
    if (consent.personId !== personId || !telephoneChannels.includes(consent.channel)) continue;
    if (request.debtId !== null && consent.debtIds !== null && !consent.debtIds.includes(request.debtId)) continue;
    if (atMs < consent.validFromMs) continue;
    if (consent.validUntilMs !== null && atMs >= consent.validUntilMs) continue;
    if (consent.revokedAtMs !== null && atMs >= consent.revokedAtMs) continue;
    const zone = context.calendarZone;
    const windowEndMs = startOfLocalDay(zone, localDayOf(zone, consent.givenAtMs) + parameters.consentWindowDays);
    if (atMs >= windowEndMs) continue;
    if (parameters.consentEndsAtConversation) {
      let isUsedUp = false;
      for (const item of history) {
        if (
          item.personId === personId &&
          item.outcome === "conversation" &&
          item.atMs > consent.givenAtMs &&
          item.atMs < atMs &&
          isTelephone(parameters, item.channel) &&
          concernsDebt(item, request.debtId)
        ) {
          isUsedUp = true;
          break;
        }
      }
      if (isUsedUp) continue;
    }
    return true;
  }
  return false;
}

function checkStandingBlocks(context: EvaluationContext, parameters: UsParameters, hits: RuleHit[]): void {
  const { facts, request } = context.scenario;
  const person = context.person;
  const isConsumer = isObligor(person.role);
  if (facts.deceased && person.role !== "attorney") block(hits, "us.deceased");
  if (facts.ceaseRequested && person.role !== "attorney") block(hits, "us.cease-communication");
  if (facts.attorneyRepresented && isConsumer) block(hits, "us.attorney-represented");
  if (facts.disputeOpen && isConsumer && request.contentClass !== "location_only") block(hits, "us.dispute-verification");
  if (person.optOuts.includes(request.channel)) {
    block(hits, "us.medium-opt-out", `此人已要求不通过 ${request.channel} 联系。`, `the person asked not to be contacted by ${request.channel}.`);
  } else if (facts.stopCalling && isTelephone(parameters, request.channel)) {
    block(hits, "us.medium-opt-out", "此人已要求停止来电。", "the person asked the collector to stop calling.");
  }
}

function checkThirdParty(context: EvaluationContext, parameters: UsParameters, hits: RuleHit[]): void {
  const person = context.person;
  if (person.role !== "third_party" && person.role !== "emergency_contact") return;
  const { request, facts, history } = context.scenario;
  if (request.contentClass !== "location_only") {
    block(
      hits,
      "us.third-party.location-only",
      "对第三方只能询问消费者的位置信息（location_only）。",
      "only location information (location_only) may be sought from a third party.",
    );
    return;
  }
  if (facts.attorneyRepresented) {
    block(
      hits,
      "us.third-party.location-only",
      "消费者已委托律师，只能与律师联系（1006.10(b)(6)）。",
      "the consumer has an attorney, who is the only person to contact (1006.10(b)(6)).",
    );
    return;
  }
  if (person.locationContactRequested) return;
  let communications = 0;
  for (const item of history) {
    if (
      item.personId === person.id &&
      item.direction === "outbound" &&
      item.atMs <= context.nowMs &&
      parameters.locationCommunicationOutcomes.includes(item.outcome)
    ) {
      communications += 1;
    }
  }
  if (communications >= parameters.locationContactsMax) {
    block(
      hits,
      "us.third-party.location-only",
      `已与此第三方沟通 ${communications} 次；除非对方要求，不得再次联系。`,
      `the collector already communicated with this third party ${communications} time(s); it may not again unless the person asked.`,
    );
  }
}

function checkLimitedContent(context: EvaluationContext, parameters: UsParameters, hits: RuleHit[]): void {
  const request = context.scenario.request;
  if (request.contentClass !== "limited_content") return;
  if (!isTelephone(parameters, request.channel)) {
    block(
      hits,
      "us.limited-content",
      `${request.channel} 不能作为有限内容留言，只有语音留言可以。`,
      `a ${request.channel} message is not a limited-content message; only a voicemail is.`,
    );
  } else if (!isObligor(context.person.role)) {
    block(hits, "us.limited-content", "有限内容留言只能留给消费者本人。", "a limited-content message may only be left for the consumer.");
  }
}

/** A deferral whose details are formatted only if the hit reaches the decision. */
function deferHit(rule: RuleId, context: EvaluationContext, allowedFromMs: number, details: () => BilingualText): RuleHit {
  const zone = context.calendarZone;
  return hitOf(
    rule,
    "defer",
    () => {
      const { zh, en } = details();
      return {
        zh: `${zh}；最早可于 ${describeLocal(zone, allowedFromMs)} 联系。`,
        en: `${en}; the earliest allowed time is ${describeLocal(zone, allowedFromMs)}.`,
      };
    },
    allowedFromMs,
  );
}

const defaultWindows = new WeakMap<UsParameters, ContactWindow>();
const wholeDay = [{ days: null, fromMinutes: 0, toMinutes: 1440 }] as const;

function defaultWindowOf(parameters: UsParameters): ContactWindow {
  let window = defaultWindows.get(parameters);
  if (!window) {
    window = { allowed: [{ days: null, fromMinutes: parameters.windowStartMinutes, toMinutes: parameters.windowEndMinutes }], excluded: [] };
    defaultWindows.set(parameters, window);
  }
  return window;
}

function describeZones(zones: readonly string[], instantMs: number): string {
  return zones.map((zone) => describeLocal(zone, instantMs)).join(", ");
}

function checkTimes(context: EvaluationContext, parameters: UsParameters, hits: RuleHit[]): void {
  if (!parameters.windowChannels.includes(context.scenario.request.channel)) return;
  const nowMs = context.nowMs;
  const zones = context.timeZones;
  const nextMs = nextInsideAllZones(zones, nowMs, defaultWindowOf(parameters));
  if (nextMs !== nowMs) {
    const span = `${clockOfMinutes(parameters.windowStartMinutes)}–${clockOfMinutes(parameters.windowEndMinutes)}`;
    if (nextMs === null) {
      block(hits, "us.inconvenient-time", `此人可能所在的各时区没有共同的 ${span} 时段。`, `no time is inside ${span} in all of the person's zones.`);
    } else {
      hits.push(
        deferHit("us.inconvenient-time", context, nextMs, () => {
          const local = describeZones(zones, nowMs);
          return { zh: `当地时间 ${local} 不在 ${span} 内`, en: `local time ${local} is outside ${span}` };
        }),
      );
    }
  }
  const named = context.person.inconvenientTimes;
  if (named.length === 0) return;
  const nextNamedMs = nextInsideAllZones(zones, nowMs, { allowed: wholeDay, excluded: named });
  if (nextNamedMs === null) {
    block(hits, "us.inconvenient-time.consumer-named", "此人告知的不便时间覆盖了整周。", "the times the person named as inconvenient cover the whole week.");
  } else if (nextNamedMs > nowMs) {
    hits.push(
      deferHit("us.inconvenient-time.consumer-named", context, nextNamedMs, () => {
        const local = describeZones(zones, nowMs);
        return { zh: `当地时间 ${local} 是此人告知的不便时间`, en: `local time ${local} is a time the person named as inconvenient` };
      }),
    );
  }
}

/** Counted calls (1006.14(b)(2)–(b)(4)) to the person about the debt on local days ≥ fromDay. */
function countedCallDays(context: EvaluationContext, parameters: UsParameters, fromDay: number): number[] {
  const { history, request } = context.scenario;
  // Every item that passes the cheap day filter below lies within 9 days before now.
  const dayOf = localDayFunction(context.calendarZone, context.nowMs - 9 * DAY_MS, context.nowMs);
  const days: number[] = [];
  for (const item of history) {
    if (item.personId !== context.person.id || item.direction !== "outbound" || item.atMs > context.nowMs) continue;
    if (!isTelephone(parameters, item.channel) || parameters.excludedOutcomes.includes(item.outcome) || !concernsDebt(item, request.debtId)) continue;
    if (!mayBeOnOrAfterDay(item.atMs, fromDay)) continue;
    const day = dayOf(item.atMs);
    if (day < fromDay || isUnderConsent(context, parameters, item.atMs)) continue;
    days.push(day);
  }
  return days;
}

function checkFrequency(context: EvaluationContext, parameters: UsParameters, hits: RuleHit[]): void {
  const zone = context.calendarZone;
  const today = localDayOf(zone, context.nowMs);
  const max = parameters.callsInSevenDaysMax;
  const days = countedCallDays(context, parameters, today - (SEVEN_DAYS - 1));
  if (max === 0) {
    block(hits, "us.call-frequency.seven-in-seven", "本机构设定不得致电。", "the lender's settings allow no calls.");
  } else if (days.length >= max) {
    days.sort(newestFirst);
    // The call may go once the max-th most recent counted call leaves the 7-day span.
    const allowedDay = (days[max - 1] as number) + SEVEN_DAYS;
    const count = days.length;
    hits.push(
      deferHit("us.call-frequency.seven-in-seven", context, startOfLocalDay(zone, allowedDay), () => {
        const first = plainDateOfEpochDay(today - (SEVEN_DAYS - 1));
        return {
          zh: `${first} 至今已就该债务致电此人 ${count} 次（上限 ${max} 次）`,
          en: `${count} counted calls to the person about the debt since ${first} (at most ${max} in 7 consecutive days)`,
        };
      }),
    );
  }
  const quietDays = parameters.conversationQuietDays;
  if (quietDays === 0) return;
  const { history, request } = context.scenario;
  let latestConversationDay = Number.NEGATIVE_INFINITY;
  for (const item of history) {
    if (item.personId !== context.person.id || item.outcome !== "conversation" || item.atMs > context.nowMs) continue;
    if (!isTelephone(parameters, item.channel) || !concernsDebt(item, request.debtId)) continue;
    latestConversationDay = Math.max(latestConversationDay, localDayOf(zone, item.atMs));
  }
  if (latestConversationDay >= today - (quietDays - 1)) {
    const conversationDay = latestConversationDay;
    hits.push(
      deferHit("us.call-frequency.after-conversation", context, startOfLocalDay(zone, conversationDay + quietDays), () => {
        const date = plainDateOfEpochDay(conversationDay);
        return {
          zh: `${date} 已与此人就该债务通话（当日为第1天）`,
          en: `a telephone conversation about the debt took place on ${date} (day 1 of ${quietDays})`,
        };
      }),
    );
  }
}

function checkRebuttalPatterns(context: EvaluationContext, parameters: UsParameters, hits: RuleHit[]): void {
  const { history } = context.scenario;
  const nowMs = context.nowMs;
  const today = localDayBounds(context.calendarZone, nowMs);
  const rapidMs = parameters.rapidSuccessionMinutes * MINUTE_MS;
  const endedQuietMs = parameters.consumerEndedQuietMinutes * MINUTE_MS;
  let callsToday = 0;
  let latestCallMs = Number.NEGATIVE_INFINITY;
  let endedAtMs = Number.NEGATIVE_INFINITY;
  for (const item of history) {
    if (item.personId !== context.person.id || item.atMs > nowMs) continue;
    if (item.endedByConsumer) endedAtMs = Math.max(endedAtMs, item.atMs);
    if (item.direction !== "outbound" || !isTelephone(parameters, item.channel) || parameters.excludedOutcomes.includes(item.outcome)) continue;
    latestCallMs = Math.max(latestCallMs, item.atMs);
    if (item.atMs >= today.startMs) callsToday += 1;
  }
  const minutesSince = Math.floor((nowMs - latestCallMs) / MINUTE_MS);
  const isRapid = nowMs - latestCallMs < rapidMs;
  const isConcentrated = callsToday + 1 >= parameters.callsPerDayConcentrationMin;
  if (isRapid || isConcentrated) {
    const zh = [isRapid ? `距上次致电仅 ${minutesSince} 分钟` : "", isConcentrated ? `这将是今天第 ${callsToday + 1} 次致电` : ""].filter(Boolean).join("，");
    const en = [isRapid ? `the last call was ${minutesSince} minute(s) ago` : "", isConcentrated ? `this would be call ${callsToday + 1} today` : ""]
      .filter(Boolean)
      .join("; ");
    hits.push(hitOf("us.call-frequency.rapid-succession", "warn", () => ({ zh: `${zh}。`, en: `${en}.` })));
  }
  if (nowMs - endedAtMs < endedQuietMs) {
    const minutesAgo = Math.floor((nowMs - endedAtMs) / MINUTE_MS);
    hits.push(
      hitOf("us.call-frequency.after-consumer-ended", "warn", () => ({
        zh: `消费者 ${minutesAgo} 分钟前刚结束通话。`,
        en: `the consumer ended a conversation ${minutesAgo} minute(s) ago.`,
      })),
    );
  }
}

/**
 * Returns false when Regulation F does not apply (a first-party creditor, by the pack setting).
 * While searching for the next allowed time (`isSearch`) warnings are skipped: they never defer.
 */
export function evaluateUsRules(context: EvaluationContext, hits: RuleHit[], isSearch = false): boolean {
  const parameters = context.pack.values as unknown as UsParameters;
  if (context.scenario.facts.firstPartyCreditor && parameters.exemptsFirstPartyCreditor) {
    hits.push(hitOf("us.scope.first-party-creditor", "info", null));
    return false;
  }
  checkStandingBlocks(context, parameters, hits);
  checkThirdParty(context, parameters, hits);
  checkLimitedContent(context, parameters, hits);
  checkTimes(context, parameters, hits);
  const request = context.scenario.request;
  if (isTelephone(parameters, request.channel) && context.person.role !== "attorney") {
    if (!isUnderConsent(context, parameters, context.nowMs)) checkFrequency(context, parameters, hits);
    if (!isSearch) checkRebuttalPatterns(context, parameters, hits);
  }
  return true;
}
