// Queue pages kept between requests. A page is computed from the database and kept until
// (1) a change arrives for one of its keys: its scope (`a:`, `g:`, `l:`), a case on it (`c:`),
// a borrower on it (`b:`) or its viewer (`u:`, the viewer's own writes); (2) the first moment
// its order can move by the clock alone: the earliest callback due after it was computed, or
// the lender's next business day; or (3) a minute has passed, whichever comes first. Pure: the
// shell feeds it changes and the time.
import type { Kept } from "../../../platform/kept-values.js";

/** Longest a page is kept even when nothing says it changed. */
export const PAGE_MAX_AGE_MS = 60_000;
/** Pages kept at most; the oldest go first. */
export const PAGES_MAX = 2_000;

export interface QueuePage extends Kept {
  /** The response body, serialised once. */
  body: string;
  /** The lender's business day the page was computed for, and its zone. */
  today: string;
  timeZone: string;
  /** When the page was computed, and the first instant its order can move with no write. */
  computedAtMs: number;
  refreshAtMs: number;
}

/** When a kept page was computed and what ends it with no write. */
export type PageTimes = Pick<QueuePage, "today" | "timeZone" | "computedAtMs" | "refreshAtMs">;

/** Whether a page is current at `nowMs`; `todayOf` gives a zone's business day then. */
export function isPageCurrent(page: PageTimes, nowMs: number, todayOf: (timeZone: string) => string): boolean {
  return nowMs >= page.computedAtMs && nowMs < page.refreshAtMs && nowMs < page.computedAtMs + PAGE_MAX_AGE_MS && todayOf(page.timeZone) === page.today;
}
