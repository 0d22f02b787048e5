// The daily close over HTTP: an admin starts a close and reads its history and partitions; a
// supervisor reads but cannot start one; an agent reads nothing; another lender's runs are
// invisible.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createApp } from "../../app.js";
import type { App } from "../../platform/http/index.js";
import { insertLender, TEST_PASSWORD, testNationalId } from "../../platform/testing/fixtures.js";
import { TestClient } from "../../platform/testing/http-client.js";
import { createTestContext, type TestContext } from "../../platform/testing/test-context.js";
import { registerBorrower } from "../borrowers/index.js";
import { addStaffUser } from "../identity/index.js";
import { addProduct, openLoan } from "../loans/index.js";
import { closeDate } from "./close.service.js";

let context: TestContext;
let app: App;
let otherRunId = "";
const system = { actorType: "system" as const, actorId: null };

before(async () => {
  context = await createTestContext({ now: "2026-03-10T02:00:00Z" });
  const { lenderId } = await insertLender(context);
  const other = await insertLender(context);
  await context.database.db.transaction().execute(async (trx) => {
    for (const [username, role] of [
      ["admin", "admin"],
      ["supervisor", "supervisor"],
      ["agent1", "agent"],
    ] as const)
      await addStaffUser(context, trx, { lenderId, username, displayName: username, password: TEST_PASSWORD, roles: [role] }, system);
    const productId = await addProduct(context, trx, {
      lenderId,
      code: "EP3",
      name: "三期等额本金",
      nameEn: "3-month equal principal",
      repaymentMethod: "equal_principal",
      termMonths: 3,
      annualRate: "18",
      currency: "CNY",
      terms: {},
    });
    const borrowerId = await registerBorrower(
      context,
      trx,
      lenderId,
      { externalRef: "B1", name: "张三", nationalId: testNationalId(1), phone: "13800138000" },
      system,
    );
    await openLoan(context, trx, { lenderId, borrowerId, productId, externalRef: "L1", principalMinor: 1_200_000n, openedOn: "2026-01-15" }, system);
  });
  otherRunId = (await closeDate(context, other.lenderId, "2026-03-08")).runId;
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

describe("daily close API", () => {
  it("lets an admin close a date and follow it to completion with counts and partitions", async () => {
    const admin = await signIn("admin");
    const bad = await admin.post("/api/close/runs", { date: "2026-02-30" });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /2026-02-30/);
    assert.equal((await admin.post("/api/close/runs", { date: "2026-03-10" })).status, 202);
    let runs: { businessDate: string; status: string; id: string; totals: Record<string, number> | null }[] = [];
    for (let attempt = 0; attempt < 100; attempt += 1) {
      runs = (await admin.get("/api/close/runs")).body.runs;
      if (runs[0]?.status === "completed") break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.deepEqual(
      runs.map((run) => [run.businessDate, run.status]),
      [["2026-03-10", "completed"]],
      "only this lender's run",
    );
    // Installment 1 (due 02-15) is unpaid: the account is overdue and its borrower gets a case.
    // It was already overdue when it was opened (backdated), so that is not news to the close.
    assert.equal(runs[0]?.totals?.accountsTouched, 1);
    assert.equal(runs[0]?.totals?.becameOverdue, 0);
    assert.equal(runs[0]?.totals?.casesOpened, 1);
    const detail = (await admin.get(`/api/close/runs/${runs[0]?.id}`)).body;
    assert.equal(detail.partitions.length, 1, "one due account: one partition, not the lender's maximum of 8");
    assert.ok(detail.partitions.every((partition: { status: string }) => partition.status === "done"));
    assert.equal((await admin.get(`/api/close/runs/${otherRunId}`)).status, 404, "another lender's run");
  });

  it("shows a supervisor the history but refuses them a close; refuses an agent both", async () => {
    const supervisor = await signIn("supervisor");
    assert.equal((await supervisor.get("/api/close/runs")).status, 200);
    assert.equal((await supervisor.post("/api/close/runs", { date: "2026-03-11" })).status, 403);
    const agent = await signIn("agent1");
    assert.equal((await agent.get("/api/close/runs")).status, 403);
  });
});
