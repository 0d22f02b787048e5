// The reminders' moving parts for one process: the channel adapters from configuration, the
// dispatch queue (pg-boss on PostgreSQL, the messages table on the embedded database), the
// dispatcher, and this process's workers. Built once per context, on first use.
import type { AppContext } from "../../platform/context.js";
import { AppError } from "../../platform/errors.js";
import { maskFor } from "../../platform/privacy/index.js";
import {
  type ChannelMessage,
  createAdapters,
  type InboundEvent,
  parseAliyunReports,
  parseGenericWebhook,
  verifySignedWebhook,
  verifyToken,
} from "../channels/index.js";
import { putInOutbox } from "../outbox/index.js";
import { type DispatchQueue, type DispatchWorker, PgBossDispatchQueue, TableDispatchQueue } from "./dispatch.queue.js";
import { createDispatcher, type Dispatcher, dispatchMessages } from "./dispatch.service.js";

export interface RemindersRuntime {
  queue: DispatchQueue;
  dispatcher: Dispatcher;
  /** Starts this process's dispatch workers (idempotent). */
  startWorkers(concurrency?: number): Promise<void>;
  stop(): Promise<void>;
}

const runtimes = new WeakMap<AppContext, Promise<RemindersRuntime>>();

/** The development outbox as a channel: one row per reminder key, under the message's decision. */
export async function putReminderInOutbox(context: AppContext, message: ChannelMessage): Promise<string> {
  const { db } = context.database;
  const row = await db.selectFrom("reminder_messages").select(["decision_id"]).where("idempotency_key", "=", message.idempotencyKey).executeTakeFirst();
  if (!row?.decision_id) throw new AppError("CONTACT_NOT_ALLOWED", `not sent: reminder ${message.idempotencyKey} has no gateway decision`);
  return putInOutbox(context, db, {
    channel: message.channel === "voice_robot" ? "voice" : message.channel,
    idempotencyKey: message.idempotencyKey,
    recipient: message.to,
    recipientMasked: maskFor(message.channel === "email" ? "email" : "phone", message.to),
    purpose: `reminder:${message.templateCode ?? message.channel}`,
    body: message.subject ? `${message.subject}\n${message.body}` : message.body,
    decisionId: row.decision_id,
  });
}

async function buildRuntime(context: AppContext): Promise<RemindersRuntime> {
  const { config } = context;
  const adapters = createAdapters(config, { outbox: (message: ChannelMessage) => putReminderInOutbox(context, message) });
  const url = config.DATABASE_URL;
  const pgBoss =
    context.database.engine === "postgres" && url
      ? new PgBossDispatchQueue({ connectionString: url, expireInSeconds: config.DUECARE_DISPATCH_EXPIRE_SECONDS, retryLimit: 20 })
      : null;
  if (pgBoss) await pgBoss.prepare(context);
  const queue: DispatchQueue = pgBoss ?? new TableDispatchQueue();
  const dispatcher = createDispatcher(context, adapters, queue, config.DUECARE_DISPATCH_LEASE_SECONDS * 1000);
  let worker: DispatchWorker | null = null;
  const handler = async (messageIds: readonly string[]) => {
    await dispatchMessages(dispatcher, messageIds);
  };
  return {
    queue,
    dispatcher,
    async startWorkers(concurrency = config.DUECARE_DISPATCH_WORKERS) {
      if (worker || concurrency <= 0) return;
      worker = pgBoss ? await pgBoss.work(context, concurrency, handler) : (queue as TableDispatchQueue).work(context, handler);
    },
    async stop() {
      await worker?.stop();
      worker = null;
      await pgBoss?.stop();
      await Promise.allSettled(Object.values(adapters).map((adapter) => adapter.close()));
      runtimes.delete(context);
    },
  };
}

export function remindersRuntimeFor(context: AppContext): Promise<RemindersRuntime> {
  let runtime = runtimes.get(context);
  if (!runtime) {
    runtime = buildRuntime(context);
    runtimes.set(context, runtime);
  }
  return runtime;
}

/** Stops the context's runtime if one was built. */
export async function stopReminders(context: AppContext): Promise<void> {
  const runtime = runtimes.get(context);
  if (runtime) await (await runtime).stop();
}

/** Verifies a provider's callback and parses its events; refuses with 401 or 400 naming why. */
export function verifyWebhook(
  context: AppContext,
  provider: "http-json" | "aliyun-sms" | "voice-http",
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
  token: string | undefined,
): InboundEvent[] {
  const { config } = context;
  if (provider === "aliyun-sms") {
    if (!verifyToken(config.DUECARE_WEBHOOK_SECRET ?? "", token)) throw new AppError("UNAUTHENTICATED", "webhook: wrong or missing token");
  } else {
    const secret = provider === "voice-http" ? config.DUECARE_VOICE_HTTP_SECRET : config.DUECARE_SMS_HTTP_SECRET;
    const verified = verifySignedWebhook(secret ?? "", headers, rawBody, context.clock.now().getTime());
    if (!verified.ok) throw new AppError("UNAUTHENTICATED", `webhook: ${verified.message}`, { reason: verified.reason });
  }
  const parsed = provider === "aliyun-sms" ? parseAliyunReports(rawBody) : parseGenericWebhook(rawBody, provider);
  if (!parsed.ok) {
    const first = parsed.problems[0];
    throw new AppError("VALIDATION_FAILED", `${first?.path ?? "body"}: ${first?.message ?? "not a webhook body"}`, { problems: parsed.problems });
  }
  return parsed.events;
}
