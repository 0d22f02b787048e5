// The suggested script: the borrower's own numbers exactly, the offers the reason calls for, the
// institution named, and every combination of bucket × reason × language clean under the
// compliance module's content check.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkContent } from "../../compliance/index.js";
import {
  formatScriptAmount,
  type ScriptFacts,
  type ScriptLanguage,
  type ScriptReason,
  scriptBucketOf,
  scriptBuckets,
  scriptReasons,
  scriptText,
  suggestScript,
} from "./suggested-script.js";

const facts: ScriptFacts = {
  currency: "CNY",
  overdueMinor: 1_234_567_89n,
  daysPastDue: 45,
  penaltySoFarMinor: 9_876_54n,
  penaltyPerDayMinor: 617n,
  nextDueOn: "2026-12-15",
};
const institutionName = { "zh-CN": "测试消费金融", en: "Test Consumer Finance" } as const;

function script(language: ScriptLanguage, reason: ScriptReason | null, bucket: (typeof scriptBuckets)[number] = "M2", overrides: Partial<ScriptFacts> = {}) {
  return suggestScript({ bucket, reason, language, institutionName: institutionName[language], borrowerName: "王小一", facts: { ...facts, ...overrides } });
}

describe("formatScriptAmount", () => {
  it("formats bigint minor units exactly, grouped, in either language", () => {
    assert.equal(formatScriptAmount(123456789n, "CNY", "zh-CN"), "1,234,567.89元");
    assert.equal(formatScriptAmount(123456789n, "CNY", "en"), "CNY 1,234,567.89");
    assert.equal(formatScriptAmount(5n, "CNY", "zh-CN"), "0.05元");
    // Beyond 2^53 a JS number would lose the cents; bigint keeps them.
    assert.equal(formatScriptAmount(900719925474099317n, "CNY", "en"), "CNY 9,007,199,254,740,993.17");
    assert.equal(formatScriptAmount(1500n, "JPY", "en"), "JPY 1,500");
  });
});

describe("suggestScript", () => {
  it("names the institution and asks for the borrower before anything about the account", () => {
    const zh = script("zh-CN", null);
    assert.match(zh.opening, /测试消费金融/);
    assert.match(zh.opening, /王小一本人/);
    assert.doesNotMatch(zh.opening, /逾期|罚息/);
    assert.match(script("en", null).opening, /Test Consumer Finance/);
  });

  it("explains the consequences in the borrower's own numbers", () => {
    const zh = scriptText(script("zh-CN", "income_drop"));
    assert.ok(zh.includes("逾期45天，逾期金额为1,234,567.89元"), zh);
    assert.ok(zh.includes("已产生罚息9,876.54元"));
    assert.ok(zh.includes("罚息每天增加6.17元，一周就是43.19元"));
    assert.ok(zh.includes("征信"));
    assert.ok(zh.includes("2026-12-15"));
    const english = scriptText(script("en", "income_drop"));
    assert.ok(english.includes("45 days overdue, and the overdue amount is CNY 1,234,567.89"));
    assert.ok(english.includes("grows by CNY 6.17 a day, which is CNY 43.19 a week"));
    assert.ok(english.includes("2026-12-15"));
  });

  it("says plainly when no penalty is being added, and leaves out what is zero or absent", () => {
    const quiet = script("en", "forgot", "M1", { penaltySoFarMinor: 0n, penaltyPerDayMinor: 0n, nextDueOn: null });
    const keys = quiet.points.map((point) => point.key);
    assert.ok(!keys.includes("penalty_so_far"));
    assert.ok(!keys.includes("next_due"));
    assert.match(quiet.points.find((point) => point.key === "penalty_per_day")?.text ?? "", /no further penalty/);
  });

  it("offers the ways out the reason calls for", () => {
    const offers = (reason: ScriptReason | null, bucket: (typeof scriptBuckets)[number] = "M2") =>
      script("zh-CN", reason, bucket).offers.map((offer) => offer.key);
    for (const hardship of ["income_drop", "illness", "unemployment", "family_emergency"] as const) {
      assert.deepEqual(offers(hardship), ["installment_plan", "penalty_waiver", "promise_to_pay"], hardship);
    }
    assert.deepEqual(offers("forgot", "M1"), ["promise_to_pay"]);
    assert.deepEqual(offers("forgot", "M3"), ["promise_to_pay", "installment_plan"]);
    assert.deepEqual(offers("dispute"), ["dispute_review", "promise_to_pay"]);
    assert.deepEqual(offers("suspected_fraud"), ["fraud_review"]);
    assert.deepEqual(offers("refuses"), ["promise_to_pay", "installment_plan"]);
    assert.deepEqual(offers(null), ["promise_to_pay", "installment_plan"]);
  });

  it("does not press for payment on a loan the borrower says is not theirs", () => {
    const fraud = script("zh-CN", "suspected_fraud");
    assert.deepEqual(
      fraud.points.map((point) => point.key),
      ["why"],
    );
  });

  it("describes later stages by bucket, truthfully and without threats", () => {
    const stage = (bucket: (typeof scriptBuckets)[number]) => script("en", "other", bucket).points.find((point) => point.key === "later_stages")?.text ?? "";
    assert.match(stage("M1"), /early/);
    assert.match(stage("M3"), /longer/);
    assert.match(stage("M5"), /civil lawsuit/);
    assert.match(stage("M7+"), /180 days/);
  });

  it("maps days past due to buckets", () => {
    assert.equal(scriptBucketOf(1), "M1");
    assert.equal(scriptBucketOf(30), "M1");
    assert.equal(scriptBucketOf(31), "M2");
    assert.equal(scriptBucketOf(180), "M6");
    assert.equal(scriptBucketOf(181), "M7+");
    assert.equal(scriptBucketOf(5000), "M7+");
  });

  it("passes the compliance content check for every bucket × reason × language", () => {
    let checked = 0;
    for (const bucket of scriptBuckets) {
      for (const reason of [...scriptReasons, null]) {
        for (const language of ["zh-CN", "en"] as const) {
          for (const figures of [facts, { ...facts, penaltySoFarMinor: 0n, penaltyPerDayMinor: 0n, nextDueOn: null, daysPastDue: 1 }]) {
            const text = scriptText(script(language, reason, bucket, figures));
            const label = `${bucket} ${reason} ${language}`;
            const cn = checkContent(text, {
              pack: "cn-default",
              channel: "call",
              contentClass: "collection",
              role: "borrower",
              institutionName: institutionName[language],
              locale: language,
            });
            assert.deepEqual(
              cn.map((finding) => `${finding.rule}: ${finding.messageEn}`),
              [],
              `${label}\n${text}`,
            );
            // Under Regulation F the disclosures are the pack's own templates; what matters here is
            // that nothing the script says is forbidden.
            const us = checkContent(text, {
              pack: "us-regf",
              channel: "call",
              contentClass: "collection",
              role: "borrower",
              institutionName: institutionName[language],
            });
            assert.deepEqual(
              us.filter((finding) => finding.kind === "forbidden").map((finding) => finding.messageEn),
              [],
              label,
            );
            checked += 1;
          }
        }
      }
    }
    assert.equal(checked, scriptBuckets.length * (scriptReasons.length + 1) * 2 * 2);
    // The check is live: the same script with a forbidden phrase added is caught.
    const tainted = `${scriptText(script("zh-CN", "refuses", "M7+"))}\n不还就通知你的家人。`;
    const findings = checkContent(tainted, {
      pack: "cn-default",
      channel: "call",
      contentClass: "collection",
      role: "borrower",
      institutionName: "测试消费金融",
    });
    assert.deepEqual(
      findings.map((finding) => finding.rule),
      ["cn.content.false-consequence"],
    );
  });
});
