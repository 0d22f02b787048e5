// Data scopes: an agent sees only the cases assigned to them, an agency agent only theirs, a
// supervisor the lender's; identifiers are masked by role and revealed only with a reason.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createApp } from "../../app.js";
import type { App } from "../../platform/http/index.js";
import { insertLender, TEST_PASSWORD, testNationalId } from "../../platform/testing/fixtures.js";
import { TestClient } from "../../platform/testing/http-client.js";
import { createTestContext, type TestContext } from "../../platform/testing/test-context.js";
import { registerBorrower } from "../borrowers/index.js";
import { addStaffUser } from "../identity/index.js";
import { openCases } from "./index.js";

let context: TestContext;
let app: App;
const borrowers: string[] = [];

before(async () => {
  context = await createTestContext();
  const { lenderId, agencyId } = await insertLender(context);
  const system = { actorType: "system" as const, actorId: null };
  await context.database.db.transaction().execute(async (trx) => {
    const staff: Record<string, string> = {};
    for (const [username, roles, agency] of [
      ["agent1", ["agent"], null],
      ["agent2", ["agent"], null],
      ["agency1", ["agent"], agencyId],
      ["lead", ["supervisor"], null],
      ["quality", ["compliance"], null],
      ["analyst", ["strategist"], null],
    ] as const) {
      staff[username] = (
        await addStaffUser(context, trx, { lenderId, agencyId: agency, username, displayName: username, password: TEST_PASSWORD, roles: [...roles] }, system)
      ).id;
    }
    for (let index = 0; index < 6; index += 1) {
      borrowers.push(
        await registerBorrower(
          context,
          trx,
          lenderId,
          {
            externalRef: `B${index}`,
            name: `王小${"一二三四五六"[index]}`,
            nationalId: testNationalId(index),
            phone: `1380013800${index}`,
            address: "北京市朝阳区建国路88号",
          },
          system,
        ),
      );
    }
    const owners = [staff.agent1, staff.agent1, staff.agent2, staff.agency1, null, staff.agent2];
    await openCases(
      context,
      trx,
      borrowers.map((borrowerId, index) => ({
        lenderId,
        borrowerId,
        agencyId: index === 3 ? agencyId : null,
        assignedAgentId: owners[index] ?? null,
        status: "new" as const,
        openedOn: "2026-11-01",
      })),
    );
  });
  ({ app } = await createApp(context, { logger: false }));
});

after(async () => {
  await app?.close();
  await context?.close();
});

async function signIn(username: string): Promise<TestClient> {
  const client = new TestClient(app);
  assert.equal((await client.login(username, TEST_PASSWORD)).status, 200);
  return client;
}

describe("data scopes", () => {
  it("shows an agent only the cases assigned to them", async () => {
    const cases = (await (await signIn("agent1")).get("/api/cases")).body.cases;
    assert.deepEqual(cases.map((item: { borrowerId: string }) => item.borrowerId).sort(), [borrowers[0], borrowers[1]].sort());
    assert.deepEqual(cases.map((item: { borrowerName: string }) => item.borrowerName).sort(), ["王小一", "王小二"]);
    assert.equal(cases[0].phoneMasked.includes("****"), true);
  });

  it("shows an outsourced agency agent only their agency's case", async () => {
    const cases = (await (await signIn("agency1")).get("/api/cases")).body.cases;
    assert.deepEqual(
      cases.map((item: { borrowerId: string }) => item.borrowerId),
      [borrowers[3]],
    );
  });

  it("shows a supervisor every case of the lender, and home figures in scope", async () => {
    const lead = await signIn("lead");
    assert.equal((await lead.get("/api/cases")).body.cases.length, 6);
    const agentHome = (await (await signIn("agent2")).get("/api/home")).body;
    assert.deepEqual(agentHome.counts, { borrowers: 2, loanAccounts: 0, openCases: 2, myCases: 2 });
    assert.equal(agentHome.lender.nameEn, "Test Consumer Finance");
  });

  it("hides a borrower outside the agent's scope as not found", async () => {
    const agent = await signIn("agent1");
    assert.equal((await agent.get(`/api/borrowers/${borrowers[0]}`)).status, 200);
    const outside = await agent.get(`/api/borrowers/${borrowers[2]}`);
    assert.equal(outside.status, 404);
    assert.equal(outside.body.error.code, "NOT_FOUND");
    const reveal = await agent.post(`/api/borrowers/${borrowers[2]}/reveal`, { field: "phone", reason: "calling back" });
    assert.equal(reveal.status, 404);
  });

  it("keeps a strategist away from cases altogether", async () => {
    assert.equal((await (await signIn("analyst")).get("/api/cases")).status, 403);
  });
});

describe("masking and audited reveal", () => {
  it("masks identifiers for an agent and compliance alike", async () => {
    for (const username of ["agent1", "quality"]) {
      const { borrower } = (await (await signIn(username)).get(`/api/borrowers/${borrowers[0]}`)).body;
      assert.equal(borrower.nationalId, `110105********${testNationalId(0).slice(-4)}`);
      assert.equal(borrower.phone, "138****8000");
      assert.ok(!borrower.address.includes("88号"), "address is masked");
    }
  });

  it("reveals a field only with a reason, and audits who, what and why", async () => {
    const agent = await signIn("agent1");
    const noReason = await agent.post(`/api/borrowers/${borrowers[0]}/reveal`, { field: "phone", reason: "  " });
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.error.details.field, "reason");
    const revealed = await agent.post(`/api/borrowers/${borrowers[0]}/reveal`, { field: "phone", reason: "borrower asked for a call back" });
    assert.deepEqual(revealed.body, { field: "phone", value: "13800138000" });
    const row = await context.database.db.selectFrom("audit_log").selectAll().where("action", "=", "pii.revealed").executeTakeFirstOrThrow();
    assert.equal(row.target_id, borrowers[0]);
    assert.equal(row.reason, "borrower asked for a call back");
    assert.deepEqual(row.details, { field: "phone" });
  });
});

describe("search", () => {
  it("finds a case by full phone, national ID or reference through the blind index, within the caller's scope", async () => {
    const lead = await signIn("lead");
    const byPhone = await lead.get("/api/cases/search?q=13800138002");
    assert.equal(byPhone.body.matchedBy, "phone");
    assert.deepEqual(
      byPhone.body.cases.map((item: { borrowerId: string }) => item.borrowerId),
      [borrowers[2]],
    );
    const byId = await lead.get(`/api/cases/search?q=${testNationalId(4).toLowerCase()}`);
    assert.equal(byId.body.matchedBy, "national_id");
    assert.deepEqual(
      byId.body.cases.map((item: { borrowerId: string }) => item.borrowerId),
      [borrowers[4]],
    );
    const byReference = await lead.get("/api/cases/search?q=B5");
    assert.equal(byReference.status, 400, "too short to be a full reference");
    const agent = await signIn("agent1");
    assert.deepEqual((await agent.get("/api/cases/search?q=13800138002")).body.cases, [], "another agent's borrower stays hidden");
    assert.equal((await agent.get("/api/cases/search?q=13800138000")).body.cases.length, 1);
  });

  it("never matches a partial number", async () => {
    const lead = await signIn("lead");
    const partial = await lead.get("/api/cases/search?q=1380013800");
    assert.deepEqual(partial.body.cases, []);
    const prefix = await lead.get(`/api/cases/search?q=${testNationalId(4).slice(0, 10)}`);
    assert.deepEqual(prefix.body.cases, []);
  });
});
