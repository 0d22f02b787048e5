// Values kept between requests and dropped by key: each value names the keys whose change ends
// it (see db/change-feed.ts), and a reader says whether it is still current on other grounds
// (its age, the clock). Pure: the shell feeds it changes.

export interface Kept {
  /** Keys whose change ends the value. */
  readonly keys: readonly string[];
}

export class KeptValues<V extends Kept> {
  readonly #values = new Map<string, V>();
  readonly #byKey = new Map<string, Set<string>>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get size(): number {
    return this.#values.size;
  }

  /** The value kept under `id`, if `isCurrent` says it still is; one that is not is dropped. */
  get(id: string, isCurrent: (value: V) => boolean): V | null {
    const value = this.#values.get(id);
    if (!value) return null;
    if (!isCurrent(value)) {
      this.#drop(id);
      return null;
    }
    return value;
  }

  /** Keeps `value` under `id`, replacing what was there; past the limit the oldest goes. */
  put(id: string, value: V): void {
    this.#drop(id);
    if (this.#values.size >= this.#limit) {
      const oldest = this.#values.keys().next();
      if (!oldest.done) this.#drop(oldest.value);
    }
    this.#values.set(id, value);
    for (const key of value.keys) {
      const ids = this.#byKey.get(key);
      if (ids) ids.add(id);
      else this.#byKey.set(key, new Set([id]));
    }
  }

  /** Drops every value that depends on one of `keys`; `"all"` drops every value. */
  forget(keys: readonly string[] | "all"): void {
    if (keys === "all") {
      this.#values.clear();
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
    const value = this.#values.get(id);
    if (!value) return;
    this.#values.delete(id);
    for (const key of value.keys) {
      const ids = this.#byKey.get(key);
      if (!ids) continue;
      ids.delete(id);
      if (ids.size === 0) this.#byKey.delete(key);
    }
  }
}
