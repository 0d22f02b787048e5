// Dispatching a planned reminder, exactly once. A message is claimed (status `sending`, a lease,
// its gateway decision used) in one transaction, handed to the provider with its idempotency
// key, and recorded as sent in another. A worker that dies in between leaves the message
// `sending`; whoever takes it after the lease asks the provider whether it already has the key
// (lookup) and sends again only when it does not — with the same key, which the provider's
// contract dedupes (HTTP Idempotency-Key, Aliyun OutId, e-mail Message-ID).
//
// Before sending, the message is checked again: an account paid off or cured since planning
// cancels it, a retired template cancels it, and a decision is used only when it is fresh and
// nothing the rules read about the borrower changed after it was made; otherwise the gateway
// decides again (allow, defer to its next allowed time, or skip with its reasons).
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import type { ReminderChannel } from "../../platform/db/schema.js";
import { AppError, isAppError } from "../../platform/errors.js";
import { dateInZone, type PlainDate } from "../../platform/plain-date.js";
import type { ChannelAdapter, ChannelMessage, SendResult } from "../channels/index.js";
import { DECISION_VALID_MS, decideAndStore, hasContactFactsChangedSince, recipientOf, recordSystemAttempt, takeDecision } from "../compliance/index.js";
import type { EncodedFacts, EncodedSnapshot } from "../loans/index.js";
import { type ApprovedTemplate, renderApprovedTemplate, templateVersionById } from "../templates/index.js";
import type { DispatchQueue } from "./dispatch.queue.js";
import { accountFiguresOf, messageValuesOf } from "./domain/message-figures.js";
import { acquire, TokenBucket } from "./domain/rate-limiter.js";
import { retryDelayMs, SEND_ATTEMPTS_MAX } from "./domain/reminder-plan.js";

export type ChannelAdapters = Record<ReminderChannel, ChannelAdapter>;

export interface Dispatcher {
  context: AppContext;
  adapters: ChannelAdapters;
  queue: DispatchQueue;
  /** How long a claim holds a message before another worker may take it as in doubt. */
  leaseMs: number;
  buckets: Map<string, TokenBucket>;
}

export function createDispatcher(context: AppContext, adapters: ChannelAdapters, queue: DispatchQueue, leaseMs = 60_000): Dispatcher {
  const buckets = new Map<string, TokenBucket>();
  for (const adapter of Object.values(adapters)) {
    if (!buckets.has(adapter.provider)) buckets.set(adapter.provider, new TokenBucket(adapter.ratePerSecond, Date.now()));
  }
  return { context, adapters, queue, leaseMs, buckets };
}

export type DispatchOutcome = "sent" | "failed" | "retrying" | "deferred" | "skipped" | "cancelled" | "not_due" | "done" | "busy";

export interface DispatchCounts {
  [outcome: string]: number;
}

/**
 * The messages of one job, one after another; returns what became of each. A message that fails
 * unexpectedly does not hold up the rest; the job then fails, and its retry finds the others done.
 */
export async function dispatchMessages(dispatcher: Dispatcher, messageIds: readonly string[]): Promise<DispatchCounts> {
  const counts: DispatchCounts = {};
  let firstError: unknown = null;
  for (const id of messageIds.slice(0, 1_000)) {
    try {
      const outcome = await dispatchMessage(dispatcher, id);
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    } catch (error) {
      dispatcher.context.logger.error({ err: error, messageId: id }, "reminder dispatch failed");
      counts.error = (counts.error ?? 0) + 1;
      firstError ??= error;
    }
  }
  if (firstError) throw firstError;
  return counts;
}

interface Prepared {
  messageId: string;
  lenderId: string;
  borrowerId: string;
  loanId: string;
  channel: ReminderChannel;
  contentClass: string;
  templateVersionId: string;
  decisionId: string;
  inDoubt: boolean;
  outgoing: ChannelMessage;
}

type Preparation = { kind: "send"; prepared: Prepared } | { kind: "stop"; outcome: DispatchOutcome };

export async function dispatchMessage(dispatcher: Dispatcher, messageId: string): Promise<DispatchOutcome> {
  const { context } = dispatcher;
  const preparation = await context.database.db.transaction().execute((trx) => prepare(dispatcher, trx, messageId));
  if (preparation.kind === "stop") return preparation.outcome;
  const { prepared } = preparation;
  const adapter = dispatcher.adapters[prepared.channel];
  let result: SendResult | null = null;
  if (prepared.inDoubt) {
    const found = await adapter.lookup(prepared.outgoing.idempotencyKey, prepared.outgoing);
    if ("found" in found && found.found) result = { outcome: "accepted", providerMessageId: found.providerMessageId };
  }
  if (result === null) {
    const bucket = dispatcher.buckets.get(adapter.provider);
    if (bucket) await acquire(bucket);
    result = await adapter.send(prepared.outgoing);
  }
  const settled = result;
  return context.database.db.transaction().execute((trx) => settle(dispatcher, trx, prepared, adapter.provider, settled));
}

async function prepare(dispatcher: Dispatcher, trx: Executor, messageId: string): Promise<Preparation> {
  const { context } = dispatcher;
  const now = context.clock.now();
  const message = await trx.selectFrom("reminder_messages").selectAll().where("id", "=", messageId).forUpdate().skipLocked().executeTakeFirst();
  if (!message) return { kind: "stop", outcome: "busy" };
  if (message.status !== "planned" && message.status !== "sending") return { kind: "stop", outcome: "done" };
  if (message.next_attempt_at.getTime() > now.getTime() + 1_000) {
    // Taken early: a job's messages share the first one's start, or a lease has not run out.
    await dispatcher.queue.enqueue(trx, [{ messageIds: [message.id], startAfter: message.next_attempt_at }]);
    return { kind: "stop", outcome: "not_due" };
  }
  const finish = async (status: "cancelled" | "failed" | "skipped", reason: string, extra: { reasons?: unknown; decisionId?: string } = {}) => {
    await trx
      .updateTable("reminder_messages")
      .set({
        status,
        status_reason: reason,
        updated_at: now,
        ...(status === "failed" ? { failed_at: now, error_code: reason } : {}),
        ...(extra.reasons ? { reasons: JSON.stringify(extra.reasons) } : {}),
        ...(extra.decisionId ? { decision_id: extra.decisionId, decision: "block" as const } : {}),
      })
      .where("id", "=", message.id)
      .execute();
    return { kind: "stop", outcome: status } as const;
  };

  const account = await trx
    .selectFrom("account_close_state as s")
    .innerJoin("lenders as l", "l.id", "s.lender_id")
    .select(["s.status", "s.overdue_since", "s.overdue_minor", "s.facts", "s.state", "l.name", "l.name_en", "l.repayment_link", "l.currency", "l.time_zone"])
    .where("s.loan_id", "=", message.loan_id)
    .executeTakeFirst();
  if (!account) return finish("cancelled", "account_missing");
  const template = await templateVersionById(trx, message.template_version_id);
  if (!template) return finish("failed", "template_missing");

  const inDoubt = message.status === "sending";
  let decisionId = message.decision_id;
  if (!inDoubt) {
    if (account.status === "paid_off" || account.status === "written_off") return finish("cancelled", account.status);
    if (template.purpose === "overdue" && account.overdue_since === null) return finish("cancelled", "cured");
    if (!template.isInUse && (await isRetired(trx, template))) return finish("cancelled", "template_retired");
    const decided = await decisionFor(dispatcher, trx, message);
    if (decided.kind === "stop") return decided;
    decisionId = decided.decisionId;
  }

  const day: PlainDate = dateInZone(now, account.time_zone);
  const figures = accountFiguresOf({
    facts: account.facts as EncodedFacts,
    state: account.state as EncodedSnapshot,
    overdueSince: account.overdue_since,
    overdueMinor: BigInt(account.overdue_minor),
    day,
  });
  const borrower = await trx.selectFrom("borrowers").select(["id", "name_enc"]).where("id", "=", message.borrower_id).executeTakeFirstOrThrow();
  const borrowerName = context.privacy.cipher.decrypt(borrower.name_enc, `borrower:${borrower.id}:name`);
  const rendered = renderApprovedTemplate(
    template,
    messageValuesOf(figures, borrowerName, {
      institutionName: template.language === "en" ? account.name_en : account.name,
      repaymentLink: account.repayment_link,
      currency: account.currency,
    }),
  );
  if (!rendered.ok) return finish("failed", `missing_values:${rendered.missing.join(",")}`);
  let to: string;
  try {
    to = (await recipientOf(context, trx, message.borrower_id, null, message.channel === "email" ? "email" : "sms")).address;
  } catch (error) {
    if (isAppError(error) && error.code === "VALIDATION_FAILED") return finish("cancelled", "no_address");
    throw error;
  }
  await trx
    .updateTable("reminder_messages")
    .set({
      status: "sending",
      decision_id: decisionId,
      // A retry after a provider's transient failure counts; taking over a message in doubt does not.
      attempts: inDoubt ? message.attempts : message.attempts + 1,
      claimed_at: now,
      next_attempt_at: new Date(now.getTime() + dispatcher.leaseMs),
      provider: dispatcher.adapters[message.channel].provider,
      updated_at: now,
    })
    .where("id", "=", message.id)
    .execute();
  return {
    kind: "send",
    prepared: {
      messageId: message.id,
      lenderId: message.lender_id,
      borrowerId: message.borrower_id,
      loanId: message.loan_id,
      channel: message.channel,
      contentClass: message.content_class,
      templateVersionId: message.template_version_id,
      decisionId: decisionId as string,
      inDoubt,
      outgoing: {
        idempotencyKey: message.idempotency_key,
        channel: message.channel,
        to,
        body: rendered.text,
        ...(rendered.subject ? { subject: rendered.subject } : {}),
        language: template.language,
        templateCode: template.code,
        ...(message.channel === "voice_robot" ? { scriptId: template.code } : {}),
      },
    },
  };
}

async function isRetired(trx: Executor, template: ApprovedTemplate): Promise<boolean> {
  const row = await trx.selectFrom("message_templates").select("retired_at").where("id", "=", template.templateId).executeTakeFirst();
  return row?.retired_at !== null;
}

type Decided = { kind: "use"; decisionId: string } | { kind: "stop"; outcome: DispatchOutcome };

/** The planned decision when it still holds, else a new one; defers and refusals are stored on the message. */
async function decisionFor(
  dispatcher: Dispatcher,
  trx: Executor,
  message: {
    id: string;
    lender_id: string;
    borrower_id: string;
    loan_id: string;
    channel: ReminderChannel;
    content_class: string;
    decision: string | null;
    decision_id: string | null;
    template_version_id: string;
  },
): Promise<Decided> {
  const { context } = dispatcher;
  const now = context.clock.now();
  if ((message.decision === "allow" || message.decision === "warn") && message.decision_id) {
    const stored = await trx
      .selectFrom("contact_decisions")
      .select(["contact_at", "decided_at", "used_at"])
      .where("id", "=", message.decision_id)
      .executeTakeFirst();
    const isFresh = stored && stored.used_at === null && Math.abs(now.getTime() - stored.contact_at.getTime()) <= DECISION_VALID_MS;
    if (isFresh && !(await hasContactFactsChangedSince(trx, message.borrower_id, stored.decided_at))) {
      await takeDecision(context, trx, message.decision_id, message.lender_id, message.channel);
      return { kind: "use", decisionId: message.decision_id };
    }
  }
  const decision = await decideAndStore(
    context,
    trx,
    { kind: "system", lenderId: message.lender_id },
    {
      borrowerId: message.borrower_id,
      contactId: null,
      channel: message.channel,
      contentClass: message.content_class as never,
      text: null,
      loanId: message.loan_id,
      at: now,
      templateVersionId: message.template_version_id,
    },
  );
  const refusals = decision.reasons.filter((reason) => reason.effect === "block" || reason.effect === "defer");
  if (decision.decision === "defer" && decision.nextAllowedAt) {
    const next = new Date(decision.nextAllowedAt);
    await trx
      .updateTable("reminder_messages")
      .set({
        decision_id: decision.decisionId,
        decision: "defer",
        reasons: JSON.stringify(refusals),
        scheduled_at: next,
        next_attempt_at: next,
        updated_at: now,
      })
      .where("id", "=", message.id)
      .execute();
    await dispatcher.queue.enqueue(trx, [{ messageIds: [message.id], startAfter: next }]);
    return { kind: "stop", outcome: "deferred" };
  }
  if (decision.decision === "block" || decision.decision === "defer") {
    await trx
      .updateTable("reminder_messages")
      .set({
        status: "skipped",
        status_reason: refusals[0]?.rule ?? "gateway",
        decision_id: decision.decisionId,
        decision: decision.decision,
        reasons: JSON.stringify(refusals),
        updated_at: now,
      })
      .where("id", "=", message.id)
      .execute();
    return { kind: "stop", outcome: "skipped" };
  }
  await takeDecision(context, trx, decision.decisionId, message.lender_id, message.channel);
  return { kind: "use", decisionId: decision.decisionId };
}

async function settle(dispatcher: Dispatcher, trx: Executor, prepared: Prepared, provider: string, result: SendResult): Promise<DispatchOutcome> {
  const { context } = dispatcher;
  const now = context.clock.now();
  const current = await trx
    .selectFrom("reminder_messages")
    .select(["status", "attempts"])
    .where("id", "=", prepared.messageId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  // Another worker settled it after this one's lease ran out: the provider deduped the key.
  if (current.status !== "sending") return "done";
  if (result.outcome === "accepted") {
    await trx
      .updateTable("reminder_messages")
      .set({ status: "sent", provider, provider_message_id: result.providerMessageId, sent_at: now, next_attempt_at: now, updated_at: now })
      .where("id", "=", prepared.messageId)
      .execute();
    await recordSystemAttempt(context, trx, {
      lenderId: prepared.lenderId,
      borrowerId: prepared.borrowerId,
      contactId: null,
      channel: prepared.channel,
      contentClass: prepared.contentClass,
      decisionId: prepared.decisionId,
      at: now,
      loanId: prepared.loanId,
      templateVersionId: prepared.templateVersionId,
      status: prepared.channel === "voice_robot" ? "in_progress" : "sent",
    });
    return "sent";
  }
  if (result.outcome === "rejected" || current.attempts >= SEND_ATTEMPTS_MAX) {
    await trx
      .updateTable("reminder_messages")
      .set({ status: "failed", status_reason: result.message.slice(0, 500), error_code: result.code.slice(0, 100), failed_at: now, updated_at: now })
      .where("id", "=", prepared.messageId)
      .execute();
    return "failed";
  }
  // Not taken: known unsent, so the next attempt asks the gateway again (its decision is used).
  const next = new Date(now.getTime() + retryDelayMs(current.attempts, result.retryAfterMs, context.config.DUECARE_DISPATCH_RETRY_BASE_SECONDS * 1000));
  await trx
    .updateTable("reminder_messages")
    .set({
      status: "planned",
      decision: null,
      error_code: result.code.slice(0, 100),
      status_reason: result.message.slice(0, 500),
      next_attempt_at: next,
      updated_at: now,
    })
    .where("id", "=", prepared.messageId)
    .execute();
  await dispatcher.queue.enqueue(trx, [{ messageIds: [prepared.messageId], startAfter: next }]);
  return "retrying";
}

export function assertDispatchable(channel: string): asserts channel is ReminderChannel {
  if (channel !== "sms" && channel !== "email" && channel !== "voice_robot")
    throw new AppError("VALIDATION_FAILED", `channel: ${channel} is not a reminder channel`);
}
