// The loan book on a real database: the ledger equals the statement, balances every entry,
// refuses edits, posts a payment once per idempotency key, and undoes a returned payment.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { createApp } from "../../app.js";
import type { App } from "../../platform/http/index.js";
import { insertLender, TEST_PASSWORD, testNationalId } from "../../platform/testing/fixtures.js";
import { TestClient } from "../../platform/testing/http-client.js";
import { createTestContext, type TestContext } from "../../platform/testing/test-context.js";
import { registerBorrower } from "../borrowers/index.js";
import { openCases } from "../cases/index.js";
import { addStaffUser } from "../identity/index.js";
import { addProduct, loadLoan, openLoan } from "./index.js";

let context: TestContext;
let app: App;
let loanId: string;
let otherLoanId: string;

before(async () => {
  // 2026-03-10 10:00 in Shanghai.
  context = await createTestContext({ now: "2026-03-10T02:00:00Z" });
  const { lenderId } = await insertLender(context);
  const system = { actorType: "system" as const, actorId: null };
  await context.database.db.transaction().execute(async (trx) => {
    await addStaffUser(context, trx, { lenderId, username: "admin", displayName: "Admin", password: TEST_PASSWORD, roles: ["admin"] }, system);
    const agent = await addStaffUser(context, trx, { lenderId, username: "agent1", displayName: "Agent", password: TEST_PASSWORD, roles: ["agent"] }, system);
    const productId = await addProduct(context, trx, {
      lenderId,
      code: "EP3",
      name: "三期等额本金",
      nameEn: "3-month equal principal",
      repaymentMethod: "equal_principal",
      termMonths: 3,
      annualRate: "18",
      currency: "CNY",
      terms: { lateFee: { kind: "fixed", amountMinor: 2_000n } },
    });
    const borrowerId = await registerBorrower(
      context,
      trx,
      lenderId,
      { externalRef: "B1", name: "张三", nationalId: testNationalId(1), phone: "13800138000" },
      system,
    );
    const otherId = await registerBorrower(
      context,
      trx,
      lenderId,
      { externalRef: "B2", name: "李四", nationalId: testNationalId(2), phone: "13900139000" },
      system,
    );
    loanId = await openLoan(context, trx, { lenderId, borrowerId, productId, externalRef: "L1", principalMinor: 1_200_000n, openedOn: "2026-01-15" }, system);
    otherLoanId = await openLoan(
      context,
      trx,
      { lenderId, borrowerId: otherId, productId, externalRef: "L2", principalMinor: 600_000n, openedOn: "2026-01-20" },
      system,
    );
    await openCases(context, trx, [{ lenderId, borrowerId, agencyId: null, assignedAgentId: agent.id, status: "new", openedOn: "2026-02-16" }]);
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

async function unbalancedEntries(): Promise<number> {
  const rows = await sql<{ entry_id: string }>`select entry_id from postings group by entry_id having sum(amount_minor) <> 0`.execute(context.database.db);
  return rows.rows.length;
}

describe("loan book", () => {
  it("explains what is owed: installment 1 overdue 23 days with its penalty and late fee", async () => {
    const agent = await signIn("agent1");
    const response = await agent.get(`/api/loans/${loanId}/statement`);
    assert.equal(response.status, 200);
    const statement = response.body;
    assert.equal(statement.asOf, "2026-03-10");
    assert.equal(statement.daysPastDue, 23);
    assert.equal(statement.bucket, "M1");
    const first = statement.installments[0];
    assert.deepEqual([first.principal.outstanding, first.interest.outstanding, first.fee.outstanding], ["4000.00", "180.00", "20.00"]);
    assert.deepEqual(first.penaltyLines, [
      { from: "2026-02-16", to: "2026-03-10", days: 23, base: "4000.00", dailyRatePercent: "0.05", perDay: "2.00", amount: "46.00", notClaimed: "0.00" },
    ]);
    assert.equal(statement.installments[1].status, "not_due");
    assert.equal(statement.penaltyPerDay, "2.00", "what was charged today, after the cap");
    assert.equal((await agent.get(`/api/loans/${otherLoanId}/statement`)).status, 404, "another agent's loan is out of scope");
    const loan = await loadLoan(context.database.db, loanId);
    const other = await loadLoan(context.database.db, otherLoanId);
    const accounts = (await agent.get(`/api/borrowers/${loan.borrowerId}/loans`)).body.accounts;
    assert.deepEqual(
      accounts.map((account: { externalRef: string; status: string; principal: string }) => [account.externalRef, account.status, account.principal]),
      [["L1", "overdue", "12000.00"]],
    );
    assert.equal((await agent.get(`/api/borrowers/${other.borrowerId}/loans`)).status, 404);
  });

  it("keeps the ledger equal to the statement, balanced entry by entry", async () => {
    const adminClient = await signIn("admin");
    const { body } = await adminClient.get(`/api/loans/${loanId}/balances`);
    const balance = (account: string, installment: number | null) =>
      body.balances.find((row: { account: string; installmentNumber: number | null }) => row.account === account && row.installmentNumber === installment)
        ?.balance;
    assert.equal(balance("receivable:principal", 1), "4000.00");
    assert.equal(balance("receivable:principal", 3), "4000.00");
    assert.equal(balance("receivable:interest", 1), "180.00");
    // 23 days of 2.00 accrued by 03-10; the 13 to the month end (02-28) are posted, the 10 since
    // wait for the next posting day (the 03-15 due date).
    assert.equal(balance("receivable:penalty", 1), "26.00");
    assert.equal(balance("receivable:fee", 1), "20.00");
    assert.equal(balance("funding", null), "-12000.00");
    assert.equal(await unbalancedEntries(), 0);
    const penaltyAsOf = async (asOf: string) =>
      (await adminClient.get(`/api/loans/${loanId}/balances?asOf=${asOf}`)).body.balances.find(
        (row: { account: string; installmentNumber: number | null }) => row.account === "receivable:penalty" && row.installmentNumber === 1,
      )?.balance;
    assert.equal(await penaltyAsOf("2026-02-27"), undefined, "nothing posted before the first posting day");
    assert.equal(await penaltyAsOf("2026-02-28"), "26.00", "balances as of an earlier date");
  });

  it("refuses to edit or delete ledger rows, and refuses an unbalanced entry at commit", async () => {
    const db = context.database.db;
    await assert.rejects(db.updateTable("postings").set({ currency: "USD" }).execute(), /append-only/);
    await assert.rejects(db.deleteFrom("journal_entries").execute(), /append-only/);
    const loan = await loadLoan(db, loanId);
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        const id = crypto.randomUUID();
        await trx
          .insertInto("journal_entries")
          .values({
            id,
            lender_id: loan.lenderId,
            loan_id: loanId,
            event_key: "bad",
            kind: "accrual",
            effective_on: "2026-03-10",
            recorded_at: new Date(),
            reverses_entry_id: null,
            reason_code: null,
            payment_id: null,
          })
          .execute();
        await trx
          .insertInto("postings")
          .values({ entry_id: id, line_no: 1, account: "cash", installment_number: null, amount_minor: 100n, currency: "CNY" })
          .execute();
      }),
      /does not balance/,
    );
    assert.equal(await unbalancedEntries(), 0);
  });

  it("refuses postings without their entry, an entry in two currencies, and entries pointing at no loan or payment", async () => {
    const db = context.database.db;
    const loan = await loadLoan(db, loanId);
    const entry = (id: string, overrides: { loan_id?: string; payment_id?: string | null } = {}) => ({
      id,
      lender_id: loan.lenderId,
      loan_id: loanId,
      event_key: `check-${id}`,
      kind: "accrual" as const,
      effective_on: "2026-03-10",
      recorded_at: new Date(),
      reverses_entry_id: null,
      reason_code: null,
      payment_id: null,
      ...overrides,
    });
    const posting = (entryId: string, lineNo: number, amountMinor: bigint, currency = "CNY") => ({
      entry_id: entryId,
      line_no: lineNo,
      account: "cash" as const,
      installment_number: null,
      amount_minor: amountMinor,
      currency,
    });
    const before = await sql<{ n: string }>`select count(*)::text as n from journal_entries`.execute(db);
    const missing = crypto.randomUUID();
    await assert.rejects(
      db
        .insertInto("postings")
        .values([posting(missing, 1, 100n), posting(missing, 2, -100n)])
        .execute(),
      new RegExp(`posting refers to journal entry ${missing}, which does not exist`),
    );
    const mixed = crypto.randomUUID();
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("journal_entries").values(entry(mixed)).execute();
        await trx
          .insertInto("postings")
          .values([posting(mixed, 1, 100n, "CNY"), posting(mixed, 2, -100n, "USD")])
          .execute();
      }),
      new RegExp(`journal entry ${mixed} mixes currencies`),
    );
    const orphan = crypto.randomUUID();
    const noLoan = crypto.randomUUID();
    await assert.rejects(
      db
        .insertInto("journal_entries")
        .values([entry(crypto.randomUUID()), entry(orphan, { loan_id: noLoan })])
        .execute(),
      new RegExp(`journal entry ${orphan} refers to loan ${noLoan}, which does not exist for its lender`),
    );
    const unpaid = crypto.randomUUID();
    const noPayment = crypto.randomUUID();
    await assert.rejects(
      db
        .insertInto("journal_entries")
        .values(entry(unpaid, { payment_id: noPayment }))
        .execute(),
      new RegExp(`journal entry ${unpaid} refers to payment ${noPayment}, which does not exist for its loan`),
    );
    const after = await sql<{ n: string }>`select count(*)::text as n from journal_entries`.execute(db);
    assert.equal(after.rows[0]?.n, before.rows[0]?.n, "nothing was written");
  });

  it("posts a payment once per idempotency key and refuses the key with another amount", async () => {
    const adminClient = await signIn("admin");
    const first = await adminClient.post(`/api/loans/${loanId}/payments`, { idempotencyKey: "core-7781", amount: "300.00", receivedOn: "2026-03-01" });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.duplicate, false);
    const again = await adminClient.post(`/api/loans/${loanId}/payments`, { idempotencyKey: "core-7781", amount: "300.00", receivedOn: "2026-03-01" });
    assert.equal(again.status, 200);
    assert.equal(again.body.paymentId, first.body.paymentId);
    const conflict = await adminClient.post(`/api/loans/${loanId}/payments`, { idempotencyKey: "core-7781", amount: "301.00", receivedOn: "2026-03-01" });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.error.code, "IDEMPOTENCY_CONFLICT");
    const count = await context.database.db
      .selectFrom("payments")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.count), 1);
    const bad = await adminClient.post(`/api/loans/${loanId}/payments`, { idempotencyKey: "core-7782", amount: "12.345", receivedOn: "2026-03-01" });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details.field, "amount");
    const future = await adminClient.post(`/api/loans/${loanId}/payments`, { idempotencyKey: "core-7783", amount: "1.00", receivedOn: "2026-03-11" });
    assert.match(future.body.error.message, /after today's business date 2026-03-10/);
    const agent = await signIn("agent1");
    assert.equal((await agent.post(`/api/loans/${loanId}/payments`, { idempotencyKey: "core-7784", amount: "1.00", receivedOn: "2026-03-01" })).status, 403);
    assert.equal(await unbalancedEntries(), 0);
  });

  it("re-allocates everything after a returned payment, restoring the balances exactly", async () => {
    const adminClient = await signIn("admin");
    const before = (await adminClient.get(`/api/loans/${loanId}/balances`)).body.balances;
    const bounced = await adminClient.post(`/api/loans/${loanId}/payments`, { idempotencyKey: "core-7790", amount: "500.00", receivedOn: "2026-02-20" });
    assert.equal(bounced.status, 201);
    const payments = (await adminClient.get(`/api/loans/${loanId}/payments`)).body.payments;
    assert.deepEqual(
      payments.map((payment: { receivedOn: string }) => payment.receivedOn),
      ["2026-02-20", "2026-03-01"],
    );
    const reversal = await adminClient.post(`/api/payments/${bounced.body.paymentId}/reverse`, { reasonCode: "returned", note: "bank returned the transfer" });
    assert.equal(reversal.status, 200);
    const after = (await adminClient.get(`/api/loans/${loanId}/balances`)).body.balances;
    assert.deepEqual(after, before);
    const reversals = await context.database.db
      .selectFrom("journal_entries")
      .select(["reason_code", "reverses_entry_id"])
      .where("kind", "=", "reversal")
      .where("reason_code", "=", "payment_returned")
      .execute();
    assert.ok(reversals.length >= 2, "the returned payment and the later allocations it changed were reversed");
    assert.ok(reversals.every((row) => row.reverses_entry_id !== null));
    const again = await adminClient.post(`/api/payments/${bounced.body.paymentId}/reverse`, { reasonCode: "returned" });
    assert.equal(again.status, 409);
    assert.equal(await unbalancedEntries(), 0);
    const audit = await context.database.db.selectFrom("audit_log").select("action").where("action", "in", ["payment.posted", "payment.reversed"]).execute();
    assert.deepEqual(audit.map((row) => row.action).sort(), ["payment.posted", "payment.posted", "payment.reversed"]);
  });

  it("quotes and takes an early payoff, clearing every receivable", async () => {
    const adminClient = await signIn("admin");
    const quote = (await adminClient.get(`/api/loans/${otherLoanId}/payoff`)).body;
    assert.equal(quote.on, "2026-03-10");
    assert.equal(quote.interestRule, "accrued_days");
    const paid = await adminClient.post(`/api/loans/${otherLoanId}/payments`, {
      idempotencyKey: "payoff-1",
      amount: quote.total,
      receivedOn: "2026-03-10",
      purpose: "payoff",
    });
    assert.equal(paid.status, 201);
    assert.deepEqual(
      paid.body.statement.installments.map((installment: { status: string }) => installment.status),
      ["paid", "paid", "paid"],
    );
    const balances = (await adminClient.get(`/api/loans/${otherLoanId}/balances`)).body.balances;
    assert.deepEqual(
      balances.filter((row: { account: string }) => row.account.startsWith("receivable:")),
      [],
    );
    const loans = await context.database.db.selectFrom("loan_accounts").select("status").where("id", "=", otherLoanId).executeTakeFirstOrThrow();
    assert.equal(loans.status, "paid_off");
    assert.equal(await unbalancedEntries(), 0);
  });
});

describe("credit-card accounts", () => {
  it("posts purchases once, bills statements with the interest-free period lost, and keeps the ledger equal", async () => {
    const db = context.database.db;
    const lender = await db.selectFrom("lenders").select("id").executeTakeFirstOrThrow();
    const borrower = await db.selectFrom("borrowers").select("id").where("external_ref", "=", "B1").executeTakeFirstOrThrow();
    const cardId = await db.transaction().execute(async (trx) => {
      const productId = await addProduct(context, trx, {
        lenderId: lender.id,
        code: "CARD",
        name: "信用卡",
        nameEn: "Credit card",
        repaymentMethod: "credit_card",
        termMonths: 1,
        annualRate: "0",
        currency: "CNY",
      });
      return openLoan(
        context,
        trx,
        { lenderId: lender.id, borrowerId: borrower.id, productId, externalRef: "C1", principalMinor: 2_000_000n, openedOn: "2026-01-01" },
        { actorType: "system", actorId: null },
      );
    });
    const adminClient = await signIn("admin");
    const first = await adminClient.post(`/api/loans/${cardId}/card-transactions`, { idempotencyKey: "card-t1", amount: "1000.00", postedOn: "2026-01-10" });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(
      (await adminClient.post(`/api/loans/${cardId}/card-transactions`, { idempotencyKey: "card-t1", amount: "1000.00", postedOn: "2026-01-10" })).body
        .duplicate,
      true,
    );
    assert.equal(
      (await adminClient.post(`/api/loans/${cardId}/card-transactions`, { idempotencyKey: "card-t1", amount: "999.00", postedOn: "2026-01-10" })).status,
      409,
    );
    await adminClient.post(`/api/loans/${cardId}/card-transactions`, { idempotencyKey: "card-t2", amount: "500.00", postedOn: "2026-01-20" });
    const paid = await adminClient.post(`/api/loans/${cardId}/payments`, { idempotencyKey: "card-p1", amount: "500.00", receivedOn: "2026-02-20" });
    assert.equal(paid.status, 201);
    assert.equal(paid.body.statement, null);
    const state = (await adminClient.get(`/api/loans/${cardId}/card-statement`)).body;
    assert.deepEqual(
      state.statements.map((statement: { statementDate: string; balance: string; minimum: string; isPaidInFull: boolean | null }) => [
        statement.statementDate,
        statement.balance,
        statement.minimum,
        statement.isPaidInFull,
      ]),
      [
        ["2026-02-05", "1500.00", "150.00", false],
        ["2026-03-05", "1036.75", "103.68", null],
      ],
    );
    assert.equal(state.creditLimit, "20000.00");
    assert.equal(state.statements[1].interestLines[0].reason, "interest_free_period_lost");
    const balances = (await adminClient.get(`/api/loans/${cardId}/balances`)).body.balances as { account: string; balance: string }[];
    const receivable = balances.filter((row) => row.account.startsWith("receivable:")).reduce((sum, row) => sum + BigInt(row.balance.replace(".", "")), 0n);
    assert.equal(receivable, BigInt(state.billed.replace(".", "")) + BigInt(state.unbilled.replace(".", "")));
    assert.equal((await adminClient.get(`/api/loans/${cardId}/statement`)).status, 409, "an installment statement does not apply to a card");
    assert.equal(await unbalancedEntries(), 0);
  });
});
