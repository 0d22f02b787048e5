// Who is making a request, and the data scope that follows from it.
import type { Permission, StaffRole } from "./permissions.js";

export type Actor =
  | { type: "anonymous" }
  | {
      type: "staff";
      userId: string;
      lenderId: string;
      agencyId: string | null;
      username: string;
      roles: StaffRole[];
      permissions: Permission[];
    }
  | { type: "borrower"; borrowerId: string; lenderId: string }
  | { type: "system"; name: string };

/**
 * A borrower already found in the caller's data scope, by the query that found their case. A
 * service given one trusts it and skips its own scope check; given a bare id, it checks. Only
 * code that has just run such a query makes one (the case page, which reads a dozen lists of
 * the same borrower).
 */
export interface CheckedBorrower {
  readonly borrowerId: string;
  readonly scopeChecked: true;
}

/** A borrower id to check against the scope, or one already checked. */
export type BorrowerRef = string | CheckedBorrower;

/** The id behind a reference, and whether its scope still needs checking. */
export function borrowerRef(ref: BorrowerRef): { borrowerId: string; checked: boolean } {
  return typeof ref === "string" ? { borrowerId: ref, checked: false } : { borrowerId: ref.borrowerId, checked: true };
}

/**
 * Which rows an actor may see. Agents see only cases assigned to them; agency staff only
 * their agency's; a borrower only their own accounts; supervisors and others their lender's.
 */
export type DataScope =
  | { kind: "lender"; lenderId: string }
  | { kind: "agency"; lenderId: string; agencyId: string }
  | { kind: "assigned"; lenderId: string; agentId: string }
  | { kind: "borrower"; lenderId: string; borrowerId: string }
  | { kind: "none" };

const lenderWideRoles: readonly StaffRole[] = ["supervisor", "compliance", "complaint_handler", "admin", "strategist"];

export function dataScopeOf(actor: Actor): DataScope {
  if (actor.type === "borrower") return { kind: "borrower", lenderId: actor.lenderId, borrowerId: actor.borrowerId };
  if (actor.type !== "staff") return { kind: "none" };
  if (actor.agencyId) {
    return actor.roles.includes("supervisor")
      ? { kind: "agency", lenderId: actor.lenderId, agencyId: actor.agencyId }
      : { kind: "assigned", lenderId: actor.lenderId, agentId: actor.userId };
  }
  if (actor.roles.some((role) => lenderWideRoles.includes(role))) return { kind: "lender", lenderId: actor.lenderId };
  if (actor.roles.includes("agent")) return { kind: "assigned", lenderId: actor.lenderId, agentId: actor.userId };
  return { kind: "none" };
}
