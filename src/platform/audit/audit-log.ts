// The audit log's shell: append a row inside the caller's transaction, verify the chain.
import { sql } from "kysely";
import type { Executor } from "../db/index.js";
import { type AuditContent, type ChainBreak, findChainBreak, GENESIS_HASH, hashAuditRow, type StoredAuditRow } from "./audit-chain.js";

const AUDIT_LOCK_ID = 74_010_002;
const VERIFY_PAGE_SIZE = 5_000;

export interface AuditEvent {
  actorType: "staff" | "borrower" | "system";
  actorId?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  reason?: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

/**
 * Appends one row. Call it with the transaction that makes the change, so the change and its
 * audit row commit or roll back together. The transaction-scoped advisory lock serialises
 * appenders across processes so the chain never forks.
 */
export async function appendAudit(executor: Executor, event: AuditEvent, occurredAt: Date): Promise<bigint> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_ID})`.execute(executor);
  const last = await executor.selectFrom("audit_log").select(["sequence", "hash"]).orderBy("sequence", "desc").limit(1).executeTakeFirst();
  const content: AuditContent = {
    sequence: (last?.sequence ?? 0n) + 1n,
    occurredAt: new Date(Math.floor(occurredAt.getTime())),
    actorType: event.actorType,
    actorId: event.actorId ?? null,
    action: event.action,
    targetType: event.targetType ?? null,
    targetId: event.targetId ?? null,
    reason: event.reason ?? null,
    details: JSON.parse(JSON.stringify(event.details ?? {}, (_key, value) => (typeof value === "bigint" ? value.toString() : value))),
    ip: event.ip ?? null,
  };
  const previousHash = last?.hash ?? GENESIS_HASH;
  const hash = hashAuditRow(previousHash, content);
  await executor
    .insertInto("audit_log")
    .values({
      sequence: content.sequence,
      occurred_at: content.occurredAt,
      actor_type: content.actorType,
      actor_id: content.actorId,
      action: content.action,
      target_type: content.targetType,
      target_id: content.targetId,
      reason: content.reason,
      details: JSON.stringify(content.details),
      ip: content.ip,
      previous_hash: previousHash,
      hash,
    })
    .execute();
  return content.sequence;
}

export interface AuditVerification {
  rowsChecked: number;
  firstBreak: ChainBreak | null;
}

/** Walks the whole chain page by page; reports the first broken link. */
export async function verifyAuditLog(executor: Executor, onProgress?: (rowsChecked: number, rowsTotal: number) => void): Promise<AuditVerification> {
  const total = await executor
    .selectFrom("audit_log")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .executeTakeFirstOrThrow();
  const rowsTotal = Number(total.count);
  let previousHash = GENESIS_HASH;
  let previousSequence = 0n;
  let rowsChecked = 0;
  for (;;) {
    const page = await executor
      .selectFrom("audit_log")
      .selectAll()
      .where("sequence", ">", previousSequence)
      .orderBy("sequence")
      .limit(VERIFY_PAGE_SIZE)
      .execute();
    if (page.length === 0) return { rowsChecked, firstBreak: null };
    const rows: StoredAuditRow[] = page.map((row) => ({
      sequence: row.sequence,
      occurredAt: row.occurred_at,
      actorType: row.actor_type,
      actorId: row.actor_id,
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id,
      reason: row.reason,
      details: row.details,
      ip: row.ip,
      previousHash: row.previous_hash,
      hash: row.hash,
    }));
    const firstBreak = findChainBreak(rows, previousHash, previousSequence);
    if (firstBreak) return { rowsChecked: rowsChecked + rows.findIndex((row) => row.sequence === firstBreak.sequence), firstBreak };
    rowsChecked += rows.length;
    const last = rows.at(-1) as StoredAuditRow;
    previousHash = last.hash;
    previousSequence = last.sequence;
    onProgress?.(rowsChecked, rowsTotal);
  }
}

export interface AuditEntryView {
  sequence: string;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  reason: string | null;
  details: unknown;
}

export async function listAuditEntries(executor: Executor, limit: number, beforeSequence?: bigint): Promise<AuditEntryView[]> {
  let query = executor
    .selectFrom("audit_log")
    .selectAll()
    .orderBy("sequence", "desc")
    .limit(Math.min(Math.max(limit, 1), 500));
  if (beforeSequence !== undefined) query = query.where("sequence", "<", beforeSequence);
  const rows = await query.execute();
  return rows.map((row) => ({
    sequence: row.sequence.toString(),
    occurredAt: row.occurred_at.toISOString(),
    actorType: row.actor_type,
    actorId: row.actor_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    reason: row.reason,
    details: row.details,
  }));
}
