// The supervisor's team board (团队看板): per agent, the cases they hold against capacity and the
// day's work — contacts, connected, right-party contacts, promises made, due, kept and broken,
// and the amount recovered to the cent — in the lender's business day; an agency supervisor
// sees only the agency; agents are refused; a supervisor lists an agent's cases and moves one.
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
let agencyId = "";
const staff: Record<string, string> = {};
const borrowerOf: Record<string, string> = {};
const loanOf: Record<string, string> = {};
const caseOf: Record<string, string> = {};
const system = { actorType: "system" as const, actorId: null };
// Asia/Shanghai is UTC+8: 02:00Z is 10:00 there.
const at = (shanghai: string) => new Date(`${shanghai}+08:00`);

interface BoardRow {
  username: string;
  agentId: string;
  openCases: number;
  capacity: number;
  loadPercent: number | null;
  heldCases: number;
  contactAttempts: number;
  connected: number;
  rightPartyContacts: number;
  promisesMade: number;
  promisesDue: number;
  promisedDueMinor: string;
  promisesKept: number;
  promisesBroken: number;
  paymentsRecovered: number;
  recoveredMinor: string;
}

async function insertCase(name: string, agentId: string | null, agency: string | null, holdUntil: string | null = null) {
  caseOf[name] = crypto.randomUUID();
  await context.database.db
    .insertInto("collection_cases")
    .values({
      id: caseOf[name],
      lender_id: lenderId,
      borrower_id: borrowerOf[name],
      agency_id: agency,
      assigned_agent_id: agentId,
      status: "new",
      opened_on: "2026-10-16",
      hold_until: holdUntil,
      created_at: new Date(),
    } as never)
    .execute();
}

before(async () => {
  context = await createTestContext({ now: "2026-11-20T02:00:00Z" });
  const fixture = await insertLender(context);
  ({ lenderId, agencyId } = fixture);
  await context.database.db.transaction().execute(async (trx) => {
    for (const [username, roles, agency, capacity] of [
      ["agent_a", ["agent"], null, 4],
      ["agent_b", ["agent"], null, 10],
      ["agency_x", ["agent"], fixture.agencyId, 5],
      ["lead", ["supervisor"], null, 0],
      ["agency_lead", ["supervisor"], fixture.agencyId, 0],
      ["admin", ["admin"], null, 0],
    ] as const) {
      staff[username] = (
        await addStaffUser(context, trx, { lenderId, agencyId: agency, username, displayName: username, password: TEST_PASSWORD, roles: [...roles] }, system)
      ).id;
      await trx
        .updateTable("staff_users")
        .set({ case_capacity: capacity, training_completed_on: "2026-06-01" })
        .where("id", "=", staff[username] as string)
        .execute();
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
    // B4 and X2 have no loan: the close would otherwise open and deal their cases.
    for (const [index, name] of ["B1", "B2", "B3", "B5", "X1", "B4", "X2"].entries()) {
      borrowerOf[name] = await registerBorrower(
        context,
        trx,
        lenderId,
        { externalRef: name, name: `借款人${name}`, nationalId: testNationalId(index + 1), phone: `1380013800${index}` },
        system,
      );
      if (name === "B4" || name === "X2") continue;
      loanOf[name] = await openLoan(
        context,
        trx,
        { lenderId, borrowerId: borrowerOf[name] as string, productId, externalRef: `L-${name}`, principalMinor: 600_000n, openedOn: "2026-09-15" },
        system,
      );
    }
  });
  await insertCase("B1", staff.agent_a as string, null);
  await insertCase("B2", staff.agent_a as string, null);
  await insertCase("B5", staff.agent_a as string, null, "2026-12-31");
  await insertCase("B3", staff.agent_b as string, null);
  await insertCase("X1", staff.agency_x as string, agencyId);
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

async function pay(name: string, receivedOn: string, amountMinor: bigint, key = `${name}:${receivedOn}`): Promise<string> {
  return recordPayment(context, context.database.db, {
    lenderId,
    loanId: loanOf[name] as string,
    idempotencyKey: key,
    amountMinor,
    currency: "CNY",
    receivedOn,
    source: "test",
  });
}

async function call(client: TestClient, name: string, resultCode: string, rightPartyContact: boolean) {
  const attempt = await client.post("/api/contact-attempts", { borrowerId: borrowerOf[name], channel: "call" });
  assert.equal(attempt.body.status, "in_progress", JSON.stringify(attempt.body));
  const logged = await client.patch(`/api/contact-attempts/${attempt.body.attemptId}`, { resultCode, rightPartyContact });
  assert.equal(logged.status, 204, JSON.stringify(logged.body));
}

const rowOf = (board: { agents: BoardRow[] }, username: string) => {
  const row = board.agents.find((agent) => agent.username === username);
  assert.ok(row, `${username} on the board`);
  return row;
};

describe("team board", () => {
  before(async () => {
    // 11-20: promises due on 11-23, one each for agent_a (B2, 300.00) and agent_b (B3, 200.00).
    const agentA = await signIn("agent_a");
    const agentB = await signIn("agent_b");
    assert.equal((await agentA.post(`/api/cases/${caseOf.B2}/promises`, { installments: [{ dueOn: "2026-11-23", amountMinor: "30000" }] })).status, 201);
    assert.equal((await agentB.post(`/api/cases/${caseOf.B3}/promises`, { installments: [{ dueOn: "2026-11-23", amountMinor: "20000" }] })).status, 201);

    // 11-22, 21:00 in Shanghai: a call of the day before, which the 11-23 board leaves out.
    context.clock.set(at("2026-11-22T21:00:00"));
    await call(await signIn("agent_a"), "B1", "no_answer", false);
    await pay("B5", "2026-11-22", 99_999n);

    // 11-23, the board's day.
    context.clock.set(at("2026-11-23T10:00:00"));
    const a = await signIn("agent_a");
    await call(a, "B1", "connected", true);
    await call(a, "B2", "no_answer", false);
    const sms = await a.post("/api/contact-attempts", {
      borrowerId: borrowerOf.B2,
      channel: "sms",
      text: "【测试消费金融】您好，您的借款已逾期，请尽快还款。",
    });
    assert.equal(sms.body.status, "sent");
    const threat = await a.post("/api/contact-attempts", {
      borrowerId: borrowerOf.B1,
      channel: "sms",
      text: "【测试消费金融】您的借款已严重逾期，今天再不还款就通知你单位。",
    });
    assert.equal(threat.body.status, "blocked", "a blocked attempt is no contact made");
    const promised = await a.post(`/api/cases/${caseOf.B1}/promises`, { installments: [{ dueOn: "2026-11-25", amountMinor: "50000" }] });
    assert.equal(promised.status, 201);
    await call(await signIn("agent_b"), "B3", "wrong_person", false);
    // The borrower called agent_b back at 01:00 Shanghai time on 11-23, still 11-22 in UTC.
    await context.database.db
      .insertInto("contact_attempts")
      .values({
        id: crypto.randomUUID(),
        lender_id: lenderId,
        borrower_id: borrowerOf.B3 as string,
        person_role: "borrower",
        channel: "call",
        direction: "inbound",
        at: at("2026-11-23T01:00:00"),
        status: "completed",
        outcome: "conversation",
        result_code: "connected",
        right_party_contact: true,
        agent_id: staff.agent_b as string,
        created_at: at("2026-11-23T01:00:00"),
      } as never)
      .execute();

    await pay("B1", "2026-11-23", 12_345n);
    await pay("B2", "2026-11-23", 30_000n);
    const returned = await pay("B2", "2026-11-23", 5_000n, "B2:returned");
    await pay("X1", "2026-11-23", 8_888n);
    const admin = await signIn("admin");
    const reversed = await admin.post(`/api/payments/${returned}/reverse`, { reasonCode: "returned", note: "bank returned it" });
    assert.equal(reversed.status, 200, JSON.stringify(reversed.body));

    // The close checks the promises due on 11-23: B2's is kept, B3's broken.
    await closeThrough(context, lenderId, "2026-11-22");
    await closeThrough(context, lenderId, "2026-11-23");
    // Unassigned cases, added after the close so that it does not deal them.
    await insertCase("B4", null, null);
    await insertCase("X2", null, agencyId);
  });

  it("shows a supervisor each agent's cases, contacts, RPC, promises and amount recovered today, with totals", async () => {
    const lead = await signIn("lead");
    const response = await lead.get("/api/reports/team-board");
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const board = response.body;
    assert.equal(board.date, "2026-11-23", "today in the lender's zone");
    assert.equal(board.currency, "CNY");
    assert.deepEqual(
      board.agents.map((row: BoardRow) => row.username),
      ["agent_a", "agency_x", "agent_b"],
      "most loaded first",
    );
    const a = rowOf(board, "agent_a");
    assert.deepEqual([a.openCases, a.capacity, a.loadPercent, a.heldCases], [3, 4, 75, 1], "B1, B2 and the held B5 against a capacity of 4");
    assert.deepEqual([a.contactAttempts, a.connected, a.rightPartyContacts], [3, 1, 1], "two calls and an SMS; yesterday's call and the blocked SMS left out");
    assert.deepEqual([a.promisesMade, a.promisesDue, a.promisedDueMinor, a.promisesKept, a.promisesBroken], [1, 1, "30000", 1, 0]);
    assert.deepEqual([a.paymentsRecovered, a.recoveredMinor], [2, "42345"], "123.45 + 300.00; the returned 50.00 and yesterday's 999.99 are not");
    const b = rowOf(board, "agent_b");
    assert.deepEqual([b.openCases, b.loadPercent, b.heldCases], [1, 10, 0]);
    assert.deepEqual([b.contactAttempts, b.connected, b.rightPartyContacts], [2, 2, 1], "the wrong person, and the borrower's call at 01:00 Shanghai time");
    assert.deepEqual([b.promisesMade, b.promisesDue, b.promisedDueMinor, b.promisesKept, b.promisesBroken], [0, 1, "20000", 0, 1]);
    assert.deepEqual([b.paymentsRecovered, b.recoveredMinor], [0, "0"]);
    const x = rowOf(board, "agency_x");
    assert.deepEqual([x.openCases, x.loadPercent, x.recoveredMinor], [1, 20, "8888"]);
    assert.deepEqual(
      [
        board.totals.agents,
        board.totals.openCases,
        board.totals.capacity,
        board.totals.contactAttempts,
        board.totals.rightPartyContacts,
        board.totals.promisesMade,
        board.totals.recoveredMinor,
      ],
      [3, 5, 19, 5, 2, 1, "51233"],
    );
    assert.equal(board.unassignedCases, 2, "B4 and the agency's X2");

    const yesterday = (await lead.get("/api/reports/team-board?date=2026-11-22")).body;
    assert.equal(yesterday.date, "2026-11-22");
    assert.deepEqual([rowOf(yesterday, "agent_a").contactAttempts, rowOf(yesterday, "agent_a").connected], [1, 0]);
    assert.deepEqual([rowOf(yesterday, "agent_a").recoveredMinor, rowOf(yesterday, "agent_b").recoveredMinor], ["99999", "0"]);
    assert.equal(rowOf(yesterday, "agent_b").rightPartyContacts, 0);
  });

  it("shows an agency's supervisor only the agency's agents and cases, and refuses agents", async () => {
    const agencyLead = await signIn("agency_lead");
    const board = (await agencyLead.get("/api/reports/team-board")).body;
    assert.equal(board.scope.kind, "agency");
    assert.deepEqual(
      board.agents.map((row: BoardRow) => row.username),
      ["agency_x"],
    );
    assert.deepEqual([board.totals.openCases, board.totals.recoveredMinor, board.unassignedCases], [1, "8888", 1]);
    assert.equal((await agencyLead.get(`/api/reports/team-board/cases?agentId=${staff.agent_a}`)).status, 404, "not the agency's agent");
    const agencyCases = await agencyLead.get(`/api/reports/team-board/cases?agentId=${staff.agency_x}`);
    assert.deepEqual(
      agencyCases.body.cases.map((item: { id: string }) => item.id),
      [caseOf.X1],
    );

    const agent = await signIn("agent_a");
    assert.equal((await agent.get("/api/reports/team-board")).status, 403);
    assert.equal((await agent.get(`/api/reports/team-board/cases?agentId=${staff.agent_a}`)).status, 403);
  });

  it("refuses a bad or future date, naming the field", async () => {
    const lead = await signIn("lead");
    for (const date of ["2026-02-30", "23/11/2026", "2026-11-24"]) {
      const response = await lead.get(`/api/reports/team-board?date=${encodeURIComponent(date)}`);
      assert.equal(response.status, 400, date);
      assert.equal(response.body.error.code, "VALIDATION_FAILED");
      assert.equal(response.body.error.details?.field, "date", JSON.stringify(response.body));
      assert.match(response.body.error.message, /^date /);
    }
    const badAgent = await lead.get("/api/reports/team-board/cases?agentId=someone");
    assert.equal(badAgent.status, 400);
  });

  it("lists an agent's cases with holds and amounts, and moves one through the reassign endpoint", async () => {
    const lead = await signIn("lead");
    const listed = await lead.get(`/api/reports/team-board/cases?agentId=${staff.agent_a}`);
    assert.equal(listed.status, 200);
    const cases = listed.body.cases as {
      id: string;
      isHeld: boolean;
      holdUntil: string | null;
      overdueMinor: string;
      daysPastDueMax: number;
      phoneMasked: string;
    }[];
    assert.deepEqual(cases.map((item) => item.id).sort(), [caseOf.B1, caseOf.B2, caseOf.B5].sort());
    assert.deepEqual(
      cases.filter((item) => item.isHeld).map((item) => [item.id, item.holdUntil]),
      [[caseOf.B5, "2026-12-31"]],
    );
    assert.ok(
      cases.every((item) => BigInt(item.overdueMinor) > 0n && item.daysPastDueMax > 0),
      "overdue since 10-15, as the close left it",
    );
    assert.match(cases[0]?.phoneMasked ?? "", /^138\*{4}\d{4}$/);
    const pool = await lead.get("/api/reports/team-board/cases?agentId=unassigned");
    assert.deepEqual(pool.body.cases.map((item: { id: string }) => item.id).sort(), [caseOf.B4, caseOf.X2].sort());

    const moved = await lead.post("/api/cases/reassign", { caseIds: [caseOf.B1], agentId: staff.agent_b, note: "rebalance" });
    assert.deepEqual(moved.body, { moved: [caseOf.B1], held: [] });
    const board = (await lead.get("/api/reports/team-board")).body;
    const a = rowOf(board, "agent_a");
    const b = rowOf(board, "agent_b");
    assert.deepEqual([a.openCases, a.loadPercent, b.openCases, b.loadPercent], [2, 50, 2, 20]);
    assert.deepEqual([a.contactAttempts, a.rightPartyContacts], [3, 1], "the calls stay with the agent who made them");
    assert.deepEqual([a.recoveredMinor, b.recoveredMinor], ["30000", "12345"], "a payment counts for the agent who holds the case");
    assert.equal(board.totals.recoveredMinor, "51233");
  });
});
