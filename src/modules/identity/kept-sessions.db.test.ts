// The server keeps the sessions it resolved, but a session never outlives what ends it: signing
// out ends it at once; a user deactivated or given other roles by anyone, even from outside the
// server, loses the old access as soon as the database's notification arrives.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createApp } from "../../app.js";
import { DEMO_PASSWORD, seedDemo } from "../../demo/demo-data.js";
import type { App } from "../../platform/http/index.js";
import { TestClient, type TestResponse } from "../../platform/testing/http-client.js";
import { createTestContext, type TestContext } from "../../platform/testing/test-context.js";

let context: TestContext;
let app: App;

before(async () => {
  context = await createTestContext({ now: "2026-11-22T02:00:00Z" });
  await seedDemo(context, { borrowers: 10 });
  ({ app } = await createApp(context, { logger: false }));
});

after(async () => {
  await app?.close();
  await context?.close();
});

async function signIn(username: string) {
  const client = new TestClient(app);
  assert.equal((await client.login(username, DEMO_PASSWORD)).status, 200);
  return client;
}

async function eventually(read: () => Promise<TestResponse>, status: number, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    if ((await read()).status === status) return;
    if (Date.now() > deadline) assert.fail(`${what}: no ${status} within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("sessions kept between requests", () => {
  it("end at once on sign-out", async () => {
    const agent = await signIn("agent1");
    assert.equal((await agent.get("/api/auth/me")).status, 200);
    assert.equal((await agent.get("/api/auth/me")).status, 200);
    assert.equal((await agent.post("/api/auth/logout")).status, 204);
    assert.equal((await agent.get("/api/cases/queue")).status, 401);
  });

  it("lose access when the user is deactivated or their roles change outside the server", async () => {
    const db = context.database.db;
    const agent = await signIn("agent2");
    assert.equal((await agent.get("/api/cases/queue")).status, 200);
    await db
      .updateTable("staff_users")
      .set({ roles: ["compliance"] })
      .where("username", "=", "agent2")
      .execute();
    // Compliance reads cases but makes no contacts: the old role's permission is gone.
    await eventually(
      () => agent.post("/api/cases/00000000-0000-4000-8000-000000000000/actions", { kind: "callback", dueAt: "2026-11-22T03:00:00Z", note: null }),
      403,
      "the agent role's permission",
    );
    await db.updateTable("staff_users").set({ is_active: false }).where("username", "=", "agent2").execute();
    await eventually(() => agent.get("/api/auth/me"), 401, "the deactivated user's session");
    await db
      .updateTable("staff_users")
      .set({ is_active: true, roles: ["agent"] })
      .where("username", "=", "agent2")
      .execute();
  });

  it("end when the session row is deleted by another server", async () => {
    const agent = await signIn("supervisor");
    assert.equal((await agent.get("/api/auth/me")).status, 200);
    const user = await context.database.db.selectFrom("staff_users").select("id").where("username", "=", "supervisor").executeTakeFirstOrThrow();
    await context.database.db.deleteFrom("sessions").where("subject_id", "=", user.id).execute();
    await eventually(() => agent.get("/api/auth/me"), 401, "the deleted session");
  });
});
