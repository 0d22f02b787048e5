export { borrowerRoutes } from "./borrowers.routes.js";
export {
  type BorrowerProfile,
  type BorrowerReference,
  findBorrowersByExternalRef,
  findBorrowersByPhone,
  getBorrowerProfile,
  isBorrowerInScope,
  presentBorrowerRow,
  presentBorrowers,
  registerBorrower,
  revealBorrowerField,
  type ShownBorrower,
} from "./borrowers.service.js";
export {
  type AddressView,
  addBorrowerAddress,
  addBorrowerContact,
  type BorrowerFile,
  type ContactDetailChange,
  type ContactView,
  getBorrowerFile,
  listContactDetailHistory,
  listContactDetails,
  updateBorrowerAddress,
  updateBorrowerContact,
} from "./contact-details.service.js";
export { addContact, type ContactOutcome, contactError } from "./contacts.service.js";
export type { BorrowerInput } from "./domain/borrower-input.js";
export { type BorrowerProblem, type ValidBorrower, validateBorrower } from "./domain/borrower-input.js";
export { addressInvalidReasons, addressKinds, contactInvalidReasons, detailSources } from "./domain/contact-details.js";
export { type ContactInput, type ContactKind, contactKinds, relationships, type ValidContact, validateContact } from "./domain/contact-input.js";
