export { borrowerRoutes } from "./borrowers.routes.js";
export {
  type BorrowerProfile,
  findBorrowersByPhone,
  getBorrowerProfile,
  isBorrowerInScope,
  presentBorrowers,
  registerBorrower,
  revealBorrowerField,
} from "./borrowers.service.js";
export type { BorrowerInput } from "./domain/borrower-input.js";
