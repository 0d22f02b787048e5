// Pure part of the audit log: the canonical form of a row and its hash. Each row's hash covers
// its own content and the previous row's hash, so editing, deleting or reordering any row
// breaks every link after it.
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export interface AuditContent {
  sequence: bigint;
  occurredAt: Date;
  actorType: "staff" | "borrower" | "system";
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  reason: string | null;
  details: unknown;
  ip: string | null;
}

/** JSON with object keys sorted at every depth, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    return JSON.stringify(typeof value === "bigint" ? value.toString() : (value ?? null));
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, entry]) => entry !== undefined)
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(",")}}`;
}

export function hashAuditRow(previousHash: string, content: AuditContent): string {
  const canonical = canonicalJson({
    sequence: content.sequence.toString(),
    occurredAt: content.occurredAt.toISOString(),
    actorType: content.actorType,
    actorId: content.actorId,
    action: content.action,
    targetType: content.targetType,
    targetId: content.targetId,
    reason: content.reason,
    details: content.details,
    ip: content.ip,
  });
  return createHash("sha256").update(previousHash).update("\n").update(canonical).digest("hex");
}

export interface StoredAuditRow extends AuditContent {
  previousHash: string;
  hash: string;
}

export type ChainBreak = { sequence: bigint; problem: string };

/**
 * Checks rows in sequence order, continuing from `previousHash`/`previousSequence` (the last
 * row of an earlier page). Returns the first broken link, or null.
 */
export function findChainBreak(rows: readonly StoredAuditRow[], previousHash: string, previousSequence: bigint): ChainBreak | null {
  let expectedPrevious = previousHash;
  let expectedSequence = previousSequence + 1n;
  for (const row of rows) {
    if (row.sequence !== expectedSequence) {
      return { sequence: row.sequence, problem: `sequence gap: expected ${expectedSequence}, found ${row.sequence}` };
    }
    if (row.previousHash !== expectedPrevious) {
      return { sequence: row.sequence, problem: "previous_hash does not match the hash of the row before" };
    }
    if (hashAuditRow(row.previousHash, row) !== row.hash) {
      return { sequence: row.sequence, problem: "row content does not match its hash (edited)" };
    }
    expectedPrevious = row.hash;
    expectedSequence = row.sequence + 1n;
  }
  return null;
}
