// The close's core against the statement engine: an account closed day by day, or only on
// its event days, posts exactly the ledger a full replay implies and emits the same events.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { addDays, nextDay, type PlainDate } from "../../../platform/plain-date.js";
import { type LedgerEvent, normalizePostings } from "../../ledger/index.js";
import {
  buildSchedule,
  defaultTerms,
  type LoanFacts,
  LoanRun,
  ledgerEventsOf,
  type PaymentFact,
  type ProductTerms,
  replayLoan,
  type ScheduleMethod,
} from "../../loans/index.js";
import { type AccountView, advanceAccount, defaultClosePolicy, monthEnd } from "./advance.js";

function facts(method: ScheduleMethod, principalMinor: bigint, months: number, rate: string, terms: Partial<ProductTerms>, start: PlainDate): LoanFacts {
  return {
    principalMinor,
    annualRatePercent: rate,
    startDate: start,
    installments: buildSchedule({ principalMinor, annualRatePercent: rate, months, method, startDate: start }),
    terms: { ...defaultTerms, ...terms },
  };
}

const canonical = (events: readonly LedgerEvent[]) =>
  events
    .map((event) => ({
      key: event.key,
      on: event.effectiveOn,
      postings: normalizePostings(event.postings).map((p) => `${p.account}#${p.installmentNumber}:${p.amountMinor}`),
    }))
    .filter((event) => event.postings.length > 0)
    .sort((left, right) => (left.key < right.key ? -1 : left.key > right.key ? 1 : 0));

interface Simulation {
  entries: LedgerEvent[];
  events: string[];
  touched: number;
}

/** Closes every day from the start to `end`, or only on event and payment days. */
function simulate(loan: LoanFacts, payments: readonly PaymentFact[], end: PlainDate, eventDriven: boolean): Simulation {
  let snapshot = new LoanRun(loan).snapshot([]);
  let view: AccountView = { dpd: 0, bucket: "M0", status: "current", writeOffCandidate: false };
  let next: PlainDate | null = nextDay(loan.startDate);
  const entries: LedgerEvent[] = [];
  const events: string[] = [];
  let touched = 0;
  let pendingPayments: PaymentFact[] = [];
  for (let day = nextDay(loan.startDate); day <= end; day = nextDay(day)) {
    pendingPayments.push(...payments.filter((payment) => payment.receivedOn === day));
    const due = !eventDriven || pendingPayments.length > 0 || (next !== null && next <= day);
    if (!due) continue;
    touched += 1;
    const result = advanceAccount(loan, snapshot, pendingPayments, day, view, defaultClosePolicy);
    pendingPayments = [];
    entries.push(...result.entries);
    for (const event of result.events) events.push(`${day}:${event.kind}`);
    snapshot = result.snapshot;
    view = result.view;
    next = result.nextEventOn;
  }
  return { entries, events, touched };
}

describe("daily close core", () => {
  it("knows month ends, leap years included", () => {
    assert.equal(monthEnd("2028-02-10"), "2028-02-29");
    assert.equal(monthEnd("2026-02-28"), "2026-02-28");
    assert.equal(monthEnd("2026-12-01"), "2026-12-31");
  });

  const scenario = fc.record({
    method: fc.constantFrom<ScheduleMethod>("equal_installment", "equal_principal", "interest_first", "bullet"),
    principalMinor: fc.bigInt({ min: 10_000n, max: 5_000_000n }),
    months: fc.integer({ min: 1, max: 6 }),
    rate: fc.constantFrom("0", "9.6", "18", "23.5"),
    graceDays: fc.constantFrom(0, 3),
    compounding: fc.constantFrom<"simple" | "compound">("simple", "compound"),
    base: fc.constantFrom<"overdue_principal" | "overdue_amount">("overdue_principal", "overdue_amount"),
    lateFee: fc.constantFrom<ProductTerms["lateFee"]>(
      { kind: "none" },
      { kind: "fixed", amountMinor: 2_000n },
      { kind: "percent", percent: "5", minMinor: 500n, maxMinor: 5_000n },
    ),
    cap: fc.constantFrom<ProductTerms["legalCap"]>(null, { annualPercent: "24" }),
    start: fc.constantFrom("2026-01-31", "2027-12-15", "2028-02-29"),
    payments: fc.array(fc.record({ day: fc.integer({ min: 0, max: 220 }), amountMinor: fc.bigInt({ min: 1n, max: 2_000_000n }), payoff: fc.boolean() }), {
      maxLength: 6,
    }),
    endDay: fc.integer({ min: 1, max: 240 }),
  });

  it("posts what a full replay implies, whether it closes every day or only on event days", () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const loan = facts(
          input.method,
          input.principalMinor,
          input.months,
          input.rate,
          {
            graceDays: input.graceDays,
            penalty: { base: input.base, dailyRatePercent: "0.05", compounding: input.compounding },
            lateFee: input.lateFee,
            legalCap: input.cap,
          },
          input.start,
        );
        const end = addDays(input.start, input.endDay);
        const payments = input.payments.map((payment, index) => ({
          id: `p${index}`,
          receivedOn: addDays(input.start, Math.min(Math.max(payment.day, 1), input.endDay)),
          amountMinor: payment.amountMinor,
          purpose: payment.payoff ? ("payoff" as const) : ("regular" as const),
        }));
        const replayed = ledgerEventsOf(loan, replayLoan(loan, payments, end).statement(end)).filter((event) => event.kind !== "disbursement");
        const daily = simulate(loan, payments, end, false);
        const driven = simulate(loan, payments, end, true);
        assert.deepEqual(canonical(daily.entries), canonical(replayed));
        assert.deepEqual(canonical(driven.entries), canonical(replayed));
        assert.deepEqual(driven.events, daily.events, "event-driven closes emit the same events on the same days");
        assert.ok(driven.touched <= daily.touched);
      }),
      { numRuns: Number(process.env.CLOSE_PROPERTY_RUNS ?? 300) },
    );
  });
});
