// Staff sign-in (password, throttling, lock-out), borrower sign-in (phone + one-time code),
// sessions and staff accounts. Every outcome that matters is audited in the same transaction.
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { appendAudit } from "../../platform/audit/index.js";
import {
  hashPassword,
  isStaffRole,
  newOneTimeCode,
  newToken,
  type Permission,
  passwordProblem,
  permissionsOf,
  type StaffRole,
  sha256Hex,
  verifyPassword,
} from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import { AppError } from "../../platform/errors.js";
import { blindIndex, maskFor, validateMainlandMobile } from "../../platform/privacy/index.js";
import { findBorrowersByPhone, getBorrowerProfile } from "../borrowers/index.js";
import { sendServiceMessage } from "../compliance/index.js";
import { decideLogin } from "./domain/login-decision.js";
import { canIssueCode, checkCode, ONE_TIME_CODE_TTL_SECONDS } from "./domain/one-time-code.js";

export const STAFF_SESSION_HOURS = 12;
export const BORROWER_SESSION_HOURS = 2;
const THROTTLE_WINDOW_MINUTES = 15;
const THROTTLE_FAILURES_MAX = 30;
// Verified against when the username is unknown, so timing does not tell which names exist.
const decoyHash = hashPassword("decoy-password-0");

export interface StaffUserView {
  id: string;
  username: string;
  displayName: string;
  roles: StaffRole[];
  permissions: Permission[];
  locale: string;
}

/** The signed-in user as sign-in and /api/auth/me answer: also the zone the console shows times in. */
export interface SignedInStaffUserView extends StaffUserView {
  /** The IANA zone of the user's lender (lenders.time_zone), e.g. "Asia/Shanghai". */
  lenderTimeZone: string;
}

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

async function createSession(
  context: AppContext,
  executor: Executor,
  subjectType: "staff" | "borrower",
  subjectId: string,
  ip: string | null,
): Promise<NewSession> {
  const token = newToken();
  const csrfToken = newToken();
  const now = context.clock.now();
  const hours = subjectType === "staff" ? STAFF_SESSION_HOURS : BORROWER_SESSION_HOURS;
  const expiresAt = new Date(now.getTime() + hours * 3_600_000);
  // Expired sessions of this subject go when a new one starts, so the table does not grow forever.
  await executor.deleteFrom("sessions").where("subject_type", "=", subjectType).where("subject_id", "=", subjectId).where("expires_at", "<=", now).execute();
  await executor
    .insertInto("sessions")
    .values({
      token_hash: sha256Hex(token),
      subject_type: subjectType,
      subject_id: subjectId,
      csrf_token: csrfToken,
      created_at: now,
      expires_at: expiresAt,
      ip,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

function throttleWindow(now: Date): Date {
  const windowMs = THROTTLE_WINDOW_MINUTES * 60_000;
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}

async function recordThrottleFailure(executor: Executor, key: string, now: Date): Promise<void> {
  await executor.deleteFrom("login_throttle").where("throttle_key", "=", key).where("window_start", "<", throttleWindow(now)).execute();
  await executor
    .insertInto("login_throttle")
    .values({ throttle_key: key, window_start: throttleWindow(now), failures: 1 })
    .onConflict((conflict) => conflict.columns(["throttle_key", "window_start"]).doUpdateSet({ failures: sql`login_throttle.failures + 1` }))
    .execute();
}

async function isThrottled(executor: Executor, key: string, now: Date): Promise<boolean> {
  const row = await executor
    .selectFrom("login_throttle")
    .select("failures")
    .where("throttle_key", "=", key)
    .where("window_start", "=", throttleWindow(now))
    .executeTakeFirst();
  return (row?.failures ?? 0) >= THROTTLE_FAILURES_MAX;
}

export function toStaffUserView(row: { id: string; username: string; display_name: string; roles: string[]; locale: string }): StaffUserView {
  const roles = row.roles.filter(isStaffRole);
  return { id: row.id, username: row.username, displayName: row.display_name, roles, permissions: permissionsOf(roles), locale: row.locale };
}

function toSignedInStaffUserView(row: Parameters<typeof toStaffUserView>[0] & { lender_time_zone: string }): SignedInStaffUserView {
  return { ...toStaffUserView(row), lenderTimeZone: row.lender_time_zone };
}

/** A staff user with their lender's zone, in one query. */
function selectStaffUserWithLender(executor: Executor) {
  return executor
    .selectFrom("staff_users")
    .innerJoin("lenders", "lenders.id", "staff_users.lender_id")
    .selectAll("staff_users")
    .select("lenders.time_zone as lender_time_zone");
}

type LoginOutcome = { kind: "signed_in"; user: SignedInStaffUserView; session: NewSession } | { kind: "error"; error: AppError };

export async function loginStaff(
  context: AppContext,
  username: string,
  password: string,
  ip: string | null,
): Promise<{ user: SignedInStaffUserView; session: NewSession }> {
  const now = context.clock.now();
  const throttleKey = `ip:${ip ?? "unknown"}`;
  const policy = { attemptsMax: context.config.DUECARE_LOGIN_ATTEMPTS_MAX, lockoutMinutes: context.config.DUECARE_LOCKOUT_MINUTES };
  const { db } = context.database;
  if (await isThrottled(db, throttleKey, now)) {
    throw new AppError("RATE_LIMITED", `too many failed sign-ins from this address; try again in ${THROTTLE_WINDOW_MINUTES} minutes`);
  }
  const user = await selectStaffUserWithLender(db).where("staff_users.username", "=", username.trim().toLowerCase()).executeTakeFirst();
  const passwordMatches = user ? await verifyPassword(password, user.password_hash) : (await verifyPassword(password, await decoyHash)) && false;

  const outcome = await db.transaction().execute(async (trx): Promise<LoginOutcome> => {
    if (!user) {
      await recordThrottleFailure(trx, throttleKey, now);
      await appendAudit(
        trx,
        {
          actorType: "system",
          action: "auth.login_failed",
          targetType: "staff_user",
          targetId: null,
          ip,
          details: { username: username.slice(0, 64), reason: "unknown_user" },
        },
        now,
      );
      return { kind: "error", error: new AppError("INVALID_CREDENTIALS", "wrong username or password") };
    }
    const decision = decideLogin(
      { isActive: user.is_active, failedLoginCount: user.failed_login_count, lockedUntil: user.locked_until },
      passwordMatches,
      now,
      policy,
    );
    await trx
      .updateTable("staff_users")
      .set({
        failed_login_count: decision.failedLoginCount,
        locked_until: decision.lockedUntil,
        ...(decision.outcome === "success" ? { last_login_at: now } : {}),
      })
      .where("id", "=", user.id)
      .execute();
    if (decision.outcome === "success") {
      const session = await createSession(context, trx, "staff", user.id, ip);
      await appendAudit(trx, { actorType: "staff", actorId: user.id, action: "auth.login", targetType: "staff_user", targetId: user.id, ip }, now);
      return { kind: "signed_in", user: toSignedInStaffUserView(user), session };
    }
    await recordThrottleFailure(trx, throttleKey, now);
    if (decision.outcome === "locked") {
      await appendAudit(
        trx,
        {
          actorType: "system",
          action: decision.lockedNow ? "auth.account_locked" : "auth.login_refused_locked",
          targetType: "staff_user",
          targetId: user.id,
          ip,
          details: { lockedUntil: decision.lockedUntil.toISOString() },
        },
        now,
      );
      return {
        kind: "error",
        error: new AppError("ACCOUNT_LOCKED", `account locked after repeated failed sign-ins until ${decision.lockedUntil.toISOString()}`, {
          lockedUntil: decision.lockedUntil.toISOString(),
        }),
      };
    }
    await appendAudit(
      trx,
      { actorType: "system", action: "auth.login_failed", targetType: "staff_user", targetId: user.id, ip, details: { reason: "wrong_password" } },
      now,
    );
    return { kind: "error", error: new AppError("INVALID_CREDENTIALS", "wrong username or password", { attemptsLeft: decision.attemptsLeft }) };
  });
  if (outcome.kind === "error") throw outcome.error;
  return { user: outcome.user, session: outcome.session };
}

export async function logout(
  context: AppContext,
  tokenHash: string | null,
  actor: { type: "staff" | "borrower"; id: string },
  ip: string | null,
): Promise<void> {
  if (!tokenHash) return;
  await context.database.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("sessions").where("token_hash", "=", tokenHash).execute();
    await appendAudit(trx, { actorType: actor.type, actorId: actor.id, action: "auth.logout", ip }, context.clock.now());
  });
}

export async function getStaffUser(context: AppContext, userId: string): Promise<SignedInStaffUserView> {
  const row = await selectStaffUserWithLender(context.database.db).where("staff_users.id", "=", userId).executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", `user ${userId} not found`);
  return toSignedInStaffUserView(row);
}

export interface NewStaffUser {
  lenderId: string;
  agencyId?: string | null;
  username: string;
  displayName: string;
  password: string;
  roles: string[];
  locale?: "zh-CN" | "en";
  trainingCompletedOn?: string | null;
}

export async function addStaffUser(
  context: AppContext,
  executor: Executor,
  input: NewStaffUser,
  audit: { actorType: "staff" | "system"; actorId: string | null },
): Promise<StaffUserView> {
  const username = input.username.trim().toLowerCase();
  if (!/^[a-z][a-z0-9._-]{2,31}$/.test(username)) {
    throw new AppError("VALIDATION_FAILED", `username ${JSON.stringify(input.username)} must be 3-32 characters: a letter, then letters, digits, . _ -`, {
      field: "username",
    });
  }
  const unknownRoles = input.roles.filter((role) => !isStaffRole(role));
  if (input.roles.length === 0 || unknownRoles.length > 0) {
    throw new AppError(
      "VALIDATION_FAILED",
      `roles must be some of agent, supervisor, compliance, complaint_handler, strategist, admin (got ${unknownRoles.join(", ") || "none"})`,
      { field: "roles" },
    );
  }
  const problem = passwordProblem(input.password);
  if (problem) throw new AppError("VALIDATION_FAILED", problem, { field: "password" });
  const displayName = input.displayName.trim();
  if (displayName.length === 0 || displayName.length > 60)
    throw new AppError("VALIDATION_FAILED", "displayName must be 1-60 characters", { field: "displayName" });
  const existing = await executor.selectFrom("staff_users").select("id").where("username", "=", username).executeTakeFirst();
  if (existing) throw new AppError("CONFLICT", `username ${username} is taken`, { field: "username" });
  const id = randomUUID();
  const row = {
    id,
    lender_id: input.lenderId,
    agency_id: input.agencyId ?? null,
    username,
    display_name: displayName,
    password_hash: await hashPassword(input.password),
    roles: input.roles,
    locale: input.locale ?? "zh-CN",
    training_completed_on: input.trainingCompletedOn ?? null,
    created_at: context.clock.now(),
  };
  await executor.insertInto("staff_users").values(row).execute();
  await appendAudit(
    executor,
    {
      actorType: audit.actorType,
      actorId: audit.actorId,
      action: "user.created",
      targetType: "staff_user",
      targetId: id,
      details: { username, roles: input.roles, agencyId: input.agencyId ?? null },
    },
    context.clock.now(),
  );
  return toStaffUserView(row);
}

// Borrower sign-in ---------------------------------------------------------------------------

function codeHash(phoneIndex: string, code: string): string {
  return sha256Hex(`${phoneIndex}:${code}`);
}

/**
 * Issues a code when the phone belongs to a borrower. The answer is the same whether or not
 * it does, so the endpoint cannot be used to learn who borrows here.
 */
export async function requestBorrowerCode(context: AppContext, phoneInput: string, ip: string | null): Promise<{ expiresInSeconds: number }> {
  const phone = validateMainlandMobile(phoneInput);
  if (!phone.ok) throw new AppError("INVALID_PHONE", phone.reason, { field: "phone" });
  const now = context.clock.now();
  const phoneIndex = blindIndex(context.privacy.blindIndexKey, "phone", phone.value);
  const { db } = context.database;
  const dayStart = new Date(now.getTime() - 86_400_000);
  const recent = await db
    .selectFrom("borrower_one_time_codes")
    .select([(eb) => eb.fn.max("created_at").as("last"), (eb) => eb.fn.countAll<string>().as("count")])
    .where("phone_index", "=", phoneIndex)
    .where("created_at", ">", dayStart)
    .executeTakeFirstOrThrow();
  const last = recent.last ? new Date(recent.last as unknown as string | Date) : null;
  const issue = canIssueCode(last, Number(recent.count), now);
  if (issue.outcome === "too_soon")
    throw new AppError("RATE_LIMITED", `wait ${issue.retryAfterSeconds} s before asking for another code`, { retryAfterSeconds: issue.retryAfterSeconds });
  if (issue.outcome === "daily_limit") throw new AppError("RATE_LIMITED", "too many codes for this phone today; try again tomorrow");
  const borrowers = await findBorrowersByPhone(context, db, phone.value);
  const code = newOneTimeCode();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("borrower_one_time_codes")
      .values({
        id: randomUUID(),
        phone_index: phoneIndex,
        code_hash: codeHash(phoneIndex, code),
        expires_at: new Date(now.getTime() + ONE_TIME_CODE_TTL_SECONDS * 1000),
        created_at: now,
      })
      .execute();
    const [borrower] = borrowers;
    if (borrower) {
      await sendServiceMessage(
        context,
        trx,
        { lenderId: borrower.lenderId, borrowerId: borrower.id },
        {
          channel: "sms",
          recipient: phone.value,
          recipientMasked: maskFor("phone", phone.value),
          purpose: "portal_login_code",
          body: `【duecare】您的登录验证码是 ${code}，5 分钟内有效。请勿告诉他人。Your sign-in code is ${code}, valid for 5 minutes.`,
        },
      );
    }
    await appendAudit(
      trx,
      {
        actorType: "system",
        action: "portal.code_requested",
        targetType: "phone",
        targetId: phoneIndex.slice(0, 16),
        ip,
        details: { known: borrowers.length > 0 },
      },
      now,
    );
  });
  return { expiresInSeconds: ONE_TIME_CODE_TTL_SECONDS };
}

export interface BorrowerSessionView {
  borrower: { id: string; name: string; phoneMasked: string };
  session: NewSession;
}

export async function verifyBorrowerCode(context: AppContext, phoneInput: string, codeInput: string, ip: string | null): Promise<BorrowerSessionView> {
  const phone = validateMainlandMobile(phoneInput);
  if (!phone.ok) throw new AppError("INVALID_PHONE", phone.reason, { field: "phone" });
  if (!/^\d{6}$/.test(codeInput.trim())) throw new AppError("VALIDATION_FAILED", "code must be 6 digits", { field: "code" });
  const now = context.clock.now();
  const phoneIndex = blindIndex(context.privacy.blindIndexKey, "phone", phone.value);
  const { db } = context.database;
  const outcome = await db.transaction().execute(async (trx) => {
    const stored = await trx
      .selectFrom("borrower_one_time_codes")
      .selectAll()
      .where("phone_index", "=", phoneIndex)
      .orderBy("created_at", "desc")
      .limit(1)
      .forUpdate()
      .executeTakeFirst();
    const check = checkCode(
      stored && {
        expiresAt: stored.expires_at,
        attempts: stored.attempts,
        consumedAt: stored.consumed_at,
        matches: stored.code_hash === codeHash(phoneIndex, codeInput.trim()),
      },
      now,
    );
    if (check.outcome !== "accepted") {
      if (stored && (check.outcome === "wrong" || check.outcome === "attempts_exceeded")) {
        await trx.updateTable("borrower_one_time_codes").set({ attempts: sql`attempts + 1` }).where("id", "=", stored.id).execute();
      }
      await appendAudit(
        trx,
        { actorType: "system", action: "portal.login_failed", targetType: "phone", targetId: phoneIndex.slice(0, 16), ip, details: { reason: check.outcome } },
        now,
      );
      return { kind: "error" as const, check };
    }
    const borrowers = await findBorrowersByPhone(context, trx, phone.value);
    const borrower = borrowers[0];
    if (!stored || !borrower) return { kind: "error" as const, check: { outcome: "no_code" as const } };
    await trx.updateTable("borrower_one_time_codes").set({ consumed_at: now }).where("id", "=", stored.id).execute();
    const session = await createSession(context, trx, "borrower", borrower.id, ip);
    await appendAudit(trx, { actorType: "borrower", actorId: borrower.id, action: "portal.login", targetType: "borrower", targetId: borrower.id, ip }, now);
    return { kind: "signed_in" as const, borrower, session };
  });
  if (outcome.kind === "error") {
    const check = outcome.check;
    if (check.outcome === "expired") throw new AppError("OTP_EXPIRED", "the code has expired; ask for a new one");
    if (check.outcome === "attempts_exceeded") throw new AppError("OTP_ATTEMPTS_EXCEEDED", "too many wrong codes; ask for a new one");
    if (check.outcome === "wrong") throw new AppError("OTP_INVALID", `wrong code; ${check.attemptsLeft} tries left`, { attemptsLeft: check.attemptsLeft });
    throw new AppError("OTP_INVALID", "no valid code for this phone; ask for a new one");
  }
  const view = await borrowerView(context, outcome.borrower.id, outcome.borrower.lenderId);
  return { borrower: view, session: outcome.session };
}

export async function borrowerView(context: AppContext, borrowerId: string, lenderId: string): Promise<{ id: string; name: string; phoneMasked: string }> {
  const profile = await getBorrowerProfile(context, { type: "borrower", borrowerId, lenderId }, borrowerId);
  return { id: borrowerId, name: profile.name ?? "", phoneMasked: maskFor("phone", profile.phone ?? "") };
}
