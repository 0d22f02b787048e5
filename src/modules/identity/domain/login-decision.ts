// Decides what a staff login attempt does to the account: succeed, fail, or lock it.
// Pure: the service loads the user, checks the password, and stores what this returns.

export interface LoginState {
  isActive: boolean;
  failedLoginCount: number;
  lockedUntil: Date | null;
}

export interface LoginPolicy {
  attemptsMax: number;
  lockoutMinutes: number;
}

export type LoginDecision =
  | { outcome: "success"; failedLoginCount: 0; lockedUntil: null }
  | { outcome: "invalid_credentials"; failedLoginCount: number; lockedUntil: Date | null; attemptsLeft: number }
  | { outcome: "locked"; failedLoginCount: number; lockedUntil: Date; lockedNow: boolean };

export function decideLogin(state: LoginState, passwordMatches: boolean, now: Date, policy: LoginPolicy): LoginDecision {
  if (state.lockedUntil && state.lockedUntil > now) {
    return { outcome: "locked", failedLoginCount: state.failedLoginCount, lockedUntil: state.lockedUntil, lockedNow: false };
  }
  // A lock that has run out starts a fresh count.
  const previousFailures = state.lockedUntil ? 0 : state.failedLoginCount;
  if (passwordMatches && state.isActive) return { outcome: "success", failedLoginCount: 0, lockedUntil: null };
  const failures = previousFailures + 1;
  if (failures >= policy.attemptsMax) {
    const lockedUntil = new Date(now.getTime() + policy.lockoutMinutes * 60_000);
    return { outcome: "locked", failedLoginCount: failures, lockedUntil, lockedNow: true };
  }
  return { outcome: "invalid_credentials", failedLoginCount: failures, lockedUntil: null, attemptsLeft: policy.attemptsMax - failures };
}
