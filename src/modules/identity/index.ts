export { identityRoutes } from "./identity.routes.js";
export {
  addStaffUser,
  getStaffUser,
  loginStaff,
  type NewStaffUser,
  requestBorrowerCode,
  type StaffUserView,
  toStaffUserView,
  verifyBorrowerCode,
} from "./identity.service.js";
