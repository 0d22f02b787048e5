// Aliyun SMS (阿里云短信, dysmsapi 2017-05-25): SendSms with our idempotency key as OutId, and
// QuerySendDetails to find it again after a crash. Aliyun does not deduplicate on OutId, so
// unlike the HTTP contract a blind resend after an ambiguous failure (timeout, dropped
// connection, 5xx) can send twice: the dispatcher should call lookup before resending those.
import { randomUUID } from "node:crypto";
import { type Clock, systemClock } from "../../platform/clock.js";
import { assert } from "../../platform/errors.js";
import {
  ALIYUN_SMS_ENDPOINT,
  aliyunPhoneNumber,
  formBody,
  mapSendSmsResponse,
  QUERY_PAGE_SIZE,
  readQuerySendDetails,
  sendDateFor,
  signedRpcParameters,
} from "./domain/aliyun-signature.js";
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
import { checkPhoneMessage } from "./domain/message-checks.js";
import { exchangeHttp, type HttpExchange } from "./http-exchange.js";

export interface AliyunSmsOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** The approved signature name (短信签名), shown as 【…】 in the message. */
  signName: string;
  /** Default https://dysmsapi.aliyuncs.com; tests point it at a local server. */
  endpoint?: string;
  regionId?: string;
  ratePerSecond: number;
  timeoutMs?: number;
  clock?: Clock;
}

const DAY_MS = 86_400_000;

export class AliyunSmsAdapter implements ChannelAdapter {
  readonly provider = "aliyun-sms";
  /** After a crash the dispatcher can ask (lookup) or the provider dedupes the key: batches may be claimed together. */
  readonly isResendSafe = true;
  readonly channels: readonly ChannelKind[] = ["sms"];
  readonly ratePerSecond: number;
  private readonly options: Required<Omit<AliyunSmsOptions, "clock" | "ratePerSecond">>;
  private readonly clock: Clock;

  constructor(options: AliyunSmsOptions) {
    assert(options.accessKeyId.length > 0 && options.accessKeySecret.length > 0, "Aliyun needs an AccessKey id and secret");
    assert(options.signName.length > 0, "Aliyun needs a SignName");
    assert(options.ratePerSecond > 0, "ratePerSecond must be positive");
    const endpoint = options.endpoint ?? ALIYUN_SMS_ENDPOINT;
    assert(/^https?:\/\//.test(endpoint), "endpoint must be an http(s) URL");
    this.options = {
      accessKeyId: options.accessKeyId,
      accessKeySecret: options.accessKeySecret,
      signName: options.signName,
      endpoint: endpoint.replace(/\/+$/, ""),
      regionId: options.regionId ?? "cn-hangzhou",
      timeoutMs: options.timeoutMs ?? DEFAULT_CHANNEL_TIMEOUT_MS,
    };
    this.ratePerSecond = options.ratePerSecond;
    this.clock = options.clock ?? systemClock;
  }

  private call(action: string, parameters: Record<string, string>): Promise<HttpExchange> {
    const signed = signedRpcParameters(action, parameters, { ...this.options, instant: this.clock.now(), nonce: randomUUID() });
    return exchangeHttp({
      method: "POST",
      url: `${this.options.endpoint}/`,
      headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body: formBody(signed),
      timeoutMs: this.options.timeoutMs,
    });
  }

  async send(message: ChannelMessage): Promise<SendResult> {
    assertChannelMessage(message, this.channels);
    const checked = checkPhoneMessage(message);
    if (!checked.ok) return checked.result;
    const phoneNumber = aliyunPhoneNumber(message.to) as string;
    const templateCode = message.templateCode?.trim() ?? "";
    if (templateCode.length === 0) return rejected("template_code_missing", "Aliyun sends only approved templates: the template has no Aliyun TemplateCode");
    const exchange = await this.call("SendSms", {
      PhoneNumbers: phoneNumber,
      SignName: this.options.signName,
      TemplateCode: templateCode,
      TemplateParam: JSON.stringify(message.templateParams ?? {}),
      OutId: message.idempotencyKey,
    });
    if (exchange.kind === "failure") return retry(exchange.code, exchange.message);
    return mapSendSmsResponse(exchange.status, exchange.bodyText);
  }

  /** Searches today's and yesterday's sends (China time) to the message's phone for OutId = key. */
  async lookup(idempotencyKey: string, message: ChannelMessage): Promise<LookupResult> {
    assert(isIdempotencyKey(idempotencyKey), "lookup needs a well-formed idempotency key");
    const phoneNumber = aliyunPhoneNumber(message.to);
    if (phoneNumber === null) return { found: false };
    const nowMs = this.clock.now().getTime();
    for (const instant of [new Date(nowMs), new Date(nowMs - DAY_MS)]) {
      const exchange = await this.call("QuerySendDetails", {
        PhoneNumber: phoneNumber,
        SendDate: sendDateFor(instant),
        PageSize: String(QUERY_PAGE_SIZE),
        CurrentPage: "1",
      });
      if (exchange.kind === "failure") return { unknown: true };
      const result = readQuerySendDetails(exchange.status, exchange.bodyText, idempotencyKey);
      if (!("found" in result) || result.found) return result;
    }
    return { found: false };
  }

  async close(): Promise<void> {
    // Nothing to release: requests go through Node's shared fetch dispatcher.
  }
}
