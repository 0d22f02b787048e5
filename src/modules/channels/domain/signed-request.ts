// The v1 signature duecare puts on every request to a generic HTTP provider (SMS gateway, voice
// robot) and expects on every webhook from one:
//   X-Duecare-Timestamp: unix seconds
//   X-Duecare-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + rawBody)>
// Signing the timestamp with the body lets the receiver refuse replays older than its tolerance.
import { createHmac } from "node:crypto";

export const TIMESTAMP_HEADER = "X-Duecare-Timestamp";
export const SIGNATURE_HEADER = "X-Duecare-Signature";
export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
export const SIGNATURE_VERSION = "v1";

/** The signature header's value for a body sent at `timestampSeconds`. */
export function signatureFor(secret: string, timestampSeconds: number | string, rawBody: string | Uint8Array): string {
  const hmac = createHmac("sha256", secret);
  hmac.update(`${timestampSeconds}.`, "utf8");
  hmac.update(rawBody);
  return `${SIGNATURE_VERSION}=${hmac.digest("hex")}`;
}

/** Timestamp and signature headers for a request signed now. */
export function signedHeaders(secret: string, rawBody: string, nowMs: number): Record<string, string> {
  const timestampSeconds = Math.floor(nowMs / 1000);
  return { [TIMESTAMP_HEADER]: String(timestampSeconds), [SIGNATURE_HEADER]: signatureFor(secret, timestampSeconds, rawBody) };
}
