// One application error with a stable code, and one table from code to HTTP status.
// Business outcomes are AppErrors; broken invariants are plain Errors (and become 500s).

export const errorStatus = {
  VALIDATION_FAILED: 400,
  INVALID_NATIONAL_ID: 400,
  INVALID_PHONE: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  OTP_INVALID: 401,
  OTP_EXPIRED: 401,
  CSRF_MISMATCH: 403,
  FORBIDDEN: 403,
  OUT_OF_SCOPE: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  IDEMPOTENCY_CONFLICT: 409,
  CONTACT_NOT_ALLOWED: 409,
  ACCOUNT_LOCKED: 423,
  OTP_ATTEMPTS_EXCEEDED: 429,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Asserts a programmer's invariant; a failure is a bug and crashes the request or job. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}
