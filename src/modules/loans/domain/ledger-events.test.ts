// The ledger, replayed in memory: kept in step with the statement engine through planSync, it
// balances entry by entry, its receivables equal the statement's outstanding amounts, and a
// reversed payment restores every balance exactly.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { addDays } from "../../../platform/plain-date.js";
import { type ActiveEntry, assertBalanced, type LedgerEvent, planSync, reversalPostings } from "../../ledger/index.js";
import { ledgerEventsOf, ledgerEventsWithPending } from "./ledger-events.js";
import { buildStatement, type LoanFacts, type PaymentFact } from "./loan-statement.js";
import { defaultTerms } from "./product-terms.js";
import { buildSchedule, type ScheduleMethod } from "./schedule.js";

interface StoredEntry extends ActiveEntry {
  reversedBy: string | null;
  reverses: string | null;
}

class MemoryLedger {
  entries: StoredEntry[] = [];
  private sequence = 0;

  active(): ActiveEntry[] {
    return this.entries.filter((entry) => entry.reverses === null && entry.reversedBy === null);
  }

  sync(target: readonly LedgerEvent[]): void {
    const plan = planSync(this.active(), target);
    for (const entry of plan.reverse) {
      const stored = this.entries.find((candidate) => candidate.id === entry.id) as StoredEntry;
      const id = `e${++this.sequence}`;
      stored.reversedBy = id;
      this.entries.push({ ...entry, id, postings: reversalPostings(entry), reverses: entry.id, reversedBy: null });
    }
    for (const event of plan.post) this.entries.push({ ...event, id: `e${++this.sequence}`, reverses: null, reversedBy: null });
  }

  balances(): Map<string, bigint> {
    const totals = new Map<string, bigint>();
    for (const entry of this.entries) {
      for (const posting of entry.postings) {
        const key = `${posting.account}#${posting.installmentNumber ?? "-"}`;
        totals.set(key, (totals.get(key) ?? 0n) + posting.amountMinor);
      }
    }
    for (const [key, value] of totals) if (value === 0n) totals.delete(key);
    return totals;
  }
}

function facts(method: ScheduleMethod, principalMinor: bigint, months: number, rate: string): LoanFacts {
  return {
    principalMinor,
    annualRatePercent: rate,
    startDate: "2026-01-31",
    installments: buildSchedule({ principalMinor, annualRatePercent: rate, months, method, startDate: "2026-01-31" }),
    terms: { ...defaultTerms, lateFee: { kind: "fixed", amountMinor: 2_000n } },
  };
}

describe("ledger from statements", () => {
  it("posts disbursement, interest, penalty, fee and payment entries that match the statement", () => {
    const loan = facts("equal_principal", 1_200_000n, 3, "18");
    const payments: PaymentFact[] = [{ id: "p1", receivedOn: "2026-03-05", amountMinor: 200_000n }];
    const statement = buildStatement(loan, payments, "2026-03-10");
    const ledger = new MemoryLedger();
    const { events, pending } = ledgerEventsWithPending(loan, statement);
    ledger.sync(events);
    for (const entry of ledger.entries) assertBalanced(entry);
    const balances = ledger.balances();
    const first = statement.installments[0];
    assert.equal(balances.get("receivable:principal#1"), first?.balances.principal.outstandingMinor);
    // Penalty since the payment day (03-06 to 03-10) waits for the month end; the ledger plus
    // what is pending equals the statement.
    assert.deepEqual(
      pending.map((accrual) => accrual.on),
      ["2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09", "2026-03-10"],
    );
    const pendingPenalty = pending.reduce((sum, accrual) => sum + accrual.amountMinor, 0n);
    assert.equal((balances.get("receivable:penalty#1") ?? 0n) + pendingPenalty, first?.balances.penalty.outstandingMinor);
    assert.equal(balances.get("funding#-"), -1_200_000n);
    assert.equal(balances.get("cash#-"), 200_000n);
    // Installment 1's late fee (20.00) was charged on its first overdue day and paid first.
    assert.equal(balances.get("income:fee#-"), -2_000n);
    assert.equal(balances.get("receivable:fee#1"), undefined);
  });

  it("posts penalty once per posting day: month ends, due dates and payment days", () => {
    const loan = facts("equal_principal", 1_200_000n, 3, "18");
    // Installment 1 (due 02-28 for a 01-31 start) is never paid; a payment arrives on 04-10.
    const statement = buildStatement(loan, [{ id: "p1", receivedOn: "2026-04-10", amountMinor: 1_000n }], "2026-04-20");
    const accruals = ledgerEventsOf(loan, statement).filter((event) => event.kind === "accrual");
    assert.deepEqual(
      accruals.map((event) => event.key),
      ["accrual:2026-03-31", "accrual:2026-04-10"],
      "March's penalty at the month end (the 03-31 due date too), April's up to the payment day",
    );
  });

  it("clears every receivable when a loan is paid off early", () => {
    const loan = facts("equal_installment", 1_200_000n, 6, "18");
    const statement = buildStatement(loan, [{ id: "p1", receivedOn: "2026-03-20", amountMinor: 2_000_000n, purpose: "payoff" }], "2026-06-01");
    const ledger = new MemoryLedger();
    ledger.sync(ledgerEventsOf(loan, statement));
    const receivables = [...ledger.balances()].filter(([key]) => key.startsWith("receivable:"));
    assert.deepEqual(receivables, []);
    assert.equal(ledger.balances().get("suspense#-"), -statement.creditMinor);
    assert.ok(statement.creditMinor > 0n, "the overpayment beyond the payoff is held as credit");
  });

  const scenario = fc.record({
    method: fc.constantFrom<ScheduleMethod>("equal_installment", "equal_principal", "interest_first", "bullet"),
    principalMinor: fc.bigInt({ min: 10_000n, max: 10_000_000n }),
    months: fc.integer({ min: 1, max: 6 }),
    rate: fc.constantFrom("0", "9.6", "18", "23.5"),
    payments: fc.array(fc.record({ day: fc.integer({ min: 1, max: 200 }), amountMinor: fc.bigInt({ min: 1n, max: 3_000_000n }) }), {
      minLength: 1,
      maxLength: 6,
    }),
    returnedIndex: fc.nat(),
    asOfDay: fc.integer({ min: 1, max: 240 }),
  });

  it("balances every entry, matches the statement, and restores every balance exactly when a payment is returned", () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const loan = facts(input.method, input.principalMinor, input.months, input.rate);
        const asOf = addDays("2026-01-31", input.asOfDay);
        const payments = input.payments
          .map((payment, index) => ({
            id: `p${index}`,
            receivedOn: addDays("2026-01-31", Math.min(payment.day, input.asOfDay)),
            amountMinor: payment.amountMinor,
          }))
          .filter((payment) => payment.receivedOn <= asOf);
        const returned = payments[input.returnedIndex % Math.max(payments.length, 1)];
        const without = payments.filter((payment) => payment !== returned);

        const reference = new MemoryLedger();
        reference.sync(ledgerEventsOf(loan, buildStatement(loan, without, asOf)));

        const ledger = new MemoryLedger();
        const withAll = buildStatement(loan, payments, asOf);
        ledger.sync(ledgerEventsOf(loan, withAll));
        for (const entry of ledger.entries) assertBalanced(entry);
        const balances = ledger.balances();
        let principal = 0n;
        for (const installment of withAll.installments) principal += balances.get(`receivable:principal#${installment.number}`) ?? 0n;
        if (principal !== withAll.principalOutstandingMinor) return false;
        if ((balances.get("suspense#-") ?? 0n) !== -withAll.creditMinor) return false;

        ledger.sync(ledgerEventsOf(loan, buildStatement(loan, without, asOf)));
        for (const entry of ledger.entries) assertBalanced(entry);
        assert.deepEqual(ledger.balances(), reference.balances());
        return true;
      }),
      { numRuns: 1000 },
    );
  });
});
