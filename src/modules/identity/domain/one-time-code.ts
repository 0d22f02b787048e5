// Borrower login codes: 6 digits, valid 5 minutes, at most 5 tries, at most one new code a
// minute per phone. Pure decisions over the stored code; the service does the I/O.

export const ONE_TIME_CODE_TTL_SECONDS = 300;
export const ONE_TIME_CODE_ATTEMPTS_MAX = 5;
export const ONE_TIME_CODE_RESEND_SECONDS = 60;
export const ONE_TIME_CODES_PER_DAY_MAX = 10;

export interface StoredCode {
  expiresAt: Date;
  attempts: number;
  consumedAt: Date | null;
  matches: boolean;
}

export type CodeCheck =
  | { outcome: "accepted" }
  | { outcome: "no_code" }
  | { outcome: "expired" }
  | { outcome: "attempts_exceeded" }
  | { outcome: "wrong"; attempts: number; attemptsLeft: number };

export function checkCode(code: StoredCode | undefined, now: Date): CodeCheck {
  if (!code || code.consumedAt) return { outcome: "no_code" };
  if (code.attempts >= ONE_TIME_CODE_ATTEMPTS_MAX) return { outcome: "attempts_exceeded" };
  if (code.expiresAt <= now) return { outcome: "expired" };
  if (code.matches) return { outcome: "accepted" };
  const attempts = code.attempts + 1;
  if (attempts >= ONE_TIME_CODE_ATTEMPTS_MAX) return { outcome: "attempts_exceeded" };
  return { outcome: "wrong", attempts, attemptsLeft: ONE_TIME_CODE_ATTEMPTS_MAX - attempts };
}

export type IssueCheck = { outcome: "issue" } | { outcome: "too_soon"; retryAfterSeconds: number } | { outcome: "daily_limit" };

export function canIssueCode(lastIssuedAt: Date | null, issuedToday: number, now: Date): IssueCheck {
  if (issuedToday >= ONE_TIME_CODES_PER_DAY_MAX) return { outcome: "daily_limit" };
  if (lastIssuedAt) {
    const elapsedSeconds = Math.floor((now.getTime() - lastIssuedAt.getTime()) / 1000);
    if (elapsedSeconds < ONE_TIME_CODE_RESEND_SECONDS) return { outcome: "too_soon", retryAfterSeconds: ONE_TIME_CODE_RESEND_SECONDS - elapsedSeconds };
  }
  return { outcome: "issue" };
}
