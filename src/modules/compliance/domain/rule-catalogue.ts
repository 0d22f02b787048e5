// Every rule the contact gateway knows: its stable id, pack, legal source, the pack parameters it
// reads (with their defaults) and what it counts. docs/compliance.md is this table in prose; a
// test keeps the two in step, and every rule's tests carry its id in their names.
import type { RuleEffect } from "./contact-vocabulary.js";
import { cnParameterDefinitions, type ParameterDefinition, type ParameterValue, usParameterDefinitions } from "./pack-parameters.js";

export const ruleIds = [
  "cn.contact-window",
  "cn.voice-daily-cap",
  "cn.visit-daily-cap",
  "cn.collection-target",
  "cn.emergency-contact",
  "cn.pause.complaint-or-dispute",
  "cn.pause.repayment-plan",
  "cn.pause.cease-request",
  "cn.pause.legal-representation",
  "cn.pause.deceased",
  "cn.agent-training",
  "cn.content.institution-name",
  "cn.content.threat",
  "cn.content.insult",
  "cn.content.impersonation",
  "cn.content.false-consequence",
  "cn.content.debt-disclosure",
  "us.scope.first-party-creditor",
  "us.call-frequency.seven-in-seven",
  "us.call-frequency.after-conversation",
  "us.call-frequency.rapid-succession",
  "us.call-frequency.after-consumer-ended",
  "us.inconvenient-time",
  "us.inconvenient-time.consumer-named",
  "us.medium-opt-out",
  "us.cease-communication",
  "us.attorney-represented",
  "us.dispute-verification",
  "us.deceased",
  "us.third-party.location-only",
  "us.limited-content",
  "us.content.identity",
  "us.content.debt-collector-disclosure",
  "us.content.opt-out-notice",
  "us.content.threat-violence",
  "us.content.obscene",
  "us.content.government-impersonation",
  "us.content.false-consequence",
  "us.content.debt-disclosure",
] as const;
export type RuleId = (typeof ruleIds)[number];

export type PackId = "cn-default" | "us-regf";

export interface RuleParameter {
  name: string;
  defaultValue: ParameterValue;
  unit: string | null;
  isStatutory: boolean;
}

export interface RuleDescriptor {
  id: RuleId;
  pack: PackId;
  title: string;
  /** What the rule does when it fires. */
  effect: RuleEffect;
  /** Citation for the pack's current version. */
  source: string;
  parameters: readonly RuleParameter[];
  whatCounts: string;
}

interface RuleDraft {
  id: RuleId;
  title: string;
  effect: RuleEffect;
  source: string;
  parameters?: readonly string[];
  whatCounts: string;
}

const gbt = "GB/T 45251-2025";

const cnDrafts: RuleDraft[] = [
  {
    id: "cn.contact-window",
    title: "No contact 22:00–08:00 in the contact's local time unless a schedule was agreed",
    effect: "defer",
    source: `${gbt} §5.3 (催收时间：双方未约定时不应在每日22:00至次日8:00进行催收作业)`,
    parameters: ["windowStartMinutes", "windowEndMinutes", "windowChannels"],
    whatCounts:
      "Local time in each of the person's zones (Asia/Shanghai when none is known); a person's agreed schedule replaces the window; times the person named as inconvenient are excluded too. Letters are not held to it.",
  },
  {
    id: "cn.voice-daily-cap",
    title: "At most 3 connected voice contacts with one debtor per local day, across the lender and its agencies",
    effect: "defer",
    source: `${gbt} §5.3 (催收频次：以语音形式（含智能语音）进行交互式催收，与单一债务人主动有效通话每日不应超过3次)`,
    parameters: ["voiceContactsPerDayMax", "voiceCountedChannels", "voiceCountedOutcomes", "voiceCountsInbound"],
    whatCounts:
      "History items with the same person on the person's current local day, in a counted channel (call, robot call) with a counted outcome (connected, conversation), outbound only unless inbound is configured; every agency's items are in the history and count.",
  },
  {
    id: "cn.visit-daily-cap",
    title: "At most one field visit to a person per local day",
    effect: "defer",
    source: `${gbt} §5.3 (现场催收频次)`,
    parameters: ["visitsPerDayMax"],
    whatCounts: "Outbound visit items with the same person on the person's current local day, any outcome.",
  },
  {
    id: "cn.collection-target",
    title: "Collect only from the debtor and the guarantor; never from unrelated third parties",
    effect: "block",
    source: `${gbt} §5.3 (催收对象：只向债务人催收，向担保人催收以法律法规和协议约定为限); 《商业银行信用卡业务监督管理办法》第六十八条`,
    whatCounts: "The role of the person contacted: third_party is blocked; emergency contacts go to cn.emergency-contact; attorneys may be contacted.",
  },
  {
    id: "cn.emergency-contact",
    title: "An emergency contact only when the debtor is unreachable, only if pre-agreed, never after a refusal, and never about the debt",
    effect: "block",
    source: `${gbt} §5.3 (仅在无法联系到债务人本人等情形下方可联系联系人；联系人明确拒绝后不得再联系；不得透露欠款信息); 《个人信息保护法》`,
    parameters: ["unreachableFailedAttemptsMin", "unreachableWindowDays", "unreachableAttemptChannels", "unreachableFailedOutcomes"],
    whatCounts:
      "Unreachable = facts.debtorReachable is false, or every borrower has at least N failed outbound attempts (counted channels and outcomes) on the last M local days and no connected contact or inbound contact in those days. The contact must be pre-agreed, must not have refused, and the content class must be location_only.",
  },
  {
    id: "cn.pause.complaint-or-dispute",
    title: "Collection pauses while a complaint about collection conduct or a dispute is open",
    effect: "block",
    source: `${gbt} §5.6 (投诉处理); lender policy (投诉、争议处理期间暂停催收)`,
    whatCounts: "facts.complaintOpen or facts.disputeOpen; plan reminders still go out.",
  },
  {
    id: "cn.pause.repayment-plan",
    title: "While an approved plan is in good standing only plan reminders are sent",
    effect: "block",
    source: `${gbt} §5.3 (协商还款); lender policy (方案履约期间仅发送还款提醒)`,
    whatCounts: "facts.planInGoodStanding; any content class other than plan_reminder is blocked.",
  },
  {
    id: "cn.pause.cease-request",
    title: "Contact stops after the debtor asked for it to stop",
    effect: "block",
    source: "《个人信息保护法》第十五条 (撤回同意); lender policy (停催申请)",
    whatCounts: "facts.ceaseRequested; every channel and content class, except contact with the debtor's attorney.",
  },
  {
    id: "cn.pause.legal-representation",
    title: "When the debtor is legally represented, contact goes through the representative",
    effect: "block",
    source: "《民法典》第一百六十二条 (代理); lender policy (委托律师后经律师沟通)",
    whatCounts: "facts.attorneyRepresented; contacts with the borrower and guarantor are blocked, the attorney may be contacted.",
  },
  {
    id: "cn.pause.deceased",
    title: "Collection stops when the debtor has died; the estate is handled by a person",
    effect: "block",
    source: `${gbt} §5.3 (债务人死亡等特定情形); 《民法典》第一千一百六十一条`,
    whatCounts: "facts.deceased; every contact.",
  },
  {
    id: "cn.agent-training",
    title: "An agent whose collection training is over 365 days old may not dial",
    effect: "block",
    source: `${gbt} §5.2 (组织和人员管理：催收人员培训); lender policy (培训有效期一年)`,
    parameters: ["trainingValidDays", "trainingChannels"],
    whatCounts:
      "Days from facts.agentTrainedOn to the current date in Asia/Shanghai; 365 is allowed, 366 is blocked. A dialled channel without a training date gives a warning.",
  },
  {
    id: "cn.content.institution-name",
    title: "Every message names the institution",
    effect: "block",
    source: `${gbt} §5.3 (催收时应表明机构身份)`,
    whatCounts: "The institution's name (facts.institutionName) or the {{institutionName}} placeholder appears in the text.",
  },
  {
    id: "cn.content.threat",
    title: "No threats or intimidation",
    effect: "block",
    source: `${gbt} §5.3 (不应采用暴力、威胁、恐吓等手段); 《治安管理处罚法》第四十二条`,
    whatCounts: "Forbidden expressions in Chinese and English (e.g. 后果自负, 让你好看, watch your back).",
  },
  {
    id: "cn.content.insult",
    title: "No insults or abuse",
    effect: "block",
    source: `${gbt} §5.3 (不应侮辱、诽谤); 《治安管理处罚法》第四十二条`,
    whatCounts: "Forbidden expressions in Chinese and English (e.g. 老赖, 废物, deadbeat, loser).",
  },
  {
    id: "cn.content.impersonation",
    title: "No impersonation of courts, police or government",
    effect: "block",
    source: `${gbt} §5.3 (不应冒充公检法、政府机关等); 《刑法》第二百七十九条`,
    whatCounts: "Claims to be or to call from a court, the police, a procuratorate or a government body, in Chinese or English.",
  },
  {
    id: "cn.content.false-consequence",
    title: "No false statements about consequences (arrest, criminal record, telling family or employer)",
    effect: "block",
    source: `${gbt} §5.3 (不应虚构、夸大逾期后果，不应向无关第三人透露或威胁透露债务信息)`,
    whatCounts: "Arrest, jail, criminal record or case filing, and threats to tell family, employer or the address book.",
  },
  {
    id: "cn.content.debt-disclosure",
    title: "Messages to emergency contacts and location messages disclose no debt",
    effect: "block",
    source: `${gbt} §5.3, §5.5 (不得向联系人透露债务人欠款信息); 《个人信息保护法》`,
    whatCounts: "Debt words (欠款, 逾期, 还款, debt, overdue, loan …) and amounts, when the recipient is not an obligor or the content class is location_only.",
  },
];

const usDrafts: RuleDraft[] = [
  {
    id: "us.scope.first-party-creditor",
    title: "A creditor collecting its own debts is outside Regulation F",
    effect: "info",
    source: "15 U.S.C. 1692a(6); 12 CFR 1006.2(i)",
    parameters: ["exemptsFirstPartyCreditor"],
    whatCounts:
      "facts.firstPartyCreditor with the pack setting on: the Regulation F rules are skipped; the forbidden-content checks still run (they are also unfair, deceptive or abusive practices).",
  },
  {
    id: "us.call-frequency.seven-in-seven",
    title: "No more than 7 telephone calls to a person about a debt within 7 consecutive days",
    effect: "defer",
    source: "12 CFR 1006.14(b)(2)(i)(A), (b)(2)(ii); exclusions 1006.14(b)(3)(i)–(iii); each debt 1006.14(b)(4)",
    parameters: ["callsInSevenDaysMax", "frequencyChannels", "excludedOutcomes", "consentWindowDays", "consentEndsAtConversation"],
    whatCounts:
      "Outbound calls and robot calls to the same person naming the debt (a call about several debts counts for each; one naming none counts for all), on the current local day and the 6 before. Not counted: calls not connected to the dialled number (busy, out of service — unanswered and voicemail calls do count), calls placed under a direct prior consent (from its day, counted as day 1, for at most 7 days, until it expires, is revoked, or a conversation uses it up), calls to the consumer's attorney.",
  },
  {
    id: "us.call-frequency.after-conversation",
    title: "No telephone call within 7 days after a telephone conversation, the conversation's day being day 1",
    effect: "defer",
    source: "12 CFR 1006.14(b)(2)(i)(B), (b)(2)(ii); exclusions 1006.14(b)(3)",
    parameters: ["conversationQuietDays", "frequencyChannels", "consentWindowDays", "consentEndsAtConversation"],
    whatCounts:
      "Any conversation (either party calling) with the person about the debt; the call is deferred to local midnight starting day 8. A call under a valid direct prior consent or to the consumer's attorney is not held back.",
  },
  {
    id: "us.call-frequency.rapid-succession",
    title: "Warn about calls that rebut the presumption of compliance: calls in rapid succession or concentrated on one day",
    effect: "warn",
    source: "12 CFR 1006.14(b)(1), (b)(2)(i) (rebuttable presumption); comment 14(b)(2)(i)-2",
    parameters: ["rapidSuccessionMinutes", "callsPerDayConcentrationMin", "excludedOutcomes"],
    whatCounts:
      "A counted call to the same person within the last 5 minutes, or the call that would be the 4th or later to the person on the local day (any debt).",
  },
  {
    id: "us.call-frequency.after-consumer-ended",
    title: "Warn about a call placed right after the consumer ended a conversation",
    effect: "warn",
    source: "12 CFR 1006.14(b)(1); comment 14(b)(2)(i)-2",
    parameters: ["consumerEndedQuietMinutes"],
    whatCounts: "A history item with endedByConsumer for the same person (any debt, any direction) within the last 120 minutes.",
  },
  {
    id: "us.inconvenient-time",
    title: "No communication before 8:00 or after 21:00 local time, in every zone the consumer may be in",
    effect: "defer",
    source: "12 CFR 1006.6(b)(1)(i); 15 U.S.C. 1692c(a)(1)",
    parameters: ["windowStartMinutes", "windowEndMinutes", "windowChannels", "defaultTimeZones"],
    whatCounts:
      "Local time in each of the person's zones (all of the default US zones when none is known); the contact must be convenient in all of them. Letters are not held to it; e-mails and texts are, at the time they are sent.",
  },
  {
    id: "us.inconvenient-time.consumer-named",
    title: "No communication at a time the consumer said is inconvenient",
    effect: "defer",
    source: "12 CFR 1006.6(b)(1)(i) (a time the debt collector knows or should know is inconvenient)",
    parameters: ["windowChannels"],
    whatCounts: "persons[].inconvenientTimes (weekdays and a local from–to range), checked in each of the person's zones.",
  },
  {
    id: "us.medium-opt-out",
    title: "No communication through a medium the person asked the collector not to use; no calls after a stop-calling request",
    effect: "block",
    source: "12 CFR 1006.14(h)(1)",
    whatCounts: "persons[].optOuts names the channel, or facts.stopCalling and the channel places a call.",
  },
  {
    id: "us.cease-communication",
    title: "No further communication after the consumer refused to pay or asked the collector to cease",
    effect: "block",
    source: "12 CFR 1006.6(c)(1); 15 U.S.C. 1692c(c)",
    whatCounts: "facts.ceaseRequested; every channel (the notices 1006.6(c)(2) still allows are sent outside the gateway's collection flow).",
  },
  {
    id: "us.attorney-represented",
    title: "No communication with a consumer known to be represented by an attorney about the debt",
    effect: "block",
    source: "12 CFR 1006.6(b)(2); 15 U.S.C. 1692c(a)(2)",
    whatCounts: "facts.attorneyRepresented; contacts with the borrower and guarantor are blocked, the attorney may be contacted.",
  },
  {
    id: "us.dispute-verification",
    title: "Collection stops while a dispute awaits verification",
    effect: "block",
    source: "15 U.S.C. 1692g(b); 12 CFR 1006.38(d)(2)",
    whatCounts: "facts.disputeOpen; collection content is blocked (plan reminders too, as they ask for payment).",
  },
  {
    id: "us.deceased",
    title: "A deceased consumer is not contacted; the estate's executor or administrator is handled by a person",
    effect: "block",
    source: "12 CFR 1006.6(a)(4)",
    whatCounts: "facts.deceased; every contact except with an attorney.",
  },
  {
    id: "us.third-party.location-only",
    title: "Third parties only for location information, once, and never while the consumer has an attorney",
    effect: "block",
    source: "12 CFR 1006.6(d)(1), 1006.10(b)(3), 1006.10(b)(6); 15 U.S.C. 1692b, 1692c(b)",
    parameters: ["locationContactsMax", "locationCommunicationOutcomes"],
    whatCounts:
      "Roles third_party and emergency_contact: the content class must be location_only; earlier outbound communications with the person (connected, conversation, voicemail, limited-content message) count, unless the person asked to be contacted again (persons[].locationContactRequested).",
  },
  {
    id: "us.limited-content",
    title: "A limited-content message is a voicemail for the consumer with only the allowed content",
    effect: "block",
    source: "12 CFR 1006.2(j)",
    whatCounts:
      "Content class limited_content: only by call or robot call, only to the borrower or guarantor; the text must hold a business name that does not indicate debt collection, a request to reply, a natural person's name and a telephone number, and nothing about the debt.",
  },
  {
    id: "us.content.identity",
    title: "Messages disclose who is collecting: calls meaningfully disclose the caller's identity, written messages name the collector",
    effect: "block",
    source: "12 CFR 1006.14(g); 15 U.S.C. 1692d(6), 1692e(14)",
    whatCounts:
      "Collection and plan-reminder text in any channel (call and robot-call scripts, texts, e-mails, letters) names the institution (facts.institutionName or the {{institutionName}} placeholder). Location and limited-content messages have their own rules.",
  },
  {
    id: "us.content.debt-collector-disclosure",
    title: 'Communications say they are from a debt collector ("this is a communication from a debt collector")',
    effect: "block",
    source: "12 CFR 1006.18(e); 15 U.S.C. 1692e(11)",
    whatCounts: "Collection and plan-reminder text to the borrower or guarantor contains the debt-collector disclosure.",
  },
  {
    id: "us.content.opt-out-notice",
    title: "Every e-mail and text to the consumer says how to opt out",
    effect: "block",
    source: "12 CFR 1006.6(e)",
    whatCounts:
      'E-mails and texts to the borrower or guarantor contain an opt-out method ("reply STOP", "unsubscribe", "opt out"); a text or e-mail without its text gives a warning.',
  },
  {
    id: "us.content.threat-violence",
    title: "No use or threat of violence or other criminal means",
    effect: "block",
    source: "12 CFR 1006.14(c); 15 U.S.C. 1692d(1)",
    whatCounts: "Forbidden expressions (e.g. hurt you, watch your back, we know where you live), in English and Chinese.",
  },
  {
    id: "us.content.obscene",
    title: "No obscene or profane language",
    effect: "block",
    source: "12 CFR 1006.14(d); 15 U.S.C. 1692d(2)",
    whatCounts: "Profanity and abuse, in English and Chinese.",
  },
  {
    id: "us.content.government-impersonation",
    title: "No false representation of government, court or police affiliation",
    effect: "block",
    source: "12 CFR 1006.18(b)(1)(i); 15 U.S.C. 1692e(1), (9)",
    whatCounts: "Claims to be or to call from the police, a court, a sheriff or a government agency.",
  },
  {
    id: "us.content.false-consequence",
    title: "No threats of arrest, imprisonment or criminal charges, and no threats to tell employer or family",
    effect: "block",
    source: "12 CFR 1006.18(b)(3), 1006.6(d)(1); 15 U.S.C. 1692e(4), (5), (7)",
    whatCounts: "Arrest, jail, warrant, criminal record, and threats to contact the employer, family or neighbours about the debt.",
  },
  {
    id: "us.content.debt-disclosure",
    title: "Location and third-party messages say nothing about the debt or debt collection",
    effect: "block",
    source: "12 CFR 1006.10(b)(2), (b)(5); 1006.6(d)(1)",
    whatCounts: "Debt words and amounts when the recipient is not an obligor or the content class is location_only.",
  },
];

function parametersOf(names: readonly string[] | undefined, definitions: readonly ParameterDefinition[]): RuleParameter[] {
  return (names ?? []).map((name) => {
    const definition = definitions.find((item) => item.name === name);
    if (!definition) throw new Error(`rule catalogue names unknown parameter ${name}`);
    return { name, defaultValue: definition.defaultValue, unit: definition.unit, isStatutory: definition.isStatutory };
  });
}

function describe(pack: PackId, drafts: readonly RuleDraft[], definitions: readonly ParameterDefinition[]): RuleDescriptor[] {
  return drafts.map((draft) => ({
    id: draft.id,
    pack,
    title: draft.title,
    effect: draft.effect,
    source: draft.source,
    parameters: parametersOf(draft.parameters, definitions),
    whatCounts: draft.whatCounts,
  }));
}

export const ruleCatalogue: readonly RuleDescriptor[] = [
  ...describe("cn-default", cnDrafts, cnParameterDefinitions),
  ...describe("us-regf", usDrafts, usParameterDefinitions),
];

const descriptorById = new Map<RuleId, RuleDescriptor>(ruleCatalogue.map((descriptor) => [descriptor.id, descriptor]));

export function ruleDescriptor(id: RuleId): RuleDescriptor {
  const descriptor = descriptorById.get(id);
  if (!descriptor) throw new Error(`unknown rule ${id}`);
  return descriptor;
}

/** The citation the cn-default 2024 version used: the NIFA guideline the national standard replaced. */
export function nifaSourceOf(source: string): string {
  return source.replace(/GB\/T 45251-2025 (§[\d.]+(, §[\d.]+)*)/g, "NIFA《互联网金融贷后催收业务指引》(2024)");
}
