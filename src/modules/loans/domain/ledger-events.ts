// Turns a loan statement into the ledger events it implies. Receivables are kept per
// installment so the ledger answers "what is outstanding on installment 3" by itself.
//
// Penalty and fees accrue every day but are posted on posting days only: month ends, the
// loan's due dates and the days a payment arrives. One entry per loan and posting day carries
// the days since the previous one, so a quiet overdue account costs the daily close nothing
// between its events, and a payment never meets penalty the ledger has not yet recognised.

import { nextDay, type PlainDate } from "../../../platform/plain-date.js";
import type { LedgerAccount, LedgerEvent, PostingLine } from "../../ledger/index.js";
import type { Accrual, Allocation, CreditApplication, LoanFacts, LoanStatement, PaymentStatement } from "./loan-statement.js";

const receivable: Record<Allocation["component"], LedgerAccount> = {
  principal: "receivable:principal",
  interest: "receivable:interest",
  penalty: "receivable:penalty",
  fee: "receivable:fee",
};
const income = { penalty: "income:penalty", fee: "income:fee" } as const;

function allocationPostings(allocations: readonly Allocation[]): PostingLine[] {
  return allocations.map((allocation) => ({
    account: receivable[allocation.component],
    installmentNumber: allocation.installmentNumber,
    amountMinor: -allocation.amountMinor,
  }));
}

/** Days on which accrued penalty and fees are posted: month ends, due dates, payment days. */
export function postingDays(loan: LoanFacts, paymentDays: Iterable<PlainDate>): (day: PlainDate) => boolean {
  const days = new Set<PlainDate>(paymentDays);
  for (const installment of loan.installments) days.add(installment.dueDate);
  return (day) => days.has(day) || nextDay(day).endsWith("-01");
}

/**
 * Groups daily accruals into one entry per posting day, up to `asOf`; what accrued after the
 * last posting day on or before `asOf` is returned as pending.
 */
export function accrualEvents(
  accruals: readonly Accrual[],
  isPostingDay: (day: PlainDate) => boolean,
  asOf: PlainDate,
): { events: LedgerEvent[]; pending: Accrual[] } {
  const events: LedgerEvent[] = [];
  let batch: Accrual[] = [];
  let closesOn: PlainDate | null = null;
  const flush = () => {
    if (batch.length > 0 && closesOn !== null) events.push(accrualEvent(closesOn, batch));
    batch = [];
  };
  for (const accrual of accruals) {
    if (closesOn === null || accrual.on > closesOn) {
      flush();
      closesOn = accrual.on;
      while (!isPostingDay(closesOn) && closesOn <= asOf) closesOn = nextDay(closesOn);
    }
    batch.push(accrual);
  }
  if (closesOn !== null && closesOn <= asOf && isPostingDay(closesOn)) {
    flush();
    return { events, pending: [] };
  }
  return { events, pending: batch };
}

function accrualEvent(on: PlainDate, accruals: readonly Accrual[]): LedgerEvent {
  const postings: PostingLine[] = [];
  for (const accrual of accruals) {
    postings.push(
      { account: receivable[accrual.component], installmentNumber: accrual.installmentNumber, amountMinor: accrual.amountMinor },
      { account: income[accrual.component], installmentNumber: null, amountMinor: -accrual.amountMinor },
    );
  }
  return { key: `accrual:${on}`, kind: "accrual", effectiveOn: on, paymentId: null, postings };
}

export function interestDueEvent(installmentNumber: number, chargedOn: PlainDate, interestMinor: bigint): LedgerEvent {
  return {
    key: `interest:${installmentNumber}`,
    kind: "interest_due",
    effectiveOn: chargedOn,
    paymentId: null,
    postings: [
      { account: "receivable:interest", installmentNumber, amountMinor: interestMinor },
      { account: "income:interest", installmentNumber: null, amountMinor: -interestMinor },
    ],
  };
}

export function paymentEvent(payment: PaymentStatement): LedgerEvent {
  return {
    key: `payment:${payment.id}`,
    kind: "payment",
    effectiveOn: payment.receivedOn,
    paymentId: payment.id,
    postings: [
      { account: "cash", installmentNumber: null, amountMinor: payment.amountMinor },
      ...allocationPostings(payment.allocations),
      ...(payment.toCreditMinor > 0n ? [{ account: "suspense" as const, installmentNumber: null, amountMinor: -payment.toCreditMinor }] : []),
    ],
  };
}

export function creditAppliedEvent(application: CreditApplication): LedgerEvent {
  const total = application.allocations.reduce((sum, allocation) => sum + allocation.amountMinor, 0n);
  return {
    key: `credit:${application.appliedOn}`,
    kind: "credit_applied",
    effectiveOn: application.appliedOn,
    paymentId: null,
    postings: [{ account: "suspense", installmentNumber: null, amountMinor: total }, ...allocationPostings(application.allocations)],
  };
}

export function disbursementEvent(loan: LoanFacts): LedgerEvent {
  return {
    key: "disbursement",
    kind: "disbursement",
    effectiveOn: loan.startDate,
    paymentId: null,
    postings: [
      ...loan.installments
        .filter((item) => item.principalMinor > 0n)
        .map((item) => ({ account: "receivable:principal" as const, installmentNumber: item.number, amountMinor: item.principalMinor })),
      { account: "funding", installmentNumber: null, amountMinor: -loan.principalMinor },
    ],
  };
}

/** Every event the statement implies, and the accruals not yet due for posting. */
export function ledgerEventsWithPending(loan: LoanFacts, statement: LoanStatement): { events: LedgerEvent[]; pending: Accrual[] } {
  const events: LedgerEvent[] = [disbursementEvent(loan)];
  for (const installment of statement.installments) {
    const interest = installment.balances.interest.chargedMinor;
    if (installment.chargedOn === null || interest === 0n) continue;
    events.push(interestDueEvent(installment.number, installment.chargedOn, interest));
  }
  const isPostingDay = postingDays(
    loan,
    statement.payments.map((payment) => payment.receivedOn),
  );
  const accruals = accrualEvents(statement.accruals, isPostingDay, statement.asOf);
  events.push(...accruals.events);
  for (const payment of statement.payments) events.push(paymentEvent(payment));
  for (const application of statement.creditApplications) events.push(creditAppliedEvent(application));
  return { events, pending: accruals.pending };
}

export function ledgerEventsOf(loan: LoanFacts, statement: LoanStatement): LedgerEvent[] {
  return ledgerEventsWithPending(loan, statement).events;
}
