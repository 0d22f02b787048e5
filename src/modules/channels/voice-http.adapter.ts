// The voice robot (语音机器人) over HTTP: duecare submits a call task under the same v1 signature
// and Idempotency-Key rules as the HTTP SMS contract; how the call went (connected, no answer,
// a promise to pay...) comes back later as a robot_outcome webhook (domain/webhooks.ts).
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
  rejected,
  retry,
  type SendResult,
} from "./domain/channel-message.js";
import { mapLookupResponse, mapSendResponse } from "./domain/http-provider-response.js";
import { checkPhoneMessage } from "./domain/message-checks.js";
import { exchangeSigned, type SignedEndpoint } from "./http-exchange.js";

export interface VoiceHttpOptions {
  baseUrl: string;
  secret: string;
  ratePerSecond: number;
  timeoutMs?: number;
  clock?: Clock;
}

export class VoiceHttpAdapter implements ChannelAdapter {
  readonly provider = "voice-http";
  /** After a crash the dispatcher can ask (lookup) or the provider dedupes the key: batches may be claimed together. */
  readonly isResendSafe = true;
  readonly channels: readonly ChannelKind[] = ["voice_robot"];
  readonly ratePerSecond: number;
  private readonly endpoint: SignedEndpoint;
  private readonly clock: Clock;

  constructor(options: VoiceHttpOptions) {
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
    const scriptId = message.scriptId?.trim() ?? "";
    if (scriptId.length === 0) return rejected("script_missing", "a robot call needs the script the robot runs (scriptId)");
    const { idempotencyKey, language } = message;
    const rawBody = JSON.stringify({ idempotencyKey, to: checked.value.e164, scriptId, language, openingText: message.body });
    const exchange = await exchangeSigned(this.endpoint, "POST", "/call-tasks", rawBody, idempotencyKey, this.clock.now().getTime());
    if (exchange.kind === "failure") return retry(exchange.code, exchange.message);
    return mapSendResponse(exchange, "taskId", this.clock.now().getTime());
  }

  async lookup(idempotencyKey: string, _message: ChannelMessage): Promise<LookupResult> {
    assert(isIdempotencyKey(idempotencyKey), "lookup needs a well-formed idempotency key");
    const path = `/call-tasks/by-key/${encodeURIComponent(idempotencyKey)}`;
    const exchange = await exchangeSigned(this.endpoint, "GET", path, "", idempotencyKey, this.clock.now().getTime());
    return exchange.kind === "failure" ? { unknown: true } : mapLookupResponse(exchange, "taskId");
  }

  async close(): Promise<void> {
    // Nothing to release: requests go through Node's shared fetch dispatcher.
  }
}
