// The contact gateway's decision: (request, facts, history, rule pack, now) → allow, warn, defer or
// block, with every rule that fired, its reason in Chinese and English and its legal source.
// "Now" is request.at. For a deferral, nextAllowedAt is the earliest instant at which the same
// request with the same history is neither deferred nor blocked: jump to the latest instant any
// deferring rule names, evaluate again, and repeat a bounded number of times. Pure: no clock, no I/O.

import { evaluateCnRules } from "./cn-rules.js";
import type { Decision, Locale, RuleEffect } from "./contact-vocabulary.js";
import { type ContentFinding, type ContentSpan, checkContent } from "./content-check.js";
import type { UsParameters } from "./pack-parameters.js";
import type { RuleId } from "./rule-catalogue.js";
import { type EvaluationContext, hitOf, isObligor, type RuleHit } from "./rule-evaluation.js";
import { withDetails } from "./rule-messages.js";
import { defaultPackRegistry, type PackOverrides, type PackRegistry, packVersionAt, type ResolvedPack, resolveVersion } from "./rule-packs.js";
import type { ContactScenario } from "./scenario.js";
import { evaluateUsRules } from "./us-regf-rules.js";

export interface DecisionReason {
  rule: RuleId;
  effect: RuleEffect;
  source: string;
  /** messageZh or messageEn, as request.locale (or the pack's language) asks. */
  message: string;
  messageZh: string;
  messageEn: string;
  /** For a deferring rule: when that rule alone would let the contact go (UTC). */
  allowedFrom?: string;
  /** For a content finding: the offending text. */
  span?: ContentSpan;
}

export interface ContactDecision {
  decision: Decision;
  reasons: DecisionReason[];
  /** For defer: the earliest instant (UTC, "…Z") the same contact is allowed; null otherwise or if never. */
  nextAllowedAt: string | null;
  pack: { id: string; version: string };
}

export interface DecideOptions {
  packs?: PackRegistry;
  /** The lender's overrides; combined with scenario.overrides to the tighter of each. */
  overrides?: PackOverrides;
}

/** Re-evaluations while searching for the next allowed instant. */
const SEARCH_STEPS_MAX = 16;

/** Content rules that are not Regulation F and so still run for a first-party creditor. */
const unfairPracticeRules: ReadonlySet<RuleId> = new Set([
  "us.content.threat-violence",
  "us.content.obscene",
  "us.content.government-impersonation",
  "us.content.false-consequence",
]);

const effectRank: Readonly<Record<RuleEffect, number>> = { block: 3, defer: 2, warn: 1, info: 0 };
const mostSevereFirst = (left: RuleHit, right: RuleHit) => effectRank[right.effect] - effectRank[left.effect];

function worstOf(hits: readonly RuleHit[]): Decision {
  let rank = 0;
  for (const hit of hits) if (effectRank[hit.effect] > rank) rank = effectRank[hit.effect];
  return rank === 3 ? "block" : rank === 2 ? "defer" : rank === 1 ? "warn" : "allow";
}

function contentHits(context: EvaluationContext, isRegulated: boolean, hits: RuleHit[]): void {
  const { request, facts } = context.scenario;
  const text = request.text;
  if (text === null) {
    const isElectronic = request.channel === "sms" || request.channel === "email";
    if (context.pack.engine === "us-regf" && isRegulated && isElectronic && isObligor(context.person.role)) {
      hits.push(
        hitOf("us.content.opt-out-notice", "warn", () => ({
          zh: "未提供短信或邮件正文，无法核实退订说明。",
          en: "the text of the message was not supplied, so its opt-out notice cannot be checked.",
        })),
      );
    }
    return;
  }
  const findings: ContentFinding[] = checkContent(text, {
    pack: context.pack,
    channel: request.channel,
    contentClass: request.contentClass,
    role: context.person.role,
    institutionName: facts.institutionName,
  });
  for (const finding of findings) {
    if (!isRegulated && !unfairPracticeRules.has(finding.rule)) continue;
    const hit: RuleHit = {
      rule: finding.rule,
      effect: "block",
      allowedFromMs: null,
      describe: null,
      messages: { zh: finding.messageZh, en: finding.messageEn },
    };
    if (finding.span) hit.span = finding.span;
    hits.push(hit);
  }
}

function evaluateAt(scenario: ContactScenario, nowMs: number, packs: PackRegistry, overrides: readonly PackOverrides[], withContent: boolean) {
  const pack: ResolvedPack = resolveVersion(packVersionAt(scenario.pack, nowMs, packs), overrides);
  const request = scenario.request;
  let person: ContactScenario["persons"][number] | undefined;
  for (const candidate of scenario.persons) {
    if (candidate.id === request.personId) {
      person = candidate;
      break;
    }
  }
  if (!person) throw new Error(`assertion failed: request person ${request.personId} is not in the scenario`);
  const timeZones =
    person.timeZones.length > 0 ? person.timeZones : pack.engine === "cn" ? [pack.timeZone] : (pack.values as unknown as UsParameters).defaultTimeZones;
  const context: EvaluationContext = { scenario, pack, nowMs, person, timeZones, calendarZone: timeZones[0] as string };
  const hits: RuleHit[] = [];
  let isRegulated = true;
  if (pack.engine === "cn") evaluateCnRules(context, hits);
  else isRegulated = evaluateUsRules(context, hits, !withContent);
  if (withContent) contentHits(context, isRegulated, hits);
  return { pack, hits };
}

/** The earliest instant after nowMs at which the request is neither deferred nor blocked; null if none. */
function nextAllowedMs(
  scenario: ContactScenario,
  hits: readonly RuleHit[],
  nowMs: number,
  packs: PackRegistry,
  overrides: readonly PackOverrides[],
): number | null {
  let candidateMs = nowMs;
  let current = hits;
  for (let step = 0; step < SEARCH_STEPS_MAX; step += 1) {
    let jumpMs = candidateMs;
    for (const hit of current) if (hit.effect === "defer" && hit.allowedFromMs !== null && hit.allowedFromMs > jumpMs) jumpMs = hit.allowedFromMs;
    if (jumpMs <= candidateMs) return null;
    candidateMs = jumpMs;
    current = evaluateAt(scenario, candidateMs, packs, overrides, false).hits;
    const decision = worstOf(current);
    if (decision === "block") return null;
    if (decision !== "defer") return candidateMs;
  }
  return null;
}

function reasonOf(hit: RuleHit, pack: ResolvedPack, locale: Locale): DecisionReason {
  const messages = hit.messages ?? withDetails(hit.rule, hit.describe ? hit.describe() : null);
  const reason: DecisionReason = {
    rule: hit.rule,
    effect: hit.effect,
    source: pack.sources.get(hit.rule) ?? "",
    message: locale === "zh-CN" ? messages.zh : messages.en,
    messageZh: messages.zh,
    messageEn: messages.en,
  };
  if (hit.effect === "defer" && hit.allowedFromMs !== null) reason.allowedFrom = new Date(hit.allowedFromMs).toISOString();
  if (hit.span) reason.span = hit.span;
  return reason;
}

export function decideContact(scenario: ContactScenario, options: DecideOptions = {}): ContactDecision {
  const packs = options.packs ?? defaultPackRegistry;
  const overrides: PackOverrides[] = [];
  if (options.overrides) overrides.push(options.overrides);
  if (scenario.overrides) overrides.push(scenario.overrides);
  const nowMs = scenario.request.atMs;
  const { pack, hits } = evaluateAt(scenario, nowMs, packs, overrides, true);
  const decision = worstOf(hits);
  let nextAllowedAt: string | null = null;
  if (decision === "defer") {
    const nextMs = nextAllowedMs(scenario, hits, nowMs, packs, overrides);
    nextAllowedAt = nextMs === null ? null : new Date(nextMs).toISOString();
  }
  const locale: Locale = scenario.request.locale ?? (pack.engine === "cn" ? "zh-CN" : "en");
  const ordered = hits.length > 1 ? [...hits].sort(mostSevereFirst) : hits;
  const reasons: DecisionReason[] = [];
  for (const hit of ordered) reasons.push(reasonOf(hit, pack, locale));
  return {
    decision,
    reasons,
    nextAllowedAt,
    pack: { id: pack.id, version: pack.version },
  };
}
