// Resolves the actor behind a request from its session cookie, and the cookies themselves.
// Staff and borrowers have separate cookies, so a console and a portal can be open together.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Actor } from "../auth/actor.js";
import { isStaffRole, permissionsOf, type StaffRole } from "../auth/permissions.js";
import { sha256Hex } from "../auth/tokens.js";
import type { AppContext } from "../context.js";

export const sessionCookie = { staff: "duecare_staff", borrower: "duecare_borrower" } as const;
export const csrfCookie = { staff: "duecare_staff_csrf", borrower: "duecare_borrower_csrf" } as const;
export const CSRF_HEADER = "x-csrf-token";

export interface ResolvedSession {
  actor: Actor;
  csrfToken: string | null;
  tokenHash: string | null;
}

const anonymous: ResolvedSession = { actor: { type: "anonymous" }, csrfToken: null, tokenHash: null };

export async function resolveSession(context: AppContext, request: FastifyRequest, subject: "staff" | "borrower"): Promise<ResolvedSession> {
  const token = request.cookies[sessionCookie[subject]];
  if (!token) return anonymous;
  const tokenHash = sha256Hex(token);
  const { db } = context.database;
  const now = context.clock.now();
  // One round trip: the session and who it belongs to.
  if (subject === "borrower") {
    const found = await db
      .selectFrom("sessions as s")
      .innerJoin("borrowers as b", "b.id", "s.subject_id")
      .select(["s.csrf_token", "s.expires_at", "b.id", "b.lender_id"])
      .where("s.token_hash", "=", tokenHash)
      .where("s.subject_type", "=", subject)
      .executeTakeFirst();
    if (!found || found.expires_at <= now) return anonymous;
    return { actor: { type: "borrower", borrowerId: found.id, lenderId: found.lender_id }, csrfToken: found.csrf_token, tokenHash };
  }
  const user = await db
    .selectFrom("sessions as s")
    .innerJoin("staff_users as u", "u.id", "s.subject_id")
    .select(["s.csrf_token", "s.expires_at", "u.id", "u.lender_id", "u.agency_id", "u.username", "u.roles", "u.is_active"])
    .where("s.token_hash", "=", tokenHash)
    .where("s.subject_type", "=", subject)
    .executeTakeFirst();
  if (!user?.is_active || user.expires_at <= now) return anonymous;
  const roles = user.roles.filter(isStaffRole) as StaffRole[];
  return {
    actor: {
      type: "staff",
      userId: user.id,
      lenderId: user.lender_id,
      agencyId: user.agency_id,
      username: user.username,
      roles,
      permissions: permissionsOf(roles),
    },
    csrfToken: user.csrf_token,
    tokenHash,
  };
}

export function setSessionCookies(
  context: AppContext,
  reply: FastifyReply,
  subject: "staff" | "borrower",
  token: string,
  csrfToken: string,
  expiresAt: Date,
): void {
  const secure = context.config.DUECARE_SECURE_COOKIES;
  reply.setCookie(sessionCookie[subject], token, { httpOnly: true, sameSite: "strict", secure, path: "/", expires: expiresAt });
  // Readable by the page's script, which echoes it in the x-csrf-token header.
  reply.setCookie(csrfCookie[subject], csrfToken, { httpOnly: false, sameSite: "strict", secure, path: "/", expires: expiresAt });
}

export function clearSessionCookies(reply: FastifyReply, subject: "staff" | "borrower"): void {
  reply.clearCookie(sessionCookie[subject], { path: "/" });
  reply.clearCookie(csrfCookie[subject], { path: "/" });
}
