import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseTemplate, TEMPLATE_LENGTH_MAX } from "./template-syntax.js";
import { variableCatalogue, variableNames } from "./template-variables.js";

function problemsOf(source: string) {
  const result = parseTemplate(source);
  assert.equal(result.ok, false, `expected ${JSON.stringify(source)} to be refused`);
  return result.ok ? [] : result.problems;
}

describe("template syntax", () => {
  it("splits literal text and every known variable, spaces inside the braces allowed", () => {
    const result = parseTemplate("【{{institutionName}}】{{ borrowerName }}您好，逾期{{daysOverdue}}天，金额{{amountOverdue}}。");
    assert.ok(result.ok);
    assert.deepEqual(
      result.parts.map((part) => (part.kind === "text" ? part.text : `<${part.name}>`)),
      ["【", "<institutionName>", "】", "<borrowerName>", "您好，逾期", "<daysOverdue>", "天，金额", "<amountOverdue>", "。"],
    );
    assert.deepEqual(result.variables, ["institutionName", "borrowerName", "daysOverdue", "amountOverdue"]);
    assert.deepEqual(result.parts[3] && { start: result.parts[3].start, end: result.parts[3].end }, { start: 21, end: 39 });
  });

  it("knows every catalogue variable with its type", () => {
    const result = parseTemplate(variableNames.map((name) => `{{${name}}}`).join(" "));
    assert.ok(result.ok);
    assert.deepEqual(result.variables, variableNames);
    assert.deepEqual(Object.fromEntries(variableNames.map((name) => [name, variableCatalogue[name].type])), {
      borrowerName: "text",
      amountOverdue: "money",
      daysOverdue: "integer",
      penaltySoFar: "money",
      dueDate: "date",
      repaymentLink: "url",
      institutionName: "text",
    });
  });

  it("names an unknown variable with its line and column", () => {
    const [problem, ...rest] = problemsOf("尊敬的客户：\n您的欠款{{amountOwed}}请尽快归还");
    assert.equal(rest.length, 0);
    assert.equal(problem?.code, "unknown_variable");
    assert.equal(problem?.text, "amountOwed");
    assert.deepEqual([problem?.line, problem?.column, problem?.start, problem?.end], [2, 7, 13, 23]);
    assert.match(problem?.messageEn ?? "", /^line 2, column 7: unknown variable "amountOwed"; the variables are borrowerName, amountOverdue/);
    assert.match(problem?.messageZh ?? "", /^第2行第7列：未知变量「amountOwed」/);
  });

  it("names each kind of bad syntax at its position", () => {
    const table: [string, string, number, string][] = [
      ["Hello {{borrowerName", "unclosed_placeholder", 6, "{{"],
      ["Hello {{borrowerName {{daysOverdue}}", "unclosed_placeholder", 6, "{{"],
      ["Pay {{ }} now", "empty_placeholder", 4, "{{ }}"],
      ["Pay {{1amount}} now", "bad_name", 6, "1amount"],
      ["Pay {{amount-overdue}} now", "bad_name", 6, "amount-overdue"],
      ["Pay now}} please", "stray_close", 7, "}}"],
    ];
    for (const [source, code, start, text] of table) {
      const [problem] = problemsOf(source);
      assert.deepEqual({ code: problem?.code, start: problem?.start, text: problem?.text }, { code, start, text }, source);
      assert.equal(problem?.line, 1);
      assert.equal(problem?.column, start + 1);
    }
  });

  it("reports every problem of a template, not only the first", () => {
    const problems = problemsOf("{{foo}} and {{bar}}\n}}");
    assert.deepEqual(
      problems.map((problem) => [problem.code, problem.text, problem.line, problem.column]),
      [
        ["unknown_variable", "foo", 1, 3],
        ["unknown_variable", "bar", 1, 15],
        ["stray_close", "}}", 2, 1],
      ],
    );
  });

  it("takes text without placeholders, single braces and an empty string as literal", () => {
    for (const source of ["", "请按时还款 {not a variable}", "a { b } c"]) {
      const result = parseTemplate(source);
      assert.ok(result.ok, source);
      assert.deepEqual(result.variables, []);
    }
  });

  it("refuses a template longer than the limit before reading it", () => {
    const [problem] = problemsOf("x".repeat(TEMPLATE_LENGTH_MAX + 1));
    assert.equal(problem?.code, "too_long");
  });
});
