export { cardRoutes } from "./card-accounts.routes.js";
export {
  cardStatement,
  cardTransactionPayloadHash,
  findCardTransactionsByKey,
  loadCard,
  postCardTransaction,
  recordCardTransaction,
  syncCardLedger,
} from "./card-accounts.service.js";
export { cardLedgerEventsOf } from "./domain/card-ledger-events.js";
export {
  buildCardState,
  type CardAccountState,
  type CardInterestLine,
  type CardPayment,
  type CardStatement,
  type CardTerms,
  type CardTransaction,
  cardStatementDates,
} from "./domain/card-statement.js";
export {
  accrualEvents,
  creditAppliedEvent,
  interestDueEvent,
  ledgerEventsOf,
  ledgerEventsWithPending,
  paymentEvent,
  postingDays,
} from "./domain/ledger-events.js";
export {
  type Accrual,
  type Allocation,
  buildStatement,
  type InstallmentStatement,
  type LoanFacts,
  LoanRun,
  type LoanSnapshot,
  type LoanStatement,
  type PaymentFact,
  type PayoffQuote,
  type PenaltyLine,
  paymentsByDay,
  quotePayoff,
  replayLoan,
  type SnapshotItem,
} from "./domain/loan-statement.js";
export { bucketOf, type Component, checkProductTerms, civilCodeWaterfall, defaultTerms, type ProductTerms } from "./domain/product-terms.js";
export {
  buildSchedule,
  checkTerms,
  type Installment,
  levelPaymentMinor,
  repaymentMethods,
  type ScheduleMethod,
  type ScheduleTerms,
  type ScheduleTotals,
  scheduleTotals,
} from "./domain/schedule.js";
export { decodeFacts, decodeSnapshot, type EncodedFacts, type EncodedSnapshot, encodeFacts, encodeSnapshot, scheduleOf } from "./domain/snapshot-codec.js";
export { decodeTerms, encodeTerms } from "./domain/terms-codec.js";
export { loanBookRoutes, presentStatement } from "./loan-book.routes.js";
export {
  businessToday,
  findLoansByExternalRef,
  findPaymentsByKey,
  findProductsByCode,
  type LoanReference,
  loadLoan,
  loadPayments,
  loanPayoffQuote,
  loanStatement,
  loanStatementsOf,
  type NewLoan,
  openLoan,
  type PaymentInput,
  type PaymentRecord,
  paymentPayloadHash,
  postPayment,
  recordPayment,
  reversePayment,
  syncAccountLedger,
  syncLoanLedger,
} from "./loan-book.service.js";
export { loanRoutes } from "./loans.routes.js";
export { addProduct, type LoanAccountView, listLoanAccounts, type NewProduct } from "./loans.service.js";
