// Case queues (队列) and teams: a supervisor defines teams and queues by rule; the assignment
// routes each open case to its queue and deals it within the queue's team; a case that rolls
// into a later bucket moves to that bucket's team, unless it is held; bad definitions name
// their field and change nothing; agents and agencies cannot define queues.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { createApp } from "../../app.js";
import type { App } from "../../platform/http/index.js";
import { insertLender, TEST_PASSWORD, testNationalId } from "../../platform/testing/fixtures.js";
import { TestClient } from "../../platform/testing/http-client.js";
import { createTestContext, type TestContext } from "../../platform/testing/test-context.js";
import { registerBorrower } from "../borrowers/index.js";
import { addStaffUser } from "../identity/index.js";

let context: TestContext;
let app: App;
let lenderId = "";
let agencyId = "";
const staff: Record<string, string> = {};
const cases: Record<string, string> = {};
const system = { actorType: "system" as const, actorId: null };

/** One borrower with one loan whose close state says this bucket and overdue amount, and an open case. */
async function borrowerWithCase(name: string, sequence: number, bucket: string, overdueMinor: bigint, locale: "zh-CN" | "en" = "zh-CN") {
  const { db } = context.database;
  await db.transaction().execute(async (trx) => {
    const borrowerId = await registerBorrower(
      context,
      trx,
      lenderId,
      { externalRef: name, name: `借款人${name}`, nationalId: testNationalId(sequence), phone: `1380013800${sequence}`, locale },
      system,
    );
    const product = await trx.selectFrom("products").select("id").where("lender_id", "=", lenderId).where("code", "=", "CASH12").executeTakeFirstOrThrow();
    const loanId = crypto.randomUUID();
    await sql`insert into loan_accounts (id, lender_id, borrower_id, product_id, external_ref, principal_minor, currency, opened_on, status, created_at)
      values (${loanId}, ${lenderId}, ${borrowerId}, ${product.id}, ${`L-${name}`}, 1000000, 'CNY', '2026-01-10', 'overdue', now())`.execute(trx);
    await sql`insert into account_close_state (loan_id, lender_id, borrower_id, product_id, facts, state, state_on, dpd, bucket, overdue_minor, status)
      values (${loanId}, ${lenderId}, ${borrowerId}, ${product.id}, '{}', '{}', '2026-11-22', 10, ${bucket}, ${overdueMinor}, 'overdue')`.execute(trx);
    cases[name] = crypto.randomUUID();
    await trx
      .insertInto("collection_cases")
      .values({ id: cases[name], lender_id: lenderId, borrower_id: borrowerId, status: "new", opened_on: "2026-11-22", created_at: new Date() } as never)
      .execute();
  });
}

before(async () => {
  context = await createTestContext({ now: "2026-11-23T02:00:00Z" });
  ({ lenderId, agencyId } = await insertLender(context));
  const { db } = context.database;
  await db.transaction().execute(async (trx) => {
    for (const [username, roles, agency] of [
      ["early1", ["agent"], null],
      ["late1", ["agent"], null],
      ["pool1", ["agent"], null],
      ["agency1", ["agent"], agencyId],
      ["lead", ["supervisor"], null],
      ["agency_lead", ["supervisor"], agencyId],
    ] as const) {
      staff[username] = (
        await addStaffUser(context, trx, { lenderId, agencyId: agency, username, displayName: username, password: TEST_PASSWORD, roles: [...roles] }, system)
      ).id;
    }
    await sql`insert into products (id, lender_id, code, name, name_en, repayment_method, term_months, annual_rate, currency, created_at)
      values (${crypto.randomUUID()}, ${lenderId}, 'CASH12', '现金贷12期', 'Cash loan, 12 months', 'equal_installment', 12, 0.18, 'CNY', now())`.execute(trx);
  });
  await borrowerWithCase("B1", 1, "M1", 150_000n);
  await borrowerWithCase("B2", 2, "M3", 2_500_000n);
  await borrowerWithCase("B3", 3, "M1", 90_000n, "en");
  await borrowerWithCase("B4", 4, "M1", 120_000n);
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

async function caseRow(name: string) {
  return context.database.db
    .selectFrom("collection_cases")
    .leftJoin("case_queues", "case_queues.id", "collection_cases.queue_id")
    .select(["collection_cases.assigned_agent_id", "case_queues.code"])
    .where("collection_cases.id", "=", cases[name] as string)
    .executeTakeFirstOrThrow();
}

describe("case queues and teams", () => {
  let earlyTeam = "";
  let lateTeam = "";

  it("lets a supervisor form teams, naming a member who cannot join", async () => {
    const lead = await signIn("lead");
    const early = await lead.post("/api/teams", { code: "early", name: "M1 组" });
    const late = await lead.post("/api/teams", { code: "late", name: "M2+ 组" });
    assert.equal(early.status, 201);
    earlyTeam = early.body.id;
    lateTeam = late.body.id;
    assert.equal((await lead.post("/api/teams", { code: "early", name: "again" })).status, 409);
    const wrong = await lead.post(`/api/teams/${earlyTeam}/members`, { userIds: [staff.early1, staff.agency1] });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body.error.message, /userIds\[1\]/);
    assert.equal(
      (
        await context.database.db
          .selectFrom("staff_users")
          .select("team_id")
          .where("id", "=", staff.early1 as string)
          .executeTakeFirstOrThrow()
      ).team_id,
      null,
      "nothing changed",
    );
    assert.equal((await lead.post(`/api/teams/${earlyTeam}/members`, { userIds: [staff.early1] })).status, 204);
    assert.equal((await lead.post(`/api/teams/${lateTeam}/members`, { userIds: [staff.late1] })).status, 204);
    const teams = await lead.get("/api/teams");
    assert.deepEqual(
      teams.body.teams.map((team: { code: string; members: { displayName: string }[] }) => [team.code, team.members.map((member) => member.displayName)]),
      [
        ["early", ["early1"]],
        ["late", ["late1"]],
      ],
    );
  });

  it("refuses a queue with a bad criterion, naming it, and stores nothing", async () => {
    const lead = await signIn("lead");
    const bad = await lead.post("/api/case-queues", { code: "m9", name: "M9", priority: 1, criteria: { buckets: ["M1", "M9"] }, teamId: earlyTeam });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /criteria\.buckets\[1\]/);
    const amount = await lead.post("/api/case-queues", { code: "big", name: "Big", priority: 1, criteria: { overdueMinMinor: "12.50" } });
    assert.equal(amount.status, 400);
    assert.match(amount.body.error.message, /criteria\.overdueMinMinor/);
    const noTeam = await lead.post("/api/case-queues", { code: "x", name: "X", priority: 1, criteria: {}, teamId: crypto.randomUUID() });
    assert.equal(noTeam.status, 400);
    assert.match(noTeam.body.error.message, /team/);
    assert.equal((await context.database.db.selectFrom("case_queues").select("id").execute()).length, 0);
  });

  it("routes each case to its queue and deals it within the queue's team", async () => {
    const lead = await signIn("lead");
    for (const queue of [
      { code: "m1", name: "M1 队列", priority: 20, criteria: { buckets: ["M1"] }, teamId: earlyTeam },
      { code: "m2plus", name: "M2+ 队列", priority: 30, criteria: { buckets: ["M2", "M3", "M4", "M5", "M6", "M7+"] }, teamId: lateTeam },
      // English-speaking borrowers in any bucket go to a queue without a team: anyone may take them.
      { code: "english", name: "English", priority: 10, criteria: { languages: ["en"] } },
    ])
      assert.equal((await lead.post("/api/case-queues", queue)).status, 201, queue.code);
    const assigned = await lead.post("/api/cases/assign-open", {});
    assert.equal(assigned.status, 200);
    assert.deepEqual(assigned.body, { assigned: 4, unassigned: 0, requeued: 4 });
    assert.deepEqual(await caseRow("B1"), { assigned_agent_id: staff.early1, code: "m1" });
    assert.deepEqual(await caseRow("B4"), { assigned_agent_id: staff.early1, code: "m1" });
    assert.deepEqual(await caseRow("B2"), { assigned_agent_id: staff.late1, code: "m2plus" });
    const english = await caseRow("B3");
    assert.equal(english.code, "english");
    assert.ok(
      [staff.early1, staff.late1, staff.pool1].includes(english.assigned_agent_id as string),
      "a queue without a team: any in-house agent with room, never the agency's",
    );
    const queues = await lead.get("/api/case-queues");
    assert.deepEqual(
      queues.body.queues.map((queue: { code: string; openCases: number; teamName: string | null }) => [queue.code, queue.openCases, queue.teamName]),
      [
        ["english", 1, null],
        ["m1", 2, "M1 组"],
        ["m2plus", 1, "M2+ 组"],
      ],
    );
  });

  it("moves a case that rolled into M2 to the M2+ team, keeps a held case with its agent, and records the move", async () => {
    const lead = await signIn("lead");
    assert.equal((await lead.post(`/api/cases/${cases.B4}/hold`, { until: "2026-11-30", reason: "承诺本周内还款，留案跟进" })).status, 204);
    await sql`update account_close_state set bucket = 'M2' where borrower_id in (
      select borrower_id from collection_cases where id in (${cases.B1}, ${cases.B4}))`.execute(context.database.db);
    const again = await lead.post("/api/cases/assign-open", {});
    assert.deepEqual(again.body, { assigned: 1, unassigned: 0, requeued: 2 });
    assert.deepEqual(await caseRow("B1"), { assigned_agent_id: staff.late1, code: "m2plus" });
    assert.deepEqual(await caseRow("B4"), { assigned_agent_id: staff.early1, code: "m2plus" }, "held: stays with early1 though its queue moved");
    const moves = await context.database.db
      .selectFrom("case_assignments")
      .select(["agent_id", "reason"])
      .where("case_id", "=", cases.B1 as string)
      .orderBy("id")
      .execute();
    assert.deepEqual(moves, [
      { agent_id: staff.early1, reason: "automatic" },
      { agent_id: null, reason: "requeued" },
      { agent_id: staff.late1, reason: "automatic" },
    ]);
    const audit = await context.database.db.selectFrom("audit_log").select("action").where("action", "=", "cases.requeued").execute();
    assert.equal(audit.length, 2);
    assert.deepEqual((await lead.post("/api/cases/assign-open", {})).body, { assigned: 0, unassigned: 0, requeued: 0 }, "running it again changes nothing");
  });

  it("keeps queues to the lender's own supervisors", async () => {
    const agent = await signIn("early1");
    assert.equal((await agent.get("/api/case-queues")).status, 403);
    const agencyLead = await signIn("agency_lead");
    assert.equal((await agencyLead.post("/api/case-queues", { code: "mine", name: "Mine", priority: 1, criteria: {} })).status, 403);
    assert.equal((await agencyLead.post("/api/teams", { code: "agency", name: "Agency team", agencyId })).status, 403);
  });
});
