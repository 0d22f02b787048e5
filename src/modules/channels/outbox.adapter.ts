// The development channel as an adapter: the dispatcher hands it a callback that stores the
// message in the development outbox (outbox#putInOutbox, under the gateway decision the
// dispatcher holds) and answers the stored id. The adapter itself keeps nothing.
import { assert, isAppError } from "../../platform/errors.js";
import {
  assertChannelMessage,
  type ChannelAdapter,
  type ChannelKind,
  type ChannelMessage,
  channelKinds,
  isIdempotencyKey,
  type LookupResult,
  rejected,
  retry,
  type SendResult,
} from "./domain/channel-message.js";

export type OutboxDeliver = (message: ChannelMessage) => Promise<string>;
/** Optional: the stored id for a key, or null; without it lookup answers unknown. */
export type OutboxFind = (idempotencyKey: string) => Promise<string | null>;

export interface OutboxAdapterOptions {
  deliver: OutboxDeliver;
  find?: OutboxFind;
  ratePerSecond?: number;
}

export class OutboxAdapter implements ChannelAdapter {
  readonly provider = "outbox";
  /** After a crash the dispatcher can ask (lookup) or the provider dedupes the key: batches may be claimed together. */
  readonly isResendSafe = true;
  readonly channels: readonly ChannelKind[] = channelKinds;
  readonly ratePerSecond: number;
  private readonly deliver: OutboxDeliver;
  private readonly find: OutboxFind | undefined;

  constructor(options: OutboxAdapterOptions) {
    assert(typeof options.deliver === "function", "the outbox adapter needs a deliver callback");
    this.deliver = options.deliver;
    this.find = options.find;
    this.ratePerSecond = options.ratePerSecond ?? 1000;
    assert(this.ratePerSecond > 0, "ratePerSecond must be positive");
  }

  async send(message: ChannelMessage): Promise<SendResult> {
    assertChannelMessage(message, this.channels);
    let id: string;
    try {
      id = await this.deliver(message);
    } catch (error) {
      // A business refusal (no gateway decision, say) is permanent; anything else is the outbox's
      // "provider", the database, failing — worth another attempt.
      if (isAppError(error)) return rejected(error.code, error.message.slice(0, 500));
      return retry("outbox_failed", error instanceof Error ? error.message.slice(0, 500) : String(error));
    }
    assert(typeof id === "string" && id.length > 0, "the outbox callback must answer the stored id");
    return { outcome: "accepted", providerMessageId: id };
  }

  async lookup(idempotencyKey: string, _message: ChannelMessage): Promise<LookupResult> {
    assert(isIdempotencyKey(idempotencyKey), "lookup needs a well-formed idempotency key");
    if (this.find === undefined) return { unknown: true };
    try {
      const id = await this.find(idempotencyKey);
      return id === null ? { found: false } : { found: true, providerMessageId: id };
    } catch {
      return { unknown: true };
    }
  }

  async close(): Promise<void> {}
}
