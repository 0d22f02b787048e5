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
