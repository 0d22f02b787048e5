// A close reads its accounts without locking them. When a payment or ledger sync rewrites one
// of them before the partition writes back, the partition's work is rolled back and done again
// with the accounts locked, and the run ends as an undisturbed one would.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { seedDemo } from "../../demo/demo-data.js";
import { addDays } from "../../platform/plain-date.js";
import { createTestContext, type TestContext } from "../../platform/testing/test-context.js";
import { recordPayment } from "../loans/index.js";
import { readAccounts, updateAccountsDocument } from "./close.repository.js";
import { closeThrough, observePartitionWrites } from "./close.service.js";
import { accountsDocumentOf } from "./domain/partition-compute.js";

let context: TestContext;
let lenderId = "";

before(async () => {
  context = await createTestContext({ now: "2026-11-21T18:00:00Z" });
  await seedDemo(context, { borrowers: 30 });
  lenderId = (await context.database.db.selectFrom("lenders").select("id").where("code", "=", "demo").executeTakeFirstOrThrow()).id;
});

after(async () => {
  observePartitionWrites(null);
  await context?.close();
});

const everything = { start: "00000000-0000-0000-0000-000000000000", end: null };

describe("a close and a concurrent writer", () => {
  it("writes back only accounts still as read", async () => {
    const db = context.database.db;
    const accounts = await readAccounts(db, lenderId, everything, "2026-11-21", true, false);
    assert.ok(accounts.length >= 2);
    const [moved, kept] = accounts as [(typeof accounts)[0], (typeof accounts)[0]];
    await sql`update account_close_state set next_event_on = next_event_on where loan_id = ${moved.loan_id}`.execute(db);
    const rows = [moved, kept].map((account) => ({
      loan_id: account.loan_id,
      state: account.state,
      state_on: account.state_on,
      next_event_on: "2030-01-01",
      overdue_since: null,
      dpd: account.dpd,
      bucket: account.bucket,
      overdue_minor: "0",
      outstanding_minor: "0",
      status: account.status,
      write_off_candidate: account.write_off_candidate,
      xmin: account.xmin,
    }));
    await db
      .transaction()
      .execute(async (trx) => {
        assert.equal(await updateAccountsDocument(trx, accountsDocumentOf(rows), "2026-11-21"), 1, "only the account nobody rewrote");
        const after = await sql<{ loan_id: string; next_event_on: string | null }>`
        select loan_id, next_event_on::text from account_close_state where loan_id in (${moved.loan_id}, ${kept.loan_id})`.execute(trx);
        const byLoan = new Map(after.rows.map((row) => [row.loan_id, row.next_event_on]));
        assert.notEqual(byLoan.get(moved.loan_id), "2030-01-01", "the rewritten account keeps the other writer's version");
        assert.equal(byLoan.get(kept.loan_id), "2030-01-01");
        throw new Error("roll back");
      })
      .catch((error: Error) => assert.equal(error.message, "roll back"));
  });

  it("closes a partition again, with locks, when an account was rewritten under it", async () => {
    const db = context.database.db;
    const first = await sql<{ on: string }>`
      select min(next_event_on)::text as on from account_close_state where lender_id = ${lenderId} and next_event_on >= '2026-11-21'`.execute(db);
    const day = first.rows[0]?.on as string;
    assert.ok(day, "an account has an event due");
    const seen: { loans: string[] }[] = [];
    let disturbed = false;
    observePartitionWrites(async (writes, executor) => {
      const loans = writes.accounts.loanIds;
      seen.push({ loans });
      // The first time accounts are due, a ledger sync rewrites the first of them (a new row version).
      if (!disturbed && writes.accounts.loanIds[0]) {
        disturbed = true;
        await sql`update account_close_state set next_event_on = next_event_on where loan_id = ${writes.accounts.loanIds[0]}`.execute(executor);
      }
    });
    const summaries = await closeThrough(context, lenderId, day, { partitions: 1 });
    observePartitionWrites(null);
    const busy = seen.filter((call) => call.loans.length > 0);
    assert.equal(busy.length, 2, "the partition with due accounts ran twice");
    assert.deepEqual(busy[1]?.loans, busy[0]?.loans, "over the same accounts");
    assert.equal(summaries.at(-1)?.totals.accountsTouched, busy[0]?.loans.length, "and counted them once");
    const written = await sql<{ n: string }>`
      select count(*)::text as n from account_close_state where lender_id = ${lenderId} and closed_on = ${day}::date`.execute(db);
    assert.equal(Number(written.rows[0]?.n), busy[0]?.loans.length, "every account of the partition was written back");
  });

  it("applies a payment received on the date being closed and recorded while that close runs", async () => {
    const db = context.database.db;
    // An account due on the next date to close, in the first of two partitions: the payment is
    // recorded in the second partition's transaction, after the account's partition committed.
    const due = await sql<{ loan_id: string; on: string }>`
      select s.loan_id, s.next_event_on::text as on from account_close_state s
      where s.lender_id = ${lenderId} and s.loan_id < '80000000-0000-0000-0000-000000000000'
        and s.next_event_on > (select closed_through from lenders where id = ${lenderId})
      order by s.next_event_on, s.loan_id limit 1`.execute(db);
    const account = due.rows[0];
    assert.ok(account, "an account of the first partition has an event due");
    const day = account.on;
    context.clock.set(new Date(`${day}T18:00:00Z`)); // the evening of the day closed: the next morning in Shanghai
    let paymentId: string | null = null;
    let isAccountClosed = false;
    observePartitionWrites(async (writes, executor) => {
      if (writes.accounts.loanIds.includes(account.loan_id)) isAccountClosed = true;
      else if (isAccountClosed && paymentId === null)
        paymentId = await recordPayment(context, executor, {
          lenderId,
          loanId: account.loan_id,
          idempotencyKey: `during-close:${account.loan_id}`,
          amountMinor: 10_000n,
          currency: "CNY",
          receivedOn: day,
          source: "test",
        });
    });
    await closeThrough(context, lenderId, day, { partitions: 2 });
    observePartitionWrites(null);
    assert.ok(paymentId, "the payment was recorded while the close ran, after the account's partition");
    context.clock.set(new Date(`${addDays(day, 1)}T18:00:00Z`));
    await closeThrough(context, lenderId, addDays(day, 1), { partitions: 2 });
    const applied = await sql<{ n: string }>`
      select count(*)::text as n from journal_entries where payment_id = ${paymentId} and kind = 'payment'`.execute(db);
    assert.equal(Number(applied.rows[0]?.n), 1, "the ledger holds the payment, once");
  });
});
