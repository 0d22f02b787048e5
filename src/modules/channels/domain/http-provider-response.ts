// How an answer from a generic signed-JSON provider (the SMS gateway contract, the voice robot)
// becomes a SendResult or a LookupResult. The table is in docs/channels.md:
//   200/201/202 {id}     → accepted          409 {id}       → accepted (it already had the key)
//   408, 429, 5xx         → retry (Retry-After honoured)     other 4xx      → rejected with the provider's code
//   2xx without an id     → retry: it may have taken the message, and a resend under the same key is safe
//   3xx                   → rejected: the base URL is wrong, and following a redirect would resend
import { type LookupResult, rejected, retry, type SendResult } from "./channel-message.js";

export type ProviderIdField = "id" | "taskId";

export interface ProviderResponse {
  status: number;
  bodyText: string;
  /** The Retry-After header, if any. */
  retryAfter: string | null;
}

/** A Retry-After hint beyond this is capped: the dispatcher plans again long before. */
export const RETRY_AFTER_MS_MAX = 86_400_000;
const PROVIDER_TEXT_LENGTH_MAX = 500;
const PROVIDER_ID_LENGTH_MAX = 200;

/** Retry-After as milliseconds from now: delta-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Math.min(Number(text) * 1000, RETRY_AFTER_MS_MAX);
  const dateMs = Date.parse(text);
  if (!/[A-Za-z]/.test(text) || Number.isNaN(dateMs)) return undefined;
  return Math.min(Math.max(dateMs - nowMs, 0), RETRY_AFTER_MS_MAX);
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function providerId(body: Record<string, unknown> | null, field: ProviderIdField): string | null {
  const value = body?.[field];
  return typeof value === "string" && value.length > 0 && value.length <= PROVIDER_ID_LENGTH_MAX ? value : null;
}

/** A provider's own text, bounded and on one line, fit for a log or a stored failure reason. */
export function providerText(value: unknown, fallback: string): string {
  if (typeof value !== "string" || value.trim().length === 0) return fallback;
  return value.replace(/\s+/g, " ").trim().slice(0, PROVIDER_TEXT_LENGTH_MAX);
}

function providerCode(body: Record<string, unknown> | null, status: number): string {
  const code = body?.code;
  return typeof code === "string" && /^[A-Za-z0-9:._-]{1,100}$/.test(code) ? code : `http_${status}`;
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

export function mapSendResponse(response: ProviderResponse, idField: ProviderIdField, nowMs: number): SendResult {
  const { status } = response;
  const body = parseJsonObject(response.bodyText);
  const id = providerId(body, idField);
  const message = providerText(body?.message, `HTTP ${status}`);
  if (status >= 200 && status <= 299) {
    if (id !== null) return { outcome: "accepted", providerMessageId: id };
    return retry("bad_response", `HTTP ${status} without a string "${idField}"; resending under the same key is safe`);
  }
  if (status === 409 && id !== null) return { outcome: "accepted", providerMessageId: id };
  if (isRetryableStatus(status)) return retry(providerCode(body, status), message, parseRetryAfter(response.retryAfter, nowMs));
  if (status >= 300 && status <= 399) return rejected("unexpected_redirect", `HTTP ${status}: check the provider's base URL`);
  return rejected(providerCode(body, status), message);
}

export function mapLookupResponse(response: ProviderResponse, idField: ProviderIdField): LookupResult {
  if (response.status === 404) return { found: false };
  if (response.status !== 200) return { unknown: true };
  const id = providerId(parseJsonObject(response.bodyText), idField);
  return id === null ? { unknown: true } : { found: true, providerMessageId: id };
}
