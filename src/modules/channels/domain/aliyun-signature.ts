// Aliyun SMS (dysmsapi, API version 2017-05-25), RPC style: the pure parts — the percent-encoding
// and canonical query of Aliyun's signature version 1.0, the HMAC-SHA1 signature, and what
// SendSms and QuerySendDetails answers mean for us. The adapter adds the clock, the nonce and
// the network. Spec: Alibaba Cloud "Request signatures" for RPC APIs (SignatureVersion 1.0).
import { createHmac } from "node:crypto";
import { dateInZone } from "../../../platform/plain-date.js";
import { type LookupResult, rejected, retry, type SendResult } from "./channel-message.js";
import { providerText } from "./http-provider-response.js";
import { parsePhone } from "./recipient.js";

export const ALIYUN_SMS_API_VERSION = "2017-05-25";
export const ALIYUN_SMS_ENDPOINT = "https://dysmsapi.aliyuncs.com";
/** QuerySendDetails dates are China Standard Time, whatever zone the lender runs in. */
const ALIYUN_TIME_ZONE = "Asia/Shanghai";
export const QUERY_PAGE_SIZE = 50;

/**
 * RFC 3986 percent-encoding as Aliyun specifies it: A-Z a-z 0-9 - _ . ~ stay, every other byte
 * of the UTF-8 form becomes %XY in upper case (so a space is %20, never +). encodeURIComponent
 * also leaves ! ' ( ) * alone, which the spec does not; those are encoded here.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The parameters (all but Signature) sorted by name, each name=value percent-encoded, joined with &. */
export function canonicalQuery(parameters: Readonly<Record<string, string>>): string {
  return Object.keys(parameters)
    .filter((name) => name !== "Signature")
    .sort((left, right) => (left < right ? -1 : left > right ? 1 : 0))
    .map((name) => `${percentEncode(name)}=${percentEncode(parameters[name] as string)}`)
    .join("&");
}

/** StringToSign = HTTPMethod + "&" + percentEncode("/") + "&" + percentEncode(canonical query). */
export function stringToSign(method: "GET" | "POST", parameters: Readonly<Record<string, string>>): string {
  return `${method}&${percentEncode("/")}&${percentEncode(canonicalQuery(parameters))}`;
}

/** Base64 of HMAC-SHA1(AccessKeySecret + "&", StringToSign). */
export function signRpc(method: "GET" | "POST", parameters: Readonly<Record<string, string>>, accessKeySecret: string): string {
  return createHmac("sha1", `${accessKeySecret}&`).update(stringToSign(method, parameters), "utf8").digest("base64");
}

export interface RpcSigning {
  accessKeyId: string;
  accessKeySecret: string;
  regionId: string;
  instant: Date;
  /** Unique per request; Aliyun refuses a nonce it has seen (SignatureNonceUsed). */
  nonce: string;
}

/** "2017-07-12T02:42:19Z": UTC, whole seconds, as the spec's Timestamp wants. */
export function aliyunTimestamp(instant: Date): string {
  return `${instant.toISOString().slice(0, 19)}Z`;
}

/** The action's parameters plus the common ones and the Signature, ready for a POST form body. */
export function signedRpcParameters(action: string, actionParameters: Readonly<Record<string, string>>, signing: RpcSigning): Record<string, string> {
  const parameters: Record<string, string> = {
    ...actionParameters,
    AccessKeyId: signing.accessKeyId,
    Action: action,
    Format: "JSON",
    RegionId: signing.regionId,
    SignatureMethod: "HMAC-SHA1",
    SignatureNonce: signing.nonce,
    SignatureVersion: "1.0",
    Timestamp: aliyunTimestamp(signing.instant),
    Version: ALIYUN_SMS_API_VERSION,
  };
  parameters.Signature = signRpc("POST", parameters, signing.accessKeySecret);
  return parameters;
}

/** application/x-www-form-urlencoded with Aliyun's encoding (the server decodes %20 and + alike). */
export function formBody(parameters: Readonly<Record<string, string>>): string {
  return Object.entries(parameters)
    .map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`)
    .join("&");
}

/** QuerySendDetails' SendDate: yyyyMMdd in China Standard Time. */
export function sendDateFor(instant: Date): string {
  return dateInZone(instant, ALIYUN_TIME_ZONE).replaceAll("-", "");
}

/** PhoneNumbers as Aliyun wants them: 11 digits for the mainland, country code + number (no + or 00) elsewhere. */
export function aliyunPhoneNumber(to: string): string | null {
  const phone = parsePhone(to);
  if (phone === null) return null;
  return phone.countryCode === "86" ? phone.e164.slice(3) : phone.e164.slice(1);
}

// Error codes that a later attempt can get past: flow control and Aliyun's own faults. Every
// other code (isv.* about the number, template, signature name, balance or daily cap; the
// credential and permission errors) is permanent until a person changes something.
const retryableCodes = new Set(["isv.BUSINESS_LIMIT_CONTROL", "isp.SYSTEM_ERROR", "InternalError", "ServiceUnavailable", "SignatureNonceUsed"]);

export function isRetryableAliyunCode(code: string): boolean {
  return retryableCodes.has(code) || code === "Throttling" || code.startsWith("Throttling.");
}

/** isv.BUSINESS_LIMIT_CONTROL says which window tripped (分钟级/小时级/天级 流控); wait that long. */
function limitControlRetryAfterMs(message: string): number {
  if (/天级|day/i.test(message)) return 6 * 3_600_000;
  if (/小时级|hour/i.test(message)) return 3_600_000;
  return 60_000;
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** SendSms' answer: {Code:"OK", BizId, RequestId} is accepted; other codes per the table above; HTTP 5xx without a body retries. */
export function mapSendSmsResponse(status: number, bodyText: string): SendResult {
  const body = parseJsonObject(bodyText);
  const code = typeof body?.Code === "string" ? body.Code : null;
  const message = providerText(body?.Message, `HTTP ${status}`);
  if (code === "OK") {
    const bizId = body?.BizId;
    if (typeof bizId === "string" && bizId.length > 0) return { outcome: "accepted", providerMessageId: bizId };
    return retry("bad_response", "Code OK without a BizId");
  }
  if (code !== null && isRetryableAliyunCode(code)) {
    const retryAfterMs = code === "isv.BUSINESS_LIMIT_CONTROL" ? limitControlRetryAfterMs(message) : code.startsWith("Throttling") ? 1000 : undefined;
    return retry(code, message, retryAfterMs);
  }
  if (status === 429 || (status >= 500 && status <= 599)) return retry(code ?? `http_${status}`, message);
  if (code !== null) return rejected(code, message);
  if (status >= 200 && status <= 299) return retry("bad_response", `HTTP ${status} without a Code`);
  return rejected(`http_${status}`, message);
}

/**
 * QuerySendDetails' answer for one phone and day, searched for the entry whose OutId is our key.
 * "absent" only when the page holds the whole day; a longer day, an error or an unreadable
 * answer is "unknown" — never guess "not sent", which would send twice.
 */
export function readQuerySendDetails(status: number, bodyText: string, idempotencyKey: string): LookupResult {
  const body = parseJsonObject(bodyText);
  if (status !== 200 || body?.Code !== "OK") return { unknown: true };
  const container = body.SmsSendDetailDTOs as { SmsSendDetailDTO?: unknown } | undefined;
  const entries = Array.isArray(container?.SmsSendDetailDTO) ? (container.SmsSendDetailDTO as unknown[]) : [];
  const totalCount = Number(body.TotalCount ?? entries.length);
  if (entries.some((entry) => typeof entry === "object" && entry !== null && (entry as { OutId?: unknown }).OutId === idempotencyKey)) {
    // QuerySendDetails does not return the BizId; receipts carry out_id, so the key still matches them.
    return { found: true, providerMessageId: aliyunOutIdMessageId(idempotencyKey) };
  }
  const isWholeDay = body.TotalCount !== undefined ? Number.isInteger(totalCount) && totalCount <= entries.length : entries.length < QUERY_PAGE_SIZE;
  return isWholeDay ? { found: false } : { unknown: true };
}

/** The provider message id recorded when a lookup found the message (Aliyun gives no BizId there). */
export function aliyunOutIdMessageId(idempotencyKey: string): string {
  return `out:${idempotencyKey}`;
}
