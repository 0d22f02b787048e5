// The suggested script (建议话术) an agent sees on the case page: an opening in which the
// institution names itself and confirms it is speaking to the borrower, the points to cover —
// why the payment is late, and the consequences in the borrower's own numbers (what is overdue,
// how much penalty has built up and how much it grows a day, the credit record, what later
// stages bring) — the ways out that fit the reason (promise to pay, an installment plan, a
// penalty waiver request, a dispute or fraud review), and a closing. Pure.
//
// Every sentence is a statement of fact or an offer: nothing here threatens, insults, claims an
// authority the lender does not have, or says anything about people other than the borrower.
// The content check of the compliance module is run over every combination in the test.
import { formatMinor } from "../../../platform/money.js";

export const scriptBuckets = ["M1", "M2", "M3", "M4", "M5", "M6", "M7+"] as const;
export type ScriptBucket = (typeof scriptBuckets)[number];
export const scriptReasons = [
  "income_drop",
  "illness",
  "unemployment",
  "family_emergency",
  "forgot",
  "dispute",
  "suspected_fraud",
  "refuses",
  "other",
] as const;
export type ScriptReason = (typeof scriptReasons)[number];
export type ScriptLanguage = "zh-CN" | "en";
export type ScriptOffer = "promise_to_pay" | "installment_plan" | "penalty_waiver" | "dispute_review" | "fraud_review";

/** The borrower's own figures; amounts in minor units of `currency`. */
export interface ScriptFacts {
  currency: string;
  overdueMinor: bigint;
  daysPastDue: number;
  penaltySoFarMinor: bigint;
  penaltyPerDayMinor: bigint;
  /** The next installment's due date (YYYY-MM-DD), or null when none is left. */
  nextDueOn: string | null;
}

export interface ScriptInput {
  bucket: ScriptBucket;
  /** The last overdue reason an agent recorded, or null when none was. */
  reason: ScriptReason | null;
  language: ScriptLanguage;
  /** The lender's name in the script's language. */
  institutionName: string;
  borrowerName: string | null;
  facts: ScriptFacts;
}

export interface ScriptLine<Key extends string = string> {
  key: Key;
  text: string;
}

export interface SuggestedScript {
  bucket: ScriptBucket;
  reason: ScriptReason | null;
  language: ScriptLanguage;
  opening: string;
  points: ScriptLine[];
  offers: ScriptLine<ScriptOffer>[];
  closing: string;
}

/** Days past due → bucket, for callers that have only the DPD (M1 from day 1, M7+ after 180). */
export function scriptBucketOf(daysPastDue: number): ScriptBucket {
  const index = Math.min(Math.max(Math.ceil(daysPastDue / 30), 1), 7);
  return scriptBuckets[index - 1] as ScriptBucket;
}

export function isScriptBucket(value: string): value is ScriptBucket {
  return (scriptBuckets as readonly string[]).includes(value);
}

export function isScriptReason(value: string | null): value is ScriptReason {
  return value !== null && (scriptReasons as readonly string[]).includes(value);
}

function groupThousands(decimal: string): string {
  const [whole = "0", fraction] = decimal.replace(/^-/, "").split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${decimal.startsWith("-") ? "-" : ""}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
}

/** 123456n CNY → "1,234.56元" (zh-CN) or "CNY 1,234.56" (en): exact, from bigint. */
export function formatScriptAmount(amountMinor: bigint, currency: string, language: ScriptLanguage): string {
  const decimal = groupThousands(formatMinor(amountMinor, currency));
  if (language === "en") return `${currency} ${decimal}`;
  return currency === "CNY" ? `${decimal}元` : `${decimal} ${currency}`;
}

const laterStage = { early: ["M1"], middle: ["M2", "M3"], late: ["M4", "M5", "M6"], longest: ["M7+"] } as const;

function stageOf(bucket: ScriptBucket): keyof typeof laterStage {
  for (const [stage, buckets] of Object.entries(laterStage)) if ((buckets as readonly string[]).includes(bucket)) return stage as keyof typeof laterStage;
  return "longest";
}

/** Offers in the order an agent should put them, by the reason the borrower gave. */
function offersFor(reason: ScriptReason | null, bucket: ScriptBucket): ScriptOffer[] {
  switch (reason) {
    case "income_drop":
    case "illness":
    case "unemployment":
    case "family_emergency":
      return ["installment_plan", "penalty_waiver", "promise_to_pay"];
    case "forgot":
      return stageOf(bucket) === "early" ? ["promise_to_pay"] : ["promise_to_pay", "installment_plan"];
    case "dispute":
      return ["dispute_review", "promise_to_pay"];
    case "suspected_fraud":
      return ["fraud_review"];
    case "refuses":
    case "other":
    case null:
      return ["promise_to_pay", "installment_plan"];
  }
}

interface Phrases {
  opening: (institution: string, name: string | null) => string;
  overdue: (institution: string, amount: string, days: number) => string;
  penaltySoFar: (amount: string) => string;
  penaltyPerDay: (amount: string, weekly: string) => string;
  noPenaltyGrowth: string;
  creditRecord: string;
  nextDue: (date: string) => string;
  stage: Record<keyof typeof laterStage, string>;
  why: Record<ScriptReason | "none", string>;
  offer: Record<ScriptOffer, string>;
  closing: (institution: string) => string;
}

const zh: Phrases = {
  opening: (institution, name) =>
    `您好，我是${institution}的客服专员。${name ? `请问您是${name}本人吗？` : "请问您是借款人本人吗？"}确认是您本人后，我再和您说明账户情况。`,
  overdue: (institution, amount, days) => `您在${institution}的借款目前逾期${days}天，逾期金额为${amount}。`,
  penaltySoFar: (amount) => `按合同约定，截至今天已产生罚息${amount}。`,
  penaltyPerDay: (amount, weekly) => `按目前的逾期金额，罚息每天增加${amount}，一周就是${weekly}；尽早还款，罚息就不再继续增加。`,
  noPenaltyGrowth: "按目前的账户情况，罚息暂时不再增加，但逾期金额仍需偿还。",
  creditRecord: "按照国家征信相关规定，逾期信息可能报送金融信用信息基础数据库，影响您今后办理贷款和信用卡；结清后不良记录自结清之日起保留5年。",
  nextDue: (date) => `另外提醒您，下一期还款日是${date}，按时还款可以避免产生新的逾期。`,
  stage: {
    early: "现在逾期时间还短，尽快处理对您的影响最小。",
    middle: "逾期时间越长，罚息累计越多，对个人信用的影响也越大，建议您尽早和我们商量解决办法。",
    late: "如果长期无法协商解决，我们可能委托合规的合作机构继续与您沟通，也可能依法通过民事诉讼等合法途径主张债权；我们更希望和您一起找到可行的还款方案。",
    longest: "账户已逾期超过180天，债务不会因为时间长而消失；我们可能依法通过民事诉讼等合法途径主张债权，但现在协商还款方案仍然是对您最有利的选择。",
  },
  why: {
    none: "方便说一下这次没能按时还款的原因吗？了解情况后我们才能给您合适的建议。",
    income_drop: "上次您提到收入减少了，现在情况有变化吗？我们可以按您目前的还款能力来商量。",
    illness: "上次您提到身体不适，希望您早日康复。现在方便的话，我们可以一起看看怎样安排还款压力小一些。",
    unemployment: "上次您提到暂时没有工作，找工作期间资金紧张可以理解，我们可以一起看看怎样的安排您能承受。",
    family_emergency: "上次您提到家中有急事，希望一切已经好转。我们可以按您现在的情况商量还款安排。",
    forgot: "上次您提到是忘记了还款日，这种情况很常见，现在处理好就可以避免罚息继续增加。",
    dispute: "上次您对账单提出了疑问，我们重视您的意见，会先把疑问核实清楚。",
    suspected_fraud: "上次您表示这笔借款可能不是您本人办理的，我们非常重视，会先核实清楚。",
    refuses: "上次您表示暂时不打算还款，我理解您可能有自己的考虑，想和您把账户情况和可选的办法说清楚，再由您决定。",
    other: "上次您说明了未能按时还款的情况，现在有什么变化吗？",
  },
  offer: {
    promise_to_pay: "如果您能在近几天内还款，可以和我约定一个还款日期和金额，我会登记下来。",
    installment_plan: "如果一次还清有困难，可以为您提交分期还款申请，按月分摊逾期金额，审批通过后按新的计划还款。",
    penalty_waiver: "结合您的实际困难，可以为您提交减免罚息的申请，需要您提供相关证明材料，是否批准以审批结果为准。",
    dispute_review: "我现在为您登记异议，转交专人核实账单，核实结果会在规定时限内回复您；没有争议的部分，您也可以先约定还款。",
    fraud_review: "我现在为您登记这一情况，转交专门的团队核实身份和借款信息，核实后会回复您；请保留好相关证据。",
  },
  closing: (institution) => `感谢您的耐心沟通。如有任何疑问，可以随时与${institution}客服联系。祝您生活顺利，再见。`,
};

const en: Phrases = {
  opening: (institution, name) =>
    `Hello, this is a customer service officer of ${institution}. ${name ? `May I speak with ${name}, please?` : "May I speak with the account holder, please?"} Once you confirm it is you, I will go through your account.`,
  overdue: (institution, amount, days) =>
    `Your loan with ${institution} is ${days} ${days === 1 ? "day" : "days"} overdue, and the overdue amount is ${amount}.`,
  penaltySoFar: (amount) => `Under your contract, penalty interest of ${amount} has built up so far.`,
  penaltyPerDay: (amount, weekly) =>
    `At the current overdue amount, penalty interest grows by ${amount} a day, which is ${weekly} a week; once you repay, it stops growing.`,
  noPenaltyGrowth: "As things stand, no further penalty interest is being added, but the overdue amount still needs to be repaid.",
  creditRecord:
    "Under China's credit reporting rules, overdue information may be reported to the central credit database and can affect future loan and credit card applications; a negative entry is kept for five years from the day it is settled.",
  nextDue: (date) => `Also, your next instalment falls due on ${date}; repaying it on time avoids a new overdue entry.`,
  stage: {
    early: "It is still early, so sorting it out now keeps the effect on you as small as possible.",
    middle:
      "The longer a repayment stays overdue, the more penalty interest builds up and the more your credit standing is affected, so it is best to agree a solution with us soon.",
    late: "If no arrangement can be agreed over a long period, we may ask a licensed partner agency to continue the conversation with you, or pursue the amount through lawful means such as a civil lawsuit; we would much rather find a workable plan with you.",
    longest:
      "The account has been overdue for more than 180 days, and the amount does not go away with time; we may pursue it through lawful means such as a civil lawsuit, but agreeing a repayment plan now is still the best option for you.",
  },
  why: {
    none: "Could you tell me what made the payment late this time? Knowing that helps me suggest something that works for you.",
    income_drop: "Last time you mentioned that your income had dropped. Has anything changed since? We can plan around what you can afford now.",
    illness: "Last time you mentioned you were unwell, and I hope you are recovering. If it suits you, we can look at a way to make repaying easier.",
    unemployment: "Last time you mentioned you were between jobs. Money is tight while looking for work, and we can look at what you can manage.",
    family_emergency: "Last time you mentioned an emergency in your family, and I hope things are better now. We can plan repayment around your situation.",
    forgot: "Last time you mentioned that the due date slipped your mind. That happens, and settling it now stops the penalty interest from growing.",
    dispute: "Last time you questioned the statement. We take that seriously and will check it first.",
    suspected_fraud: "Last time you said this loan may not have been taken out by you. We take that very seriously and will check it first.",
    refuses:
      "Last time you said you did not intend to repay for now. I understand you may have your reasons; I would like to explain the account and the options, and the decision is yours.",
    other: "Last time you explained why the payment was late. Has anything changed since?",
  },
  offer: {
    promise_to_pay: "If you can repay in the next few days, we can agree a date and an amount now, and I will record it.",
    installment_plan:
      "If paying it all at once is hard, I can submit a request for an installment plan that spreads the overdue amount over monthly payments; once approved, you repay under the new plan.",
    penalty_waiver:
      "Given your circumstances, I can submit a request to waive the penalty interest; it needs supporting documents, and the decision rests with the approval team.",
    dispute_review:
      "I will register your dispute now and pass the statement to a specialist to check; you will get an answer within the required time. You can still agree to repay any part you do not dispute.",
    fraud_review:
      "I will register this now and pass it to a dedicated team to check the identity and loan details; they will get back to you. Please keep any evidence you have.",
  },
  closing: (institution) =>
    `Thank you for your time. If you have any questions, you are welcome to get in touch with ${institution} customer service. Goodbye.`,
};

/** The script for this bucket, reason and language, in the borrower's own numbers. */
export function suggestScript(input: ScriptInput): SuggestedScript {
  const phrases = input.language === "en" ? en : zh;
  const money = (amountMinor: bigint) => formatScriptAmount(amountMinor, input.facts.currency, input.language);
  const { facts } = input;
  const points: ScriptLine[] = [{ key: "why", text: phrases.why[input.reason ?? "none"] }];
  if (input.reason !== "suspected_fraud") {
    points.push({ key: "overdue", text: phrases.overdue(input.institutionName, money(facts.overdueMinor), facts.daysPastDue) });
    if (facts.penaltySoFarMinor > 0n) points.push({ key: "penalty_so_far", text: phrases.penaltySoFar(money(facts.penaltySoFarMinor)) });
    points.push(
      facts.penaltyPerDayMinor > 0n
        ? { key: "penalty_per_day", text: phrases.penaltyPerDay(money(facts.penaltyPerDayMinor), money(facts.penaltyPerDayMinor * 7n)) }
        : { key: "penalty_per_day", text: phrases.noPenaltyGrowth },
    );
    points.push({ key: "credit_record", text: phrases.creditRecord });
    points.push({ key: "later_stages", text: phrases.stage[stageOf(input.bucket)] });
    if (facts.nextDueOn) points.push({ key: "next_due", text: phrases.nextDue(facts.nextDueOn) });
  }
  return {
    bucket: input.bucket,
    reason: input.reason,
    language: input.language,
    opening: phrases.opening(input.institutionName, input.borrowerName),
    points,
    offers: offersFor(input.reason, input.bucket).map((key) => ({ key, text: phrases.offer[key] })),
    closing: phrases.closing(input.institutionName),
  };
}

/** The whole script as one text, in speaking order (what the content check reads). */
export function scriptText(script: SuggestedScript): string {
  return [script.opening, ...script.points.map((point) => point.text), ...script.offers.map((offer) => offer.text), script.closing].join("\n");
}
