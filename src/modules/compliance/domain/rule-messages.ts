// What each rule says to a person reading a decision, in Chinese and English. A reason's message
// is the rule's statement followed by the facts of the case (the local time, the count, the next
// allowed time), which the rule supplies when it fires.
import type { RuleId } from "./rule-catalogue.js";

export interface BilingualText {
  zh: string;
  en: string;
}

export const ruleTexts: Readonly<Record<RuleId, BilingualText>> = {
  "cn.contact-window": {
    zh: "每日22:00至次日08:00（联系人当地时间）不得催收，双方另有约定的除外",
    en: "No collection contact 22:00–08:00 in the contact's local time unless a schedule was agreed",
  },
  "cn.voice-daily-cap": {
    zh: "与单一债务人的语音有效通话每日不超过3次（含委外机构）",
    en: "At most 3 connected voice contacts with one debtor per local day, agencies included",
  },
  "cn.visit-daily-cap": { zh: "现场催收每日不超过1次", en: "At most one field visit per local day" },
  "cn.collection-target": {
    zh: "只向债务人和担保人催收，不得向无关第三人催收",
    en: "Collect only from the debtor and the guarantor, never from unrelated third parties",
  },
  "cn.emergency-contact": {
    zh: "仅在债务人失联时、经事先约定、未被拒绝的情况下联系紧急联系人，且不得透露欠款信息",
    en: "Contact an emergency contact only when the debtor is unreachable, if pre-agreed, never after a refusal, and without disclosing the debt",
  },
  "cn.pause.complaint-or-dispute": {
    zh: "催收行为投诉或争议处理期间暂停催收",
    en: "Collection pauses while a complaint about collection conduct or a dispute is open",
  },
  "cn.pause.repayment-plan": { zh: "还款方案正常履约期间仅发送还款提醒", en: "While an approved plan is in good standing only plan reminders are sent" },
  "cn.pause.cease-request": { zh: "债务人已提出停止联系申请", en: "The debtor asked for contact to stop" },
  "cn.pause.legal-representation": { zh: "债务人已委托律师，应与其代理人沟通", en: "The debtor is legally represented; contact the representative instead" },
  "cn.pause.deceased": { zh: "债务人已身故，停止催收，转人工处理遗产事宜", en: "The debtor has died; collection stops and the estate is handled by a person" },
  "cn.agent-training": { zh: "催收培训已超过365天的坐席不得外呼", en: "An agent whose collection training is over 365 days old may not dial" },
  "cn.content.institution-name": { zh: "催收信息须表明机构名称", en: "Every message must name the institution" },
  "cn.content.threat": { zh: "不得威胁、恐吓", en: "No threats or intimidation" },
  "cn.content.insult": { zh: "不得侮辱、谩骂", en: "No insults or abuse" },
  "cn.content.impersonation": { zh: "不得冒充公检法或政府机关", en: "No impersonation of courts, police or government" },
  "cn.content.false-consequence": {
    zh: "不得虚构逾期后果（抓捕、案底、告知家人或单位等）",
    en: "No false statements about consequences (arrest, criminal record, telling family or employer)",
  },
  "cn.content.debt-disclosure": {
    zh: "发给紧急联系人或用于查找联系方式的信息不得透露欠款",
    en: "Messages to emergency contacts and location messages must not disclose the debt",
  },
  "us.scope.first-party-creditor": { zh: "债权人自行催收自有债务，不适用Regulation F", en: "A creditor collecting its own debts is outside Regulation F" },
  "us.call-frequency.seven-in-seven": {
    zh: "连续7天内就同一笔债务致电同一人不得超过7次",
    en: "No more than 7 telephone calls to a person about a debt within 7 consecutive days",
  },
  "us.call-frequency.after-conversation": {
    zh: "电话交谈后7天内（交谈当日为第1天）不得再就该债务致电",
    en: "No telephone call within 7 days after a telephone conversation about the debt (the conversation's day is day 1)",
  },
  "us.call-frequency.rapid-succession": {
    zh: "短时间内连续致电或同日致电过于集中，可能推翻合规推定",
    en: "Calls in rapid succession or concentrated on one day can rebut the presumption of compliance",
  },
  "us.call-frequency.after-consumer-ended": {
    zh: "消费者刚结束通话，随即再次致电可能构成骚扰",
    en: "Calling right after the consumer ended a conversation can be harassment",
  },
  "us.inconvenient-time": {
    zh: "不得在消费者当地时间8:00前或21:00后联系；所在时区不明确时须在所有可能时区均为合适时间",
    en: "No communication before 8:00 or after 21:00 local time, in every zone the consumer may be in",
  },
  "us.inconvenient-time.consumer-named": { zh: "不得在消费者告知的不便时间联系", en: "No communication at a time the consumer said is inconvenient" },
  "us.medium-opt-out": { zh: "此人已要求不通过该渠道联系或停止来电", en: "The person asked not to be contacted through this medium or to stop calls" },
  "us.cease-communication": { zh: "消费者已书面拒绝付款或要求停止联系", en: "The consumer refused to pay or asked the collector to cease communication" },
  "us.attorney-represented": { zh: "消费者已就该债务委托律师", en: "The consumer is represented by an attorney about this debt" },
  "us.dispute-verification": { zh: "争议待核实期间停止催收", en: "Collection stops while a dispute awaits verification" },
  "us.deceased": {
    zh: "消费者已身故，不得联系；遗产事宜由专人处理",
    en: "The consumer has died; the estate's executor or administrator is handled by a person",
  },
  "us.third-party.location-only": {
    zh: "仅可为获取位置信息联系第三方，且仅限一次；消费者委托律师后不得联系第三方",
    en: "Third parties may be contacted only for location information, once, and not while the consumer has an attorney",
  },
  "us.limited-content": {
    zh: "有限内容留言须为留给消费者本人的语音留言，且只含允许的内容",
    en: "A limited-content message is a voicemail for the consumer with only the allowed content",
  },
  "us.content.identity": {
    zh: "信息须表明催收机构身份（电话须表明来电方身份）",
    en: "Messages must say who is collecting (calls must disclose the caller's identity)",
  },
  "us.content.debt-collector-disclosure": {
    zh: "须声明本信息来自债务催收方（this is a communication from a debt collector）",
    en: 'Communications must say they are from a debt collector ("this is a communication from a debt collector")',
  },
  "us.content.opt-out-notice": { zh: "每封邮件和短信须说明退订方式", en: "Every e-mail and text must say how to opt out" },
  "us.content.threat-violence": { zh: "不得使用或威胁使用暴力", en: "No use or threat of violence or other criminal means" },
  "us.content.obscene": { zh: "不得使用粗俗或侮辱性语言", en: "No obscene or profane language" },
  "us.content.government-impersonation": { zh: "不得冒充政府、法院或警方", en: "No false representation of government, court or police affiliation" },
  "us.content.false-consequence": {
    zh: "不得虚称将被逮捕、监禁、追究刑事责任，或威胁告知雇主或家人",
    en: "No threats of arrest, imprisonment or criminal charges, and no threats to tell employer or family",
  },
  "us.content.debt-disclosure": {
    zh: "位置信息及第三方信息不得提及债务或催收",
    en: "Location and third-party messages must say nothing about the debt or debt collection",
  },
};

/** The rule's statement followed by the case's details, in both languages. */
export function withDetails(rule: RuleId, details: BilingualText | null): BilingualText {
  const base = ruleTexts[rule];
  if (!details) return { zh: `${base.zh}。`, en: `${base.en}.` };
  return { zh: `${base.zh}：${details.zh}`, en: `${base.en}: ${details.en}` };
}
