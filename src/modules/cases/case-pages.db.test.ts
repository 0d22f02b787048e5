// The case pages the server keeps between requests never show what changed: a change to the
// case, its borrower or its viewer reaches the page as soon as its notification arrives (every
// table the page reads notifies), the viewer's own write at once; the gateway's "now" is decided
// at each request; and the page is read again when a restriction starts, on the next business
// day, or after a minute, with no write at all.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { createApp } from "../../app.js";
import { DEMO_PASSWORD, seedDemo } from "../../demo/demo-data.js";
import { CHANGES_CHANNEL, type ChangedKeys } from "../../platform/db/index.js";
import type { App } from "../../platform/http/index.js";
import { TestClient } from "../../platform/testing/http-client.js";
import { createTestContext, type TestContext } from "../../platform/testing/test-context.js";

let context: TestContext;
let app: App;
let agent1: TestClient;
let supervisor: TestClient;
let caseId = "";
let borrowerId = "";

before(async () => {
  context = await createTestContext({ now: "2026-11-22T02:00:00Z" }); // 10:00 in Shanghai
  await seedDemo(context, { borrowers: 40 });
  ({ app } = await createApp(context, { logger: false }));
  agent1 = await signIn("agent1");
  supervisor = await signIn("supervisor");
  const queue = await agent1.get("/api/cases/queue");
  assert.equal(queue.status, 200);
  const first = queue.body.cases[0] as { id: string; borrowerId: string };
  ({ id: caseId, borrowerId } = first);
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

/** The page as the browser gets it. */
type Page = any;

async function pageOf(client: TestClient, id = caseId): Promise<Page> {
  const response = await client.get(`/api/cases/${id}`);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
}

/** Reads until `check` holds: a change from elsewhere arrives by notification, within moments. */
async function eventually(check: (page: Page) => boolean, what: string, client = agent1): Promise<Page> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const page = await pageOf(client);
    if (check(page)) return page;
    if (Date.now() > deadline) assert.fail(`${what}: not seen within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Waits until the notifications of every write committed so far have been delivered: a marker
 * sent now arrives after them (PostgreSQL delivers in commit order). A page read after this is
 * kept, with no late notification of an earlier write to drop it.
 */
async function settled() {
  const marker = `test:${randomUUID()}`;
  let arrived = () => {};
  const heard = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const unsubscribe = await context.changes.subscribe((keys) => {
    if (keys === "all" || keys.includes(marker)) arrived();
  });
  try {
    await sql`select pg_notify(${CHANGES_CHANNEL}, ${marker})`.execute(context.database.db);
    await heard;
  } finally {
    await unsubscribe();
  }
}

/** A write the change feed is not told of (triggers off): only a page read afresh shows it. */
async function unannounced(statement: ReturnType<typeof sql>) {
  await context.database.db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await statement.execute(trx);
  });
}

describe("case pages kept between requests", () => {
  it("are kept: a write nobody announces shows only once the page is a minute old", async () => {
    await settled();
    const first = await pageOf(agent1);
    await unannounced(sql`update collection_cases set hold_until = '2026-11-29' where id = ${caseId}`);
    assert.equal((await pageOf(agent1)).holdUntil, first.holdUntil, "the kept page");
    context.clock.set(new Date("2026-11-22T02:01:01Z"));
    assert.equal((await pageOf(agent1)).holdUntil, "2026-11-29", "read again after a minute");
    await unannounced(sql`update collection_cases set hold_until = null where id = ${caseId}`);
    context.clock.set(new Date("2026-11-22T02:02:02Z"));
    assert.equal((await pageOf(agent1)).holdUntil, null);
  });

  it("show another user's write when it is notified, and the viewer's own at once", async () => {
    await pageOf(agent1);
    const restricted = await supervisor.post(`/api/borrowers/${borrowerId}/contact-restrictions`, { kind: "dispute_open", note: "借款人对罚息有异议" });
    assert.equal(restricted.status, 201, JSON.stringify(restricted.body));
    const seen = await eventually(
      (page) => page.restrictions.some((restriction: { id: string }) => restriction.id === restricted.body.id),
      "the supervisor's restriction",
    );
    assert.equal(seen.allowedNow.call.decision, "block", "no calls while the dispute is open");
    const ended = await supervisor.post(`/api/contact-restrictions/${restricted.body.id}/end`, {});
    assert.equal(ended.status, 204, JSON.stringify(ended.body));
    await eventually((page) => page.allowedNow.call.decision === "allow", "the restriction ended");

    const added = await agent1.post(`/api/borrowers/${borrowerId}/contacts`, {
      kind: "emergency",
      phone: "13900139077",
      relationship: "sibling",
      name: "联系人",
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const mine = await pageOf(agent1);
    assert.ok(
      mine.contacts.some((contact: { id: string }) => contact.id === added.body.contact.id),
      "the agent's own new contact, on the very next read",
    );
  });

  it("decide what a call would get at each request, from the kept facts", async () => {
    context.clock.set(new Date("2026-11-22T13:59:40Z")); // 21:59:40 in Shanghai
    const agent = await signIn("agent1");
    await settled();
    const before = await pageOf(agent);
    assert.equal(before.allowedNow.call.decision, "allow");
    await unannounced(sql`update collection_cases set hold_until = '2026-11-30' where id = ${caseId}`);
    context.clock.set(new Date("2026-11-22T14:00:10Z")); // 22:00:10: the window has closed
    const after = await pageOf(agent);
    assert.equal(after.holdUntil, before.holdUntil, "the same kept page");
    assert.equal(after.allowedNow.call.decision, "defer");
    assert.equal(after.allowedNow.call.nextAllowedAt, "2026-11-23T00:00:00.000Z", "08:00 the next morning");
    await unannounced(sql`update collection_cases set hold_until = null where id = ${caseId}`);
  });

  it("are read again when a restriction starts, and on the next business day", async () => {
    context.clock.set(new Date("2026-11-23T02:00:00Z"));
    const agent = await signIn("agent1");
    const restrictionId = randomUUID();
    try {
      await context.database.db
        .insertInto("contact_restrictions")
        .values({
          id: restrictionId,
          lender_id: (await context.database.db.selectFrom("borrowers").select("lender_id").where("id", "=", borrowerId).executeTakeFirstOrThrow()).lender_id,
          borrower_id: borrowerId,
          kind: "dispute_open",
          started_at: new Date("2026-11-23T02:00:20Z"),
          ended_at: null,
          note: null,
          recorded_by: null,
        })
        .execute();
      const page = await eventually(
        (read) => read.restrictions.some((restriction: { id: string }) => restriction.id === restrictionId),
        "the restriction to come",
        agent,
      );
      assert.equal(page.allowedNow.call.decision, "allow", "not in force yet");
      await settled();
      await pageOf(agent);
      await unannounced(sql`update collection_cases set hold_until = '2026-12-01' where id = ${caseId}`);
      assert.equal((await pageOf(agent)).holdUntil, page.holdUntil, "kept until it starts");
      context.clock.set(new Date("2026-11-23T02:00:21Z"));
      const started = await pageOf(agent);
      assert.equal(started.allowedNow.call.decision, "block", "in force now");
      assert.equal(started.holdUntil, "2026-12-01", "read again when it started, twenty seconds on");
    } finally {
      await context.database.db.deleteFrom("contact_restrictions").where("id", "=", restrictionId).execute();
      await unannounced(sql`update collection_cases set hold_until = null where id = ${caseId}`);
    }

    const kept = await pageOf(agent);
    const dpd = kept.totals.daysPastDueMax as number;
    assert.ok(dpd > 0);
    context.clock.set(new Date("2026-11-23T16:00:30Z")); // past midnight in Shanghai
    const tomorrow = await pageOf(await signIn("agent1"));
    assert.equal(tomorrow.totals.daysPastDueMax, dpd + 1, "one day further past due");
  });

  it("stay in their viewer's scope: another agent gets none, and a reassigned case leaves its agent", async () => {
    context.clock.set(new Date("2026-11-24T02:00:00Z"));
    const agent = await signIn("agent1");
    const agent2 = await signIn("agent2");
    const supervisor = await signIn("supervisor");
    await pageOf(agent);
    assert.equal((await agent2.get(`/api/cases/${caseId}`)).status, 404);
    const agent2Id = (await agent2.get("/api/auth/me")).body.user.id as string;
    const reassigned = await supervisor.post("/api/cases/reassign", { caseIds: [caseId], agentId: agent2Id });
    assert.equal(reassigned.status, 200, JSON.stringify(reassigned.body));
    const deadline = Date.now() + 5_000;
    while ((await agent.get(`/api/cases/${caseId}`)).status !== 404) {
      if (Date.now() > deadline) assert.fail("the reassigned case was still shown to its old agent");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal((await agent2.get(`/api/cases/${caseId}`)).status, 200);
  });

  it("hear of every table the page reads: each write notifies the borrower, the case, the viewer or everyone", async () => {
    const { db } = context.database;
    const heard: ChangedKeys[] = [];
    const unsubscribe = await context.changes.subscribe((keys) => heard.push(keys));
    const loan = await db.selectFrom("loan_accounts").select(["id", "lender_id", "currency"]).where("borrower_id", "=", borrowerId).executeTakeFirstOrThrow();
    const staff = await db.selectFrom("staff_users").select(["id"]).where("username", "=", "agent2").executeTakeFirstOrThrow();
    const paymentId = randomUUID();
    const promiseId = randomUUID();
    const writes: [string, ReturnType<typeof sql>, string][] = [
      ["case", sql`update collection_cases set hold_until = null where id = ${caseId}`, `c:${caseId}`],
      ["close state", sql`update account_close_state set overdue_minor = overdue_minor where borrower_id = ${borrowerId}`, `b:${borrowerId}`],
      ["loan", sql`update loan_accounts set status = status where borrower_id = ${borrowerId}`, `b:${borrowerId}`],
      ["installments", sql`update loan_installments set due_date = due_date where loan_id = ${loan.id}`, `b:${borrowerId}`],
      [
        "payment",
        sql`insert into payments (id, lender_id, loan_id, idempotency_key, payload_hash, amount_minor, currency, received_on, source, recorded_at)
            values (${paymentId}, ${loan.lender_id}, ${loan.id}, ${`test-${paymentId}`}, 'x', 100, ${loan.currency}, '2026-11-24', 'test', now())`,
        `b:${borrowerId}`,
      ],
      [
        "reversal",
        sql`insert into payment_reversals (payment_id, reason_code, note, reversed_on, recorded_at, actor_id)
            values (${paymentId}, 'bounced', null, '2026-11-24', now(), null)`,
        `b:${borrowerId}`,
      ],
      [
        "promise",
        sql`insert into promises_to_pay (id, lender_id, borrower_id, case_id, promised_on, status, created_at)
            values (${promiseId}, ${loan.lender_id}, ${borrowerId}, ${caseId}, '2026-11-24', 'pending', now())`,
        `b:${borrowerId}`,
      ],
      [
        "promise installment",
        sql`insert into promise_installments (promise_id, installment_no, due_on, amount_minor) values (${promiseId}, 1, '2026-11-30', 100)`,
        `b:${borrowerId}`,
      ],
      [
        "contact",
        sql`insert into borrower_contacts (id, lender_id, borrower_id, kind, phone_enc, phone_index, phone_masked, source, created_at)
            values (${randomUUID()}, ${loan.lender_id}, ${borrowerId}, 'other', 'x', ${randomUUID()}, '139****0000', 'agent', now())`,
        `b:${borrowerId}`,
      ],
      ["contact updated", sql`update borrower_contacts set verification = verification where borrower_id = ${borrowerId}`, `b:${borrowerId}`],
      [
        "address",
        sql`insert into borrower_addresses (id, lender_id, borrower_id, kind, address_enc, address_masked, source, created_at)
            values (${randomUUID()}, ${loan.lender_id}, ${borrowerId}, 'home', 'x', '北京市***', 'agent', now())`,
        `b:${borrowerId}`,
      ],
      [
        "consent",
        sql`insert into contact_consents (id, lender_id, borrower_id, contact_id, channel, given_at, valid_from)
            values (${randomUUID()}, ${loan.lender_id}, ${borrowerId}, null, 'sms', now(), now())`,
        `b:${borrowerId}`,
      ],
      [
        "preference",
        sql`insert into contact_preferences (id, lender_id, borrower_id, contact_id, time_zones, opt_outs, inconvenient_times, updated_at)
            values (${randomUUID()}, ${loan.lender_id}, ${borrowerId}, null, '{}', '{}', '[]', now())`,
        `b:${borrowerId}`,
      ],
      ["attempts deleted", sql`delete from contact_attempts where borrower_id = ${borrowerId}`, `b:${borrowerId}`],
      [
        "many loans",
        sql`insert into loan_accounts (id, lender_id, borrower_id, product_id, external_ref, principal_minor, currency, opened_on, status, created_at)
            select gen_random_uuid(), l.lender_id, l.borrower_id, l.product_id, 'bulk-' || n, l.principal_minor, l.currency, l.opened_on, l.status, now()
            from loan_accounts l, generate_series(1, 501) n where l.id = ${loan.id}`,
        `b:${borrowerId}`,
      ],
      [
        "many close states",
        sql`insert into account_close_state (loan_id, lender_id, borrower_id, product_id, facts, state, state_on, next_event_on, overdue_since, dpd,
                                             bucket, status, overdue_minor, outstanding_minor)
            select l.id, s.lender_id, s.borrower_id, s.product_id, s.facts, s.state, s.state_on, s.next_event_on, s.overdue_since, s.dpd,
                   s.bucket, s.status, s.overdue_minor, s.outstanding_minor
            from loan_accounts l, account_close_state s where l.external_ref like 'bulk-%' and s.loan_id = ${loan.id}`,
        `d:${loan.lender_id}`,
      ],
      ["a close partition", sql`update account_close_state set dpd = dpd where lender_id = ${loan.lender_id}`, `d:${loan.lender_id}`],
      ["one close state", sql`update account_close_state set dpd = dpd where loan_id = ${loan.id}`, `b:${borrowerId}`],
      ["training", sql`update staff_users set training_completed_on = '2026-11-01' where id = ${staff.id}`, `u:${staff.id}`],
      ["product name", sql`update products set name_en = name_en || ' ' where id = (select product_id from loan_accounts where id = ${loan.id})`, "*"],
      ["lender zone", sql`update lenders set name_en = name_en || ' ' where id = ${loan.lender_id}`, "*"],
      ["username", sql`update staff_users set username = 'agent2b' where id = ${staff.id}`, "*"],
    ];
    try {
      for (const [what, statement, key] of writes) {
        heard.length = 0;
        await statement.execute(db);
        const deadline = Date.now() + 5_000;
        while (!heard.some((keys) => (key === "*" ? keys === "all" : keys !== "all" && keys.includes(key)))) {
          if (Date.now() > deadline) assert.fail(`${what}: ${key} not notified (heard ${JSON.stringify(heard)})`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        if (key.startsWith("d:")) {
          const borrowerKeys = heard.flatMap((keys) => (keys === "all" ? [] : keys.filter((one) => one.startsWith("b:"))));
          assert.deepEqual(borrowerKeys, [], `${what}: the lender's key instead of a key per borrower`);
        }
      }
    } finally {
      await sql`delete from account_close_state where loan_id in (select id from loan_accounts where external_ref like 'bulk-%')`.execute(db);
      await sql`delete from loan_accounts where external_ref like 'bulk-%'`.execute(db);
      await sql`update staff_users set username = 'agent2' where id = ${staff.id}`.execute(db);
      await unsubscribe();
    }
  });
});
