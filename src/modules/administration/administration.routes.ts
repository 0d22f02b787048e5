// Administration: staff accounts and the audit trail.
import { z } from "zod";
import { listAuditEntries } from "../../platform/audit/index.js";
import { AppError } from "../../platform/errors.js";
import type { RouteModule } from "../../platform/http/index.js";
import { addStaffUser, toStaffUserView } from "../identity/index.js";

const auditEntry = z.object({
  sequence: z.string(),
  occurredAt: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  reason: z.string().nullable(),
  details: z.unknown(),
});
const staffUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
  locale: z.string(),
});

export const administrationRoutes: RouteModule = (app, context) => {
  app.get(
    "/api/audit",
    {
      config: { access: "audit:read" },
      schema: {
        tags: ["administration"],
        summary: "Audit log entries, newest first",
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), before: z.string().regex(/^\d+$/).optional() }),
        response: { 200: z.object({ entries: z.array(auditEntry) }) },
      },
    },
    async (request) => ({
      entries: await listAuditEntries(context.database.db, request.query.limit, request.query.before ? BigInt(request.query.before) : undefined),
    }),
  );

  app.get(
    "/api/users",
    {
      config: { access: "users:manage" },
      schema: {
        tags: ["administration"],
        summary: "Staff users of the caller's lender",
        response: { 200: z.object({ users: z.array(staffUser.extend({ isActive: z.boolean(), lockedUntil: z.string().nullable() })) }) },
      },
    },
    async (request) => {
      if (request.actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
      const rows = await context.database.db
        .selectFrom("staff_users")
        .selectAll()
        .where("lender_id", "=", request.actor.lenderId)
        .orderBy("username")
        .limit(1000)
        .execute();
      return { users: rows.map((row) => ({ ...toStaffUserView(row), isActive: row.is_active, lockedUntil: row.locked_until?.toISOString() ?? null })) };
    },
  );

  app.post(
    "/api/users",
    {
      config: { access: "users:manage" },
      schema: {
        tags: ["administration"],
        summary: "Add a staff user",
        body: z.object({
          username: z.string(),
          displayName: z.string(),
          password: z.string(),
          roles: z.array(z.string()).min(1),
          agencyId: z.uuid().nullable().optional(),
          locale: z.enum(["zh-CN", "en"]).optional(),
        }),
        response: { 201: z.object({ user: staffUser }) },
      },
    },
    async (request, reply) => {
      const actor = request.actor;
      if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
      const user = await context.database.db
        .transaction()
        .execute((trx) => addStaffUser(context, trx, { ...request.body, lenderId: actor.lenderId }, { actorType: "staff", actorId: actor.userId }));
      return reply.code(201).send({ user });
    },
  );
};
