// Staff and borrower sign-in through the HTTP API, as the console and portal use it.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, beforeEach, describe, it } from "node:test";
import { createApp } from "../../app.js";
import type { App } from "../../platform/http/index.js";
import { insertLender, TEST_PASSWORD, testNationalId } from "../../platform/testing/fixtures.js";
import { TestClient } from "../../platform/testing/http-client.js";
import { createTestContext, type TestContext } from "../../platform/testing/test-context.js";
import { registerBorrower } from "../borrowers/index.js";
import { addProduct, openLoan } from "../loans/index.js";
import { addStaffUser } from "./index.js";

let context: TestContext;
let app: App;
let borrowerId: string;
let otherBorrowerId: string;

async function auditActions(): Promise<string[]> {
  const rows = await context.database.db.selectFrom("audit_log").select("action").orderBy("sequence").execute();
  return rows.map((row) => row.action);
}

before(async () => {
  context = await createTestContext();
  const { lenderId } = await insertLender(context);
  const db = context.database.db;
  const system = { actorType: "system" as const, actorId: null };
  await db.transaction().execute(async (trx) => {
    await addStaffUser(context, trx, { lenderId, username: "admin", displayName: "Admin", password: TEST_PASSWORD, roles: ["admin"] }, system);
    await addStaffUser(context, trx, { lenderId, username: "agent1", displayName: "Agent One", password: TEST_PASSWORD, roles: ["agent"] }, system);
    await addStaffUser(context, trx, { lenderId, username: "locky", displayName: "Locky", password: TEST_PASSWORD, roles: ["agent"] }, system);
    borrowerId = await registerBorrower(
      context,
      trx,
      lenderId,
      { externalRef: "B1", name: "张三", nationalId: testNationalId(1), phone: "13800138000" },
      system,
    );
    otherBorrowerId = await registerBorrower(
      context,
      trx,
      lenderId,
      { externalRef: "B2", name: "李四", nationalId: testNationalId(2), phone: "13900139000" },
      system,
    );
    const productId = await addProduct(context, trx, {
      lenderId,
      code: "P1",
      name: "现金贷",
      nameEn: "Cash loan",
      repaymentMethod: "equal_installment",
      termMonths: 12,
      annualRate: "18.000000",
      currency: "CNY",
    });
    await openLoan(context, trx, { lenderId, borrowerId, productId, externalRef: "L1", principalMinor: 1_200_000n, openedOn: "2026-03-15" }, system);
    await openLoan(
      context,
      trx,
      { lenderId, borrowerId: otherBorrowerId, productId, externalRef: "L2", principalMinor: 500_000n, openedOn: "2026-04-01" },
      system,
    );
  });
  ({ app } = await createApp(context, { logger: false }));
});

after(async () => {
  await app?.close();
  await context?.close();
});

describe("staff sign-in", () => {
  it("signs in, sets an httpOnly SameSite session cookie, and audits the login", async () => {
    const client = new TestClient(app);
    const response = await client.login("Admin", TEST_PASSWORD);
    assert.equal(response.status, 200);
    assert.equal(response.body.user.username, "admin");
    assert.deepEqual(response.body.user.roles, ["admin"]);
    assert.ok(response.body.user.permissions.includes("audit:read"));
    const session = response.cookies.find((cookie) => cookie.name === "duecare_staff");
    assert.ok(session?.httpOnly, "session cookie is httpOnly");
    assert.equal(session?.sameSite, "Strict");
    const me = await client.get("/api/auth/me");
    assert.equal(me.status, 200);
    assert.equal(me.body.user.displayName, "Admin");
    assert.equal(me.body.user.lenderTimeZone, "Asia/Shanghai", "the lender's zone (the column's default)");
    assert.ok((await auditActions()).includes("auth.login"));
  });

  it("answers with the user's own lender's time zone, on sign-in and from /api/auth/me", async () => {
    const lenderId = randomUUID();
    const db = context.database.db;
    await db
      .insertInto("lenders")
      .values({
        id: lenderId,
        code: "tz-chicago",
        name: "芝加哥贷款",
        name_en: "Chicago Lending",
        time_zone: "America/Chicago",
        created_at: context.clock.now(),
      })
      .execute();
    await db
      .transaction()
      .execute((trx) =>
        addStaffUser(
          context,
          trx,
          { lenderId, username: "chicago", displayName: "Chicago", password: TEST_PASSWORD, roles: ["agent"] },
          { actorType: "system", actorId: null },
        ),
      );
    const client = new TestClient(app);
    const login = await client.login("chicago", TEST_PASSWORD);
    assert.equal(login.status, 200);
    assert.equal(login.body.user.lenderTimeZone, "America/Chicago");
    const me = await client.get("/api/auth/me");
    assert.equal(me.status, 200);
    assert.equal(me.body.user.username, "chicago");
    assert.equal(me.body.user.lenderTimeZone, "America/Chicago");
  });

  it("says wrong username or password the same way, and counts down attempts", async () => {
    const client = new TestClient(app);
    const unknown = await client.login("nobody", TEST_PASSWORD);
    const wrong = await client.login("agent1", "not-the-password-1");
    assert.equal(unknown.status, 401);
    assert.equal(wrong.status, 401);
    assert.equal(unknown.body.error.message, wrong.body.error.message);
    assert.equal(wrong.body.error.details.attemptsLeft, 4);
    assert.equal((await client.login("agent1", TEST_PASSWORD)).status, 200, "a success resets the count");
  });

  it("locks the account after five failures, refuses even the right password, and unlocks after the lock-out", async () => {
    const client = new TestClient(app);
    for (let attempt = 1; attempt <= 4; attempt += 1) assert.equal((await client.login("locky", `wrong-password-${attempt}`)).status, 401);
    const fifth = await client.login("locky", "wrong-password-5");
    assert.equal(fifth.status, 423);
    assert.equal(fifth.body.error.code, "ACCOUNT_LOCKED");
    assert.equal(fifth.body.error.details.lockedUntil, "2026-11-22T02:15:00.000Z");
    assert.equal((await client.login("locky", TEST_PASSWORD)).status, 423);
    assert.ok((await auditActions()).includes("auth.account_locked"));
    context.clock.advance(16 * 60_000);
    assert.equal((await client.login("locky", TEST_PASSWORD)).status, 200);
  });

  it("refuses a state-changing request without the CSRF token, and signs out with it", async () => {
    const client = new TestClient(app);
    await client.login("admin", TEST_PASSWORD);
    const token = client.csrfToken;
    client.csrfToken = null;
    const forged = await client.post("/api/auth/logout");
    assert.equal(forged.status, 403);
    assert.equal(forged.body.error.code, "CSRF_MISMATCH");
    client.csrfToken = token;
    assert.equal((await client.post("/api/auth/logout")).status, 204);
    assert.equal((await client.get("/api/auth/me")).status, 401);
  });

  it("refuses a route the role lacks with 403 and audits the denial", async () => {
    const client = new TestClient(app);
    await client.login("agent1", TEST_PASSWORD);
    const response = await client.get("/api/audit");
    assert.equal(response.status, 403);
    assert.equal(response.body.error.code, "FORBIDDEN");
    assert.equal(response.body.error.details.permission, "audit:read");
    const denial = await context.database.db.selectFrom("audit_log").selectAll().where("action", "=", "permission.denied").executeTakeFirstOrThrow();
    assert.equal(denial.target_id, "GET /api/audit");
  });

  it("throttles an address after many failures across usernames", async () => {
    const client = new TestClient(app);
    let last = 0;
    for (let attempt = 0; attempt < 31; attempt += 1)
      last = (await client.post("/api/auth/login", { username: `ghost${attempt}`, password: "whatever-123" })).status;
    assert.equal(last, 429);
    context.clock.advance(15 * 60_000);
  });
});

describe("borrower sign-in with phone and one-time code", () => {
  beforeEach(() => context.clock.advance(61_000));

  async function latestCode(): Promise<string> {
    const admin = new TestClient(app);
    await admin.login("admin", TEST_PASSWORD);
    const outbox = await admin.get("/api/dev/outbox");
    assert.equal(outbox.status, 200);
    const match = /\b(\d{6})\b/.exec(outbox.body.messages[0].body);
    assert.ok(match, "the newest outbox message carries the code");
    return match[1] as string;
  }

  it("rejects a malformed phone number, naming the problem", async () => {
    const response = await new TestClient(app).post("/api/portal/auth/request-code", { phone: "12345" });
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, "INVALID_PHONE");
    assert.equal(response.body.error.details.field, "phone");
  });

  it("sends a code to the outbox, signs in with it, and shows only the borrower's own accounts", async () => {
    const borrower = new TestClient(app);
    const sent = await borrower.post("/api/portal/auth/request-code", { phone: "+86 138 0013 8000" });
    assert.deepEqual(sent.body, { sent: true, expiresInSeconds: 300 });
    const code = await latestCode();
    const verified = await borrower.post("/api/portal/auth/verify", { phone: "13800138000", code });
    assert.equal(verified.status, 200);
    assert.equal(verified.body.borrower.id, borrowerId);
    assert.equal(verified.body.borrower.name, "张三");
    assert.equal(verified.body.borrower.phoneMasked, "138****8000");
    const accounts = await borrower.get("/api/portal/accounts");
    assert.deepEqual(
      accounts.body.accounts.map((account: { externalRef: string; principal: string }) => [account.externalRef, account.principal]),
      [["L1", "12000.00"]],
    );
    assert.equal((await borrower.post("/api/portal/auth/verify", { phone: "13800138000", code })).status, 401, "a code works once");
    assert.equal((await borrower.get("/api/auth/me")).status, 401, "a borrower session is not a staff session");
  });

  it("answers an unknown phone like a known one but sends nothing", async () => {
    const before = await context.database.db
      .selectFrom("development_outbox")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .executeTakeFirstOrThrow();
    const response = await new TestClient(app).post("/api/portal/auth/request-code", { phone: "13700137000" });
    assert.deepEqual(response.body, { sent: true, expiresInSeconds: 300 });
    const afterCount = await context.database.db
      .selectFrom("development_outbox")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .executeTakeFirstOrThrow();
    assert.equal(afterCount.count, before.count);
  });

  it("refuses a second code within a minute", async () => {
    const borrower = new TestClient(app);
    assert.equal((await borrower.post("/api/portal/auth/request-code", { phone: "13900139000" })).status, 200);
    const again = await borrower.post("/api/portal/auth/request-code", { phone: "13900139000" });
    assert.equal(again.status, 429);
    assert.match(again.body.error.message, /wait \d+ s/);
  });

  it("expires a code after five minutes", async () => {
    const borrower = new TestClient(app);
    await borrower.post("/api/portal/auth/request-code", { phone: "13800138000" });
    const code = await latestCode();
    context.clock.advance(5 * 60_000 + 1);
    const response = await borrower.post("/api/portal/auth/verify", { phone: "13800138000", code });
    assert.equal(response.status, 401);
    assert.equal(response.body.error.code, "OTP_EXPIRED");
  });

  it("gives up after five wrong codes, even if the right one follows", async () => {
    const borrower = new TestClient(app);
    await borrower.post("/api/portal/auth/request-code", { phone: "13800138000" });
    const code = await latestCode();
    const wrong = code === "000000" ? "111111" : "000000";
    const codes: string[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1)
      codes.push((await borrower.post("/api/portal/auth/verify", { phone: "13800138000", code: wrong })).body.error.code);
    assert.deepEqual(codes, ["OTP_INVALID", "OTP_INVALID", "OTP_INVALID", "OTP_INVALID", "OTP_ATTEMPTS_EXCEEDED"]);
    assert.equal((await borrower.post("/api/portal/auth/verify", { phone: "13800138000", code })).body.error.code, "OTP_ATTEMPTS_EXCEEDED");
  });
});
