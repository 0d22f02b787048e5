// Golden books for the daily close: a few loans closed day by day for 90 days across a month
// end and the 2028 leap day, with payments early, late and partial. The expected DPD, bucket and
// penalty for every day are written out by hand below (rules in the comments), not computed by
// the engine under test.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { addDays, daysBetween, type PlainDate } from "../../platform/plain-date.js";
import { insertLender, testNationalId } from "../../platform/testing/fixtures.js";
import { createTestContext, type TestContext } from "../../platform/testing/test-context.js";
import { registerBorrower } from "../borrowers/index.js";
import { addProduct, buildStatement, loadLoan, loadPayments, openLoan, recordPayment } from "../loans/index.js";
import { closeDate } from "./close.service.js";

let context: TestContext;
let lenderId: string;
const loans: Record<"A" | "B" | "C", string> = { A: "", B: "", C: "" };
const system = { actorType: "system" as const, actorId: null };
const START = "2027-12-31";
const at = (day: PlainDate) => new Date(`${day}T02:00:00Z`); // 10:00 in Shanghai

interface Observed {
  dpd: number;
  bucket: string;
  status: string;
  /** Penalty charged so far (the engine state the close keeps). */
  penaltyAccrued: number;
  /** receivable:penalty + income:penalty posted in the ledger, effective on or before the day. */
  penaltyPosted: number;
  feePosted: number;
}

const observed = new Map<string, Observed>();

/** Penalty charged through `day` by the statement engine (charged, whether paid or not). */
async function penaltyCharged(loanId: string, day: PlainDate): Promise<number> {
  const db = context.database.db;
  const loan = await loadLoan(db, loanId);
  const statement = buildStatement(loan.facts, await loadPayments(db, loanId), day);
  return statement.installments.reduce((sum, item) => sum + Number(item.balances.penalty.chargedMinor), 0);
}

before(async () => {
  context = await createTestContext({ now: `${START}T02:00:00Z` });
  lenderId = (await insertLender(context)).lenderId;
  const db = context.database.db;
  await db.transaction().execute(async (trx) => {
    const product = (code: string, method: "equal_principal" | "equal_installment" | "interest_first", rate: string, terms: object) =>
      addProduct(context, trx, { lenderId, code, name: code, nameEn: code, repaymentMethod: method, termMonths: 3, annualRate: rate, currency: "CNY", terms });
    const ep = await product("EP", "equal_principal", "18", {});
    const ei = await product("EI", "equal_installment", "12", {});
    const ifirst = await product("IF", "interest_first", "12", {
      graceDays: 3,
      lateFee: { kind: "fixed", amountMinor: 2_000n },
      penalty: { base: "overdue_amount", dailyRatePercent: "0.05", compounding: "simple" },
    });
    const borrower = (n: number) =>
      registerBorrower(context, trx, lenderId, { externalRef: `B${n}`, name: `借款人${n}`, nationalId: testNationalId(n), phone: `1380013800${n}` }, system);
    const open = (externalRef: string, borrowerId: string, productId: string, principalMinor: bigint) =>
      openLoan(context, trx, { lenderId, borrowerId, productId, externalRef, principalMinor, openedOn: START }, system);
    loans.A = await open("A", await borrower(1), ep, 1_200_000n);
    loans.B = await open("B", await borrower(2), ei, 600_000n);
    loans.C = await open("C", await borrower(3), ifirst, 1_000_000n);
  });
  const installment = async (loanId: string, number: number) =>
    db.selectFrom("loan_installments").selectAll().where("loan_id", "=", loanId).where("number", "=", number).executeTakeFirstOrThrow();
  const b1 = await installment(loans.B, 1);
  const b2 = await installment(loans.B, 2);
  const pay = (loanId: string, receivedOn: PlainDate, amountMinor: bigint) =>
    recordPayment(context, db, { lenderId, loanId, idempotencyKey: `${loanId}:${receivedOn}`, amountMinor, currency: "CNY", receivedOn, source: "test" });
  const payments: Record<string, () => Promise<unknown>> = {
    // B pays installment 1 two days early; it waits as credit and settles the installment on its due date.
    "2028-01-29": () => pay(loans.B, "2028-01-29", b1.principal_minor + b1.interest_minor),
    // C pays 50.00 of its 100.00 interest, after the 20.00 late fee and 0.35 penalty.
    "2028-02-10": () => pay(loans.C, "2028-02-10", 5_000n),
    // B pays installment 2 (due on the leap day) five days late, with the five days' penalty.
    "2028-03-05": () => pay(loans.B, "2028-03-05", b2.principal_minor + b2.interest_minor + 500n),
  };
  for (let day = addDays(START, 1); day <= "2028-03-30"; day = addDays(day, 1)) {
    context.clock.set(at(day));
    await payments[day]?.();
    await closeDate(context, lenderId, day, { partitions: 3 });
    // DPD between closes comes from the day it counts from; the close writes only on events.
    const rows = await sql<{ loan_id: string; dpd: number; bucket: string; status: string }>`
      select loan_id, coalesce(${day}::date - overdue_since, 0) as dpd, bucket, status
      from account_close_state where lender_id = ${lenderId}`.execute(db);
    const posted = await sql<{ loan_id: string; account: string; total: string }>`
      select e.loan_id, p.account, sum(p.amount_minor)::text as total from journal_entries e join postings p on p.entry_id = e.id
      where e.lender_id = ${lenderId} and e.effective_on <= ${day}::date and p.account in ('income:penalty','income:fee') group by 1, 2`.execute(db);
    for (const row of rows.rows) {
      const name = Object.entries(loans).find(([, id]) => id === row.loan_id)?.[0] as string;
      const postedOf = (account: string) => 0 - Number(posted.rows.find((p) => p.loan_id === row.loan_id && p.account === account)?.total ?? 0);
      observed.set(`${name}:${day}`, {
        dpd: row.dpd,
        bucket: row.bucket,
        status: row.status,
        penaltyAccrued: await penaltyCharged(row.loan_id, day),
        penaltyPosted: postedOf("income:penalty"),
        feePosted: postedOf("income:fee"),
      });
    }
  }
});

after(async () => {
  await context.close();
});

const bucketOf = (dpd: number) => (dpd === 0 ? "M0" : dpd <= 30 ? "M1" : dpd <= 60 ? "M2" : "M3");
const everyDay = function* () {
  for (let day = addDays(START, 1); day <= "2028-03-30"; day = addDays(day, 1)) yield day;
};
const after0 = (day: PlainDate, from: PlainDate) => Math.max(0, daysBetween(from, day));

describe("daily close, golden books", () => {
  it("A, equal principal, never pays: DPD from the day after 01-31, 2.00 a day per overdue installment, posted at month ends", () => {
    for (const day of everyDay()) {
      // Installment 1 (4,000.00) is due 01-31, installment 2 (4,000.00) on the leap day 02-29.
      const dpd = after0(day, "2028-01-31");
      const penalty = 200 * after0(day, "2028-01-31") + 200 * after0(day, "2028-02-29");
      // Posting days: month ends and due dates (01-31, 02-29); the March accrual waits for 03-31.
      const posted = day >= "2028-02-29" ? 200 * 29 : 0;
      assert.deepEqual(
        observed.get(`A:${day}`),
        {
          dpd,
          bucket: bucketOf(dpd),
          status: dpd > 0 ? "overdue" : "current",
          penaltyAccrued: penalty,
          penaltyPosted: posted,
          feePosted: 0,
        },
        day,
      );
    }
  });

  it("B, equal installment, pays early then five days late: overdue 03-01 to 03-04, cured on the payment day", () => {
    for (const day of everyDay()) {
      // Installment 2's principal (1,999.93) × 0.05% = 0.99965 → 1.00 a day from 03-01.
      const late = day >= "2028-03-01" && day <= "2028-03-04";
      const dpd = late ? after0(day, "2028-02-29") : 0;
      const penalty = day >= "2028-03-01" ? 100 * Math.min(5, after0(day, "2028-02-29")) : 0;
      assert.deepEqual(
        observed.get(`B:${day}`),
        {
          dpd,
          bucket: bucketOf(dpd),
          status: dpd > 0 ? "overdue" : "current",
          penaltyAccrued: penalty,
          // The payment day is a posting day: the five days are posted on 03-05.
          penaltyPosted: day >= "2028-03-05" ? 500 : 0,
          feePosted: 0,
        },
        day,
      );
    }
  });

  it("C, interest first with 3 grace days and a 20.00 late fee, pays part: penalty on the overdue amount", () => {
    for (const day of everyDay()) {
      // Installment 1 is 100.00 interest due 01-31; grace ends 02-03; DPD counts from 02-04.
      const dpd = after0(day, "2028-02-03");
      // 100.00 × 0.05% = 0.05 a day 02-04..02-10 (7 days, 0.35); after the 50.00 payment
      // (fee 20.00, penalty 0.35, interest 29.65) 70.35 × 0.05% = 0.035175 → 0.04 a day;
      // installment 2 (100.00 interest, due 02-29, grace to 03-03) adds 0.05 a day from 03-04.
      const penalty = 5 * Math.min(7, after0(day, "2028-02-03")) + 4 * Math.max(0, after0(day, "2028-02-10")) + 5 * after0(day, "2028-03-03");
      // Posted on the payment day (02-10: 0.35) and on the leap day (02-11..02-29: 19 × 0.04).
      const posted = day >= "2028-02-29" ? 35 + 19 * 4 : day >= "2028-02-10" ? 35 : 0;
      assert.deepEqual(
        observed.get(`C:${day}`),
        {
          dpd,
          bucket: bucketOf(dpd),
          status: dpd > 0 ? "overdue" : "current",
          penaltyAccrued: penalty,
          penaltyPosted: posted,
          // The late fee accrues on 02-04 and is posted with the payment day's entry.
          feePosted: day >= "2028-02-10" ? 2_000 : 0,
        },
        day,
      );
    }
  });

  it("closes a closed date again without changing anything, and opens and closes cases with the book", async () => {
    const db = context.database.db;
    const before = await sql<{ n: string }>`select count(*)::text as n from journal_entries`.execute(db);
    const again = await closeDate(context, lenderId, "2028-03-30");
    assert.equal(again.alreadyClosed, true);
    const afterCount = await sql<{ n: string }>`select count(*)::text as n from journal_entries`.execute(db);
    assert.equal(afterCount.rows[0]?.n, before.rows[0]?.n);
    const cases = await sql<{ external_ref: string; status: string; opened_on: string; closed_on: string | null; close_reason: string | null }>`
      select b.external_ref, c.status, c.opened_on::text as opened_on, c.closed_on::text as closed_on, c.close_reason
      from collection_cases c join borrowers b on b.id = c.borrower_id order by b.external_ref, c.opened_on`.execute(db);
    assert.deepEqual(cases.rows, [
      { external_ref: "B1", status: "new", opened_on: "2028-02-01", closed_on: null, close_reason: null },
      { external_ref: "B2", status: "resolved", opened_on: "2028-03-01", closed_on: "2028-03-05", close_reason: "cured" },
      { external_ref: "B3", status: "new", opened_on: "2028-02-04", closed_on: null, close_reason: null },
    ]);
    const events = await sql<{ kind: string; business_date: string }>`
      select e.kind, e.business_date::text as business_date from account_events e where e.loan_id = ${loans.B} order by e.id`.execute(db);
    assert.deepEqual(events.rows, [
      { kind: "became_overdue", business_date: "2028-03-01" },
      { kind: "bucket_changed", business_date: "2028-03-01" },
      { kind: "bucket_changed", business_date: "2028-03-05" },
      { kind: "cured", business_date: "2028-03-05" },
    ]);
  });
});
