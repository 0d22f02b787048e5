// The development outbox: where messages to people land while no real channel is configured
// (the SMS, e-mail and voice adapters come with the reminders capability). Recipients and
// bodies are encrypted at rest like any personal data; admins read them in the console.
import { randomUUID } from "node:crypto";
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import { AppError } from "../../platform/errors.js";

export interface OutboxMessage {
  channel: "sms" | "email" | "voice";
  /** A reminder's key: putting the same key twice keeps one row (and returns its id). */
  idempotencyKey?: string;
  recipient: string;
  recipientMasked: string;
  purpose: string;
  body: string;
  /** The contact gateway's decision this message goes out under (compliance#dispatchUnderDecision). */
  decisionId: string;
}

export interface OutboxEntryView {
  id: string;
  channel: "sms" | "email" | "voice";
  recipientMasked: string;
  purpose: string;
  body: string;
  createdAt: string;
}

/**
 * The development channel. Like every channel adapter it refuses a message without a gateway
 * decision (and the table refuses a row without one); only the gateway's dispatch calls it.
 */
export async function putInOutbox(context: AppContext, executor: Executor, message: OutboxMessage): Promise<string> {
  if (typeof message.decisionId !== "string" || message.decisionId.length === 0) {
    throw new AppError("CONTACT_NOT_ALLOWED", "not sent: a message needs the contact gateway's decision");
  }
  const id = randomUUID();
  const { cipher } = context.privacy;
  if (message.idempotencyKey) {
    const known = await executor.selectFrom("development_outbox").select("id").where("idempotency_key", "=", message.idempotencyKey).executeTakeFirst();
    if (known) return known.id;
  }
  await executor
    .insertInto("development_outbox")
    .values({
      id,
      channel: message.channel,
      recipient_enc: cipher.encrypt(message.recipient, `outbox:${id}:recipient`),
      recipient_masked: message.recipientMasked,
      purpose: message.purpose,
      body_enc: cipher.encrypt(message.body, `outbox:${id}:body`),
      created_at: context.clock.now(),
      decision_id: message.decisionId,
      idempotency_key: message.idempotencyKey ?? null,
    })
    .onConflict((conflict) => conflict.column("idempotency_key").where("idempotency_key", "is not", null).doNothing())
    .execute();
  return id;
}

export async function listOutbox(context: AppContext, limit: number): Promise<OutboxEntryView[]> {
  const rows = await context.database.db
    .selectFrom("development_outbox")
    .selectAll()
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(Math.min(Math.max(limit, 1), 200))
    .execute();
  return rows.map((row) => ({
    id: row.id,
    channel: row.channel,
    recipientMasked: row.recipient_masked,
    purpose: row.purpose,
    body: context.privacy.cipher.decrypt(row.body_enc, `outbox:${row.id}:body`),
    createdAt: row.created_at.toISOString(),
  }));
}
