// Message templates end to end over HTTP: drafting, the content check that refuses approval (a
// threat; a missing institution name), four-eyes approval, versions that keep the approved one in
// use, previews in the case's own numbers, and an agent sending an approved template through the
// gateway, with the outbox holding exactly the rendered text under a stored decision.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createApp } from "../../app.js";
import type { App } from "../../platform/http/index.js";
import { parseMinor } from "../../platform/money.js";
import { insertLender, TEST_PASSWORD, testNationalId } from "../../platform/testing/fixtures.js";
import { TestClient } from "../../platform/testing/http-client.js";
import { createTestContext, type TestContext } from "../../platform/testing/test-context.js";
import { registerBorrower } from "../borrowers/index.js";
import { addStaffUser } from "../identity/index.js";
import { addProduct, openLoan } from "../loans/index.js";
import { listOutbox } from "../outbox/index.js";
import { formatMoney } from "./index.js";

let context: TestContext;
let app: App;
let lenderId = "";
const cases: { caseId: string; borrowerId: string; loanId: string }[] = [];
const system = { actorType: "system" as const, actorId: null };

// 10:00 in Shanghai: inside the contact window.
const NOW = "2026-11-22T02:00:00Z";

before(async () => {
  context = await createTestContext({ now: NOW });
  ({ lenderId } = await insertLender(context));
  await context.database.db.updateTable("lenders").set({ repayment_link: "https://pay.test.example/p" }).where("id", "=", lenderId).execute();
  await context.database.db.transaction().execute(async (trx) => {
    const users: Record<string, string> = {};
    for (const [username, roles] of [
      ["compliance", ["compliance"]],
      ["reviewer", ["compliance"]],
      ["strategist", ["strategist"]],
      ["agent1", ["agent"]],
      ["agent2", ["agent"]],
    ] as const) {
      const user = await addStaffUser(
        context,
        trx,
        { lenderId, username, displayName: username, password: TEST_PASSWORD, roles: [...roles], trainingCompletedOn: "2026-10-01" },
        system,
      );
      users[username] = user.id;
    }
    const productId = await addProduct(context, trx, {
      lenderId,
      code: "EP6",
      name: "六期等额本金",
      nameEn: "6-month equal principal",
      repaymentMethod: "equal_principal",
      termMonths: 6,
      annualRate: "18",
      currency: "CNY",
      terms: {},
    });
    for (const index of [1, 2]) {
      const borrowerId = await registerBorrower(
        context,
        trx,
        lenderId,
        { externalRef: `B${index}`, name: `王${index}`, nationalId: testNationalId(index), phone: `1380013800${index}` },
        system,
      );
      const loanId = await openLoan(
        context,
        trx,
        { lenderId, borrowerId, productId, externalRef: `L${index}`, principalMinor: 600_000n + BigInt(index) * 12_345n, openedOn: "2026-09-15" },
        system,
      );
      const caseId = crypto.randomUUID();
      await trx
        .insertInto("collection_cases")
        .values({
          id: caseId,
          lender_id: lenderId,
          borrower_id: borrowerId,
          status: "new",
          opened_on: "2026-10-16",
          created_at: new Date(NOW),
          assigned_agent_id: users[index === 1 ? "agent1" : "agent2"],
        } as never)
        .execute();
      cases.push({ caseId, borrowerId, loanId });
    }
  });
  ({ app } = await createApp(context, { logger: false }));
});

after(async () => {
  await app?.close();
  await context?.close();
});

async function signIn(username: string) {
  const client = new TestClient(app);
  assert.equal((await client.login(username, TEST_PASSWORD)).status, 200);
  return client;
}

const goodBody =
  "【{{institutionName}}】{{borrowerName}}您好，您的借款已逾期{{daysOverdue}}天，逾期金额{{amountOverdue}}，已产生罚息{{penaltySoFar}}。请尽快还款：{{repaymentLink}}";

async function countRows(table: "message_templates" | "message_template_versions" | "contact_attempts" | "audit_log") {
  const row = await context.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

async function auditActions(templateId: string) {
  const rows = await context.database.db.selectFrom("audit_log").select("action").where("target_id", "=", templateId).orderBy("sequence").execute();
  return rows.map((row) => row.action);
}

let templateId = "";
let approvedVersionId = "";

describe("message templates", () => {
  it("refuses bad input by field and changes nothing", async () => {
    const strategist = await signIn("strategist");
    const before = [await countRows("message_templates"), await countRows("message_template_versions")];
    const unknown = await strategist.post("/api/templates", {
      code: "overdue-m1",
      name: "M1",
      channel: "sms",
      language: "zh-CN",
      purpose: "overdue",
      body: "您好，\n您欠款{{amountOwed}}元",
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.details.field, "body");
    assert.match(unknown.body.error.message, /body: line 2, column 6: unknown variable "amountOwed"/);
    assert.deepEqual(
      unknown.body.error.details.problems.map((problem: { code: string; line: number; column: number }) => [problem.code, problem.line, problem.column]),
      [["unknown_variable", 2, 6]],
    );
    const unclosed = await strategist.post("/api/templates", {
      code: "x",
      name: "x",
      channel: "sms",
      language: "en",
      purpose: "overdue",
      body: "Hi {{borrowerName",
    });
    assert.equal(unclosed.status, 400);
    assert.match(unclosed.body.error.message, /column 4: the placeholder "\{\{" is not closed/);
    const badChannel = await strategist.post("/api/templates", { code: "x", name: "x", channel: "fax", language: "en", purpose: "overdue", body: "Hi" });
    assert.equal(badChannel.status, 400);
    assert.match(badChannel.body.error.message, /body\.channel/);
    const noSubject = await strategist.post("/api/templates", { code: "x", name: "x", channel: "email", language: "en", purpose: "overdue", body: "Hi" });
    assert.equal(noSubject.status, 400);
    assert.equal(noSubject.body.error.details.field, "subject");
    const agent = await signIn("agent1");
    assert.equal((await agent.post("/api/templates", { code: "x", name: "x", channel: "sms", language: "en", purpose: "overdue", body: "Hi" })).status, 403);
    assert.equal((await agent.get("/api/templates")).status, 403);
    assert.deepEqual([await countRows("message_templates"), await countRows("message_template_versions")], before);
  });

  it("refuses approval for a threat and for a missing institution name, with the findings; approves the fix by another compliance user", async () => {
    const strategist = await signIn("strategist");
    const created = await strategist.post("/api/templates", {
      code: "overdue-m1",
      name: "M1 逾期提醒",
      channel: "sms",
      language: "zh-CN",
      purpose: "overdue",
      body: "{{borrowerName}}您好，您的借款已逾期{{daysOverdue}}天，逾期金额{{amountOverdue}}，再不还款后果自负。",
    });
    assert.equal(created.status, 201);
    templateId = created.body.id;
    const [draft] = created.body.versions;
    assert.equal(draft.status, "draft");
    assert.equal(draft.contentCheck.passes, false, "the draft's check is stored, so the author sees it early");
    assert.equal((await strategist.post(`/api/templates/${templateId}/versions/${draft.id}/submit`)).body.versions[0].status, "pending_approval");
    assert.equal((await strategist.post(`/api/templates/${templateId}/versions/${draft.id}/approve`)).status, 403, "strategists do not approve");

    const compliance = await signIn("compliance");
    const refused = await compliance.post(`/api/templates/${templateId}/versions/${draft.id}/approve`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.details.reason, "content_check_failed");
    const findings = refused.body.error.details.contentCheck.findings;
    const threat = findings.find((finding: { rule: string }) => finding.rule === "cn.content.threat");
    assert.equal(threat.span.text, "后果自负");
    assert.equal(refused.body.error.details.contentCheck.renderedText.slice(threat.span.start, threat.span.end), "后果自负");
    assert.equal(draft.body.slice(threat.sourceSpan.start, threat.sourceSpan.end), "后果自负", "the span maps back to the body the author wrote");
    assert.ok(findings.some((finding: { rule: string; kind: string }) => finding.rule === "cn.content.institution-name" && finding.kind === "missing"));
    const still = (await compliance.get(`/api/templates/${templateId}`)).body;
    assert.equal(still.versions[0].status, "pending_approval", "a refused approval changes nothing");
    assert.equal(still.inUse, null);

    // Without the threat but still without the institution's name: refused for the missing element alone.
    const second = await strategist.post(`/api/templates/${templateId}/versions`, {
      body: "{{borrowerName}}您好，您的借款已逾期{{daysOverdue}}天，逾期金额{{amountOverdue}}，请尽快还款。",
    });
    assert.equal(second.status, 201);
    assert.deepEqual(
      second.body.versions.map((version: { version: number; status: string }) => [version.version, version.status]),
      [
        [2, "draft"],
        [1, "superseded"],
      ],
    );
    const secondId = second.body.versions[0].id;
    await strategist.post(`/api/templates/${templateId}/versions/${secondId}/submit`);
    const missing = await compliance.post(`/api/templates/${templateId}/versions/${secondId}/approve`);
    assert.equal(missing.status, 409);
    assert.deepEqual(
      missing.body.error.details.contentCheck.findings.map((finding: { rule: string; kind: string }) => [finding.rule, finding.kind]),
      [["cn.content.institution-name", "missing"]],
    );
    assert.equal(
      (await compliance.post(`/api/templates/${templateId}/versions/${secondId}/reject`, { note: "缺少机构名称" })).body.versions[0].status,
      "rejected",
    );

    // The fix, drafted by a compliance officer: she may not approve her own version; a colleague may.
    const fixed = await compliance.post(`/api/templates/${templateId}/versions`, { body: goodBody });
    const fixedId = fixed.body.versions[0].id;
    assert.equal(fixed.body.versions[0].contentCheck.passes, true);
    await compliance.post(`/api/templates/${templateId}/versions/${fixedId}/submit`);
    const own = await compliance.post(`/api/templates/${templateId}/versions/${fixedId}/approve`);
    assert.equal(own.status, 403);
    assert.match(own.body.error.message, /four-eyes/);
    const reviewer = await signIn("reviewer");
    const approved = await reviewer.post(`/api/templates/${templateId}/versions/${fixedId}/approve`);
    assert.equal(approved.status, 200);
    assert.equal(approved.body.versions[0].status, "approved");
    assert.equal(approved.body.versions[0].decidedBy, "reviewer");
    assert.equal(approved.body.versions[0].createdBy, "compliance");
    assert.deepEqual(approved.body.inUse, { versionId: fixedId, version: 3 });
    approvedVersionId = fixedId;
    assert.deepEqual(await auditActions(templateId), [
      "template.created",
      "template.submitted",
      "template.approval_refused",
      "template.version_created",
      "template.submitted",
      "template.approval_refused",
      "template.rejected",
      "template.version_created",
      "template.submitted",
      "template.approved",
    ]);
  });

  it("keeps the approved version in use while a new version waits, and a version's text never changes", async () => {
    const strategist = await signIn("strategist");
    const next = await strategist.post(`/api/templates/${templateId}/versions`, { body: `${goodBody}如已还款请忽略。` });
    assert.equal(next.status, 201);
    assert.deepEqual(next.body.inUse, { versionId: approvedVersionId, version: 3 });
    assert.equal(next.body.versions[0].status, "draft");
    const agent = await signIn("agent1");
    const options = (await agent.get(`/api/cases/${cases[0]?.caseId}/template-messages?channel=sms`)).body.templates;
    assert.equal(options.length, 1);
    assert.equal(options[0].versionId, approvedVersionId);
    assert.ok(!options[0].text.includes("如已还款"));
    await assert.rejects(
      context.database.db.updateTable("message_template_versions").set({ body: "changed" }).where("id", "=", approvedVersionId).execute(),
      /immutable/,
    );
  });

  it("previews with the case's own numbers to the cent, and with the sample values", async () => {
    const compliance = await signIn("compliance");
    const first = cases[0] as (typeof cases)[number];
    const detail = (await compliance.get(`/api/cases/${first.caseId}`)).body;
    const statement = (await compliance.get(`/api/loans/${first.loanId}/statement`)).body;
    const overdueMinor = BigInt(detail.totals.overdueMinor);
    const penaltyMinor = parseMinor(String(statement.outstanding.penalty), "CNY");
    assert.ok(overdueMinor > 0n && penaltyMinor > 0n, "the case is overdue with penalty");
    const preview = await compliance.post(`/api/templates/${templateId}/preview`, { versionId: approvedVersionId, caseId: first.caseId });
    assert.equal(preview.status, 200);
    assert.equal(preview.body.basedOn, "case");
    const expected =
      `【测试消费金融】王*您好，您的借款已逾期${detail.totals.daysPastDueMax}天，逾期金额${formatMoney({ amountMinor: overdueMinor, currency: "CNY" }, "zh-CN")}，` +
      `已产生罚息${formatMoney({ amountMinor: penaltyMinor, currency: "CNY" }, "zh-CN")}。请尽快还款：https://pay.test.example/p`;
    assert.equal(preview.body.text, expected, "a compliance officer sees the name masked");
    assert.match(preview.body.text, /逾期金额\d{1,3}(,\d{3})*\.\d{2}元/);
    const sample = await compliance.post(`/api/templates/${templateId}/preview`, { body: "{{amountOverdue}} {{dueDate}} {{nope}}" });
    assert.equal(sample.body.ok, false);
    assert.equal(sample.body.problems[0].text, "nope");
    const sampled = await compliance.post(`/api/templates/${templateId}/preview`, { body: "{{amountOverdue}}，{{dueDate}}" });
    assert.deepEqual([sampled.body.basedOn, sampled.body.text], ["sample", "1,234.56元，2026年12月15日"]);
    const agent = await signIn("agent2");
    assert.equal((await agent.post(`/api/templates/${templateId}/preview`, { caseId: first.caseId })).status, 403);
  });

  it("sends an approved template from the agent's case: the outbox holds the rendered text under a stored decision", async () => {
    const agent = await signIn("agent1");
    const first = cases[0] as (typeof cases)[number];
    const [option] = (await agent.get(`/api/cases/${first.caseId}/template-messages`)).body.templates;
    assert.match(option.text, /^【测试消费金融】王1您好，您的借款已逾期\d+天/, "the agent sees the name in full");
    const sent = await agent.post(`/api/cases/${first.caseId}/template-messages`, { templateId, versionId: option.versionId });
    assert.equal(sent.status, 201);
    assert.equal(sent.body.status, "sent");
    assert.equal(sent.body.decision, "allow");
    assert.equal(sent.body.text, option.text);
    const attempt = await context.database.db.selectFrom("contact_attempts").selectAll().where("id", "=", sent.body.attemptId).executeTakeFirstOrThrow();
    assert.equal(attempt.template_version_id, approvedVersionId);
    assert.equal(attempt.decision_id, sent.body.decisionId);
    const decision = await context.database.db.selectFrom("contact_decisions").selectAll().where("id", "=", sent.body.decisionId).executeTakeFirstOrThrow();
    assert.ok(decision.used_at, "the decision was used to send");
    const row = await context.database.db.selectFrom("development_outbox").select("id").where("decision_id", "=", sent.body.decisionId).executeTakeFirst();
    assert.ok(row, "the outbox row is under the stored decision");
    const message = (await listOutbox(context, 10)).find((item) => item.id === row.id);
    assert.ok(message);
    assert.equal(message.body, option.text);
  });

  it("refuses a draft-only, rejected or retired template, a stale version, and a case not assigned to the agent", async () => {
    const strategist = await signIn("strategist");
    const compliance = await signIn("compliance");
    const agent = await signIn("agent1");
    const first = cases[0] as (typeof cases)[number];
    const draftOnly = await strategist.post("/api/templates", {
      code: "draft-only",
      name: "草稿",
      channel: "sms",
      language: "zh-CN",
      purpose: "overdue",
      body: goodBody,
    });
    const rejected = await strategist.post("/api/templates", {
      code: "rejected",
      name: "驳回",
      channel: "sms",
      language: "zh-CN",
      purpose: "overdue",
      body: goodBody,
    });
    const rejectedVersion = rejected.body.versions[0].id;
    await strategist.post(`/api/templates/${rejected.body.id}/versions/${rejectedVersion}/submit`);
    await compliance.post(`/api/templates/${rejected.body.id}/versions/${rejectedVersion}/reject`, { note: "语气不当" });
    const attemptsBefore = await countRows("contact_attempts");
    for (const id of [draftOnly.body.id, rejected.body.id]) {
      const refused = await agent.post(`/api/cases/${first.caseId}/template-messages`, { templateId: id });
      assert.equal(refused.status, 409);
      assert.match(refused.body.error.message, /no approved version/);
    }
    const stale = await agent.post(`/api/cases/${first.caseId}/template-messages`, { templateId, versionId: rejectedVersion });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.details.field, "versionId");
    const other = await agent.post(`/api/cases/${cases[1]?.caseId}/template-messages`, { templateId });
    assert.equal(other.status, 404, "agent1 cannot send on agent2's case");
    assert.equal((await agent.get(`/api/cases/${cases[1]?.caseId}/template-messages`)).status, 404);
    const badInput = await agent.post(`/api/cases/${first.caseId}/template-messages`, { templateId: "not-a-uuid" });
    assert.equal(badInput.status, 400);
    assert.match(badInput.body.error.message, /body\.templateId/);

    const retired = await compliance.post(`/api/templates/${templateId}/retire`);
    assert.equal(retired.status, 200);
    assert.equal(retired.body.inUse, null);
    assert.ok(retired.body.versions.some((version: { id: string; status: string }) => version.id === approvedVersionId && version.status === "retired"));
    const afterRetire = await agent.post(`/api/cases/${first.caseId}/template-messages`, { templateId });
    assert.equal(afterRetire.status, 409);
    assert.match(afterRetire.body.error.message, /retired/);
    assert.deepEqual((await agent.get(`/api/cases/${first.caseId}/template-messages`)).body.templates, []);
    assert.equal(await countRows("contact_attempts"), attemptsBefore, "no refused send left an attempt");
  });
});
