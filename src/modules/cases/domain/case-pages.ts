// Case pages kept between requests. What a case page shows from the database is kept, serialised,
// until a change arrives for the case (`c:`), its borrower (`b:`: accounts, payments, contacts,
// attempts, restrictions, promises…) or its viewer (`u:`), the lender's business day turns (DPD
// and the suggested script count to today), the gateway's facts move by the clock alone (a
// restriction starts or ends, an attempt leaves the history window), or a minute passes. What a
// call or an SMS would get "now" is decided again on every request from the kept facts: the
// contact window moves with the clock, not with writes. Whether a page is current is the queue
// pages' rule (isPageCurrent). Pure: the shell feeds it changes and the time.
import type { Kept } from "../../../platform/kept-values.js";
import type { ChannelPreview, ContactDecision } from "../../compliance/index.js";
import type { PageTimes } from "./queue-pages.js";

/** Case pages kept at most (about 50 agents with 100 cases open each); the oldest go first. */
export const CASE_PAGES_MAX = 5_000;

export interface CasePage extends Kept, PageTimes {
  /** The page without `allowedNow`: a JSON object with its closing brace cut off. */
  readonly head: string;
  /** The gateway's facts for a call or an SMS to the borrower. */
  readonly preview: ChannelPreview;
}

export type AllowedNow = Record<"call" | "sms", Pick<ContactDecision, "decision" | "reasons" | "nextAllowedAt">>;

/** The head of a page: `detail` serialised, open for `allowedNow` to follow. */
export function casePageHead(detail: object): string {
  const json = JSON.stringify(detail);
  return json === "{}" ? "{" : `${json.slice(0, -1)},`;
}

/** The response body: the kept head and what the gateway says now. */
export function casePageBody(page: Pick<CasePage, "head">, allowedNow: AllowedNow): string {
  return `${page.head}"allowedNow":${JSON.stringify(allowedNow)}}`;
}
