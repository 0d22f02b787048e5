// Dispatching planned reminders, exactly once, a job's batch at a time. The batch's messages are
// claimed (status `sending`, a lease, each one's gateway decision taken) in one transaction,
// handed to their providers with their idempotency keys, and recorded as sent in another. A
// worker that dies in between leaves its messages `sending`; whoever takes one after the lease
// asks the provider whether it already has the key (lookup) and sends again only when it does
// not — with the same key, which the provider's contract dedupes (HTTP Idempotency-Key, Aliyun
// OutId, e-mail Message-ID).
//
// Before sending, each message is checked again: an account paid off or cured since planning
// cancels it, a retired template cancels it, and its decision is used only when it is fresh and
// nothing the rules read about the borrower changed after it was made; otherwise the gateway
// decides again (allow, defer to its next allowed time, or skip with its reasons). Two
// transactions a batch rather than two a message: a commit waits for the disk.
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import type { ReminderChannel } from "../../platform/db/schema.js";
import { dateInZone } from "../../platform/plain-date.js";
import type { ChannelAdapter, ChannelMessage, SendResult } from "../channels/index.js";
import {
  type ContactRequestInput,
  contactFactsChangedAfter,
  decideContactsInBatch,
  recordSystemAttempts,
  type SystemAttempt,
  takeDecisions,
} from "../compliance/index.js";
import type { EncodedFacts, EncodedSnapshot } from "../loans/index.js";
import { type ApprovedTemplate, renderApprovedTemplate, templateVersionById } from "../templates/index.js";
import type { DispatchQueue } from "./dispatch.queue.js";
import { accountFiguresOf, isNextDuePrepaid, messageValuesOf } from "./domain/message-figures.js";
import { acquire, TokenBucket } from "./domain/rate-limiter.js";
import { refusalsOf, retryDelayMs, SEND_ATTEMPTS_MAX } from "./domain/reminder-plan.js";
import { type MessageUpdate, updateMessages } from "./reminders.repository.js";

export type ChannelAdapters = Record<ReminderChannel, ChannelAdapter>;

export interface Dispatcher {
  context: AppContext;
  adapters: ChannelAdapters;
  queue: DispatchQueue;
  /** How long a claim holds a message before another worker may take it as in doubt. */
  leaseMs: number;
  buckets: Map<string, TokenBucket>;
}

/** Sends in flight at once within one batch. */
const SENDS_IN_FLIGHT_MAX = 8;
/** Sends in flight within a batch to a provider that cannot be asked after a crash: what a crash can leave in doubt. */
const ALONE_IN_FLIGHT_MAX = 2;
/** Messages in one call: a job holds 50; more is a caller's mistake. */
const BATCH_MAX = 1_000;

export function createDispatcher(context: AppContext, adapters: ChannelAdapters, queue: DispatchQueue, leaseMs = 60_000): Dispatcher {
  const buckets = new Map<string, TokenBucket>();
  for (const adapter of Object.values(adapters)) {
    if (!buckets.has(adapter.provider)) buckets.set(adapter.provider, new TokenBucket(adapter.ratePerSecond, Date.now()));
  }
  return { context, adapters, queue, leaseMs, buckets };
}

export type DispatchOutcome = "sent" | "failed" | "retrying" | "deferred" | "skipped" | "cancelled" | "not_due" | "done" | "busy";
export type DispatchCounts = Partial<Record<DispatchOutcome, number>>;

interface Prepared {
  row: Pick<
    MessageRowSelected,
    "id" | "lender_id" | "borrower_id" | "loan_id" | "channel" | "content_class" | "template_version_id" | "idempotency_key" | "attempts"
  >;
  decisionId: string;
  inDoubt: boolean;
  /**
   * Ask the provider first: the message is in doubt after a crash, or an earlier send ended
   * without a clear answer (a timeout, a lost reply), after which the provider may have it.
   */
  looksUpFirst: boolean;
  /** Claimed on its own just before its send (a provider that cannot be asked after a crash). */
  claimsAlone: boolean;
  outgoing: ChannelMessage;
}

type MessageRowSelected = Awaited<ReturnType<typeof lockMessages>>[number];

function lockMessages(trx: Executor, ids: readonly string[]) {
  return trx.selectFrom("reminder_messages").selectAll().where("id", "in", ids).forUpdate().skipLocked().execute();
}

/** The messages of one job: claimed together, sent concurrently (within the providers' rates), settled together. */
export async function dispatchMessages(dispatcher: Dispatcher, messageIds: readonly string[]): Promise<DispatchCounts> {
  if (messageIds.length > BATCH_MAX) throw new Error(`assertion failed: at most ${BATCH_MAX} messages a batch, not ${messageIds.length}`);
  const counts: DispatchCounts = {};
  const count = (outcome: DispatchOutcome, by = 1) => {
    if (by > 0) counts[outcome] = (counts[outcome] ?? 0) + by;
  };
  if (messageIds.length === 0) return counts;
  const { db } = dispatcher.context.database;
  const prepared = await db.transaction().execute((trx) => prepareBatch(dispatcher, trx, messageIds, count));
  if (prepared.length === 0) return counts;
  const together = prepared.filter((item) => !item.claimsAlone);
  const alone = prepared.filter((item) => item.claimsAlone);
  const settleTogether = async () => {
    if (together.length === 0) return;
    const results = await sendAll(together, SENDS_IN_FLIGHT_MAX, (item) => sendOne(dispatcher, item));
    await db.transaction().execute((trx) => settleBatch(dispatcher, trx, together, results, count));
  };
  const settleAlone = async () => {
    await sendAll(alone, ALONE_IN_FLIGHT_MAX, async (item) => {
      const claimed = await db.transaction().execute((trx) => claimOne(dispatcher, trx, item));
      if (!claimed) {
        count("done");
        return null;
      }
      const result = await sendOne(dispatcher, item);
      await db.transaction().execute((trx) => settleBatch(dispatcher, trx, [item], [result], count));
      return result;
    });
  };
  await Promise.all([settleTogether(), settleAlone()]);
  return counts;
}

async function prepareBatch(
  dispatcher: Dispatcher,
  trx: Executor,
  ids: readonly string[],
  count: (outcome: DispatchOutcome, by?: number) => void,
): Promise<Prepared[]> {
  const { context } = dispatcher;
  const now = context.clock.now();
  const locked = await lockMessages(trx, ids);
  count("busy", ids.length - locked.length);
  const open = locked.filter((row) => row.status === "planned" || row.status === "sending");
  count("done", locked.length - open.length);
  // Taken early: a job's messages share the first one's start, or a lease has not run out.
  const early = open.filter((row) => row.next_attempt_at.getTime() > now.getTime() + 1_000);
  for (const row of early) await dispatcher.queue.enqueue(trx, [{ messageIds: [row.id], startAfter: row.next_attempt_at }]);
  count("not_due", early.length);
  const due = open.filter((row) => row.next_attempt_at.getTime() <= now.getTime() + 1_000);
  if (due.length === 0) return [];

  const updates: MessageUpdate[] = [];
  const finish = (row: MessageRowSelected, status: "cancelled" | "failed" | "skipped", reason: string) => {
    updates.push({ id: row.id, status, statusReason: reason, ...(status === "failed" ? { failedAt: now, errorCode: reason } : {}) });
    count(status);
  };

  const accounts = await loadAccounts(trx, [...new Set(due.map((row) => row.loan_id))]);
  const templates = new Map<string, ApprovedTemplate | null>();
  for (const versionId of new Set(due.map((row) => row.template_version_id))) templates.set(versionId, await templateVersionById(trx, versionId));
  const retired = await retiredTemplates(
    trx,
    [...templates.values()].filter((template): template is ApprovedTemplate => template !== null && !template.isInUse),
  );

  // Fresh claims are checked again; messages in doubt keep the decision they were sent under.
  const candidates: MessageRowSelected[] = [];
  for (const row of due) {
    const account = accounts.get(row.loan_id);
    const template = templates.get(row.template_version_id);
    if (!account) finish(row, "cancelled", "account_missing");
    else if (!template) finish(row, "failed", "template_missing");
    else if (row.status === "sending") candidates.push(row);
    else if (account.status === "paid_off" || account.status === "written_off") finish(row, "cancelled", account.status);
    else if (template.purpose === "overdue" && account.overdue_since === null) finish(row, "cancelled", "cured");
    else if (template.purpose === "pre_due" && isNextDuePrepaid(figuresInput(account, now))) finish(row, "cancelled", "prepaid");
    else if (retired.has(template.templateId)) finish(row, "cancelled", "template_retired");
    else candidates.push(row);
  }

  const decisionOf = new Map<string, string>();
  for (const row of candidates) if (row.status === "sending" && row.decision_id) decisionOf.set(row.id, row.decision_id);
  const fresh = candidates.filter((row) => row.status === "planned");
  const taken = await takeUnchanged(trx, fresh, now);
  for (const row of fresh) if (taken.has(row.decision_id ?? "")) decisionOf.set(row.id, row.decision_id as string);
  const toDecide = fresh.filter((row) => !decisionOf.has(row.id));
  await decideAgain(dispatcher, trx, toDecide, now, decisionOf, updates, count);

  const sending = candidates.filter((row) => decisionOf.has(row.id));
  const borrowers = await loadRecipients(context, trx, sending);
  const prepared: Prepared[] = [];
  for (const row of sending) {
    const account = accounts.get(row.loan_id) as AccountRow;
    const template = templates.get(row.template_version_id) as ApprovedTemplate;
    const borrower = borrowers.get(row.borrower_id);
    const to = row.channel === "email" ? borrower?.email : borrower?.phone;

    if (!borrower || !to) {
      finish(row, "cancelled", "no_address");
      continue;
    }
    const figures = accountFiguresOf({ ...figuresInput(account, now), overdueMinor: BigInt(account.overdue_minor) });
    const rendered = renderApprovedTemplate(
      template,
      messageValuesOf(figures, borrower.name, {
        institutionName: template.language === "en" ? account.name_en : account.name,
        repaymentLink: account.repayment_link,
        currency: account.currency,
      }),
    );
    if (!rendered.ok) {
      finish(row, "failed", `missing_values:${rendered.missing.join(",")}`);
      continue;
    }
    const inDoubt = row.status === "sending";
    const adapter = dispatcher.adapters[row.channel];
    // A batch claimed together is in doubt together after a crash: only where the provider can
    // be asked (or dedupes). Otherwise each message is claimed when its turn to send comes.
    const claimsAlone = !inDoubt && !adapter.isResendSafe;
    const claim = {
      // A retry after a provider's transient failure counts; taking over a message in doubt does not.
      attempts: inDoubt ? row.attempts : row.attempts + 1,
      claimedAt: now,
      nextAttemptAt: new Date(now.getTime() + dispatcher.leaseMs),
      provider: adapter.provider,
    };
    updates.push(
      claimsAlone
        ? { id: row.id, status: "planned", decisionId: decisionOf.get(row.id) as string }
        : { id: row.id, status: "sending", decisionId: decisionOf.get(row.id) as string, ...claim },
    );
    prepared.push({
      row: { ...row, attempts: claim.attempts },
      decisionId: decisionOf.get(row.id) as string,
      inDoubt,
      looksUpFirst: inDoubt || row.claimed_at !== null,
      claimsAlone,
      outgoing: {
        idempotencyKey: row.idempotency_key,
        channel: row.channel,
        to,
        body: rendered.text,
        ...(rendered.subject ? { subject: rendered.subject } : {}),
        language: template.language,
        templateCode: template.code,
        ...(row.channel === "voice_robot" ? { scriptId: template.code } : {}),
      },
    });
  }
  await updateMessages(trx, updates, now);
  return prepared;
}

/** The planned decisions still good to use: nothing changed about the borrower since, and taken now. */
async function takeUnchanged(trx: Executor, rows: readonly MessageRowSelected[], now: Date): Promise<Set<string>> {
  const planned = rows.filter((row) => (row.decision === "allow" || row.decision === "warn") && row.decision_id);
  if (planned.length === 0) return new Set();
  const decided = await trx
    .selectFrom("contact_decisions")
    .select(["id", "decided_at"])
    .where(
      "id",
      "in",
      planned.map((row) => row.decision_id as string),
    )
    .execute();
  const decidedAt = new Map(decided.map((row) => [row.id, row.decided_at]));
  const changed = await contactFactsChangedAfter(
    trx,
    planned
      .filter((row) => decidedAt.has(row.decision_id as string))
      .map((row) => ({ borrowerId: row.borrower_id, since: decidedAt.get(row.decision_id as string) as Date })),
  );
  const usable = planned.filter((row) => decidedAt.has(row.decision_id as string) && !changed.has(row.borrower_id));
  const byLender = groupBy(usable, (row) => row.lender_id);
  const taken = new Set<string>();
  for (const [lenderId, group] of byLender) {
    for (const id of await takeDecisions(
      trx,
      lenderId,
      group.map((row) => ({ id: row.decision_id as string, channel: row.channel })),
      now,
    ))
      taken.add(id);
  }
  return taken;
}

/** Asks the gateway again, as of now, for the messages whose planned decision cannot be used. */
async function decideAgain(
  dispatcher: Dispatcher,
  trx: Executor,
  rows: readonly MessageRowSelected[],
  now: Date,
  decisionOf: Map<string, string>,
  updates: MessageUpdate[],
  count: (outcome: DispatchOutcome, by?: number) => void,
): Promise<void> {
  for (const [lenderId, group] of groupBy(rows, (row) => row.lender_id)) {
    const requests: ContactRequestInput[] = group.map((row) => ({
      borrowerId: row.borrower_id,
      contactId: null,
      channel: row.channel,
      contentClass: row.content_class as ContactRequestInput["contentClass"],
      text: null,
      loanId: row.loan_id,
      at: now,
      templateVersionId: row.template_version_id,
    }));
    const decisions = await decideContactsInBatch(dispatcher.context, trx, lenderId, requests, { store: true });
    const allowed: { id: string; channel: string }[] = [];
    const deferred: { messageIds: string[]; startAfter: Date }[] = [];
    group.forEach((row, index) => {
      const decision = decisions[index];
      if (!decision?.decisionId) throw new Error("assertion failed: a stored batch decision has an id");
      const refusals = refusalsOf(decision.reasons);
      if (decision.decision === "allow" || decision.decision === "warn") {
        allowed.push({ id: decision.decisionId, channel: row.channel });
        decisionOf.set(row.id, decision.decisionId);
      } else if (decision.decision === "defer" && decision.nextAllowedAt) {
        const next = new Date(decision.nextAllowedAt);
        updates.push({
          id: row.id,
          status: "planned",
          decisionId: decision.decisionId,
          decision: "defer",
          reasons: refusals,
          scheduledAt: next,
          nextAttemptAt: next,
        });
        deferred.push({ messageIds: [row.id], startAfter: next });
        count("deferred");
      } else {
        updates.push({
          id: row.id,
          status: "skipped",
          statusReason: refusals[0]?.rule ?? "gateway",
          decisionId: decision.decisionId,
          decision: decision.decision,
          reasons: refusals,
        });
        count("skipped");
      }
    });
    await dispatcher.queue.enqueue(trx, deferred);
    const taken = await takeDecisions(trx, lenderId, allowed, now);
    if (taken.size !== allowed.length) throw new Error("assertion failed: a decision made this instant is fresh and unused");
  }
}

/** `work` over the items, at most `lanes` at a time, results in item order. */
async function sendAll<Result>(items: readonly Prepared[], lanes: number, work: (item: Prepared) => Promise<Result>): Promise<Result[]> {
  const results: Result[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index] as Prepared);
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
  return results;
}

/** Claims one message for its send; false when another worker took it meanwhile. */
async function claimOne(dispatcher: Dispatcher, trx: Executor, item: Prepared): Promise<boolean> {
  const now = dispatcher.context.clock.now();
  const result = await trx
    .updateTable("reminder_messages")
    .set({
      status: "sending",
      attempts: item.row.attempts,
      claimed_at: now,
      next_attempt_at: new Date(now.getTime() + dispatcher.leaseMs),
      provider: dispatcher.adapters[item.row.channel].provider,
      updated_at: now,
    })
    .where("id", "=", item.row.id)
    .where("status", "=", "planned")
    .where("decision_id", "=", item.decisionId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

async function sendOne(dispatcher: Dispatcher, prepared: Prepared): Promise<SendResult> {
  const adapter = dispatcher.adapters[prepared.row.channel];
  try {
    if (prepared.looksUpFirst) {
      const found = await adapter.lookup(prepared.outgoing.idempotencyKey, prepared.outgoing);
      if ("found" in found && found.found) return { outcome: "accepted", providerMessageId: found.providerMessageId };
    }
    const bucket = dispatcher.buckets.get(adapter.provider);
    if (bucket) await acquire(bucket);
    return await adapter.send(prepared.outgoing);
  } catch (error) {
    // Adapters answer rather than throw; one that throws anyway is retried like a timeout.
    dispatcher.context.logger.error({ err: error, provider: adapter.provider }, "channel adapter threw");
    return { outcome: "retry", code: "adapter_error", message: (error as Error).message };
  }
}

async function settleBatch(
  dispatcher: Dispatcher,
  trx: Executor,
  prepared: readonly Prepared[],
  results: readonly SendResult[],
  count: (outcome: DispatchOutcome, by?: number) => void,
): Promise<void> {
  const { context } = dispatcher;
  const now = context.clock.now();
  const current = await trx
    .selectFrom("reminder_messages")
    .select(["id", "status"])
    .where(
      "id",
      "in",
      prepared.map((item) => item.row.id),
    )
    .forUpdate()
    .execute();
  const stillSending = new Set(current.filter((row) => row.status === "sending").map((row) => row.id));
  const updates: MessageUpdate[] = [];
  const attempts: SystemAttempt[] = [];
  const retries: { id: string; at: Date }[] = [];
  prepared.forEach((item, index) => {
    const result = results[index] as SendResult;
    // Another worker settled it after this one's lease ran out: the provider deduped the key.
    if (!stillSending.has(item.row.id)) {
      count("done");
      return;
    }
    const { row } = item;
    if (result.outcome === "accepted") {
      updates.push({ id: row.id, status: "sent", providerMessageId: result.providerMessageId, sentAt: now, nextAttemptAt: now });
      attempts.push({
        lenderId: row.lender_id,
        borrowerId: row.borrower_id,
        channel: row.channel,
        contentClass: row.content_class,
        decisionId: item.decisionId,
        loanId: row.loan_id,
        templateVersionId: row.template_version_id,
        status: row.channel === "voice_robot" ? "in_progress" : "sent",
      });
      count("sent");
    } else if (result.outcome === "rejected" || row.attempts >= SEND_ATTEMPTS_MAX) {
      updates.push({ id: row.id, status: "failed", statusReason: result.message.slice(0, 500), errorCode: result.code.slice(0, 100), failedAt: now });
      count("failed");
    } else {
      // Not taken: known unsent, so the next attempt asks the gateway again (this decision is used).
      const at = new Date(now.getTime() + retryDelayMs(row.attempts, result.retryAfterMs, context.config.DUECARE_DISPATCH_RETRY_BASE_SECONDS * 1000));
      updates.push({
        id: row.id,
        status: "planned",
        decision: null,
        errorCode: result.code.slice(0, 100),
        statusReason: result.message.slice(0, 500),
        nextAttemptAt: at,
      });
      retries.push({ id: row.id, at });
      count("retrying");
    }
  });
  await updateMessages(trx, updates, now);
  await recordSystemAttempts(context, trx, attempts);
  for (const retry of retries) await dispatcher.queue.enqueue(trx, [{ messageIds: [retry.id], startAfter: retry.at }]);
}

interface AccountRow {
  loan_id: string;
  status: string;
  overdue_since: string | null;
  overdue_minor: bigint;
  facts: unknown;
  state: unknown;
  name: string;
  name_en: string;
  repayment_link: string | null;
  currency: string;
  time_zone: string;
}

function figuresInput(account: AccountRow, now: Date) {
  return {
    facts: account.facts as EncodedFacts,
    state: account.state as EncodedSnapshot,
    overdueSince: account.overdue_since,
    day: dateInZone(now, account.time_zone),
  };
}

async function loadAccounts(trx: Executor, loanIds: readonly string[]): Promise<Map<string, AccountRow>> {
  if (loanIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom("account_close_state as s")
    .innerJoin("lenders as l", "l.id", "s.lender_id")
    .select([
      "s.loan_id",
      "s.status",
      "s.overdue_since",
      "s.overdue_minor",
      "s.facts",
      "s.state",
      "l.name",
      "l.name_en",
      "l.repayment_link",
      "l.currency",
      "l.time_zone",
    ])
    .where("s.loan_id", "in", loanIds)
    .execute();
  return new Map(rows.map((row) => [row.loan_id, row as AccountRow]));
}

async function retiredTemplates(trx: Executor, templates: readonly ApprovedTemplate[]): Promise<Set<string>> {
  if (templates.length === 0) return new Set();
  const rows = await trx
    .selectFrom("message_templates")
    .select("id")
    .where(
      "id",
      "in",
      templates.map((template) => template.templateId),
    )
    .where("retired_at", "is not", null)
    .execute();
  return new Set(rows.map((row) => row.id));
}

/** Names and the addresses the batch needs, decrypted here and never stored elsewhere: they go to the provider only. */
async function loadRecipients(
  context: AppContext,
  trx: Executor,
  rows: readonly { borrower_id: string; channel: ReminderChannel }[],
): Promise<Map<string, { name: string; phone: string | null; email: string | null }>> {
  if (rows.length === 0) return new Map();
  const channelsOf = new Map<string, Set<ReminderChannel>>();
  for (const row of rows) channelsOf.set(row.borrower_id, (channelsOf.get(row.borrower_id) ?? new Set()).add(row.channel));
  const borrowers = await trx
    .selectFrom("borrowers")
    .select(["id", "name_enc", "phone_enc", "email_enc"])
    .where("id", "in", [...channelsOf.keys()])
    .execute();
  const { cipher } = context.privacy;
  return new Map(
    borrowers.map((row) => {
      const channels = channelsOf.get(row.id) ?? new Set();
      const needsPhone = channels.has("sms") || channels.has("voice_robot");
      return [
        row.id,
        {
          name: cipher.decrypt(row.name_enc, `borrower:${row.id}:name`),
          phone: needsPhone ? cipher.decrypt(row.phone_enc, `borrower:${row.id}:phone`) : null,
          email: channels.has("email") && row.email_enc ? cipher.decrypt(row.email_enc, `borrower:${row.id}:email`) : null,
        },
      ];
    }),
  );
}

function groupBy<Item>(items: readonly Item[], keyOf: (item: Item) => string): Map<string, Item[]> {
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
