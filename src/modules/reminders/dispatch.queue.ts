// The durable queue reminders go through. On PostgreSQL: pg-boss jobs of up to 50 message ids,
// inserted in the planner's (or the dispatcher's) own transaction, so a job exists exactly when
// its messages do; retried with backoff when a worker fails or dies (expiry), taken by workers
// in any number of processes. On the embedded database (one process, no pg-boss) the messages
// table is the queue: a loop takes the messages that are due.
import { CompiledQuery } from "kysely";
import { PgBoss } from "pg-boss";
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";

export const DISPATCH_QUEUE = "reminder-dispatch";

export interface DispatchBatch {
  messageIds: string[];
  startAfter: Date;
}

export interface DispatchQueue {
  /** Queues the batches inside the caller's transaction. */
  enqueue(executor: Executor, batches: readonly DispatchBatch[]): Promise<void>;
}

export type DispatchHandler = (messageIds: readonly string[]) => Promise<void>;

export interface DispatchWorker {
  stop(): Promise<void>;
}

export interface PgBossQueueOptions {
  connectionString: string;
  /** Seconds a job may run before it is taken again (a worker that died holds it this long). */
  expireInSeconds: number;
  retryLimit: number;
}

function executorDb(executor: Executor) {
  return {
    executeSql: async (text: string, values?: unknown[]) => {
      const result = await executor.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: result.rows as unknown[] };
    },
  };
}

export class PgBossDispatchQueue implements DispatchQueue {
  private boss: PgBoss | null = null;
  private starting: Promise<PgBoss> | null = null;

  constructor(private readonly options: PgBossQueueOptions) {}

  private async started(context: AppContext): Promise<PgBoss> {
    if (this.boss) return this.boss;
    this.starting ??= (async () => {
      // Expired jobs (a worker that died) are found by the supervisor: look as often as half the expiry.
      const superviseSeconds = Math.max(1, Math.min(60, Math.floor(this.options.expireInSeconds / 2)));
      const boss = new PgBoss({
        connectionString: this.options.connectionString,
        schema: "pgboss",
        supervise: true,
        schedule: false,
        max: 4,
        superviseIntervalSeconds: superviseSeconds,
        monitorIntervalSeconds: superviseSeconds,
      });
      boss.on("error", (error) => context.logger.error({ err: error }, "pg-boss error"));
      await boss.start();
      const queue = await boss.getQueue(DISPATCH_QUEUE);
      if (!queue) {
        await boss
          .createQueue(DISPATCH_QUEUE, {
            retryLimit: this.options.retryLimit,
            retryDelay: 2,
            retryBackoff: true,
            retryDelayMax: 300,
            expireInSeconds: this.options.expireInSeconds,
          })
          .catch(() => undefined);
      }
      this.boss = boss;
      return boss;
    })();
    return this.starting;
  }

  /** Starts pg-boss before the first transaction that enqueues (its schema must exist). */
  async prepare(context: AppContext): Promise<void> {
    await this.started(context);
  }

  async enqueue(executor: Executor, batches: readonly DispatchBatch[]): Promise<void> {
    if (batches.length === 0) return;
    const boss = this.boss;
    if (!boss) throw new Error("assertion failed: PgBossDispatchQueue.prepare() before enqueue");
    const jobs = batches.map((batch) => ({ data: { messageIds: batch.messageIds }, startAfter: batch.startAfter }));
    for (let start = 0; start < jobs.length; start += 1_000) {
      await boss.insert(DISPATCH_QUEUE, jobs.slice(start, start + 1_000), { db: executorDb(executor) });
    }
  }

  /** Workers of this process: `concurrency` jobs at a time. */
  async work(context: AppContext, concurrency: number, handler: DispatchHandler): Promise<DispatchWorker> {
    const boss = await this.started(context);
    let workerId = "";
    workerId = await boss.work<{ messageIds: string[] }>(
      DISPATCH_QUEUE,
      { localConcurrency: concurrency, batchSize: 1, pollingIntervalSeconds: 0.5 },
      async (jobs) => {
        try {
          for (const job of jobs) await handler(job.data.messageIds);
        } finally {
          // Straight on to the next job rather than waiting for the next poll.
          if (workerId) boss.notifyWorker(workerId);
        }
      },
    );
    return {
      stop: async () => {
        await boss.offWork(DISPATCH_QUEUE, { id: workerId }).catch(() => undefined);
      },
    };
  }

  async stop(): Promise<void> {
    const boss = this.boss;
    this.boss = null;
    this.starting = null;
    await boss?.stop({ graceful: true, timeout: 5_000 });
  }
}

/** The embedded database's queue: nothing to insert, the loop reads the messages that are due. */
export class TableDispatchQueue implements DispatchQueue {
  async enqueue(): Promise<void> {}

  /** Polls every `intervalMs` for due messages (and messages a stopped process left sending). */
  work(context: AppContext, handler: DispatchHandler, intervalMs = 1_000): DispatchWorker {
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;
    let running: Promise<void> = Promise.resolve();
    const tick = async () => {
      for (let round = 0; round < 100 && !stopped; round += 1) {
        const due = await context.database.db
          .selectFrom("reminder_messages")
          .select("id")
          .where("status", "in", ["planned", "sending"])
          .where("next_attempt_at", "<=", context.clock.now())
          .orderBy("next_attempt_at")
          .limit(50)
          .execute();
        if (due.length === 0) break;
        await handler(due.map((row) => row.id));
      }
    };
    const schedule = () => {
      if (stopped) return;
      timer = setTimeout(() => {
        running = tick()
          .catch((error) => context.logger.error({ err: error }, "reminder dispatch failed"))
          .finally(schedule);
      }, intervalMs);
      timer.unref();
    };
    schedule();
    return {
      stop: async () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        await running;
      },
    };
  }
}
