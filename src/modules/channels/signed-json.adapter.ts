// What the HTTP SMS contract and the voice robot share: a resource at a provider that takes
// signed JSON under an Idempotency-Key (POST /{resource}) and answers lookups by key
// (GET /{resource}/by-key/{key}). Each subclass says what it posts.
import { type Clock, systemClock } from "../../platform/clock.js";
import { assert } from "../../platform/errors.js";
import {
  type ChannelAdapter,
  type ChannelKind,
  type ChannelMessage,
  DEFAULT_CHANNEL_TIMEOUT_MS,
  isIdempotencyKey,
  type LookupResult,
  retry,
  type SendResult,
} from "./domain/channel-message.js";
import { mapLookupResponse, mapSendResponse } from "./domain/http-provider-response.js";
import { exchangeSigned, type SignedEndpoint } from "./http-exchange.js";

export interface SignedJsonOptions {
  baseUrl: string;
  secret: string;
  ratePerSecond: number;
  timeoutMs?: number;
  clock?: Clock;
}

export abstract class SignedJsonAdapter implements ChannelAdapter {
  abstract readonly provider: string;
  abstract readonly channels: readonly ChannelKind[];
  /** The provider dedupes the key and answers lookups: batches may be claimed together. */
  readonly isResendSafe = true;
  readonly ratePerSecond: number;
  protected readonly clock: Clock;
  private readonly endpoint: SignedEndpoint;

  constructor(
    options: SignedJsonOptions,
    private readonly resource: "/messages" | "/call-tasks",
    private readonly idField: "id" | "taskId",
  ) {
    assert(/^https?:\/\//.test(options.baseUrl), "baseUrl must be an http(s) URL");
    assert(options.secret.length > 0, "secret must not be empty");
    assert(options.ratePerSecond > 0, "ratePerSecond must be positive");
    this.endpoint = { baseUrl: options.baseUrl, secret: options.secret, timeoutMs: options.timeoutMs ?? DEFAULT_CHANNEL_TIMEOUT_MS };
    this.ratePerSecond = options.ratePerSecond;
    this.clock = options.clock ?? systemClock;
  }

  abstract send(message: ChannelMessage): Promise<SendResult>;

  /** POSTs the body under the message's key and maps the provider's answer. */
  protected async submit(rawBody: string, idempotencyKey: string): Promise<SendResult> {
    const exchange = await exchangeSigned(this.endpoint, "POST", this.resource, rawBody, idempotencyKey, this.clock.now().getTime());
    if (exchange.kind === "failure") return retry(exchange.code, exchange.message);
    return mapSendResponse(exchange, this.idField, this.clock.now().getTime());
  }

  async lookup(idempotencyKey: string, _message: ChannelMessage): Promise<LookupResult> {
    assert(isIdempotencyKey(idempotencyKey), "lookup needs a well-formed idempotency key");
    const path = `${this.resource}/by-key/${encodeURIComponent(idempotencyKey)}`;
    const exchange = await exchangeSigned(this.endpoint, "GET", path, "", idempotencyKey, this.clock.now().getTime());
    return exchange.kind === "failure" ? { unknown: true } : mapLookupResponse(exchange, this.idField);
  }

  async close(): Promise<void> {
    // Nothing to release: requests go through Node's shared fetch dispatcher.
  }
}
