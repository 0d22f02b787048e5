// Ledger events of a credit-card account: purchases become principal receivable; interest and
// fees become receivable when a statement bills them; payments pay fees, then interest, then
// principal, and anything beyond what is owed waits in suspense until the next purchase.
// Events are replayed in the engine's order within a day (purchases, payments, statement), so
// the receivables always equal the statement's billed + unbilled balance.
import type { LedgerAccount, LedgerEvent, PostingLine } from "../../ledger/index.js";
import type { CardAccountState, CardPayment, CardTransaction } from "./card-statement.js";

type Component = "fee" | "interest" | "principal";
const receivable: Record<Component, LedgerAccount> = { fee: "receivable:fee", interest: "receivable:interest", principal: "receivable:principal" };

export function cardLedgerEventsOf(state: CardAccountState, transactions: readonly CardTransaction[], payments: readonly CardPayment[]): LedgerEvent[] {
  const owed: Record<Component, bigint> = { fee: 0n, interest: 0n, principal: 0n };
  let suspense = 0n;
  const events: LedgerEvent[] = [];
  const days = [
    ...new Set([
      ...transactions.map((item) => item.postedOn),
      ...payments.map((item) => item.receivedOn),
      ...state.statements.map((item) => item.statementDate),
    ]),
  ]
    .filter((day) => day <= state.asOf)
    .sort();
  for (const day of days) {
    for (const transaction of transactions.filter((item) => item.postedOn === day)) {
      events.push({
        key: `purchase:${transaction.id}`,
        kind: "disbursement",
        effectiveOn: day,
        paymentId: null,
        postings: [
          { account: "receivable:principal", installmentNumber: null, amountMinor: transaction.amountMinor },
          { account: "funding", installmentNumber: null, amountMinor: -transaction.amountMinor },
        ],
      });
      owed.principal += transaction.amountMinor;
      if (suspense > 0n) {
        const used = suspense < transaction.amountMinor ? suspense : transaction.amountMinor;
        suspense -= used;
        owed.principal -= used;
        events.push({
          key: `credit:${transaction.id}`,
          kind: "credit_applied",
          effectiveOn: day,
          paymentId: null,
          postings: [
            { account: "suspense", installmentNumber: null, amountMinor: used },
            { account: "receivable:principal", installmentNumber: null, amountMinor: -used },
          ],
        });
      }
    }
    for (const payment of payments.filter((item) => item.receivedOn === day)) {
      const postings: PostingLine[] = [{ account: "cash", installmentNumber: null, amountMinor: payment.amountMinor }];
      let left = payment.amountMinor;
      for (const component of ["fee", "interest", "principal"] as const) {
        const take = owed[component] < left ? owed[component] : left;
        if (take <= 0n) continue;
        owed[component] -= take;
        left -= take;
        postings.push({ account: receivable[component], installmentNumber: null, amountMinor: -take });
      }
      if (left > 0n) {
        suspense += left;
        postings.push({ account: "suspense", installmentNumber: null, amountMinor: -left });
      }
      events.push({ key: `payment:${payment.id}`, kind: "payment", effectiveOn: day, paymentId: payment.id, postings });
    }
    for (const statement of state.statements.filter((item) => item.statementDate === day)) {
      const charges: [Component, bigint, LedgerAccount][] = [
        ["interest", statement.interestMinor, "income:interest"],
        ["fee", statement.feesMinor, "income:fee"],
      ];
      for (const [component, amount, income] of charges) {
        if (amount === 0n) continue;
        owed[component] += amount;
        events.push({
          key: `statement-${component}:${day}`,
          kind: "accrual",
          effectiveOn: day,
          paymentId: null,
          postings: [
            { account: receivable[component], installmentNumber: null, amountMinor: amount },
            { account: income, installmentNumber: null, amountMinor: -amount },
          ],
        });
      }
    }
  }
  return events;
}
