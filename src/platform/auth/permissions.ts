// Roles, permissions and which role holds which. Every route declares one access rule; the
// server refuses to register a route that does not (see http/server.ts).

export const staffRoles = ["agent", "supervisor", "compliance", "complaint_handler", "strategist", "admin"] as const;
export type StaffRole = (typeof staffRoles)[number];

export const permissions = [
  "cases:read",
  "cases:assign",
  "borrowers:read",
  "pii:reveal",
  "audit:read",
  "users:manage",
  "outbox:read",
  "rules:manage",
  "complaints:work",
  "strategies:manage",
  "reports:read",
  "payments:post",
  "payments:reverse",
  "imports:run",
  "close:run",
  "contacts:make",
  "contacts:review",
] as const;
export type Permission = (typeof permissions)[number];

export const rolePermissions: Record<StaffRole, readonly Permission[]> = {
  agent: ["cases:read", "borrowers:read", "pii:reveal", "contacts:make"],
  supervisor: ["cases:read", "cases:assign", "borrowers:read", "pii:reveal", "reports:read", "payments:post", "contacts:make", "contacts:review"],
  compliance: ["cases:read", "borrowers:read", "pii:reveal", "audit:read", "rules:manage", "reports:read", "contacts:review"],
  complaint_handler: ["cases:read", "borrowers:read", "pii:reveal", "complaints:work", "contacts:make"],
  strategist: ["strategies:manage", "reports:read"],
  admin: [
    "users:manage",
    "audit:read",
    "outbox:read",
    "reports:read",
    "cases:read",
    "cases:assign",
    "borrowers:read",
    "pii:reveal",
    "payments:post",
    "payments:reverse",
    "imports:run",
    "close:run",
    "contacts:review",
  ],
};

/**
 * What a route needs: `public` (anyone, e.g. login, health), `staff` (any signed-in staff
 * user), `borrower` (a signed-in borrower, for the portal), or a staff permission.
 */
export type Access = "public" | "staff" | "borrower" | Permission;

export function isStaffRole(value: string): value is StaffRole {
  return (staffRoles as readonly string[]).includes(value);
}

export function permissionsOf(roles: readonly StaffRole[]): Permission[] {
  const granted = new Set<Permission>();
  for (const role of roles) for (const permission of rolePermissions[role]) granted.add(permission);
  return permissions.filter((permission) => granted.has(permission));
}

export function isAccess(value: unknown): value is Access {
  return value === "public" || value === "staff" || value === "borrower" || (permissions as readonly unknown[]).includes(value);
}
