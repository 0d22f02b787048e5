// The queue pages the server keeps between requests never show what changed: another user's
// write reaches the page as soon as its notification arrives, the viewer's own write at once, a
// write from outside the server as well, and the clock moves the order on its own (a callback
// falling due, the next business day). While the change feed is cut off nothing is kept.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { createApp } from "../../app.js";
import { DEMO_PASSWORD, seedDemo } from "../../demo/demo-data.js";
import type { App } from "../../platform/http/index.js";
import { TestClient } from "../../platform/testing/http-client.js";
import { createTestContext, type TestContext, testEngine } from "../../platform/testing/test-context.js";

let context: TestContext;
let app: App;

before(async () => {
  context = await createTestContext({ now: "2026-11-22T02:00:00Z" });
  await seedDemo(context, { borrowers: 40 });
  ({ app } = await createApp(context, { logger: false }));
});

after(async () => {
  await app?.close();
  await context?.close();
});

interface Item {
  id: string;
  dueReason: string;
  daysPastDueMax: number;
  nextActionKind: string | null;
  currency: string;
}

async function signIn(username: string) {
  const client = new TestClient(app);
  assert.equal((await client.login(username, DEMO_PASSWORD)).status, 200);
  return client;
}

async function queueOf(client: TestClient): Promise<Item[]> {
  const response = await client.get("/api/cases/queue");
  assert.equal(response.status, 200);
  return response.body.cases as Item[];
}

/** Reads until `check` holds: a change from elsewhere arrives by notification, within moments. */
async function eventually(read: () => Promise<Item[]>, check: (items: Item[]) => boolean, what: string): Promise<Item[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const items = await read();
    if (check(items)) return items;
    if (Date.now() > deadline) assert.fail(`${what}: not seen within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("queue pages kept between requests", () => {
  it("show another user's reassignment, the viewer's own callback at once, and a write from outside the server", async () => {
    const agent1 = await signIn("agent1");
    const agent2 = await signIn("agent2");
    const supervisor = await signIn("supervisor");
    const first = await queueOf(agent1);
    assert.ok(first.length >= 3, "agent1 has cases");
    assert.deepEqual(await queueOf(agent1), first, "read again, the same page");

    const moved = first[0] as Item;
    const reassigned = await supervisor.post("/api/cases/reassign", { caseIds: [moved.id], agentId: (await agent2.get("/api/auth/me")).body.user.id });
    assert.equal(reassigned.status, 200, JSON.stringify(reassigned.body));
    await eventually(
      () => queueOf(agent1),
      (items) => !items.some((item) => item.id === moved.id),
      "the case leaves agent1's queue",
    );
    assert.ok(
      (await queueOf(agent2)).some((item) => item.id === moved.id),
      "and is in agent2's",
    );

    // The viewer's own write: no waiting.
    const target = (await queueOf(agent1)).find((item) => item.dueReason !== "action_due") as Item;
    const callback = await agent1.post(`/api/cases/${target.id}/actions`, { kind: "callback", dueAt: "2026-11-22T02:00:00Z", note: null });
    assert.equal(callback.status, 201);
    const mine = await queueOf(agent1);
    assert.deepEqual([mine[0]?.id, mine[0]?.dueReason, mine[0]?.nextActionKind], [target.id, "action_due", "callback"]);

    // Another process's write, straight into the database.
    const later = mine.find((item) => item.dueReason !== "action_due") as Item;
    await context.database.db
      .insertInto("case_actions")
      .values({
        id: randomUUID(),
        case_id: later.id,
        kind: "visit",
        due_at: new Date("2026-11-22T01:00:00Z"),
        note: null,
        created_by: null,
        created_at: new Date("2026-11-22T01:00:00Z"),
        done_at: null,
        done_by: null,
      })
      .execute();
    const seen = await eventually(
      () => queueOf(agent1),
      (items) => items[0]?.id === later.id,
      "the visit due an hour ago goes first",
    );
    assert.equal(seen[0]?.nextActionKind, "visit");

    if (testEngine === "postgres") {
      // The listening connection dropped: pages are no longer kept, and a change is seen on the
      // next read, until the feed listens again.
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query like 'listen %'`.execute(
        context.database.db,
      );
      await eventually(
        async () => (context.changes.live ? [] : [later]),
        (items) => items.length > 0,
        "the feed notices the dropped connection",
      );
      await queueOf(agent1);
      await sql`update case_actions set done_at = ${new Date("2026-11-22T01:30:00Z")} where case_id = ${later.id} and kind = 'visit'`.execute(
        context.database.db,
      );
      assert.notEqual((await queueOf(agent1))[0]?.id, later.id, "the done visit no longer puts the case first");
      await eventually(
        async () => (context.changes.live ? [later] : []),
        (items) => items.length > 0,
        "the feed listens again",
      );
    }
  });

  it("move with the clock: a callback falling due, and DPD on the next business day", async () => {
    context.clock.set(new Date("2026-11-22T03:00:00Z"));
    const agent1 = await signIn("agent1");
    const before = await queueOf(agent1);
    const target = before.find((item) => item.dueReason === "overdue") as Item;
    assert.ok(target, "a case with nothing due but its arrears");
    const callback = await agent1.post(`/api/cases/${target.id}/actions`, { kind: "callback", dueAt: "2026-11-22T03:10:00Z", note: "十分钟后回电" });
    assert.equal(callback.status, 201);
    const scheduled = (await queueOf(agent1)).find((item) => item.id === target.id);
    assert.equal(scheduled?.dueReason, "overdue", "not due yet");
    assert.equal((await queueOf(agent1)).find((item) => item.id === target.id)?.dueReason, "overdue", "still not, read again");

    context.clock.set(new Date("2026-11-22T03:10:00Z"));
    const due = await queueOf(agent1);
    assert.equal(due.find((item) => item.id === target.id)?.dueReason, "action_due", "due now, with no write in between");

    const dpd = new Map(due.map((item) => [item.id, item.daysPastDueMax]));
    context.clock.set(new Date("2026-11-22T16:00:00Z")); // midnight in Shanghai; the session has expired
    const tomorrow = await queueOf(await signIn("agent1"));
    const moved = tomorrow.filter((item) => (dpd.get(item.id) ?? 0) > 0);
    assert.ok(moved.length > 0);
    for (const item of moved) assert.equal(item.daysPastDueMax, (dpd.get(item.id) as number) + 1, `case ${item.id} one day further past due`);
  });

  it("carry the lender's currency with each amount, and follow a change to it", async () => {
    const agent = await signIn("agent1");
    const before = await queueOf(agent);
    assert.ok(before.length > 0);
    assert.deepEqual([...new Set(before.map((item) => item.currency))], ["CNY"]);
    await sql`update lenders set currency = 'USD' where code = 'demo'`.execute(context.database.db);
    try {
      const after = await eventually(
        () => queueOf(agent),
        (items) => items.every((item) => item.currency === "USD"),
        "the lender's new currency",
      );
      assert.equal(after.length, before.length);
    } finally {
      await sql`update lenders set currency = 'CNY' where code = 'demo'`.execute(context.database.db);
    }
  });
});
