// One HTTP exchange with a provider, never throwing: Node's fetch with a whole-exchange timeout
// (AbortSignal.timeout covers connecting, waiting and reading the body), redirects not followed
// (a redirected POST would be resent elsewhere), and a failure reduced to a code and a message.
import { signedHeaders } from "./domain/signed-request.js";

export type HttpExchange =
  | { kind: "response"; status: number; bodyText: string; retryAfter: string | null }
  | { kind: "failure"; code: "timeout" | "network_error"; message: string };

export interface HttpRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

/** A provider's answer longer than this is cut: ids and error codes fit easily. */
const RESPONSE_TEXT_LENGTH_MAX = 65_536;

function describeFailure(error: unknown, timeoutMs: number): { code: "timeout" | "network_error"; message: string } {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") return { code: "timeout", message: `no answer within ${timeoutMs} ms` };
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const detail = [cause?.code, cause?.message ?? (error instanceof Error ? error.message : String(error))]
    .filter((part) => typeof part === "string")
    .join(": ");
  return { code: "network_error", message: detail.slice(0, 500) };
}

export async function exchangeHttp(request: HttpRequest): Promise<HttpExchange> {
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: "manual",
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const bodyText = (await response.text()).slice(0, RESPONSE_TEXT_LENGTH_MAX);
    return { kind: "response", status: response.status, bodyText, retryAfter: response.headers.get("retry-after") };
  } catch (error) {
    return { kind: "failure", ...describeFailure(error, request.timeoutMs) };
  }
}

export interface SignedEndpoint {
  /** e.g. "https://sms-gateway.internal/v1"; paths are appended to it. */
  baseUrl: string;
  secret: string;
  timeoutMs: number;
}

/** A request under the v1 signature: JSON body (or "" for a GET), timestamp, signature and Idempotency-Key headers. */
export function exchangeSigned(
  endpoint: SignedEndpoint,
  method: "GET" | "POST",
  path: string,
  rawBody: string,
  idempotencyKey: string,
  nowMs: number,
): Promise<HttpExchange> {
  const headers: Record<string, string> = {
    accept: "application/json",
    "Idempotency-Key": idempotencyKey,
    ...signedHeaders(endpoint.secret, rawBody, nowMs),
  };
  if (method === "POST") headers["content-type"] = "application/json; charset=utf-8";
  return exchangeHttp({
    method,
    url: `${endpoint.baseUrl.replace(/\/+$/, "")}${path}`,
    headers,
    body: method === "POST" ? rawBody : undefined,
    timeoutMs: endpoint.timeoutMs,
  });
}
