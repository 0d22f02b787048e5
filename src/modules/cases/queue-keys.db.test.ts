// The queue's sort keys kept on each open case (overdue amount, oldest overdue day, bucket, next
// action, next promise installment) always equal what the accounts, actions and promises say:
// after the demo book is seeded, after daily closes, after a payment, a callback scheduled and
// done, and a promise recorded and then checked by the close. The queue then lists what is due.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { createApp } from "../../app.js";
import { DEMO_PASSWORD, seedDemo } from "../../demo/demo-data.js";
import type { App } from "../../platform/http/index.js";
import { TestClient } from "../../platform/testing/http-client.js";
import { createTestContext, type TestContext } from "../../platform/testing/test-context.js";
import { closeThrough } from "../close/index.js";

let context: TestContext;
let app: App;
let lenderId = "";

before(async () => {
  context = await createTestContext({ now: "2026-11-22T02:00:00Z" });
  await seedDemo(context, { borrowers: 40 });
  lenderId = (await context.database.db.selectFrom("lenders").select("id").where("code", "=", "demo").executeTakeFirstOrThrow()).id;
  ({ app } = await createApp(context, { logger: false }));
});

after(async () => {
  await app?.close();
  await context?.close();
});

interface Keys {
  id: string;
  overdue_minor: string;
  overdue_since: string | null;
  bucket: string;
  next_action_at: string | null;
  promise_due_on: string | null;
}

/** The keys as stored, and as computed from their sources now; every open case of the lender. */
async function storedAndComputed(): Promise<{ stored: Keys[]; computed: Keys[] }> {
  const db = context.database.db;
  const stored = await sql<Keys>`
    select id, overdue_minor::text, overdue_since::text, bucket, next_action_at::text, promise_due_on::text
    from collection_cases where lender_id = ${lenderId} and status not in ('resolved','closed') order by id`.execute(db);
  const computed = await sql<Keys>`
    select c.id,
      coalesce((select sum(s.overdue_minor) from loan_accounts l join account_close_state s on s.loan_id = l.id
                where l.borrower_id = c.borrower_id and l.lender_id = c.lender_id), 0)::text as overdue_minor,
      (select min(s.overdue_since) from loan_accounts l join account_close_state s on s.loan_id = l.id
        where l.borrower_id = c.borrower_id and l.lender_id = c.lender_id)::text as overdue_since,
      coalesce((select max(s.bucket) from loan_accounts l join account_close_state s on s.loan_id = l.id
                where l.borrower_id = c.borrower_id and l.lender_id = c.lender_id), 'M0') as bucket,
      (select min(a.due_at) from case_actions a where a.case_id = c.id and a.done_at is null)::text as next_action_at,
      (select min(i.due_on) from promises_to_pay p join promise_installments i on i.promise_id = p.id
        where p.case_id = c.id and p.status = 'pending' and i.status = 'pending')::text as promise_due_on
    from collection_cases c where c.lender_id = ${lenderId} and c.status not in ('resolved','closed') order by c.id`.execute(db);
  return { stored: stored.rows, computed: computed.rows };
}

async function assertKeysCurrent(when: string) {
  const { stored, computed } = await storedAndComputed();
  assert.ok(stored.length > 0, "there are open cases");
  assert.deepEqual(stored, computed, `the case keys are current ${when}`);
}

async function signIn(username: string) {
  const client = new TestClient(app);
  assert.equal((await client.login(username, DEMO_PASSWORD)).status, 200);
  return client;
}

describe("queue keys on the case", () => {
  it("stay equal to the accounts, actions and promises through closes, payments, callbacks and promises", async () => {
    await assertKeysCurrent("after the demo seed");
    await closeThrough(context, lenderId, "2026-11-21");
    await assertKeysCurrent("after the first close");
    const { stored } = await storedAndComputed();
    assert.ok(
      stored.some((row) => BigInt(row.overdue_minor) > 0n && row.bucket !== "M0"),
      "the close left overdue amounts and buckets on the cases",
    );

    // A payment on an overdue loan lowers the case's overdue amount at once (the ledger sync).
    const target = await sql<{ case_id: string; loan_id: string; agent: string; overdue_minor: string }>`
      select c.id as case_id, l.id as loan_id, u.username as agent, c.overdue_minor::text
      from collection_cases c join loan_accounts l on l.borrower_id = c.borrower_id
      join account_close_state s on s.loan_id = l.id join staff_users u on u.id = c.assigned_agent_id
      where c.lender_id = ${lenderId} and c.status not in ('resolved','closed') and s.overdue_minor > 10000 and u.agency_id is null
      order by c.id limit 1`.execute(context.database.db);
    const row = target.rows[0];
    assert.ok(row, "an assigned case with an overdue loan");
    const supervisor = await signIn("supervisor");
    const paid = await supervisor.post(`/api/loans/${row.loan_id}/payments`, { idempotencyKey: "queue-keys-1", amount: "50.00", receivedOn: "2026-11-22" });
    assert.equal(paid.status, 201, JSON.stringify(paid.body));
    await assertKeysCurrent("after a payment");
    const after = await context.database.db.selectFrom("collection_cases").select("overdue_minor").where("id", "=", row.case_id).executeTakeFirstOrThrow();
    assert.equal(BigInt(row.overdue_minor) - after.overdue_minor, 5000n, "¥50.00 less overdue on the case");

    // A callback due now puts the case first in its agent's queue; done, it no longer does.
    const agent = await signIn(row.agent);
    const callback = await agent.post(`/api/cases/${row.case_id}/actions`, { kind: "callback", dueAt: "2026-11-22T02:00:00Z", note: null });
    assert.equal(callback.status, 201);
    await assertKeysCurrent("after a callback");
    const queue = await agent.get("/api/cases/queue?limit=5");
    assert.equal(queue.body.cases[0].id, row.case_id);
    assert.equal(queue.body.cases[0].dueReason, "action_due");
    assert.equal((await agent.post(`/api/case-actions/${callback.body.id}/done`, {})).status, 204);
    await assertKeysCurrent("after the callback was done");

    // A promise: its first installment is the case's next promise date; the close checks it.
    const promise = await agent.post(`/api/cases/${row.case_id}/promises`, {
      installments: [
        { dueOn: "2026-11-23", amountMinor: "100000" },
        { dueOn: "2026-11-30", amountMinor: "100000" },
      ],
    });
    assert.equal(promise.status, 201, JSON.stringify(promise.body));
    await assertKeysCurrent("after a promise");
    assert.equal(
      (await context.database.db.selectFrom("collection_cases").select("promise_due_on").where("id", "=", row.case_id).executeTakeFirstOrThrow())
        .promise_due_on,
      "2026-11-23",
    );
    context.clock.set(new Date("2026-11-25T02:00:00Z"));
    await closeThrough(context, lenderId, "2026-11-24");
    await assertKeysCurrent("after the close broke the unpaid promise and moved the book on");
    const broken = await context.database.db
      .selectFrom("collection_cases")
      .select(["status", "promise_due_on"])
      .where("id", "=", row.case_id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(broken, { status: "promise_broken", promise_due_on: null });
  });
});
