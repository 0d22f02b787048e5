// Queue pages kept between requests. A page is computed from the database and kept until
// (1) a change arrives for one of its keys: its scope (`a:`, `g:`, `l:`), a case on it (`c:`),
// a borrower on it (`b:`) or its viewer (`u:`, the viewer's own writes); (2) the first moment
// its order can move by the clock alone: the earliest callback due after it was computed, or
// the lender's next business day; or (3) a minute has passed, whichever comes first. Pure: the
// shell feeds it changes and the time.

/** Longest a page is kept even when nothing says it changed. */
export const PAGE_MAX_AGE_MS = 60_000;
/** Pages kept at most; the oldest go first. */
export const PAGES_MAX = 2_000;

export interface QueuePage {
  /** The response body, serialised once. */
  body: string;
  /** Scope, case, borrower and viewer keys whose change ends the page. */
  keys: readonly string[];
  /** The lender's business day the page was computed for, and its zone. */
  today: string;
  timeZone: string;
  /** When the page was computed, and the first instant its order can move with no write. */
  computedAtMs: number;
  refreshAtMs: number;
}

export class QueuePages {
  readonly #pages = new Map<string, QueuePage>();
  readonly #byKey = new Map<string, Set<string>>();
  readonly #limit: number;

  constructor(limit = PAGES_MAX) {
    this.#limit = limit;
  }

  get size(): number {
    return this.#pages.size;
  }

  /** The page kept under `id`, if it is still current at `nowMs` on business day `today`. */
  get(id: string, nowMs: number, todayOf: (timeZone: string) => string): QueuePage | null {
    const page = this.#pages.get(id);
    if (!page) return null;
    if (nowMs >= page.refreshAtMs || nowMs >= page.computedAtMs + PAGE_MAX_AGE_MS || nowMs < page.computedAtMs || todayOf(page.timeZone) !== page.today) {
      this.#drop(id);
      return null;
    }
    return page;
  }

  put(id: string, page: QueuePage): void {
    this.#drop(id);
    if (this.#pages.size >= this.#limit) {
      const oldest = this.#pages.keys().next();
      if (!oldest.done) this.#drop(oldest.value);
    }
    this.#pages.set(id, page);
    for (const key of page.keys) {
      const ids = this.#byKey.get(key);
      if (ids) ids.add(id);
      else this.#byKey.set(key, new Set([id]));
    }
  }

  /** Drops every page that shows or depends on one of `keys`; `"all"` drops every page. */
  forget(keys: readonly string[] | "all"): void {
    if (keys === "all") {
      this.#pages.clear();
      this.#byKey.clear();
      return;
    }
    for (const key of keys) {
      const ids = this.#byKey.get(key);
      if (!ids) continue;
      for (const id of [...ids]) this.#drop(id);
    }
  }

  #drop(id: string): void {
    const page = this.#pages.get(id);
    if (!page) return;
    this.#pages.delete(id);
    for (const key of page.keys) {
      const ids = this.#byKey.get(key);
      if (!ids) continue;
      ids.delete(id);
      if (ids.size === 0) this.#byKey.delete(key);
    }
  }
}
