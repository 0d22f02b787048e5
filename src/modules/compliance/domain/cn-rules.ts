// The cn-default pack's rules for one contact: the contact window, the daily voice and visit caps,
// who may be contacted (debtor, guarantor; an emergency contact only when the debtor is
// unreachable), the pauses (complaint, dispute, plan, cease, representation, death) and the
// agents' training. Content rules run in the content check.
import type { ContactWindow } from "./contact-window.js";
import { nextInsideAllZones } from "./contact-window.js";
import { clockOfMinutes, describeLocal, epochDayOfPlainDate, localDayOf, plainDateOfEpochDay, startOfLocalDay } from "./local-time.js";
import type { CnParameters } from "./pack-parameters.js";
import type { RuleId } from "./rule-catalogue.js";
import { type EvaluationContext, hitOf, isObligor, localDayBounds, type RuleHit } from "./rule-evaluation.js";
import type { ContactPerson } from "./scenario.js";

function block(hits: RuleHit[], rule: RuleId, zh?: string, en?: string): void {
  hits.push(hitOf(rule, "block", zh === undefined ? null : () => ({ zh, en: en ?? zh })));
}

function checkPauses(context: EvaluationContext, hits: RuleHit[]): void {
  const { facts, request } = context.scenario;
  const role = context.person.role;
  if (facts.deceased) block(hits, "cn.pause.deceased");
  // The debtor's attorney is the one channel that stays open after a request to stop.
  if (facts.ceaseRequested && role !== "attorney") block(hits, "cn.pause.cease-request");
  if ((facts.complaintOpen || facts.disputeOpen) && request.contentClass !== "plan_reminder") {
    const zh = [facts.complaintOpen ? "催收行为投诉处理中" : "", facts.disputeOpen ? "争议处理中" : ""].filter(Boolean).join("，");
    const en = [facts.complaintOpen ? "a complaint about collection conduct is open" : "", facts.disputeOpen ? "a dispute is open" : ""]
      .filter(Boolean)
      .join(" and ");
    block(hits, "cn.pause.complaint-or-dispute", `${zh}。`, `${en}.`);
  }
  if (facts.planInGoodStanding && request.contentClass !== "plan_reminder" && isObligor(role)) {
    block(hits, "cn.pause.repayment-plan", `本次内容类型为 ${request.contentClass}。`, `this contact's content class is ${request.contentClass}.`);
  }
  if (facts.attorneyRepresented && isObligor(role)) block(hits, "cn.pause.legal-representation");
}

interface Reachability {
  isUnreachable: boolean;
  zh: string;
  en: string;
}

/**
 * The debtor is unreachable when the facts say so, or (facts silent) when every borrower has at
 * least N failed attempts on the last M local days of their own calendar and no contact got
 * through in those days (a connected call or anything the borrower sent).
 */
export function debtorReachability(context: EvaluationContext, parameters: CnParameters): Reachability {
  const { facts, persons, history } = context.scenario;
  if (facts.debtorReachable === false) return { isUnreachable: true, zh: "事实记录显示债务人失联", en: "the facts record the debtor as unreachable" };
  if (facts.debtorReachable === true) return { isUnreachable: false, zh: "事实记录显示债务人可联系", en: "the facts record the debtor as reachable" };
  const borrowers = persons.filter((person) => person.role === "borrower");
  if (borrowers.length === 0) return { isUnreachable: false, zh: "无借款人记录，无法认定失联", en: "no borrower on record, so unreachability cannot be shown" };
  const nowMs = context.nowMs;
  let fewestFailures = Number.POSITIVE_INFINITY;
  for (const borrower of borrowers) {
    const zone = borrower.timeZones[0] ?? context.pack.timeZone;
    const firstDay = localDayOf(zone, nowMs) - (parameters.unreachableWindowDays - 1);
    const fromMs = startOfLocalDay(zone, firstDay);
    let failures = 0;
    for (const item of history) {
      if (item.personId !== borrower.id || item.atMs > nowMs || item.atMs < fromMs) continue;
      if (item.direction === "inbound" || item.outcome === "connected" || item.outcome === "conversation") {
        return {
          isUnreachable: false,
          zh: `借款人 ${borrower.id} 近${parameters.unreachableWindowDays}天内有接通记录`,
          en: `borrower ${borrower.id} was reached on the last ${parameters.unreachableWindowDays} local days`,
        };
      }
      if (
        item.direction === "outbound" &&
        parameters.unreachableAttemptChannels.includes(item.channel) &&
        parameters.unreachableFailedOutcomes.includes(item.outcome)
      ) {
        failures += 1;
      }
    }
    fewestFailures = Math.min(fewestFailures, failures);
  }
  const needed = parameters.unreachableFailedAttemptsMin;
  if (fewestFailures >= needed) {
    return {
      isUnreachable: true,
      zh: `近${parameters.unreachableWindowDays}天失败尝试 ${fewestFailures} 次（失联标准 ${needed} 次）`,
      en: `${fewestFailures} failed attempts on the last ${parameters.unreachableWindowDays} local days (unreachable from ${needed})`,
    };
  }
  return {
    isUnreachable: false,
    zh: `近${parameters.unreachableWindowDays}天仅有 ${fewestFailures} 次失败尝试，未达失联标准 ${needed} 次`,
    en: `only ${fewestFailures} failed attempts on the last ${parameters.unreachableWindowDays} local days, below the ${needed} that make the debtor unreachable`,
  };
}

function checkRecipient(context: EvaluationContext, parameters: CnParameters, hits: RuleHit[]): void {
  const person = context.person;
  if (person.role === "third_party") {
    block(hits, "cn.collection-target", `${person.id} 是与债务无关的第三人。`, `${person.id} is a third party unrelated to the debt.`);
    return;
  }
  if (person.role !== "emergency_contact") return;
  const problemsZh: string[] = [];
  const problemsEn: string[] = [];
  if (!person.preAgreed) {
    problemsZh.push("该联系人未经事先约定");
    problemsEn.push("the contact was not pre-agreed");
  }
  if (person.refusedContact) {
    problemsZh.push("该联系人已明确拒绝联系");
    problemsEn.push("the contact has refused to be contacted");
  }
  if (context.scenario.request.contentClass !== "location_only") {
    problemsZh.push("只能发送不涉及欠款的联络内容（location_only）");
    problemsEn.push("only content that discloses no debt (location_only) may be sent");
  }
  const reachability = debtorReachability(context, parameters);
  if (!reachability.isUnreachable) {
    problemsZh.push(reachability.zh);
    problemsEn.push(reachability.en);
  }
  if (problemsZh.length > 0) block(hits, "cn.emergency-contact", `${problemsZh.join("；")}。`, `${problemsEn.join("; ")}.`);
}

function windowOf(person: ContactPerson, parameters: CnParameters): ContactWindow {
  return {
    allowed: person.agreedSchedule ?? [{ days: null, fromMinutes: parameters.windowStartMinutes, toMinutes: parameters.windowEndMinutes }],
    excluded: person.inconvenientTimes,
  };
}

function checkWindow(context: EvaluationContext, parameters: CnParameters, hits: RuleHit[]): void {
  if (!parameters.windowChannels.includes(context.scenario.request.channel)) return;
  const window = windowOf(context.person, parameters);
  const nextMs = nextInsideAllZones(context.timeZones, context.nowMs, window);
  if (nextMs === context.nowMs) return;
  const zone = context.calendarZone;
  const nowMs = context.nowMs;
  const windowText = context.person.agreedSchedule
    ? "约定的联系时段"
    : `${clockOfMinutes(parameters.windowStartMinutes)}–${clockOfMinutes(parameters.windowEndMinutes)}`;
  const windowTextEn = context.person.agreedSchedule
    ? "the agreed schedule"
    : `${clockOfMinutes(parameters.windowStartMinutes)}–${clockOfMinutes(parameters.windowEndMinutes)}`;
  if (nextMs === null) {
    block(hits, "cn.contact-window", `未来一周内没有可联系的时间（${windowText}）。`, `no time in the coming week is inside ${windowTextEn}.`);
    return;
  }
  hits.push(
    hitOf(
      "cn.contact-window",
      "defer",
      () => ({
        zh: `联系人当地时间为 ${describeLocal(zone, nowMs)}，不在 ${windowText} 内；最早可于 ${describeLocal(zone, nextMs)} 联系。`,
        en: `it is ${describeLocal(zone, nowMs)} for the contact, outside ${windowTextEn}; the earliest allowed time is ${describeLocal(zone, nextMs)}.`,
      }),
      nextMs,
    ),
  );
}

function checkDailyCaps(context: EvaluationContext, parameters: CnParameters, hits: RuleHit[]): void {
  const { request, history } = context.scenario;
  const isVoice = parameters.voiceCountedChannels.includes(request.channel);
  const isVisit = request.channel === "visit";
  if (!isVoice && !isVisit) return;
  const zone = context.calendarZone;
  const today = localDayBounds(zone, context.nowMs);
  let voiceContacts = 0;
  let visits = 0;
  for (const item of history) {
    if (item.personId !== context.person.id || item.atMs < today.startMs || item.atMs > context.nowMs) continue;
    if (isVisit && item.channel === "visit" && item.direction === "outbound") visits += 1;
    if (
      isVoice &&
      parameters.voiceCountedChannels.includes(item.channel) &&
      parameters.voiceCountedOutcomes.includes(item.outcome) &&
      (item.direction === "outbound" || parameters.voiceCountsInbound)
    ) {
      voiceContacts += 1;
    }
  }
  const date = () => plainDateOfEpochDay(today.day);
  if (isVoice && voiceContacts >= parameters.voiceContactsPerDayMax) {
    const max = parameters.voiceContactsPerDayMax;
    hits.push(
      hitOf(
        "cn.voice-daily-cap",
        "defer",
        () => ({
          zh: `联系人当地日期 ${date()} 已有 ${voiceContacts} 次有效语音通话（上限 ${max} 次）；次日 ${describeLocal(zone, today.endMs)} 起可再联系。`,
          en: `${voiceContacts} connected voice contacts already on ${date()} in the contact's zone (at most ${max}); allowed again from ${describeLocal(zone, today.endMs)}.`,
        }),
        today.endMs,
      ),
    );
  }
  if (isVisit && visits >= parameters.visitsPerDayMax) {
    const max = parameters.visitsPerDayMax;
    hits.push(
      hitOf(
        "cn.visit-daily-cap",
        "defer",
        () => ({
          zh: `联系人当地日期 ${date()} 已上门 ${visits} 次（上限 ${max} 次）。`,
          en: `${visits} visits already on ${date()} in the contact's zone (at most ${max}).`,
        }),
        today.endMs,
      ),
    );
  }
}

function checkTraining(context: EvaluationContext, parameters: CnParameters, hits: RuleHit[]): void {
  if (!parameters.trainingChannels.includes(context.scenario.request.channel)) return;
  const trainedOn = context.scenario.facts.agentTrainedOn;
  if (trainedOn === null) {
    hits.push(
      hitOf("cn.agent-training", "warn", () => ({
        zh: "未提供坐席的培训日期，无法核实。",
        en: "the agent's training date was not supplied and cannot be checked.",
      })),
    );
    return;
  }
  const today = localDayOf(context.pack.timeZone, context.nowMs);
  const days = today - epochDayOfPlainDate(trainedOn);
  if (days > parameters.trainingValidDays) {
    const max = parameters.trainingValidDays;
    block(
      hits,
      "cn.agent-training",
      `坐席培训日期 ${trainedOn}，距今 ${days} 天（有效期 ${max} 天）。`,
      `the agent was trained on ${trainedOn}, ${days} days ago (valid for ${max} days).`,
    );
  }
}

export function evaluateCnRules(context: EvaluationContext, hits: RuleHit[]): void {
  const parameters = context.pack.values as unknown as CnParameters;
  checkPauses(context, hits);
  checkRecipient(context, parameters, hits);
  checkTraining(context, parameters, hits);
  checkWindow(context, parameters, hits);
  checkDailyCaps(context, parameters, hits);
}
