// Reminder strategies through the HTTP API: a strategist drafts one, is told which field of a bad
// segment or cadence is wrong (and nothing is stored), cannot activate it while a step's
// template has no approved version, changes it (the version goes up and the audit keeps the
// previous definition), and activates it; the planner's loader returns active strategies in
// priority order. Another lender's strategist gets 404, an agent 403.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createApp } from "../../app.js";
import type { App } from "../../platform/http/index.js";
import { insertLender, TEST_PASSWORD } from "../../platform/testing/fixtures.js";
import { TestClient } from "../../platform/testing/http-client.js";
import { createTestContext, type TestContext } from "../../platform/testing/test-context.js";
import { addStaffUser } from "../identity/index.js";
import { seedApprovedTemplate } from "../templates/index.js";
import { loadActiveStrategies, variantFor } from "./index.js";

let context: TestContext;
let app: App;
let lenderId = "";
let otherLenderId = "";
const system = { actorType: "system" as const, actorId: null };
const staff: Record<string, string> = {};

before(async () => {
  context = await createTestContext({ now: "2026-11-23T02:00:00Z" });
  ({ lenderId } = await insertLender(context));
  ({ lenderId: otherLenderId } = await insertLender(context));
  await context.database.db.transaction().execute(async (trx) => {
    for (const [username, roles, lender] of [
      ["strategist", ["strategist"], lenderId],
      ["approver", ["compliance"], lenderId],
      ["lead", ["supervisor"], lenderId],
      ["agent", ["agent"], lenderId],
      ["other_strategist", ["strategist"], otherLenderId],
    ] as const) {
      staff[username] = (
        await addStaffUser(
          context,
          trx,
          { lenderId: lender, agencyId: null, username, displayName: username, password: TEST_PASSWORD, roles: [...roles] },
          system,
        )
      ).id;
    }
    for (const [code, purpose, body] of [
      [
        "overdue-m1",
        "overdue",
        "【{{institutionName}}】{{borrowerName}}您好，您的借款已逾期{{daysOverdue}}天，逾期金额{{amountOverdue}}。请尽快还款：{{repaymentLink}}",
      ],
      ["pre-due-d3", "pre_due", "【{{institutionName}}】{{borrowerName}}您好，您的本期还款日为{{dueDate}}，请按时还款。还款入口：{{repaymentLink}}。"],
    ] as const)
      await seedApprovedTemplate(context, trx, {
        code,
        name: code,
        channel: "sms",
        language: "zh-CN",
        purpose,
        subject: null,
        body,
        lenderId,
        authorId: staff.strategist as string,
        approverId: staff.approver as string,
      });
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

async function count(table: "strategies" | "strategy_variants") {
  const row = await context.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

const sms = (key: string, anchor: "due" | "dpd", day: number, templateCode: string, at = "10:00") => ({ key, anchor, day, channel: "sms", templateCode, at });

const earlyOverdue = {
  code: "early-overdue",
  name: "M1 早期逾期",
  priority: 20,
  segment: { buckets: ["M1"], overdueMinMinor: "10000" },
  variants: [
    {
      code: "champion",
      shareBasisPoints: 7000,
      cadence: [sms("dpd-1", "dpd", 1, "overdue-m1"), { key: "dpd-5", anchor: "dpd", day: 5, channel: "agent", at: "09:30" }],
    },
    { code: "sms-heavy", shareBasisPoints: 3000, cadence: [sms("dpd-1", "dpd", 1, "overdue-m1"), sms("dpd-3", "dpd", 3, "overdue-m1")] },
  ],
};

let strategyId = "";

describe("strategies", () => {
  it("refuses a bad segment or cadence, naming the field, and stores nothing", async () => {
    const strategist = await signIn("strategist");
    for (const [change, field] of [
      [{ segment: { buckets: ["M1", "M9"] } }, "segment.buckets[1]"],
      [{ segment: { dpdMin: 10, dpdMax: 5 } }, "segment.dpdMax"],
      [{ segment: { overdueMinMinor: "12.50" } }, "segment.overdueMinMinor"],
      [{ segment: { overdueReason: ["illness"] } }, "segment.overdueReason"],
      [
        {
          variants: [
            {
              code: "champion",
              shareBasisPoints: 10_000,
              cadence: [sms("a", "dpd", 1, "overdue-m1"), sms("b", "dpd", 2, "overdue-m1"), { key: "c", anchor: "dpd", day: 3, channel: "email", at: "10:00" }],
            },
          ],
        },
        "variants[0].cadence[2].templateCode",
      ],
      [
        { variants: [{ code: "champion", shareBasisPoints: 10_000, cadence: [sms("a", "dpd", 1, "x"), sms("a", "dpd", 2, "x")] }] },
        "variants[0].cadence[1].key",
      ],
      [{ variants: [{ code: "champion", shareBasisPoints: 10_000, cadence: [sms("a", "due", 2, "x")] }] }, "variants[0].cadence[0].day"],
      [{ variants: [{ code: "champion", shareBasisPoints: 6000, cadence: [] }] }, "variants"],
      [{ code: "has space" }, "code"],
    ] as const) {
      const response = await strategist.post("/api/strategies", { ...earlyOverdue, ...change });
      assert.equal(response.status, 400, field);
      assert.equal(response.body.error.code, "VALIDATION_FAILED");
      assert.equal(response.body.error.details.field, field);
      assert.ok(response.body.error.message.includes(field), response.body.error.message);
    }
    assert.equal(await count("strategies"), 0);
    assert.equal(await count("strategy_variants"), 0);
  });

  it("drafts a strategy with its variants, champion first, and audits it", async () => {
    const strategist = await signIn("strategist");
    const created = await strategist.post("/api/strategies", { ...earlyOverdue, variants: [...earlyOverdue.variants].reverse() });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    strategyId = created.body.id;
    assert.equal(created.body.status, "draft");
    assert.equal(created.body.version, 1);
    assert.equal(created.body.createdBy, "strategist");
    assert.deepEqual(created.body.segment, earlyOverdue.segment);
    assert.deepEqual(
      created.body.variants.map((variant: { code: string; shareBasisPoints: number }) => [variant.code, variant.shareBasisPoints]),
      [
        ["champion", 7000],
        ["sms-heavy", 3000],
      ],
    );
    assert.deepEqual(created.body.variants[0].cadence[1], { key: "dpd-5", anchor: "dpd", day: 5, channel: "agent", at: "09:30" });
    assert.equal((await strategist.post("/api/strategies", earlyOverdue)).status, 409, "the code is taken");
    const audit = await context.database.db.selectFrom("audit_log").select(["action", "actor_id"]).where("target_id", "=", strategyId).execute();
    assert.deepEqual(audit, [{ action: "strategy.created", actor_id: staff.strategist }]);
    assert.equal((await strategist.get(`/api/strategies/${strategyId}`)).body.code, "early-overdue");
  });

  it("refuses to activate while a step's template is missing or not approved, naming the step", async () => {
    const strategist = await signIn("strategist");
    const draftOnly = await strategist.post("/api/templates", {
      code: "overdue-m2",
      name: "M2",
      channel: "sms",
      language: "zh-CN",
      purpose: "overdue",
      body: "【{{institutionName}}】{{borrowerName}}您好，您的借款已逾期{{daysOverdue}}天，请尽快还款：{{repaymentLink}}",
    });
    assert.equal(draftOnly.status, 201, JSON.stringify(draftOnly.body));
    const withTemplates = async (first: string, second: string) =>
      strategist.put(`/api/strategies/${strategyId}`, {
        name: earlyOverdue.name,
        priority: earlyOverdue.priority,
        segment: earlyOverdue.segment,
        variants: [
          earlyOverdue.variants[0],
          { code: "sms-heavy", shareBasisPoints: 3000, cadence: [sms("dpd-1", "dpd", 1, first), sms("dpd-3", "dpd", 3, second)] },
        ],
      });
    for (const [first, second, field, named, why] of [
      ["overdue-m1", "no-such-template", "variants[1].cadence[1].templateCode", "no-such-template", "missing"],
      ["overdue-m1", "overdue-m2", "variants[1].cadence[1].templateCode", "overdue-m2", "drafted, not approved"],
      ["no-such-template", "overdue-m2", "variants[1].cadence[0].templateCode", "no-such-template", "the first bad step is named"],
    ] as const) {
      assert.equal((await withTemplates(first, second)).status, 200, "a draft may name any template");
      const refused = await strategist.post(`/api/strategies/${strategyId}/activate`);
      assert.equal(refused.status, 400, why);
      assert.equal(refused.body.error.details.field, field, why);
      assert.match(refused.body.error.message, new RegExp(`sms template "${named}"`), why);
    }
    const emailStep = await strategist.put(`/api/strategies/${strategyId}`, {
      ...earlyOverdue,
      code: undefined,
      variants: [
        earlyOverdue.variants[0],
        { code: "sms-heavy", shareBasisPoints: 3000, cadence: [{ ...sms("dpd-1", "dpd", 1, "overdue-m1"), channel: "email" }] },
      ],
    });
    assert.equal(emailStep.status, 200);
    const wrongChannel = await strategist.post(`/api/strategies/${strategyId}/activate`);
    assert.equal(wrongChannel.body.error.details.field, "variants[1].cadence[0].templateCode", "overdue-m1 is an SMS template, not an e-mail one");
    const stored = await context.database.db.selectFrom("strategies").select(["status"]).where("id", "=", strategyId).executeTakeFirstOrThrow();
    assert.equal(stored.status, "draft");
  });

  it("bumps the version on every change, keeps variant ids by code, and audits the previous definition", async () => {
    const strategist = await signIn("strategist");
    const before = (await strategist.get(`/api/strategies/${strategyId}`)).body;
    const updated = await strategist.put(`/api/strategies/${strategyId}`, {
      name: "M1 早期逾期（新）",
      priority: 15,
      segment: { buckets: ["M1"] },
      variants: [
        { ...earlyOverdue.variants[0], shareBasisPoints: 5000 },
        { ...earlyOverdue.variants[1], shareBasisPoints: 5000 },
      ],
    });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal(updated.body.version, before.version + 1);
    assert.equal(updated.body.name, "M1 早期逾期（新）");
    assert.equal(updated.body.variants[0].id, before.variants[0].id, "the champion keeps its id");
    assert.equal(updated.body.variants[1].id, before.variants[1].id);
    const audit = await context.database.db
      .selectFrom("audit_log")
      .select(["action", "details"])
      .where("target_id", "=", strategyId)
      .orderBy("sequence", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
    assert.equal(audit.action, "strategy.updated");
    const details = audit.details as { previous: { version: number; priority: number; segment: unknown; variants: { code: string; cadence: unknown[] }[] } };
    assert.equal(details.previous.version, before.version);
    assert.equal(details.previous.priority, 20);
    assert.deepEqual(details.previous.segment, earlyOverdue.segment);
    assert.deepEqual(details.previous.variants[1]?.cadence, before.variants[1].cadence);

    const badShares = await strategist.put(`/api/strategies/${strategyId}`, {
      ...updated.body,
      variants: [
        { code: "champion", shareBasisPoints: 5000, cadence: [] },
        { code: "sms-heavy", shareBasisPoints: 4000, cadence: [] },
      ],
      id: undefined,
    });
    assert.equal(badShares.status, 400);
    assert.equal(badShares.body.error.details.field, "variants");
    assert.equal((await strategist.get(`/api/strategies/${strategyId}`)).body.version, updated.body.version, "nothing changed");
  });

  it("activates once every template is approved, and the loader returns active strategies in priority order", async () => {
    const strategist = await signIn("strategist");
    const activated = await strategist.post(`/api/strategies/${strategyId}/activate`);
    assert.equal(activated.status, 200, JSON.stringify(activated.body));
    assert.equal(activated.body.status, "active");
    assert.equal((await strategist.post(`/api/strategies/${strategyId}/activate`)).status, 409, "active already");
    const preDue = {
      code: "pre-due",
      name: "到期前提醒",
      priority: 15,
      segment: { daysBeforeDueMin: 0, daysBeforeDueMax: 3 },
      variants: [{ code: "champion", shareBasisPoints: 10_000, cadence: [sms("d-3", "due", -3, "pre-due-d3")] }],
    };
    const late = { ...preDue, code: "late", name: "M2+", priority: 5, segment: { buckets: ["M2", "M3"] } };
    const drafted = { ...preDue, code: "drafted", name: "Not yet", priority: 1 };
    const ids: Record<string, string> = {};
    for (const strategy of [preDue, late, drafted]) {
      const created = await strategist.post("/api/strategies", strategy);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      ids[strategy.code] = created.body.id;
    }
    for (const code of ["pre-due", "late"]) assert.equal((await strategist.post(`/api/strategies/${ids[code]}/activate`)).status, 200);
    const active = await loadActiveStrategies(context.database.db, lenderId);
    assert.deepEqual(
      active.map((strategy) => [strategy.code, strategy.priority]),
      [
        ["late", 5],
        ["early-overdue", 15],
        ["pre-due", 15],
      ],
      "priority, then code; the draft is left out",
    );
    const early = active[1];
    assert.ok(early);
    assert.deepEqual(
      early.variants.map((variant) => variant.code),
      ["champion", "sms-heavy"],
    );
    assert.ok(["champion", "sms-heavy"].includes(variantFor(early, crypto.randomUUID()).code));
    assert.deepEqual(await loadActiveStrategies(context.database.db, otherLenderId), []);

    const listed = await strategist.get("/api/strategies");
    assert.deepEqual(
      listed.body.strategies.map((strategy: { code: string; status: string }) => `${strategy.code}:${strategy.status}`),
      ["drafted:draft", "late:active", "early-overdue:active", "pre-due:active"],
    );

    const retired = await strategist.post(`/api/strategies/${ids.late}/retire`);
    assert.equal(retired.body.status, "retired");
    assert.equal((await strategist.put(`/api/strategies/${ids.late}`, { ...late, code: undefined })).status, 409, "a retired strategy stays as it was");
    assert.deepEqual(
      (await loadActiveStrategies(context.database.db, lenderId)).map((strategy) => strategy.code),
      ["early-overdue", "pre-due"],
    );
    const actions = await context.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("target_id", "=", ids.late as string)
      .orderBy("sequence")
      .execute();
    assert.deepEqual(
      actions.map((row) => row.action),
      ["strategy.created", "strategy.activated", "strategy.retired"],
    );
  });

  it("checks the templates again when an active strategy changes", async () => {
    const strategist = await signIn("strategist");
    const current = (await strategist.get(`/api/strategies/${strategyId}`)).body;
    const refused = await strategist.put(`/api/strategies/${strategyId}`, {
      name: current.name,
      priority: current.priority,
      segment: current.segment,
      variants: [{ code: "champion", shareBasisPoints: 10_000, cadence: [sms("dpd-1", "dpd", 1, "overdue-m2")] }],
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.details.field, "variants[0].cadence[0].templateCode");
    assert.equal((await strategist.get(`/api/strategies/${strategyId}`)).body.variants.length, 2, "nothing changed");
  });

  it("keeps a lender's strategies from another lender's strategist (404) and from agents (403); a supervisor reads them", async () => {
    const other = await signIn("other_strategist");
    assert.equal((await other.get(`/api/strategies/${strategyId}`)).status, 404);
    assert.equal((await other.put(`/api/strategies/${strategyId}`, { ...earlyOverdue, code: undefined })).status, 404);
    assert.equal((await other.post(`/api/strategies/${strategyId}/retire`)).status, 404);
    assert.deepEqual((await other.get("/api/strategies")).body.strategies, []);
    const agent = await signIn("agent");
    assert.equal((await agent.get("/api/strategies")).status, 403);
    assert.equal((await agent.post("/api/strategies", { ...earlyOverdue, code: "mine" })).status, 403);
    const lead = await signIn("lead");
    assert.equal((await lead.get("/api/strategies")).body.strategies.length, 4);
    assert.equal((await lead.post(`/api/strategies/${strategyId}/retire`)).status, 403, "reading is not changing");
  });

  it("refuses at commit a split the service did not write, whoever writes it", async () => {
    await assert.rejects(
      context.database.db.transaction().execute(async (trx) => {
        await trx
          .updateTable("strategy_variants")
          .set({ share_basis_points: 1 })
          .where("strategy_id", "=", strategyId)
          .where("code", "=", "champion")
          .execute();
      }),
      /must add up to 10000/,
    );
    const shares = await context.database.db.selectFrom("strategy_variants").select("share_basis_points").where("strategy_id", "=", strategyId).execute();
    assert.equal(
      shares.reduce((sum, row) => sum + row.share_basis_points, 0),
      10_000,
    );
  });
});
