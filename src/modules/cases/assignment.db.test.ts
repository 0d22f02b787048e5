// Case assignment (分案): unassigned cases are dealt to agents with room, a returning borrower
// goes back to their agent, agencies keep their own cases, supervisors reassign in bulk, a held
// case (留案) stays put, and every move is on record.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
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
const staff: Record<string, string> = {};
const cases: Record<string, string> = {};
const borrowerOf: Record<string, string> = {};
const system = { actorType: "system" as const, actorId: null };

before(async () => {
  context = await createTestContext({ now: "2026-11-23T02:00:00Z" });
  const fixture = await insertLender(context);
  lenderId = fixture.lenderId;
  const { db } = context.database;
  await db.transaction().execute(async (trx) => {
    for (const [username, roles, agency, capacity] of [
      ["agent_a1", ["agent"], null, 2],
      ["agent_a2", ["agent"], null, 5],
      ["agency_x1", ["agent"], fixture.agencyId, 5],
      ["lead", ["supervisor"], null, 0],
    ] as const) {
      staff[username] = (
        await addStaffUser(context, trx, { lenderId, agencyId: agency, username, displayName: username, password: TEST_PASSWORD, roles: [...roles] }, system)
      ).id;
      await trx
        .updateTable("staff_users")
        .set({ case_capacity: capacity })
        .where("id", "=", staff[username] as string)
        .execute();
    }
    for (const [name, agency] of [
      ["B1", null],
      ["B2", null],
      ["B3", null],
      ["B4", null],
      ["X1", fixture.agencyId],
    ] as const) {
      const borrowerId = await registerBorrower(
        context,
        trx,
        lenderId,
        {
          externalRef: name,
          name: `借款人${name}`,
          nationalId: testNationalId(Object.keys(cases).length + 1),
          phone: `1380013801${Object.keys(cases).length}`,
        },
        system,
      );
      borrowerOf[name] = borrowerId;
      cases[name] = crypto.randomUUID();
      await trx
        .insertInto("collection_cases")
        .values({
          id: cases[name],
          lender_id: lenderId,
          borrower_id: borrowerId,
          agency_id: agency,
          status: "new",
          opened_on: "2026-11-22",
          created_at: new Date(),
        } as never)
        .execute();
    }
    // B4 had an earlier case, worked by a2 and closed: B4 is a returning borrower.
    const earlier = crypto.randomUUID();
    await trx
      .insertInto("collection_cases")
      .values({
        id: earlier,
        lender_id: lenderId,
        borrower_id: borrowerOf.B4,
        status: "resolved",
        opened_on: "2026-08-01",
        created_at: new Date(),
        assigned_agent_id: staff.agent_a2,
      } as never)
      .execute();
    await trx
      .insertInto("case_assignments")
      .values({
        case_id: earlier,
        borrower_id: borrowerOf.B4 as string,
        agent_id: staff.agent_a2 as string,
        assigned_at: new Date("2026-08-01T02:00:00Z"),
        assigned_by: null,
        reason: "automatic",
      })
      .execute();
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

const agentOf = async (name: string) =>
  (
    await context.database.db
      .selectFrom("collection_cases")
      .select("assigned_agent_id")
      .where("id", "=", cases[name] as string)
      .executeTakeFirstOrThrow()
  ).assigned_agent_id;
const nameOf = (agentId: string | null) => Object.entries(staff).find(([, id]) => id === agentId)?.[0] ?? null;

describe("case assignment", () => {
  it("deals the open cases: the returning borrower to their agent, the rest by load, agency cases to the agency", async () => {
    const agent = await signIn("agent_a1");
    assert.equal((await agent.post("/api/cases/assign-open", {})).status, 403, "agents do not assign");
    const lead = await signIn("lead");
    const response = await lead.post("/api/cases/assign-open", {});
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { assigned: 5, unassigned: 0, requeued: 0 }, "no queues defined: every case is in the general pool");
    assert.equal(nameOf(await agentOf("B4")), "agent_a2", "returning borrower");
    assert.equal(nameOf(await agentOf("X1")), "agency_x1", "the agency's case");
    const inHouse = await Promise.all(["B1", "B2", "B3"].map(async (name) => nameOf(await agentOf(name))));
    assert.deepEqual(inHouse.sort(), ["agent_a1", "agent_a1", "agent_a2"], "a1 (capacity 2) fills up; a2 already has B4");
    const history = await context.database.db
      .selectFrom("case_assignments")
      .select(["reason"])
      .where("assigned_by", "=", staff.lead as string)
      .execute();
    assert.deepEqual(history.map((row) => row.reason).sort(), ["automatic", "automatic", "automatic", "automatic", "returning_borrower"]);
    const audit = await context.database.db.selectFrom("audit_log").select("action").where("action", "=", "cases.assigned").execute();
    assert.equal(audit.length, 1);
    assert.deepEqual(
      await lead.post("/api/cases/assign-open", {}).then((again) => again.body),
      { assigned: 0, unassigned: 0, requeued: 0 },
      "nothing left to assign",
    );
  });

  it("lets a supervisor reassign in bulk, keeps held cases, and refuses an agent from the wrong team", async () => {
    const lead = await signIn("lead");
    assert.equal((await lead.post(`/api/cases/${cases.B1}/hold`, { until: "2026-12-31", reason: "borrower negotiating with this agent" })).status, 204);
    const before = await agentOf("B1");
    const moved = await lead.post("/api/cases/reassign", { caseIds: [cases.B1, cases.B2], agentId: staff.agent_a2, note: "a1 on leave" });
    assert.equal(moved.status, 200);
    assert.deepEqual(moved.body.held, [cases.B1]);
    assert.equal(await agentOf("B1"), before, "held");
    assert.equal(nameOf(await agentOf("B2")), "agent_a2");
    const forced = await lead.post("/api/cases/reassign", { caseIds: [cases.B1], agentId: staff.agent_a2, includeHeld: true, note: null });
    assert.deepEqual(forced.body.moved, [cases.B1]);
    const wrongTeam = await lead.post("/api/cases/reassign", { caseIds: [cases.B3], agentId: staff.agency_x1 });
    assert.equal(wrongTeam.status, 400);
    assert.match(wrongTeam.body.error.message, /agent/);
    const unknown = await lead.post("/api/cases/reassign", { caseIds: [crypto.randomUUID()], agentId: staff.agent_a2 });
    assert.equal(unknown.status, 404);
    const reasons = await context.database.db.selectFrom("case_assignments").select("reason").where("reason", "=", "reassigned").execute();
    assert.equal(reasons.length, 2);
  });

  it("ends a hold with its date on the lender's calendar: at 01:00 in Shanghai yesterday's hold is over", async () => {
    const lead = await signIn("lead");
    assert.equal((await lead.post(`/api/cases/${cases.B3}/hold`, { until: "2026-11-23", reason: "跟进至今日" })).status, 204);
    // 2026-11-23T17:00Z is 01:00 on 11-24 in Shanghai, still 11-23 in UTC.
    context.clock.set(new Date("2026-11-23T17:00:00Z"));
    try {
      const later = await signIn("lead");
      const moved = await later.post("/api/cases/reassign", { caseIds: [cases.B3], agentId: staff.agent_a2, note: null });
      assert.equal(moved.status, 200);
      assert.deepEqual(moved.body, { moved: [cases.B3], held: [] });
    } finally {
      context.clock.set(new Date("2026-11-23T02:00:00Z"));
    }
  });
});
