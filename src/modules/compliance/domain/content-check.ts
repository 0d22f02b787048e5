// Content checks for templates and for any free text that leaves the platform (agent SMS, robot
// scripts, e-mails): forbidden expressions in Chinese and English, each reported with its span
// (UTF-16 offsets into the text, as JavaScript strings index), and elements a pack requires
// (the institution's name; for Regulation F the debt-collector disclosure, the opt-out notice,
// the limited-content message's elements). Patterns are compiled once when the module loads.
// Template placeholders such as {{institutionName}} count as the element they stand for.
import { type Channel, type ContentClass, obligorRoles, type PersonRole } from "./contact-vocabulary.js";
import type { RuleId } from "./rule-catalogue.js";
import { type BilingualText, withDetails } from "./rule-messages.js";
import { defaultPackRegistry, type PackRegistry, type ResolvedPack, type RuleEngine, RulePackError, resolvePack, resolveVersion } from "./rule-packs.js";

export interface ContentSpan {
  start: number;
  end: number;
  text: string;
}

export interface ContentFinding {
  rule: RuleId;
  kind: "forbidden" | "missing";
  span?: ContentSpan;
  /** messageZh or messageEn, in the pack's language. */
  message: string;
  messageZh: string;
  messageEn: string;
  source: string;
}

export interface ContentCheckOptions {
  /** A pack id (the version in effect at `at`, or the newest) or a resolved pack. */
  pack: string | ResolvedPack;
  channel: Channel;
  contentClass: ContentClass;
  role: PersonRole;
  institutionName?: string | null;
  /** Names of the people a limited-content message may ask the consumer to reply to. */
  contactPersonNames?: readonly string[];
  locale?: "zh-CN" | "en";
  at?: string | number | Date;
  packs?: PackRegistry;
}

export interface TemplateCheck {
  approvable: boolean;
  findings: ContentFinding[];
}

const MATCHES_PER_RULE_MAX = 20;

function alternatives(words: readonly string[]): string {
  return words.join("|");
}

/** Chinese expressions match anywhere; English ones on word boundaries, case-insensitive. */
function compile(chinese: readonly string[], english: readonly string[]): RegExp {
  const parts: string[] = [];
  if (chinese.length > 0) parts.push(`(?:${alternatives(chinese)})`);
  if (english.length > 0) parts.push(`\\b(?:${alternatives(english)})\\b`);
  return new RegExp(parts.join("|"), "giu");
}

const you = "[你您]";
const people = "(?:家人|家里人|父母|子女|单位|领导|同事|公司|亲友|朋友|邻居|通讯录)";

const threatPattern = compile(
  [
    "弄死你",
    "打死你",
    "砍死你",
    "杀了你",
    "杀你全家",
    "弄残你",
    "让你好看",
    "后果自负",
    "走着瞧",
    "给我小心点",
    "你给我等着",
    "不得好死",
    "找人收拾你",
    "上门收拾",
    // Threats to make a scene where the debtor lives or works (上门闹事, 去单位闹).
    "(?:去|到|上)[你他她]?(?:单位|公司|家里?|学校)(?:去)?(?:闹|堵|找麻烦)",
    "上门闹",
    "血光之灾",
    "出门小心",
  ],
  [
    "kill you",
    "hurt you",
    "harm you",
    "beat you(?: up)?",
    "break your (?:legs?|arms?|neck)",
    "watch your back",
    "you(?:'ll| will) regret (?:it|this)",
    "we know where you live",
    "something bad (?:will|could|might) happen",
    "you(?:'d| had) better watch out",
  ],
);

const insultPattern = compile(
  ["老赖", "废物", "畜生", "人渣", "臭不要脸", "不要脸", "去死", "王八蛋", "傻[逼屄比Bb]", "混蛋", "贱人", "骗子", "滚蛋", "狗东西", "丢人现眼", "垃圾人"],
  [
    "idiot",
    "stupid",
    "moron",
    "loser",
    "scum",
    "deadbeat",
    "bastard",
    "bitch",
    "f+u+c+k\\w*",
    "shit\\w*",
    "asshole",
    "damn",
    "crap",
    "dumbass",
    "worthless",
    "pathetic",
    "liar",
    "thief",
  ],
);

const impersonationPattern = compile(
  [
    "(?:我们|我|本人|这里)(?:是|系|来自)[^，。,.!！？?\\n]{0,8}?(?:法院|公安|警察|派出所|检察院|经侦|政府|司法机关|执法)",
    "(?:法院|公安局|派出所|检察院|经侦大队|网警|司法局)(?:的)?(?:工作人员|民警|警官|法官|来电|通知[你您])",
    "(?:协助|配合)(?:警方|公安|法院|检察院)(?:调查|办案)",
  ],
  [
    "(?:this is|calling from|on behalf of|we are|i am|i'm|we're) (?:the |a |an )?(?:police|court|sheriff(?:'s office)?|district attorney|attorney general|fbi|irs|government|federal agent|marshal|law enforcement|state trooper)",
    "(?:police|sheriff|court) (?:department |office )?(?:is calling|has asked us|asked us to call)",
  ],
);

const falseConsequencePattern = compile(
  [
    "抓[你您]",
    "抓人",
    "逮捕",
    "拘留",
    "坐牢",
    "判刑",
    "刑事责任",
    "追究刑事",
    "立案",
    "案底",
    "犯罪记录",
    "诈骗罪",
    "上门抓",
    `(?:通知|告诉|联系|告知)${you}?(?:的)?${people}`,
    `爆${you}?的?通讯录`,
    `曝光${you}`,
    "全网曝光",
    "影响子女(?:上学|考公|入学|升学)",
  ],
  [
    "arrest(?:ed)?",
    "jail",
    "prison",
    "imprison(?:ed|ment)?",
    "warrant",
    "criminal (?:charges?|record|case|complaint)",
    "(?:press|file) charges",
    "be prosecuted",
    "prosecut(?:e|ion)",
    "(?:tell|inform|notify|contact|call) your (?:employer|boss|family|relatives|parents|neighbou?rs|friends|co-?workers|colleagues)",
  ],
);

const debtTermsPattern = compile(
  [
    "欠款",
    "欠钱",
    "欠债",
    "债务",
    "借款",
    "贷款",
    "逾期",
    "还款",
    "还钱",
    "催收",
    "账单",
    "罚息",
    "违约",
    "分期",
    "本金",
    "利息",
    "\\d+(?:\\.\\d+)?\\s*元",
    "[¥￥]\\s*\\d",
  ],
  [
    "debts?",
    "owe[sd]?",
    "owing",
    "overdue",
    "past[- ]due",
    "loans?",
    "repay(?:ment)?s?",
    "payments?",
    "pay(?:ing)?",
    "collect(?:ion|ions|ing|or|ors)?",
    "balance",
    "arrears",
    "delinquen\\w*",
    "accounts?",
    "creditors?",
    "bills?",
  ],
);

const moneyPattern = /\$\s?\d[\d,]*(?:\.\d+)?/gu;
const linkPattern = /https?:\/\/\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+/giu;

const institutionPlaceholder = /\{\{\s*institution(?:Name)?\s*\}\}/i;
const debtCollectorDisclosurePattern = /\bdebt collector\b|\battempt(?:ing)? to collect a debt\b|\{\{\s*debtCollectorDisclosure\s*\}\}/i;
const optOutPattern =
  /\breply\s+["'“]?stop\b|\btext\s+["'“]?stop\b|\bunsubscribe\b|\bopt[- ]?out\b|\bto stop (?:receiving|these|further)\b|\{\{\s*optOut\w*\s*\}\}|退订/iu;
const replyRequestPattern = /\b(?:call|contact|reply|return|reach|get back to)\b/i;
const phonePattern = /(?:\+?1[\s.-]?)?\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b|\{\{\s*(?:phone|phoneNumber|callbackNumber)\s*\}\}/;
const personPlaceholder = /\{\{\s*(?:agentName|contactName)\s*\}\}/;
const collectionNamePattern = /collect|recover|debt|credit bureau|催收|资产管理/i;

interface NormalizedOptions {
  engine: RuleEngine;
  pack: ResolvedPack;
  channel: Channel;
  contentClass: ContentClass;
  role: PersonRole;
  institutionName: string | null;
  contactPersonNames: readonly string[];
  locale: "zh-CN" | "en";
}

interface ForbiddenCheck {
  rule: RuleId;
  pattern: RegExp;
  applies: (options: NormalizedOptions) => boolean;
}

const always = () => true;
const isObligor = (role: PersonRole) => obligorRoles.includes(role);
const mustNotMentionDebt = (options: NormalizedOptions) =>
  options.contentClass === "location_only" || options.role === "emergency_contact" || options.role === "third_party";

const forbiddenChecks: Readonly<Record<RuleEngine, readonly ForbiddenCheck[]>> = {
  cn: [
    { rule: "cn.content.threat", pattern: threatPattern, applies: always },
    { rule: "cn.content.insult", pattern: insultPattern, applies: always },
    { rule: "cn.content.impersonation", pattern: impersonationPattern, applies: always },
    { rule: "cn.content.false-consequence", pattern: falseConsequencePattern, applies: always },
    { rule: "cn.content.debt-disclosure", pattern: debtTermsPattern, applies: mustNotMentionDebt },
  ],
  "us-regf": [
    { rule: "us.content.threat-violence", pattern: threatPattern, applies: always },
    { rule: "us.content.obscene", pattern: insultPattern, applies: always },
    { rule: "us.content.government-impersonation", pattern: impersonationPattern, applies: always },
    { rule: "us.content.false-consequence", pattern: falseConsequencePattern, applies: always },
    {
      rule: "us.content.debt-disclosure",
      pattern: debtTermsPattern,
      applies: (options) => options.contentClass !== "limited_content" && mustNotMentionDebt(options),
    },
    { rule: "us.limited-content", pattern: debtTermsPattern, applies: (options) => options.contentClass === "limited_content" },
    { rule: "us.limited-content", pattern: moneyPattern, applies: (options) => options.contentClass === "limited_content" },
    { rule: "us.limited-content", pattern: linkPattern, applies: (options) => options.contentClass === "limited_content" },
  ],
};

function finding(options: NormalizedOptions, rule: RuleId, kind: "forbidden" | "missing", text: BilingualText, span?: ContentSpan): ContentFinding {
  const messages = withDetails(rule, text);
  const result: ContentFinding = {
    rule,
    kind,
    message: options.locale === "zh-CN" ? messages.zh : messages.en,
    messageZh: messages.zh,
    messageEn: messages.en,
    source: options.pack.sources.get(rule) ?? "",
  };
  if (span) result.span = span;
  return result;
}

function collectForbidden(text: string, options: NormalizedOptions, findings: ContentFinding[]): void {
  for (const check of forbiddenChecks[options.engine]) {
    if (!check.applies(options)) continue;
    const pattern = check.pattern;
    pattern.lastIndex = 0;
    let count = 0;
    for (let match = pattern.exec(text); match !== null && count < MATCHES_PER_RULE_MAX; match = pattern.exec(text)) {
      if (match[0].length === 0) {
        pattern.lastIndex += 1;
        continue;
      }
      count += 1;
      const span = { start: match.index, end: match.index + match[0].length, text: match[0] };
      findings.push(
        finding(options, check.rule, "forbidden", { zh: `含有禁止用语「${span.text}」`, en: `contains the forbidden expression "${span.text}"` }, span),
      );
    }
  }
}

function containsInsensitive(text: string, needle: string): boolean {
  return text.toLowerCase().includes(needle.toLowerCase());
}

function namesInstitution(text: string, institutionName: string | null): boolean {
  return institutionPlaceholder.test(text) || (institutionName !== null && containsInsensitive(text, institutionName));
}

function missing(options: NormalizedOptions, rule: RuleId, zh: string, en: string): ContentFinding {
  return finding(options, rule, "missing", { zh: `缺少${zh}`, en: `missing ${en}` });
}

function collectMissingCn(text: string, options: NormalizedOptions, findings: ContentFinding[]): void {
  if (!namesInstitution(text, options.institutionName)) {
    findings.push(
      missing(options, "cn.content.institution-name", `机构名称${options.institutionName ? `「${options.institutionName}」` : ""}`, "the institution's name"),
    );
  }
}

function checkLimitedContent(text: string, options: NormalizedOptions, findings: ContentFinding[]): void {
  const rule: RuleId = "us.limited-content";
  if (!namesInstitution(text, options.institutionName)) findings.push(missing(options, rule, "企业名称", "a business name for the caller"));
  if (options.institutionName && collectionNamePattern.test(options.institutionName)) {
    const start = text.toLowerCase().indexOf(options.institutionName.toLowerCase());
    const span =
      start >= 0 ? { start, end: start + options.institutionName.length, text: text.slice(start, start + options.institutionName.length) } : undefined;
    findings.push(finding(options, rule, "forbidden", { zh: "企业名称显示其从事债务催收", en: "the business name indicates debt collection" }, span));
  }
  if (!replyRequestPattern.test(text)) findings.push(missing(options, rule, "请消费者回复的请求", "a request that the consumer reply"));
  const namesPerson = personPlaceholder.test(text) || options.contactPersonNames.some((name) => name.length > 0 && containsInsensitive(text, name));
  if (!namesPerson) findings.push(missing(options, rule, "可供回复的自然人姓名", "the name of a natural person to reply to"));
  if (!phonePattern.test(text)) findings.push(missing(options, rule, "回电号码", "a telephone number to reply to"));
}

function collectMissingUs(text: string, options: NormalizedOptions, findings: ContentFinding[]): void {
  const isConsumer = isObligor(options.role);
  const isCollectionContent = options.contentClass === "collection" || options.contentClass === "plan_reminder";
  if (options.contentClass === "limited_content") {
    checkLimitedContent(text, options, findings);
    return;
  }
  if (isCollectionContent && !namesInstitution(text, options.institutionName)) {
    findings.push(missing(options, "us.content.identity", "机构名称", "the collector's identity (the institution's name)"));
  }
  if (isCollectionContent && isConsumer && !debtCollectorDisclosurePattern.test(text)) {
    findings.push(missing(options, "us.content.debt-collector-disclosure", "债务催收方声明", 'the disclosure "this is a communication from a debt collector"'));
  }
  if (isConsumer && (options.channel === "sms" || options.channel === "email") && !optOutPattern.test(text)) {
    findings.push(missing(options, "us.content.opt-out-notice", "退订方式说明", 'an opt-out notice (e.g. "Reply STOP to opt out")'));
  }
}

function normalizeOptions(options: ContentCheckOptions): NormalizedOptions {
  const packs = options.packs ?? defaultPackRegistry;
  let pack: ResolvedPack;
  if (typeof options.pack !== "string") pack = options.pack;
  else if (options.at !== undefined) pack = resolvePack(options.pack, options.at, null, packs);
  else {
    const versions = Object.hasOwn(packs, options.pack) ? packs[options.pack] : undefined;
    const newest = versions?.[versions.length - 1];
    if (!newest) throw new RulePackError("unknown_pack", null, `unknown rule pack ${JSON.stringify(options.pack)}`);
    pack = resolveVersion(newest);
  }
  return {
    engine: pack.engine,
    pack,
    channel: options.channel,
    contentClass: options.contentClass,
    role: options.role,
    institutionName: options.institutionName?.trim() || null,
    contactPersonNames: options.contactPersonNames ?? [],
    locale: options.locale ?? (pack.engine === "cn" ? "zh-CN" : "en"),
  };
}

/** Every finding in a message: forbidden expressions with their spans, then missing elements. */
export function checkContent(text: string, options: ContentCheckOptions): ContentFinding[] {
  const normalized = normalizeOptions(options);
  const findings: ContentFinding[] = [];
  collectForbidden(text, normalized, findings);
  if (normalized.engine === "cn") collectMissingCn(text, normalized, findings);
  else collectMissingUs(text, normalized, findings);
  return findings;
}

/** A template is approvable only when it has no finding at all. */
export function checkTemplate(text: string, options: ContentCheckOptions): TemplateCheck {
  const findings = checkContent(text, options);
  return { approvable: findings.length === 0, findings };
}
