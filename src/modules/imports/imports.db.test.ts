// Imports as the lender's system sends them: every bad row named, all or nothing, and
// re-importing the same file changes nothing.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createApp } from "../../app.js";
import type { App } from "../../platform/http/index.js";
import { insertLender, TEST_PASSWORD, testNationalId } from "../../platform/testing/fixtures.js";
import { TestClient } from "../../platform/testing/http-client.js";
import { createTestContext, type TestContext } from "../../platform/testing/test-context.js";
import { addStaffUser } from "../identity/index.js";
import { addProduct } from "../loans/index.js";
import { ImportRejected, runImport } from "./index.js";

let context: TestContext;
let lenderId: string;
const actor = { actorType: "system" as const, actorId: "test" };

const borrowersCsv = [
  "externalRef,name,nationalId,phone,address",
  `B1,张三,${testNationalId(1)},13800138000,北京市朝阳区建国路88号`,
  `B2,"李四, Jr.",${testNationalId(2)},+86 139 0013 9000,`,
  `B3,王五,${testNationalId(3)},13700137000,上海市浦东新区`,
].join("\n");

async function count(table: "borrowers" | "loan_accounts" | "payments" | "borrower_contacts"): Promise<number> {
  const row = await context.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

async function rejected(kind: string, fileName: string, content: string, format: "csv" | "json" = "csv") {
  try {
    await runImport(context, { lenderId, kind, fileName, format, content, actor });
  } catch (error) {
    if (error instanceof ImportRejected) return error.problems.map((problem) => `${problem.file}:${problem.row}:${problem.column}: ${problem.reason}`);
    throw error;
  }
  throw new Error("expected the import to be rejected");
}

before(async () => {
  context = await createTestContext({ now: "2026-05-01T02:00:00Z" });
  ({ lenderId } = await insertLender(context));
  await context.database.db.transaction().execute(async (trx) => {
    await addProduct(context, trx, {
      lenderId,
      code: "CASH-3",
      name: "现金贷",
      nameEn: "Cash loan",
      repaymentMethod: "equal_installment",
      termMonths: 3,
      annualRate: "18",
      currency: "CNY",
    });
    await addStaffUser(context, trx, { lenderId, username: "admin", displayName: "Admin", password: TEST_PASSWORD, roles: ["admin"] }, actor);
  });
});
after(async () => {
  await context?.close();
});

describe("imports", () => {
  it("rejects a file with bad rows, naming each row and column, and changes nothing", async () => {
    const bad = borrowersCsv.replace(testNationalId(2), `${testNationalId(2).slice(0, 17)}0`).replace("13700137000", "12700137000");
    const problems = await rejected("borrowers", "borrowers.csv", bad);
    assert.deepEqual(problems, [
      `borrowers.csv:3:nationalId: national ID checksum does not match (expected ${testNationalId(2).slice(17)} as the last character)`,
      'borrowers.csv:4:phone: phone "12700137000" is not a mainland mobile number (13x-19x)',
    ]);
    assert.equal(await count("borrowers"), 0);
    const problemsWithColumns = await rejected("borrowers", "b.csv", "externalRef,name,nationalId,cellphone\nB1,张三,x,1");
    assert.ok(
      problemsWithColumns.some(
        (problem) => problem === "b.csv:2:cellphone: unknown column for borrowers (expected externalRef, name, nationalId, phone, address, email, locale)",
      ),
    );
    assert.ok(problemsWithColumns.some((problem) => problem === "b.csv:2:phone: required"));
  });

  it("imports borrowers, and the same file again changes nothing", async () => {
    const first = await runImport(context, { lenderId, kind: "borrowers", fileName: "borrowers.csv", format: "csv", content: borrowersCsv, actor });
    assert.deepEqual([first.rowsTotal, first.inserted, first.unchanged], [3, 3, 0]);
    const again = await runImport(context, { lenderId, kind: "borrowers", fileName: "borrowers.csv", format: "csv", content: borrowersCsv, actor });
    assert.deepEqual([again.inserted, again.unchanged], [0, 3]);
    assert.equal(await count("borrowers"), 3);
    const changed = await rejected("borrowers", "borrowers.csv", borrowersCsv.replace("13800138000", "13800138111"));
    assert.deepEqual(changed, ["borrowers.csv:2:externalRef: borrower B1 exists with another national ID or phone"]);
  });

  it("imports contacts, insisting on a relationship for an emergency contact", async () => {
    const problems = await rejected("contacts", "contacts.csv", "borrowerRef,kind,phone,name\nB1,emergency,13600136000,张母\nB9,guarantor,13600136001,");
    assert.deepEqual(problems, ["contacts.csv:2:relationship: an emergency contact needs a relationship", "contacts.csv:3:borrowerRef: no borrower B9"]);
    assert.equal(await count("borrower_contacts"), 0);
    const report = await runImport(context, {
      lenderId,
      kind: "contacts",
      fileName: "contacts.csv",
      format: "csv",
      content: "borrowerRef,kind,phone,name,relationship,preAgreed\nB1,emergency,13600136000,张母,parent,yes\nB2,guarantor,13600136001,赵六,,false",
      actor,
    });
    assert.equal(report.inserted, 2);
    assert.equal(await count("borrower_contacts"), 2);
  });

  it("imports loans against borrowers and products, opening their schedules and ledgers", async () => {
    const problems = await rejected(
      "loans",
      "loans.csv",
      "externalRef,borrowerRef,productCode,principal,openedOn\nL1,B1,CASH-9,1000,2026-01-10\nL2,B2,CASH-3,1000.001,2026-01-10\nL3,B3,CASH-3,500,2026-13-01",
    );
    assert.deepEqual(problems, [
      "loans.csv:2:productCode: no product CASH-9",
      "loans.csv:3:principal: amount 1000.001 has more than 2 decimals for CNY",
      'loans.csv:4:openedOn: "2026-13-01" is not a date (YYYY-MM-DD)',
    ]);
    const referenceProblems = await rejected("loans", "loans.csv", "externalRef,borrowerRef,productCode,principal,openedOn\nL1,B1,CASH-9,1000,2026-01-10");
    assert.deepEqual(referenceProblems, ["loans.csv:2:productCode: no product CASH-9"]);
    assert.equal(await count("loan_accounts"), 0);
    const content = "externalRef,borrowerRef,productCode,principal,openedOn\nL1,B1,CASH-3,3000,2026-01-10\nL2,B2,CASH-3,1500.50,2026-02-01";
    assert.equal((await runImport(context, { lenderId, kind: "loans", fileName: "loans.csv", format: "csv", content, actor })).inserted, 2);
    assert.equal((await runImport(context, { lenderId, kind: "loans", fileName: "loans.csv", format: "csv", content, actor })).unchanged, 2);
    const installments = await context.database.db
      .selectFrom("loan_installments")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .executeTakeFirstOrThrow();
    assert.equal(Number(installments.count), 6);
  });

  it("imports payments as JSON with string amounts, once per idempotency key", async () => {
    const numbers = await rejected(
      "payments",
      "payments.json",
      JSON.stringify([{ idempotencyKey: "P1", loanRef: "L1", amount: 1030.4, receivedOn: "2026-02-10" }]),
      "json",
    );
    assert.deepEqual(numbers, ['payments.json:1:amount: write numbers as strings (e.g. "1200.50") so no precision is lost']);
    const content = JSON.stringify([
      { idempotencyKey: "P1", loanRef: "L1", amount: "1030.40", receivedOn: "2026-02-10" },
      { idempotencyKey: "P2", loanRef: "L2", amount: "100", receivedOn: "2026-03-01", source: "bank" },
    ]);
    assert.equal((await runImport(context, { lenderId, kind: "payments", fileName: "payments.json", format: "json", content, actor })).inserted, 2);
    assert.equal((await runImport(context, { lenderId, kind: "payments", fileName: "payments.json", format: "json", content, actor })).unchanged, 2);
    const changed = await rejected("payments", "payments.json", content.replace("1030.40", "1030.41"), "json");
    assert.deepEqual(changed, ["payments.json:1:idempotencyKey: payment P1 was imported with another loan, amount or date"]);
    assert.equal(await count("payments"), 2);
    const future = await rejected("payments", "p.csv", "idempotencyKey,loanRef,amount,receivedOn\nP3,L1,10,2026-05-02");
    assert.deepEqual(future, ["p.csv:2:receivedOn: 2026-05-02 is after today's business date 2026-05-01"]);
  });

  it("imports purchases onto credit-card accounts only", async () => {
    await context.database.db.transaction().execute(async (trx) => {
      await addProduct(context, trx, {
        lenderId,
        code: "CARD",
        name: "信用卡",
        nameEn: "Credit card",
        repaymentMethod: "credit_card",
        termMonths: 1,
        annualRate: "0",
        currency: "CNY",
      });
    });
    await runImport(context, {
      lenderId,
      kind: "loans",
      fileName: "cards.csv",
      format: "csv",
      content: "externalRef,borrowerRef,productCode,principal,openedOn\nCARD-1,B3,CARD,20000,2026-01-01",
      actor,
    });
    const problems = await rejected(
      "card_transactions",
      "purchases.csv",
      "idempotencyKey,accountRef,amount,postedOn\nT1,L1,100,2026-02-01\nT2,CARD-1,100,2026-01-01",
    );
    assert.deepEqual(problems, [
      "purchases.csv:2:accountRef: L1 is not a credit-card account",
      "purchases.csv:3:postedOn: 2026-01-01 must be after the account opened on 2026-01-01",
    ]);
    const content = "idempotencyKey,accountRef,amount,postedOn,description\nT1,CARD-1,1000,2026-01-10,超市\nT2,CARD-1,500,2026-01-20,";
    assert.equal((await runImport(context, { lenderId, kind: "card_transactions", fileName: "purchases.csv", format: "csv", content, actor })).inserted, 2);
    assert.equal((await runImport(context, { lenderId, kind: "card_transactions", fileName: "purchases.csv", format: "csv", content, actor })).unchanged, 2);
  });

  it("is open to admins over the API and closed to others", async () => {
    const { app } = (await createApp(context, { logger: false })) as { app: App };
    const client = new TestClient(app);
    await client.login("admin", TEST_PASSWORD);
    const response = await client.post("/api/imports/borrowers", { fileName: "borrowers.csv", format: "csv", content: borrowersCsv });
    assert.equal(response.status, 200);
    assert.equal(response.body.unchanged, 3);
    const bad = await client.post("/api/imports/borrowers", { fileName: "x.csv", format: "csv", content: "externalRef,name\nB1," });
    assert.equal(bad.status, 400);
    assert.ok(Array.isArray(bad.body.error.details.problems));
    await app.close();
  });
});
