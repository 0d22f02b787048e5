export { loanRoutes } from "./loans.routes.js";
export { addLoanAccounts, addProduct, type LoanAccountView, listLoanAccounts, type NewLoanAccount, type NewProduct } from "./loans.service.js";
