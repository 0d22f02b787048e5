// The generic signed-JSON HTTP SMS provider (docs/channels.md, "The HTTP contract"): the shape an
// SMS aggregator or a lender's in-house gateway implements. It MUST honour Idempotency-Key, which
// is what makes a retry after a timeout or a crash safe.
import { type Clock, systemClock } from "../../platform/clock.js";
import { assert } from "../../platform/errors.js";
import {
  assertChannelMessage,
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
import { checkPhoneMessage } from "./domain/message-checks.js";
import { exchangeSigned, type SignedEndpoint } from "./http-exchange.js";

export interface HttpJsonSmsOptions {
  baseUrl: string;
  secret: string;
  ratePerSecond: number;
  timeoutMs?: number;
  clock?: Clock;
}

export class HttpJsonSmsAdapter implements ChannelAdapter {
  readonly provider = "http-json";
  /** After a crash the dispatcher can ask (lookup) or the provider dedupes the key: batches may be claimed together. */
  readonly isResendSafe = true;
  readonly channels: readonly ChannelKind[] = ["sms"];
  readonly ratePerSecond: number;
  private readonly endpoint: SignedEndpoint;
  private readonly clock: Clock;

  constructor(options: HttpJsonSmsOptions) {
    assert(/^https?:\/\//.test(options.baseUrl), "baseUrl must be an http(s) URL");
    assert(options.secret.length > 0, "secret must not be empty");
    assert(options.ratePerSecond > 0, "ratePerSecond must be positive");
    this.endpoint = { baseUrl: options.baseUrl, secret: options.secret, timeoutMs: options.timeoutMs ?? DEFAULT_CHANNEL_TIMEOUT_MS };
    this.ratePerSecond = options.ratePerSecond;
    this.clock = options.clock ?? systemClock;
  }

  async send(message: ChannelMessage): Promise<SendResult> {
    assertChannelMessage(message, this.channels);
    const checked = checkPhoneMessage(message);
    if (!checked.ok) return checked.result;
    const { idempotencyKey, channel, body, language } = message;
    const rawBody = JSON.stringify({ idempotencyKey, channel, to: checked.value.e164, body, language });
    const exchange = await exchangeSigned(this.endpoint, "POST", "/messages", rawBody, idempotencyKey, this.clock.now().getTime());
    if (exchange.kind === "failure") return retry(exchange.code, exchange.message);
    return mapSendResponse(exchange, "id", this.clock.now().getTime());
  }

  async lookup(idempotencyKey: string, _message: ChannelMessage): Promise<LookupResult> {
    assert(isIdempotencyKey(idempotencyKey), "lookup needs a well-formed idempotency key");
    const path = `/messages/by-key/${encodeURIComponent(idempotencyKey)}`;
    const exchange = await exchangeSigned(this.endpoint, "GET", path, "", idempotencyKey, this.clock.now().getTime());
    return exchange.kind === "failure" ? { unknown: true } : mapLookupResponse(exchange, "id");
  }

  async close(): Promise<void> {
    // Nothing to release: requests go through Node's shared fetch dispatcher.
  }
}
