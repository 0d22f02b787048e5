import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { addDays } from "../../../platform/plain-date.js";
import { buildCardState, type CardPayment, type CardTerms } from "./card-statement.js";

const terms: CardTerms = {
  statementDay: 5,
  dueDays: 20,
  dailyInterestPercent: "0.05",
  revolvingInterest: "full_balance",
  minimumPercent: "10",
  minimumFloorMinor: 10_000n,
  lateFeePercent: "5",
};
// Purchases of 1,000.00 on Jan 10 and 500.00 on Jan 20; statement Feb 5 for 1,500.00, due Feb 25.
const purchases = [
  { id: "t1", postedOn: "2026-01-10", amountMinor: 100_000n },
  { id: "t2", postedOn: "2026-01-20", amountMinor: 50_000n },
];

describe("credit-card statements", () => {
  it("issues a statement with its balance, minimum payment and due date", () => {
    const state = buildCardState(terms, "2026-01-01", purchases, [], "2026-02-05");
    assert.deepEqual(
      state.statements.map((statement) => [statement.statementDate, statement.dueDate, statement.balanceMinor, statement.minimumMinor]),
      [["2026-02-05", "2026-02-25", 150_000n, 15_000n]],
    );
  });

  it("keeps the interest-free period when the statement is paid in full by the due date", () => {
    const state = buildCardState(terms, "2026-01-01", purchases, [{ id: "p1", receivedOn: "2026-02-20", amountMinor: 150_000n }], "2026-03-05");
    assert.equal(state.statements[0]?.isPaidInFull, true);
    assert.equal(state.statements[1]?.balanceMinor, 0n);
    assert.equal(state.statements[1]?.interestMinor, 0n);
  });

  it("charges interest from the posting dates when only part is paid (full-balance rule)", () => {
    const payments: CardPayment[] = [{ id: "p1", receivedOn: "2026-02-20", amountMinor: 50_000n }];
    const state = buildCardState(terms, "2026-01-01", purchases, payments, "2026-03-05");
    const march = state.statements[1];
    // 1,000.00 × 0.05% × 47 days = 23.50; 500.00 × 0.05% × 37 days = 9.25; then 0.50 a day on the
    // 1,000.00 left, Feb 26 – Mar 5 = 4.00.
    assert.deepEqual(
      march?.interestLines.map((line) => [line.reason, line.from, line.to, line.days, line.amountMinor]),
      [
        ["interest_free_period_lost", "2026-01-10", "2026-02-25", 47, 2_350n],
        ["interest_free_period_lost", "2026-01-20", "2026-02-25", 37, 925n],
        ["revolving_balance", "2026-02-26", "2026-03-05", 8, 400n],
      ],
    );
    assert.equal(march?.balanceMinor, 103_675n);
    assert.equal(state.statements[0]?.isMinimumMet, true);
    assert.equal(state.daysPastDue, 0);
  });

  it("charges only the unpaid portion under the unpaid-portion rule", () => {
    const state = buildCardState(
      { ...terms, revolvingInterest: "unpaid_portion" },
      "2026-01-01",
      purchases,
      [{ id: "p1", receivedOn: "2026-02-20", amountMinor: 50_000n }],
      "2026-03-05",
    );
    // 1,000.00 × 0.05% × 20 days (Feb 6 – Feb 25) = 10.00, then 4.00.
    assert.equal(state.statements[1]?.interestMinor, 1_400n);
  });

  it("charges a late fee and counts days past due when the minimum is missed", () => {
    const early = buildCardState(terms, "2026-01-01", purchases, [], "2026-03-01");
    assert.equal(early.daysPastDue, 4);
    assert.equal(early.bucket, "M1");
    assert.equal(early.accruedFeesMinor, 750n, "5% of the 150.00 minimum");
    const state = buildCardState(terms, "2026-01-01", purchases, [], "2026-03-05");
    const march = state.statements[1];
    assert.equal(march?.balanceMinor, 154_625n);
    assert.equal(march?.minimumMinor, 15_463n + 15_000n, "this statement's minimum plus the one missed");
  });

  it("never loses money: balance equals purchases + interest + fees − payments (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ day: fc.integer({ min: 1, max: 200 }), amountMinor: fc.bigInt({ min: 1n, max: 500_000n }) }), { maxLength: 12 }),
        fc.array(fc.record({ day: fc.integer({ min: 1, max: 200 }), amountMinor: fc.bigInt({ min: 1n, max: 500_000n }) }), { maxLength: 8 }),
        fc.constantFrom<CardTerms["revolvingInterest"]>("full_balance", "unpaid_portion"),
        (transactionDays, paymentDays, revolvingInterest) => {
          const transactions = transactionDays.map((item, index) => ({
            id: `t${index}`,
            postedOn: addDays("2026-01-01", item.day),
            amountMinor: item.amountMinor,
          }));
          const payments = paymentDays.map((item, index) => ({ id: `p${index}`, receivedOn: addDays("2026-01-01", item.day), amountMinor: item.amountMinor }));
          const state = buildCardState({ ...terms, revolvingInterest }, "2026-01-01", transactions, payments, "2026-07-31");
          const charged =
            state.statements.reduce((sum, statement) => sum + statement.interestMinor + statement.feesMinor, 0n) +
            state.accruedInterestMinor +
            state.accruedFeesMinor;
          const spent = transactions.reduce((sum, item) => sum + item.amountMinor, 0n);
          const paid = payments.reduce((sum, item) => sum + item.amountMinor, 0n);
          const owed = state.billedMinor + state.unbilledMinor + state.accruedInterestMinor + state.accruedFeesMinor - state.creditMinor;
          return owed === spent + charged - paid && state.billedMinor >= 0n && state.unbilledMinor >= 0n && state.creditMinor >= 0n;
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("credit-card ledger", () => {
  it("keeps receivables equal to the billed and unbilled balance, and credit in suspense (property)", async () => {
    const { cardLedgerEventsOf } = await import("./card-ledger-events.js");
    const { assertBalanced } = await import("../../ledger/index.js");
    fc.assert(
      fc.property(
        fc.array(fc.record({ day: fc.integer({ min: 1, max: 150 }), amountMinor: fc.bigInt({ min: 1n, max: 300_000n }) }), { maxLength: 10 }),
        fc.array(fc.record({ day: fc.integer({ min: 1, max: 150 }), amountMinor: fc.bigInt({ min: 1n, max: 400_000n }) }), { maxLength: 6 }),
        (transactionDays, paymentDays) => {
          const transactions = transactionDays.map((item, index) => ({
            id: `t${index}`,
            postedOn: addDays("2026-01-01", item.day),
            amountMinor: item.amountMinor,
          }));
          const payments = paymentDays.map((item, index) => ({ id: `p${index}`, receivedOn: addDays("2026-01-01", item.day), amountMinor: item.amountMinor }));
          const state = buildCardState(terms, "2026-01-01", transactions, payments, "2026-06-10");
          const events = cardLedgerEventsOf(state, transactions, payments);
          const totals = new Map<string, bigint>();
          for (const event of events) {
            assertBalanced(event);
            for (const posting of event.postings) totals.set(posting.account, (totals.get(posting.account) ?? 0n) + posting.amountMinor);
          }
          const receivables = (totals.get("receivable:principal") ?? 0n) + (totals.get("receivable:interest") ?? 0n) + (totals.get("receivable:fee") ?? 0n);
          return receivables === state.billedMinor + state.unbilledMinor && (totals.get("suspense") ?? 0n) === -state.creditMinor;
        },
      ),
      { numRuns: 500 },
    );
  });
});
