import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatDate, formatMoney, renderTemplate, sourceSpanOf } from "./template-render.js";
import { parseTemplate } from "./template-syntax.js";
import { sampleValues, type TemplateValues } from "./template-variables.js";

function partsOf(source: string) {
  const result = parseTemplate(source);
  assert.ok(result.ok, source);
  return result.parts;
}

const values: TemplateValues = {
  borrowerName: "王伟",
  amountOverdue: { amountMinor: 123_456n, currency: "CNY" },
  daysOverdue: 17n,
  penaltySoFar: { amountMinor: 5n, currency: "CNY" },
  dueDate: "2026-12-05",
  repaymentLink: "https://pay.example.com/p/abc",
  institutionName: "安信消费金融",
};

describe("rendering", () => {
  it("formats money exactly from minor units, in each language", () => {
    const table: [bigint, string, string, string][] = [
      [0n, "CNY", "0.00元", "CNY 0.00"],
      [5n, "CNY", "0.05元", "CNY 0.05"],
      [100n, "CNY", "1.00元", "CNY 1.00"],
      [123_456n, "CNY", "1,234.56元", "CNY 1,234.56"],
      [-99_999n, "CNY", "-999.99元", "CNY -999.99"],
      [100_000_000n, "USD", "1,000,000.00 USD", "USD 1,000,000.00"],
      [12_345n, "JPY", "12,345 JPY", "JPY 12,345"],
    ];
    for (const [amountMinor, currency, zh, en] of table) {
      assert.equal(formatMoney({ amountMinor, currency }, "zh-CN"), zh);
      assert.equal(formatMoney({ amountMinor, currency }, "en"), en);
    }
  });

  it("keeps every digit of an amount above 2^53", () => {
    const amountMinor = 2n ** 53n + 1n; // 9007199254740993: a JS number would say ...992
    assert.equal(formatMoney({ amountMinor, currency: "CNY" }, "zh-CN"), "90,071,992,547,409.93元");
    assert.equal(formatMoney({ amountMinor: 123_456_789_012_345_678_901n, currency: "CNY" }, "en"), "CNY 1,234,567,890,123,456,789.01");
    const rendered = renderTemplate(partsOf("{{amountOverdue}}"), { ...values, amountOverdue: { amountMinor, currency: "CNY" } }, "en");
    assert.ok(rendered.ok);
    assert.equal(rendered.text, "CNY 90,071,992,547,409.93");
  });

  it("formats dates as people write them and refuses a malformed one loudly", () => {
    assert.equal(formatDate("2026-12-05", "zh-CN"), "2026年12月5日");
    assert.equal(formatDate("2026-01-31", "en"), "31 January 2026");
    assert.throws(() => formatDate("2026-13-01", "en"), /assertion failed/);
    assert.throws(() => formatDate("5/12/2026", "zh-CN"), /assertion failed/);
  });

  it("renders every variable type with the borrower's own values", () => {
    const source =
      "【{{institutionName}}】{{borrowerName}}您好，您的借款已逾期{{daysOverdue}}天，逾期金额{{amountOverdue}}，已产生罚息{{penaltySoFar}}，下一还款日{{dueDate}}。还款：{{repaymentLink}}";
    const rendered = renderTemplate(partsOf(source), values, "zh-CN");
    assert.ok(rendered.ok);
    assert.equal(
      rendered.text,
      "【安信消费金融】王伟您好，您的借款已逾期17天，逾期金额1,234.56元，已产生罚息0.05元，下一还款日2026年12月5日。还款：https://pay.example.com/p/abc",
    );
    const english = renderTemplate(partsOf("{{borrowerName}}: {{amountOverdue}} is {{daysOverdue}} days overdue since {{dueDate}}."), values, "en");
    assert.ok(english.ok);
    assert.equal(english.text, "王伟: CNY 1,234.56 is 17 days overdue since 5 December 2026.");
  });

  it("names the variables a case has no value for instead of rendering a gap", () => {
    const rendered = renderTemplate(
      partsOf("{{borrowerName}} {{dueDate}} {{dueDate}} {{daysOverdue}}"),
      { ...values, borrowerName: null, dueDate: null },
      "en",
    );
    assert.deepEqual(rendered, { ok: false, missing: ["borrowerName", "dueDate"] });
  });

  it("maps a span of the rendered text back to where the author wrote it", () => {
    const source = "{{institutionName}}提醒：逾期{{daysOverdue}}天，后果自负";
    const rendered = renderTemplate(partsOf(source), values, "zh-CN");
    assert.ok(rendered.ok);
    const start = rendered.text.indexOf("后果自负");
    const inSource = sourceSpanOf(rendered.segments, { start, end: start + 4 });
    assert.equal(inSource && source.slice(inSource.start, inSource.end), "后果自负");
    const nameEnd = "安信消费金融".length;
    const variable = sourceSpanOf(rendered.segments, { start: 2, end: nameEnd });
    assert.equal(variable && source.slice(variable.start, variable.end), "{{institutionName}}");
    assert.equal(sourceSpanOf(rendered.segments, { start: 500, end: 501 }), null);
  });

  it("has sample values for every variable, so a preview without a case renders any template", () => {
    const sample = sampleValues({ institutionName: "Anxin", repaymentLink: null, language: "en" });
    for (const [name, value] of Object.entries(sample)) assert.notEqual(value, null, name);
    const rendered = renderTemplate(partsOf("{{amountOverdue}} {{penaltySoFar}} {{repaymentLink}}"), sample, "en");
    assert.ok(rendered.ok);
    assert.equal(rendered.text, "CNY 1,234.56 CNY 23.45 https://pay.example.com/portal");
  });
});
