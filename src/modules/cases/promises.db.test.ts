// Promises to pay end to end: an agent records one on their case, payments arrive (or not),
// and the daily close marks each promise kept or broken on its date, moves the case, records
// the event, and the promise-kept rate per agent follows.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createApp } from "../../app.js";
import type { App } from "../../platform/http/index.js";
import { insertLender, TEST_PASSWORD, testNationalId } from "../../platform/testing/fixtures.js";
import { TestClient } from "../../platform/testing/http-client.js";
import { createTestContext, type TestContext } from "../../platform/testing/test-context.js";
import { registerBorrower } from "../borrowers/index.js";
import { closeThrough } from "../close/index.js";
import { addStaffUser } from "../identity/index.js";
import { addProduct, openLoan, recordPayment } from "../loans/index.js";

let context: TestContext;
let app: App;
let lenderId = "";
const borrowers: { id: string; loanId: string; caseId: string }[] = [];
const system = { actorType: "system" as const, actorId: null };

before(async () => {
  context = await createTestContext({ now: "2026-11-23T02:00:00Z" });
  ({ lenderId } = await insertLender(context));
  await context.database.db.transaction().execute(async (trx) => {
    const agent = await addStaffUser(context, trx, { lenderId, username: "agent1", displayName: "agent1", password: TEST_PASSWORD, roles: ["agent"] }, system);
    await addStaffUser(context, trx, { lenderId, username: "agent2", displayName: "agent2", password: TEST_PASSWORD, roles: ["agent"] }, system);
    await addStaffUser(context, trx, { lenderId, username: "supervisor", displayName: "supervisor", password: TEST_PASSWORD, roles: ["supervisor"] }, system);
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
    for (const index of [1, 2, 3]) {
      const borrowerId = await registerBorrower(
        context,
        trx,
        lenderId,
        { externalRef: `B${index}`, name: `借款人${index}`, nationalId: testNationalId(index), phone: `1380013800${index}` },
        system,
      );
      const loanId = await openLoan(
        context,
        trx,
        { lenderId, borrowerId, productId, externalRef: `L${index}`, principalMinor: 600_000n, openedOn: "2026-09-15" },
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
          created_at: new Date(),
          assigned_agent_id: agent.id,
        } as never)
        .execute();
      borrowers.push({ id: borrowerId, loanId, caseId });
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

const pay = (loanId: string, receivedOn: string, amountMinor: bigint) =>
  recordPayment(context, context.database.db, {
    lenderId,
    loanId,
    idempotencyKey: `${loanId}:${receivedOn}`,
    amountMinor,
    currency: "CNY",
    receivedOn,
    source: "test",
  });

describe("promises to pay", () => {
  it("records a promise on the agent's own case, refusing a bad one by field and another agent outright", async () => {
    const agent = await signIn("agent1");
    const [first, second, third] = borrowers as [(typeof borrowers)[0], (typeof borrowers)[0], (typeof borrowers)[0]];
    const bad = await agent.post(`/api/cases/${first.caseId}/promises`, { installments: [{ dueOn: "2026-11-22", amountMinor: "50000" }] });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /installments\[0\]\.dueOn/);
    const other = await signIn("agent2");
    assert.equal((await other.post(`/api/cases/${first.caseId}/promises`, { installments: [{ dueOn: "2026-11-25", amountMinor: "50000" }] })).status, 404);

    // Borrower 1 promises 500.00 by 11-25; borrower 2 the same; borrower 3 two installments.
    for (const [borrower, installments] of [
      [first, [{ dueOn: "2026-11-25", amountMinor: "50000" }]],
      [second, [{ dueOn: "2026-11-25", amountMinor: "50000" }]],
      [
        third,
        [
          { dueOn: "2026-11-24", amountMinor: "30000" },
          { dueOn: "2026-11-26", amountMinor: "30000" },
        ],
      ],
    ] as const) {
      const made = await agent.post(`/api/cases/${borrower.caseId}/promises`, { installments, loanId: borrower.loanId });
      assert.equal(made.status, 201);
    }
    const cases = await context.database.db.selectFrom("collection_cases").select("status").where("lender_id", "=", lenderId).execute();
    assert.deepEqual([...new Set(cases.map((row) => row.status))], ["promised"]);
  });

  it("marks promises kept or broken on their dates in the close, with events and case statuses", async () => {
    const [first, second, third] = borrowers as [(typeof borrowers)[0], (typeof borrowers)[0], (typeof borrowers)[0]];
    await pay(first.loanId, "2026-11-24", 49_950n); // 0.50 short: inside the default 1.00 tolerance
    await pay(second.loanId, "2026-11-26", 50_000n); // a day late
    await pay(third.loanId, "2026-11-23", 30_000n); // first installment on time, nothing for the second

    await closeThrough(context, lenderId, "2026-11-22"); // the lender's first close: only that date
    const [d23, d24, d25, d26] = await closeThrough(context, lenderId, "2026-11-26");
    assert.equal(d23?.totals.promiseInstallmentsChecked, 0);
    assert.deepEqual(
      [d24?.totals.promisesKept, d24?.totals.promisesBroken, d24?.totals.promiseInstallmentsChecked],
      [0, 0, 1],
      "11-24: borrower 3's first installment kept",
    );
    assert.deepEqual([d25?.totals.promisesKept, d25?.totals.promisesBroken], [1, 1], "11-25: borrower 1 kept, borrower 2 broken");
    assert.deepEqual([d26?.totals.promisesKept, d26?.totals.promisesBroken], [0, 1], "11-26: borrower 3's second installment broken");

    const supervisor = await signIn("supervisor");
    const statusOf = async (borrowerId: string) => (await supervisor.get(`/api/borrowers/${borrowerId}/promises`)).body.promises[0];
    const kept = await statusOf(first.id);
    assert.equal(kept.status, "kept");
    assert.equal(kept.installments[0].paidMinor, "49950");
    assert.equal((await statusOf(second.id)).status, "broken");
    const twoStep = await statusOf(third.id);
    assert.equal(twoStep.status, "broken");
    assert.deepEqual(
      twoStep.installments.map((installment: { status: string; paidMinor: string }) => [installment.status, installment.paidMinor]),
      [
        ["kept", "30000"],
        ["broken", "30000"],
      ],
    );

    const caseStatus = async (caseId: string) =>
      (await context.database.db.selectFrom("collection_cases").select("status").where("id", "=", caseId).executeTakeFirstOrThrow()).status;
    assert.equal(await caseStatus(first.caseId), "in_progress");
    assert.equal(await caseStatus(second.caseId), "promise_broken");
    const events = await context.database.db
      .selectFrom("account_events")
      .select(["borrower_id", "kind", "business_date"])
      .where("kind", "in", ["promise_kept", "promise_broken"])
      .orderBy("business_date")
      .orderBy("kind")
      .execute();
    assert.deepEqual(
      events.map((event) => [borrowers.findIndex((borrower) => borrower.id === event.borrower_id) + 1, event.kind, event.business_date]),
      [
        [2, "promise_broken", "2026-11-25"],
        [1, "promise_kept", "2026-11-25"],
        [3, "promise_broken", "2026-11-26"],
      ],
    );
  });

  it("checks nothing twice when a date is closed again", async () => {
    const runs = await closeThrough(context, lenderId, "2026-11-26");
    assert.equal(runs.at(-1)?.alreadyClosed, true);
    const events = await context.database.db.selectFrom("account_events").select("id").where("kind", "in", ["promise_kept", "promise_broken"]).execute();
    assert.equal(events.length, 3);
  });

  it("reports the promise-kept rate per agent", async () => {
    context.clock.set(new Date("2026-11-27T02:00:00Z"));
    const supervisor = await signIn("supervisor");
    const report = await supervisor.get("/api/reports/promise-kept-rate?from=2026-11-01&to=2026-11-30");
    assert.equal(report.status, 200);
    assert.deepEqual(
      report.body.agents.map((row: { agent: string; made: number; kept: number; broken: number; keptRate: number }) => [
        row.agent,
        row.made,
        row.kept,
        row.broken,
        row.keptRate,
      ]),
      [["agent1", 3, 1, 2, 0.333]],
    );
    const bad = await supervisor.get("/api/reports/promise-kept-rate?from=2026-13-01");
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /from/);
  });

  it("shows the agent the case as they work it: accounts, promises, timeline and what a call would get now", async () => {
    context.clock.set(new Date("2026-11-27T14:30:00Z")); // 22:30 in Shanghai
    const agent = await signIn("agent1");
    const [, second] = borrowers as [(typeof borrowers)[0], (typeof borrowers)[0]];
    const detail = await agent.get(`/api/cases/${second.caseId}`);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.status, "promise_broken");
    assert.equal(detail.body.borrower.phone, "138****8002", "masked for an agent");
    assert.equal(detail.body.accounts.length, 1);
    assert.equal(detail.body.accounts[0].externalRef, "L2");
    assert.ok(detail.body.accounts[0].daysPastDue > 0, "overdue since 10-15");
    assert.equal(detail.body.totals.overdueMinor, detail.body.accounts[0].overdueMinor);
    assert.equal(detail.body.promises[0].status, "broken");
    assert.equal(detail.body.allowedNow.call.decision, "defer", "22:30 is outside the window");
    assert.equal(detail.body.allowedNow.call.nextAllowedAt, "2026-11-28T00:00:00.000Z");
    const other = await signIn("agent2");
    assert.equal((await other.get(`/api/cases/${second.caseId}`)).status, 404);
  });

  it("orders the agent's queue by what is due: a callback whose time has come, then broken promises, then the most overdue", async () => {
    context.clock.set(new Date("2026-11-28T02:00:00Z"));
    const agent = await signIn("agent1");
    const [first, second, third] = borrowers as [(typeof borrowers)[0], (typeof borrowers)[0], (typeof borrowers)[0]];
    const before = await agent.get("/api/cases/queue");
    assert.equal(before.status, 200);
    assert.deepEqual(
      before.body.cases.map((item: { id: string; dueReason: string }) => [item.id, item.dueReason]).slice(2),
      [[first.caseId, "overdue"]],
      "the kept promise's case comes after the two broken ones",
    );
    const late = await agent.post(`/api/cases/${first.caseId}/actions`, { kind: "callback", dueAt: "2026-11-27T00:00:00Z" });
    assert.equal(late.status, 400, "a callback in the past");
    const callback = await agent.post(`/api/cases/${first.caseId}/actions`, { kind: "callback", dueAt: "2026-11-28T03:00:00Z", note: "借款人要求午后回电" });
    assert.equal(callback.status, 201);
    context.clock.set(new Date("2026-11-28T03:30:00Z"));
    const after = await (await signIn("agent1")).get("/api/cases/queue");
    const first3 = after.body.cases.map((item: { id: string; dueReason: string }) => [item.id, item.dueReason]);
    assert.deepEqual(first3[0], [first.caseId, "action_due"]);
    assert.deepEqual(
      first3.slice(1).map((item: [string, string]) => item[1]),
      ["promise_broken", "promise_broken"],
    );
    assert.ok([second.caseId, third.caseId].includes(first3[1][0]));
    assert.equal(after.body.cases[0].nextActionKind, "callback");
    assert.ok(BigInt(after.body.cases[1].overdueMinor) > 0n);
    const detail = await (await signIn("agent1")).get(`/api/cases/${first.caseId}`);
    assert.deepEqual(
      detail.body.actions.map((action: { kind: string; note: string; doneAt: string | null }) => [action.kind, action.note, action.doneAt]),
      [["callback", "借款人要求午后回电", null]],
    );
    const done = await (await signIn("agent1")).post(`/api/case-actions/${callback.body.id}/done`, {});
    assert.equal(done.status, 204);
    assert.notEqual((await (await signIn("agent1")).get(`/api/cases/${first.caseId}`)).body.actions[0].doneAt, null);
    const other = await signIn("agent2");
    assert.deepEqual((await other.get("/api/cases/queue")).body.cases, [], "agent2 has no cases");
  });
});
