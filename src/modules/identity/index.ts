export { identityRoutes } from "./identity.routes.js";
export {
  addStaffUser,
  getStaffUser,
  loginStaff,
  type NewStaffUser,
  requestBorrowerCode,
  type SignedInStaffUserView,
  type StaffUserView,
  toStaffUserView,
  verifyBorrowerCode,
} from "./identity.service.js";
