// What providers send back (delivery receipts, replies, the robot's call outcomes), applied
// once each: an event id seen before changes nothing. A receipt moves its message to delivered
// or failed; a reply is stored encrypted for agents to read, and a STOP / 退订 reply opts the
// borrower out of that channel (every later decision reads it); a robot outcome completes the
// call's attempt, and a promise the borrower made to the robot becomes a promise to pay on
// their case (under the same rules as an agent's), checked by the close like any other.
import { sql } from "kysely";
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import { blindIndex, maskFor, normalizePhone } from "../../platform/privacy/index.js";
import { recordSystemPromise } from "../cases/index.js";
import type { InboundEvent } from "../channels/index.js";
import { recordOptOut } from "../compliance/index.js";

export interface InboundCounts {
  received: number;
  duplicates: number;
  receipts: number;
  replies: number;
  stops: number;
  robotOutcomes: number;
  unmatched: number;
}

interface MessageRef {
  id: string;
  lender_id: string;
  borrower_id: string;
  channel: "sms" | "email" | "voice_robot";
  status: string;
}

async function findMessage(
  executor: Executor,
  provider: string,
  idempotencyKey: string | null,
  providerMessageId: string | null,
): Promise<MessageRef | undefined> {
  const select = executor.selectFrom("reminder_messages").select(["id", "lender_id", "borrower_id", "channel", "status"]);
  if (idempotencyKey) {
    const byKey = await select.where("idempotency_key", "=", idempotencyKey).executeTakeFirst();
    if (byKey) return byKey;
  }
  if (providerMessageId) return select.where("provider", "=", provider).where("provider_message_id", "=", providerMessageId).executeTakeFirst();
  return undefined;
}

/** The borrower a reply came from: the latest reminder sent to that number. */
async function borrowerOfSender(context: AppContext, executor: Executor, from: string): Promise<{ id: string; lender_id: string } | undefined> {
  const phone = normalizePhone(from.replace(/^\+?86/, ""));
  if (!phone) return undefined;
  return executor
    .selectFrom("borrowers")
    .select(["id", "lender_id"])
    .where("phone_index", "=", blindIndex(context.privacy.blindIndexKey, "phone", phone))
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

export async function applyInboundEvents(context: AppContext, provider: string, events: readonly InboundEvent[]): Promise<InboundCounts> {
  const counts: InboundCounts = { received: events.length, duplicates: 0, receipts: 0, replies: 0, stops: 0, robotOutcomes: 0, unmatched: 0 };
  for (const event of events.slice(0, 1_000)) {
    await context.database.db.transaction().execute(async (trx) => {
      const outcome = await applyOne(context, trx, provider, event);
      counts[outcome] += 1;
    });
  }
  return counts;
}

type Applied = "duplicates" | "receipts" | "replies" | "stops" | "robotOutcomes" | "unmatched";

async function storeEvent(
  executor: Executor,
  row: {
    provider: string;
    eventId: string;
    lenderId: string | null;
    kind: "receipt" | "reply" | "stop" | "robot_outcome";
    messageId: string | null;
    borrowerId: string | null;
    channel: "sms" | "email" | "voice_robot";
    outcome: string | null;
    textEnc: string | null;
    fromMasked: string | null;
    details: Record<string, unknown>;
    at: Date;
  },
): Promise<boolean> {
  const result = await sql`
    insert into inbound_events (provider, event_id, lender_id, kind, message_id, borrower_id, channel, outcome, text_enc, from_masked, details, received_at)
    values (${row.provider}, ${row.eventId}, ${row.lenderId}, ${row.kind}, ${row.messageId}, ${row.borrowerId}, ${row.channel}, ${row.outcome},
      ${row.textEnc}, ${row.fromMasked}, ${JSON.stringify(row.details)}::jsonb, ${row.at})
    on conflict (provider, event_id) do nothing`.execute(executor);
  return Number(result.numAffectedRows ?? 0n) === 1;
}

async function applyOne(context: AppContext, trx: Executor, provider: string, event: InboundEvent): Promise<Applied> {
  const now = context.clock.now();
  if (event.kind === "receipt") {
    const message = await findMessage(trx, provider, event.idempotencyKey, event.providerMessageId);
    const isNew = await storeEvent(trx, {
      provider,
      eventId: event.eventId,
      lenderId: message?.lender_id ?? null,
      kind: "receipt",
      messageId: message?.id ?? null,
      borrowerId: message?.borrower_id ?? null,
      channel: message?.channel ?? "sms",
      outcome: event.status,
      textEnc: null,
      fromMasked: null,
      details: { errorCode: event.errorCode },
      at: event.at,
    });
    if (!isNew) return "duplicates";
    if (!message) return "unmatched";
    // A receipt can arrive before the sender recorded the send (a crash in between): it still counts.
    if (event.status === "delivered") {
      await trx
        .updateTable("reminder_messages")
        .set({ status: "delivered", delivered_at: event.at, updated_at: now })
        .where("id", "=", message.id)
        .where("status", "in", ["sent", "sending"])
        .execute();
    } else {
      await trx
        .updateTable("reminder_messages")
        .set({
          status: "failed",
          failed_at: event.at,
          error_code: event.errorCode ?? "undelivered",
          status_reason: "provider receipt: not delivered",
          updated_at: now,
        })
        .where("id", "=", message.id)
        .where("status", "in", ["sent", "sending"])
        .execute();
    }
    return "receipts";
  }
  if (event.kind === "reply") {
    const borrower = await borrowerOfSender(context, trx, event.from);
    const isNew = await storeEvent(trx, {
      provider,
      eventId: event.eventId,
      lenderId: borrower?.lender_id ?? null,
      kind: event.isStop ? "stop" : "reply",
      messageId: null,
      borrowerId: borrower?.id ?? null,
      channel: "sms",
      outcome: null,
      textEnc: context.privacy.cipher.encrypt(event.text, `inbound:${provider}:${event.eventId}:text`),
      fromMasked: maskFor("phone", event.from),
      details: {},
      at: event.at,
    });
    if (!isNew) return "duplicates";
    if (!borrower) return "unmatched";
    if (!event.isStop) return "replies";
    await recordOptOut(context, trx, { lenderId: borrower.lender_id, borrowerId: borrower.id, channel: "sms", source: `${provider} reply` });
    // Reminders by SMS still waiting for today are cancelled now rather than refused one by one.
    await trx
      .updateTable("reminder_messages")
      .set({ status: "cancelled", status_reason: "opted_out", updated_at: now })
      .where("borrower_id", "=", borrower.id)
      .where("channel", "=", "sms")
      .where("status", "=", "planned")
      .execute();
    return "stops";
  }
  const message = await findMessage(trx, provider, event.idempotencyKey, event.providerMessageId);
  const isNew = await storeEvent(trx, {
    provider,
    eventId: event.eventId,
    lenderId: message?.lender_id ?? null,
    kind: "robot_outcome",
    messageId: message?.id ?? null,
    borrowerId: message?.borrower_id ?? null,
    channel: "voice_robot",
    outcome: event.outcome,
    textEnc: null,
    fromMasked: null,
    details: {
      ...(event.promiseAmountMinor !== null ? { promiseAmountMinor: event.promiseAmountMinor.toString() } : {}),
      ...(event.promiseDate ? { promiseDate: event.promiseDate } : {}),
    },
    at: event.at,
  });
  if (!isNew) return "duplicates";
  if (!message) return "unmatched";
  const connected = event.outcome === "connected" || event.outcome === "promise_to_pay" || event.outcome === "transferred";
  await trx
    .updateTable("reminder_messages")
    .set({
      status: connected ? "delivered" : "failed",
      ...(connected ? { delivered_at: event.at } : { failed_at: event.at, error_code: event.outcome }),
      updated_at: now,
    })
    .where("id", "=", message.id)
    .where("status", "in", ["sent", "sending"])
    .execute();
  const attempt = await sql<{ id: string }>`update contact_attempts set status = 'completed', outcome = ${connected ? "connected" : "not_connected"}
    where decision_id = (select decision_id from reminder_messages where id = ${message.id}) and status = 'in_progress' returning id`.execute(trx);
  if (event.outcome === "promise_to_pay" && event.promiseAmountMinor !== null && event.promiseDate) {
    const target = await trx.selectFrom("reminder_messages").select(["case_id", "loan_id"]).where("id", "=", message.id).executeTakeFirstOrThrow();
    if (target.case_id) {
      await recordSystemPromise(context, trx, {
        caseId: target.case_id,
        loanId: target.loan_id,
        contactAttemptId: attempt.rows[0]?.id ?? null,
        dueOn: event.promiseDate,
        amountMinor: event.promiseAmountMinor,
        source: `${provider} robot call`,
      });
    }
  }
  return "robotOutcomes";
}
