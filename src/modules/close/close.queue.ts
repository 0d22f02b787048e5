// Partitions through a real queue on PostgreSQL: pg-boss jobs, taken by workers in parallel
// (in this process and in any server started against the same database). Each job is one
// partition; a job that runs twice finds its partition done and does nothing.
import { PgBoss } from "pg-boss";
import type { AppContext } from "../../platform/context.js";
import { AppError } from "../../platform/errors.js";
import { type PartitionComputePool, partitionComputePool, computeThreads as threadsFor } from "./close.compute.js";
import { type PartitionRunner, processPartition } from "./close.service.js";

export const CLOSE_PARTITION_QUEUE = "close-partition";
const RETRY_LIMIT = 3;

interface PartitionJob {
  runId: string;
  partitionNo: number;
}

export class PgBossPartitionRunner implements PartitionRunner {
  private boss: PgBoss | null = null;
  private readonly failures = new Map<string, string>();
  private workerId: string | null = null;
  private pool: PartitionComputePool | null = null;

  /** `computeThreads` 0 computes on the event loop; by default, a thread per worker (close.compute.ts). */
  constructor(
    private readonly connectionString: string,
    private readonly concurrency = 2,
    private readonly computeThreads = threadsFor(concurrency),
  ) {}

  /** Starts pg-boss and this process's workers (created once; pg-boss keeps its own schema). */
  async start(context: AppContext): Promise<void> {
    if (this.boss) return;
    const pool = this.computeThreads > 0 ? partitionComputePool(this.computeThreads) : null;
    this.pool = pool;
    const boss = new PgBoss({
      connectionString: this.connectionString,
      schema: "pgboss",
      useListenNotify: true,
      supervise: true,
      schedule: false,
      max: this.concurrency + 2,
    });
    boss.on("error", (error) => context.logger.error({ err: error }, "pg-boss error"));
    await boss.start();
    await boss.createQueue(CLOSE_PARTITION_QUEUE, { retryLimit: RETRY_LIMIT, retryDelay: 1 }).catch(() => undefined);
    this.workerId = await boss.work<PartitionJob>(
      CLOSE_PARTITION_QUEUE,
      { localConcurrency: this.concurrency, batchSize: 1, pollingIntervalSeconds: 0.5 },
      async (jobs) => {
        for (const job of jobs) {
          try {
            await processPartition(context, job.data.runId, job.data.partitionNo, pool?.compute);
          } catch (error) {
            if (job.retryCount >= RETRY_LIMIT) this.failures.set(`${job.data.runId}/${job.data.partitionNo}`, (error as Error).message);
            throw error;
          } finally {
            // Straight on to the next partition rather than waiting for the next poll.
            if (this.workerId) boss.notifyWorker(this.workerId);
          }
        }
      },
    );
    this.boss = boss;
  }

  async stop(): Promise<void> {
    await this.boss?.stop({ graceful: true });
    this.boss = null;
    await this.pool?.close();
    this.pool = null;
  }

  async run(context: AppContext, runId: string, partitionNos: readonly number[], onDone: () => void): Promise<void> {
    await this.start(context);
    const boss = this.boss as PgBoss;
    for (const partitionNo of partitionNos) {
      await boss.send(CLOSE_PARTITION_QUEUE, { runId, partitionNo }, { singletonKey: `${runId}/${partitionNo}` });
    }
    if (this.workerId) boss.notifyWorker(this.workerId);
    const waiting = new Set(partitionNos);
    while (waiting.size > 0) {
      for (const key of waiting) {
        const failure = this.failures.get(`${runId}/${key}`);
        if (failure) throw new AppError("INTERNAL", `close partition ${key} failed: ${failure}`);
      }
      const done = await context.database.db
        .selectFrom("close_partitions")
        .select("partition_no")
        .where("run_id", "=", runId)
        .where("status", "=", "done")
        .where("partition_no", "in", [...waiting])
        .execute();
      for (const row of done) {
        waiting.delete(row.partition_no);
        onDone();
      }
      if (waiting.size > 0) await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
