// The signed-in staff user's session as the pages below the console's shell read it: for now
// the lender's time zone, which every page shows dates and times in.
import { createContext, type ReactNode, useContext } from "react";
import type { StaffUser } from "./types";

const SessionContext = createContext<StaffUser | null>(null);

/** The shell renders it once /api/auth/me (or sign-in) has answered, so the user is always known below it. */
export function SessionProvider({ user, children }: { user: StaffUser; children: ReactNode }) {
  return <SessionContext.Provider value={user}>{children}</SessionContext.Provider>;
}

/** The lender's IANA zone (e.g. "Asia/Shanghai"): business days and times on every page are there. */
export function useLenderTimeZone(): string {
  const user = useContext(SessionContext);
  if (!user) throw new Error("useLenderTimeZone outside SessionProvider: only the signed-in shell's pages show times");
  return user.lenderTimeZone;
}
