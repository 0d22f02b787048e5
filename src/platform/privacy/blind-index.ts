// Keyed blind index: find a borrower by phone, ID number or e-mail without decrypting.
// HMAC-SHA256 under a key of its own; callers normalize the value first.
import { createHmac } from "node:crypto";

export type BlindIndexKind = "phone" | "national_id" | "email";

export function blindIndex(key: Buffer, kind: BlindIndexKind, normalizedValue: string): string {
  return createHmac("sha256", key).update(`${kind}:${normalizedValue}`).digest("hex");
}
