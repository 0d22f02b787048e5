// What changed in the database, as keys (migration 0023): delivered to subscribers when the
// writing transaction commits, from any process. Subscribers keep derived data (queue pages)
// until a key of theirs arrives. The feed listens only while something subscribes, so a CLI
// command that never reads a cache holds no extra connection.
import type { Kept, KeptValues } from "../kept-values.js";
import type { Database } from "./database.js";

export const CHANGES_CHANNEL = "duecare_changes";

/** `"all"` when anything may have changed: the listener was cut off, or a change touched everything. */
export type ChangedKeys = readonly string[] | "all";

export type ChangeSubscriber = (keys: ChangedKeys) => void;

/** Deliveries remembered for reads in flight; a read that outlasts them keeps nothing. */
const DELIVERIES_KEPT = 512;

export class ChangeFeed {
  readonly #database: Database;
  readonly #subscribers = new Set<ChangeSubscriber>();
  #listening: Promise<void> | null = null;
  #unlisten: (() => Promise<void>) | null = null;
  #live = false;
  #generation = 0;
  /** The last deliveries, oldest first; the newest is delivery number #generation. */
  readonly #deliveries: ChangedKeys[] = [];

  constructor(database: Database) {
    this.#database = database;
  }

  /** Whether changes are being received now: values are kept and served only while they are. */
  get live(): boolean {
    return this.#live;
  }

  /**
   * Subscribes, and starts listening on the first subscription; resolves once listening. The
   * returned function unsubscribes, and the last one to leave stops the listening.
   */
  async subscribe(subscriber: ChangeSubscriber): Promise<() => Promise<void>> {
    this.#subscribers.add(subscriber);
    this.#listening ??= this.#database
      .listen(CHANGES_CHANNEL, {
        notify: (payload) => this.#deliver(payload === "*" ? "all" : payload.split(" ").filter(Boolean)),
        interrupted: () => {
          this.#live = false;
          this.#deliver("all");
        },
        resumed: () => {
          this.#live = true;
          this.#deliver("all");
        },
      })
      .then(
        (unlisten) => {
          this.#unlisten = unlisten;
          this.#live = true;
        },
        (error: unknown) => {
          this.#listening = null;
          throw error;
        },
      );
    try {
      await this.#listening;
    } catch (error) {
      this.#subscribers.delete(subscriber);
      throw error;
    }
    return async () => {
      this.#subscribers.delete(subscriber);
      if (this.#subscribers.size === 0) await this.stop();
    };
  }

  /**
   * The value kept in `kept` under `id` while it is current, or what `read` returns (null: nothing
   * to keep). What was read is kept only if the feed was live and no change to one of its keys
   * arrived during the read: such a change, committed meanwhile, may be missing from it.
   */
  async readThrough<V extends Kept, R extends V | null>(
    kept: KeptValues<V>,
    id: string,
    isCurrent: (value: V) => boolean,
    read: () => Promise<R>,
  ): Promise<V | R> {
    if (this.#live) {
      const found = kept.get(id, isCurrent);
      if (found) return found;
    }
    const generation = this.#generation;
    const value = await read();
    if (value && this.#live && !this.#changedSince(generation, value.keys)) kept.put(id, value);
    return value;
  }

  /** Whether a change to one of `keys` (or to everything) was delivered after delivery `generation`. */
  #changedSince(generation: number, keys: readonly string[]): boolean {
    const since = this.#generation - generation;
    if (since === 0) return false;
    if (since > this.#deliveries.length) return true;
    const wanted = new Set(keys);
    for (let index = this.#deliveries.length - since; index < this.#deliveries.length; index += 1) {
      const delivered = this.#deliveries[index] as ChangedKeys;
      if (delivered === "all" || delivered.some((key) => wanted.has(key))) return true;
    }
    return false;
  }

  /**
   * Announces this process's own writes at once, ahead of their notification: the server does it
   * for each request that changed something, so a user's next read reflects their own write.
   */
  announce(keys: readonly string[]): void {
    if (keys.length > 0) this.#deliver(keys);
  }

  async stop(): Promise<void> {
    this.#live = false;
    const listening = this.#listening;
    this.#listening = null;
    this.#subscribers.clear();
    await listening?.catch(() => undefined);
    const unlisten = this.#unlisten;
    this.#unlisten = null;
    await unlisten?.().catch(() => undefined);
  }

  #deliver(keys: ChangedKeys): void {
    this.#generation += 1;
    this.#deliveries.push(keys);
    if (this.#deliveries.length > DELIVERIES_KEPT) this.#deliveries.shift();
    for (const subscriber of this.#subscribers) subscriber(keys);
  }
}
