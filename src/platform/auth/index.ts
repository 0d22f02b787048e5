export { type Actor, type BorrowerRef, borrowerRef, type CheckedBorrower, type DataScope, dataScopeOf } from "./actor.js";
export { type ScopeColumns, scopeCondition } from "./data-scope.js";
export { hashPassword, passwordProblem, verifyPassword } from "./passwords.js";
export {
  type Access,
  isAccess,
  isStaffRole,
  type Permission,
  permissions,
  permissionsOf,
  rolePermissions,
  type StaffRole,
  staffRoles,
} from "./permissions.js";
export { newOneTimeCode, newToken, safeEqual, sha256Hex } from "./tokens.js";
