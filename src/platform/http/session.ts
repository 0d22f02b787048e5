// Resolves the actor behind a request from its session cookie, and the cookies themselves.
// Staff and borrowers have separate cookies, so a console and a portal can be open together.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Actor } from "../auth/actor.js";
import { isStaffRole, permissionsOf, type StaffRole } from "../auth/permissions.js";
import { sha256Hex } from "../auth/tokens.js";
import type { AppContext } from "../context.js";
import type { Kept, KeptValues } from "../kept-values.js";

export const sessionCookie = { staff: "duecare_staff", borrower: "duecare_borrower" } as const;
export const csrfCookie = { staff: "duecare_staff_csrf", borrower: "duecare_borrower_csrf" } as const;
export const CSRF_HEADER = "x-csrf-token";

export interface ResolvedSession {
  actor: Actor;
  csrfToken: string | null;
  tokenHash: string | null;
}

const anonymous: ResolvedSession = { actor: { type: "anonymous" }, csrfToken: null, tokenHash: null };

/** Longest a resolved session is kept even when no change says it ended. */
export const SESSION_KEPT_MAX_AGE_MS = 60_000;
/** Sessions kept at most; the oldest go first. */
export const SESSIONS_KEPT_MAX = 20_000;

/**
 * A session resolved by this server, kept until its user's sessions, roles or scope change (`u:`
 * and `p:` keys, migration 0024), it expires, or a minute passes. Every request of a signed-in
 * user resolves its session; kept, most requests read nothing for it.
 */
export interface KeptSession extends Kept {
  session: ResolvedSession;
  computedAtMs: number;
  expiresAtMs: number;
}

/** The session behind a request's cookie, from `kept` while it is current there, or read and kept. */
export async function resolveSession(
  context: AppContext,
  request: FastifyRequest,
  subject: "staff" | "borrower",
  kept: KeptValues<KeptSession>,
): Promise<ResolvedSession> {
  const token = request.cookies[sessionCookie[subject]];
  if (!token) return anonymous;
  const tokenHash = sha256Hex(token);
  const now = context.clock.now();
  const nowMs = now.getTime();
  const found = await context.changes.readThrough(
    kept,
    `${subject}:${tokenHash}`,
    (session) => nowMs >= session.computedAtMs && nowMs < session.expiresAtMs && nowMs < session.computedAtMs + SESSION_KEPT_MAX_AGE_MS,
    () => readSession(context, tokenHash, subject, now),
  );
  return found?.session ?? anonymous;
}

async function readSession(context: AppContext, tokenHash: string, subject: "staff" | "borrower", now: Date): Promise<KeptSession | null> {
  const { db } = context.database;
  // One round trip: the session and who it belongs to.
  if (subject === "borrower") {
    const found = await db
      .selectFrom("sessions as s")
      .innerJoin("borrowers as b", "b.id", "s.subject_id")
      .select(["s.csrf_token", "s.expires_at", "b.id", "b.lender_id"])
      .where("s.token_hash", "=", tokenHash)
      .where("s.subject_type", "=", subject)
      .executeTakeFirst();
    if (!found || found.expires_at <= now) return null;
    return {
      session: frozen({ actor: { type: "borrower", borrowerId: found.id, lenderId: found.lender_id }, csrfToken: found.csrf_token, tokenHash }),
      computedAtMs: now.getTime(),
      expiresAtMs: found.expires_at.getTime(),
      keys: [`p:${found.id}`, `b:${found.id}`],
    };
  }
  const user = await db
    .selectFrom("sessions as s")
    .innerJoin("staff_users as u", "u.id", "s.subject_id")
    .select(["s.csrf_token", "s.expires_at", "u.id", "u.lender_id", "u.agency_id", "u.username", "u.roles", "u.is_active"])
    .where("s.token_hash", "=", tokenHash)
    .where("s.subject_type", "=", subject)
    .executeTakeFirst();
  if (!user?.is_active || user.expires_at <= now) return null;
  const roles = user.roles.filter(isStaffRole) as StaffRole[];
  return {
    session: frozen({
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
    }),
    computedAtMs: now.getTime(),
    expiresAtMs: user.expires_at.getTime(),
    keys: [`u:${user.id}`],
  };
}

/** A session shared by the requests that find it kept: nothing may change it. */
function frozen(session: ResolvedSession): ResolvedSession {
  if (session.actor.type === "staff") {
    Object.freeze(session.actor.roles);
    Object.freeze(session.actor.permissions);
  }
  Object.freeze(session.actor);
  return Object.freeze(session);
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
