export {
  type Allocation,
  buildStatement,
  type InstallmentStatement,
  type LoanFacts,
  type LoanStatement,
  type PaymentFact,
  type PenaltyLine,
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
export { loanRoutes } from "./loans.routes.js";
export { addLoanAccounts, addProduct, type LoanAccountView, listLoanAccounts, type NewLoanAccount, type NewProduct } from "./loans.service.js";
