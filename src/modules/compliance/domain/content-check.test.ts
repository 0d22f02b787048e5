import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type ContentCheckOptions, checkContent, checkTemplate } from "./content-check.js";

const cnSms: ContentCheckOptions = { pack: "cn-default", channel: "sms", contentClass: "collection", role: "borrower", institutionName: "安心消费金融" };
const usSms: ContentCheckOptions = { pack: "us-regf", channel: "sms", contentClass: "collection", role: "borrower", institutionName: "Acme Lending" };
const usCall: ContentCheckOptions = { ...usSms, channel: "call" };
const cleanCn = "【安心消费金融】您好，您的账单已逾期，请于今日还款。如有困难可申请分期，详询客服。";
const cleanUs = "Acme Lending: this is a communication from a debt collector. Your payment is past due. Reply STOP to opt out.";

function rules(text: string, options: ContentCheckOptions): string[] {
  return checkContent(text, options).map((finding) => finding.rule);
}

describe("content checks (cn-default)", () => {
  it("approve a civil reminder that names the institution", () => {
    assert.deepEqual(checkTemplate(cleanCn, cnSms), { approvable: true, findings: [] });
  });

  it("cn.content.threat: reports the threatening span with its offsets", () => {
    const text = "【安心消费金融】再不还款，后果自负。";
    const findings = checkContent(text, cnSms);
    assert.deepEqual(
      findings.map((finding) => [finding.rule, finding.kind, finding.span]),
      [["cn.content.threat", "forbidden", { start: 13, end: 17, text: "后果自负" }]],
    );
    assert.equal(text.slice(13, 17), "后果自负");
    assert.match(findings[0]?.messageZh ?? "", /不得威胁/);
    assert.match(findings[0]?.messageEn ?? "", /No threats/);
    assert.match(findings[0]?.source ?? "", /GB\/T 45251-2025/);
  });

  it("cn.content.threat: catches threats to make a scene at the debtor's workplace or home", () => {
    for (const text of ["再不还钱就去你单位闹", "告诉他再不还钱就去他单位闹", "明天到你家里闹", "我们会上门闹"]) {
      assert.ok(rules(`【安心消费金融】${text}`, cnSms).includes("cn.content.threat"), text);
    }
    assert.ok(!rules("【安心消费金融】如需上门办理，请先预约。", cnSms).includes("cn.content.threat"), "an appointment is not a threat");
  });

  it("cn.content.insult: catches insults in Chinese and English", () => {
    assert.deepEqual(rules("【安心消费金融】你这个老赖", cnSms), ["cn.content.insult"]);
    assert.deepEqual(rules("安心消费金融: pay up, you deadbeat", cnSms), ["cn.content.insult"]);
  });

  it("cn.content.impersonation: catches claims to be the court or the police", () => {
    assert.deepEqual(rules("【安心消费金融】我们是法院执行局，请配合", cnSms), ["cn.content.impersonation"]);
    assert.deepEqual(rules("【安心消费金融】派出所民警将与您联系", cnSms), ["cn.content.impersonation"]);
    assert.deepEqual(rules("安心消费金融: this is the police calling about your loan", cnSms), ["cn.content.impersonation"]);
  });

  it("cn.content.false-consequence: catches arrest, criminal record and telling family or employer", () => {
    assert.deepEqual(rules("【安心消费金融】逾期将被立案并留下案底", cnSms), ["cn.content.false-consequence", "cn.content.false-consequence"]);
    assert.deepEqual(rules("【安心消费金融】明天通知您单位领导", cnSms), ["cn.content.false-consequence"]);
    assert.deepEqual(rules("【安心消费金融】不还就爆你通讯录", cnSms), ["cn.content.false-consequence"]);
    assert.deepEqual(rules("安心消费金融: you will be arrested", cnSms), ["cn.content.false-consequence"]);
    assert.deepEqual(rules(cleanCn.replace("详询客服", "逾期会影响个人征信"), cnSms), [], "a true statement about the credit record is allowed");
  });

  it("cn.content.institution-name: a message must name the institution, or carry the placeholder", () => {
    const findings = checkContent("您好，您的账单已逾期，请尽快还款。", cnSms);
    assert.deepEqual(
      findings.map((finding) => [finding.rule, finding.kind]),
      [["cn.content.institution-name", "missing"]],
    );
    assert.equal(findings[0]?.span, undefined);
    assert.deepEqual(rules("【{{institutionName}}】您好，您的账单已逾期。", { ...cnSms, institutionName: null }), []);
    assert.equal(checkTemplate("您好，请尽快还款。", cnSms).approvable, false, "a failing template cannot be approved");
  });

  it("cn.content.debt-disclosure: an emergency contact's message must not mention the debt", () => {
    const options: ContentCheckOptions = { ...cnSms, role: "emergency_contact", contentClass: "location_only" };
    assert.deepEqual(rules("【安心消费金融】您好，请转告张先生回电 400-800-1234。", options), []);
    const findings = checkContent("【安心消费金融】张先生欠款 3000元 已逾期，请转告他还款。", options);
    assert.deepEqual(
      findings.map((finding) => finding.span?.text),
      ["欠款", "3000元", "逾期", "还款"],
    );
    assert.ok(findings.every((finding) => finding.rule === "cn.content.debt-disclosure"));
  });
});

describe("content checks (us-regf)", () => {
  it("approve a text with the debt-collector disclosure and an opt-out", () => {
    assert.deepEqual(checkTemplate(cleanUs, usSms), { approvable: true, findings: [] });
  });

  it("us.content.debt-collector-disclosure: collection text must say it is from a debt collector", () => {
    assert.deepEqual(rules("Acme Lending: your payment is past due. Reply STOP to opt out.", usSms), ["us.content.debt-collector-disclosure"]);
    assert.deepEqual(rules("Acme Lending: {{debtCollectorDisclosure}} Reply STOP to opt out.", usSms), []);
  });

  it("us.content.opt-out-notice: every text and e-mail to the consumer says how to opt out", () => {
    assert.deepEqual(rules("Acme Lending: this is a communication from a debt collector.", usSms), ["us.content.opt-out-notice"]);
    assert.deepEqual(rules("Acme Lending: this is a communication from a debt collector. To unsubscribe, click here.", { ...usSms, channel: "email" }), []);
    assert.deepEqual(rules("Acme Lending: this is a communication from a debt collector.", { ...usSms, channel: "letter" }), [], "letters need no opt-out");
  });

  it("us.content.identity: a call script, text or e-mail names the institution", () => {
    assert.deepEqual(rules("Hello, this is a communication from a debt collector about your account.", usCall), ["us.content.identity"]);
    assert.deepEqual(rules("This is a communication from a debt collector. Reply STOP to opt out.", usSms), ["us.content.identity"]);
    assert.deepEqual(rules("Hello, this is {{agentName}} from Acme Lending; this is a communication from a debt collector.", usCall), []);
  });

  it("us.content.threat-violence: catches threats of violence", () => {
    assert.deepEqual(rules(`${cleanUs} We know where you live.`, usSms), ["us.content.threat-violence"]);
  });

  it("us.content.obscene: catches profanity", () => {
    const findings = checkContent(`${cleanUs} Pay the damn bill.`, usSms);
    assert.deepEqual(
      findings.map((finding) => [finding.rule, finding.span?.text]),
      [["us.content.obscene", "damn"]],
    );
  });

  it("us.content.government-impersonation: catches claims of police, court or government affiliation", () => {
    assert.deepEqual(rules(`${cleanUs} This is the sheriff's office.`, usSms), ["us.content.government-impersonation"]);
    assert.deepEqual(rules(`${cleanUs} We are calling from the IRS.`, usSms), ["us.content.government-impersonation"]);
    assert.deepEqual(rules(`${cleanUs} You may also write to the court yourself.`, usSms), [], "mentioning a court is not claiming to be one");
  });

  it("us.content.false-consequence: catches arrest threats and threats to tell the employer", () => {
    assert.deepEqual(rules(`${cleanUs} A warrant will be issued.`, usSms), ["us.content.false-consequence"]);
    assert.deepEqual(rules(`${cleanUs} We will call your employer.`, usSms), ["us.content.false-consequence"]);
  });

  it("us.content.debt-disclosure: a location message to a third party says nothing about the debt", () => {
    const options: ContentCheckOptions = { ...usCall, role: "third_party", contentClass: "location_only" };
    assert.deepEqual(rules("Hi, this is Robin Smith confirming contact details for John Doe. Please call 555-201-3344.", options), []);
    assert.deepEqual(
      checkContent("Hi, this is Robin Smith from a debt collector looking for John Doe.", options).map((finding) => [finding.rule, finding.span?.text]),
      [
        ["us.content.debt-disclosure", "debt"],
        ["us.content.debt-disclosure", "collector"],
      ],
    );
  });

  it("us.limited-content: accepts the regulation's own example voicemail", () => {
    const options: ContentCheckOptions = {
      ...usCall,
      contentClass: "limited_content",
      institutionName: "ABC, Inc.",
      contactPersonNames: ["Robin Smith", "Jim Johnson"],
    };
    assert.deepEqual(checkTemplate("This is Robin Smith calling from ABC, Inc. Please contact me or Jim Johnson at 1-800-555-1212.", options), {
      approvable: true,
      findings: [],
    });
  });

  it("us.limited-content: refuses a voicemail with the debt, a link, or a collection business name, and lists missing elements", () => {
    const options: ContentCheckOptions = { ...usCall, contentClass: "limited_content", institutionName: "ABC, Inc.", contactPersonNames: ["Robin Smith"] };
    const withDebt = checkContent("This is Robin Smith from ABC, Inc. about your overdue balance of $250. Please call 1-800-555-1212.", options);
    assert.deepEqual(
      withDebt.map((finding) => [finding.rule, finding.kind, finding.span?.text]),
      [
        ["us.limited-content", "forbidden", "overdue"],
        ["us.limited-content", "forbidden", "balance"],
        ["us.limited-content", "forbidden", "$250"],
      ],
    );
    const missing = checkContent("Hello from ABC, Inc., visit www.example.com", options);
    assert.deepEqual(
      missing.map((finding) => [finding.kind, finding.span?.text ?? finding.messageEn]),
      [
        ["forbidden", "www.example.com"],
        ["missing", "A limited-content message is a voicemail for the consumer with only the allowed content: missing a request that the consumer reply"],
        [
          "missing",
          "A limited-content message is a voicemail for the consumer with only the allowed content: missing the name of a natural person to reply to",
        ],
        ["missing", "A limited-content message is a voicemail for the consumer with only the allowed content: missing a telephone number to reply to"],
      ],
    );
    const collectionName = checkContent("This is {{agentName}} from Quick Collections LLC. Please call {{callbackNumber}}.", {
      ...options,
      institutionName: "Quick Collections LLC",
    });
    assert.deepEqual(
      collectionName.map((finding) => [finding.kind, finding.span?.text]),
      [
        ["forbidden", "Collections"],
        ["forbidden", "Quick Collections LLC"],
      ],
    );
  });

  it("checks English and Chinese expressions in either pack", () => {
    assert.deepEqual(rules(`${cleanUs} 后果自负`, usSms), ["us.content.threat-violence"]);
  });
});
