// Turns a loan statement into the ledger events it implies. Receivables are kept per
// installment so the ledger answers "what is outstanding on installment 3" by itself.
import type { LedgerAccount, LedgerEvent, PostingLine } from "../../ledger/index.js";
import type { Allocation, LoanFacts, LoanStatement } from "./loan-statement.js";

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

export function ledgerEventsOf(loan: LoanFacts, statement: LoanStatement): LedgerEvent[] {
  const events: LedgerEvent[] = [
    {
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
    },
  ];
  for (const installment of statement.installments) {
    const interest = installment.balances.interest.chargedMinor;
    if (installment.chargedOn === null || interest === 0n) continue;
    events.push({
      key: `interest:${installment.number}`,
      kind: "interest_due",
      effectiveOn: installment.chargedOn,
      paymentId: null,
      postings: [
        { account: "receivable:interest", installmentNumber: installment.number, amountMinor: interest },
        { account: "income:interest", installmentNumber: null, amountMinor: -interest },
      ],
    });
  }
  const accrualsByDay = new Map<string, PostingLine[]>();
  for (const accrual of statement.accruals) {
    const postings = accrualsByDay.get(accrual.on) ?? [];
    postings.push(
      { account: receivable[accrual.component], installmentNumber: accrual.installmentNumber, amountMinor: accrual.amountMinor },
      { account: income[accrual.component], installmentNumber: null, amountMinor: -accrual.amountMinor },
    );
    accrualsByDay.set(accrual.on, postings);
  }
  for (const [day, postings] of accrualsByDay) events.push({ key: `accrual:${day}`, kind: "accrual", effectiveOn: day, paymentId: null, postings });
  for (const payment of statement.payments) {
    events.push({
      key: `payment:${payment.id}`,
      kind: "payment",
      effectiveOn: payment.receivedOn,
      paymentId: payment.id,
      postings: [
        { account: "cash", installmentNumber: null, amountMinor: payment.amountMinor },
        ...allocationPostings(payment.allocations),
        ...(payment.toCreditMinor > 0n ? [{ account: "suspense" as const, installmentNumber: null, amountMinor: -payment.toCreditMinor }] : []),
      ],
    });
  }
  for (const application of statement.creditApplications) {
    const total = application.allocations.reduce((sum, allocation) => sum + allocation.amountMinor, 0n);
    events.push({
      key: `credit:${application.appliedOn}`,
      kind: "credit_applied",
      effectiveOn: application.appliedOn,
      paymentId: null,
      postings: [{ account: "suspense", installmentNumber: null, amountMinor: total }, ...allocationPostings(application.allocations)],
    });
  }
  return events;
}
