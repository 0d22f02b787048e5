// Which way a close runs its partitions: pg-boss workers on PostgreSQL, one after another on
// the embedded database (which has one connection and nothing to run them in parallel on).
import type { AppContext } from "../../platform/context.js";
import { PgBossPartitionRunner } from "./close.queue.js";
import { type PartitionRunner, sequentialRunner } from "./close.service.js";

export interface ManagedRunner extends PartitionRunner {
  stop(): Promise<void>;
  readonly kind: "pg-boss" | "sequential";
}

export function partitionRunnerFor(context: AppContext, options: { workers?: number; computeThreads?: number; sequential?: boolean } = {}): ManagedRunner {
  const url = context.config.DATABASE_URL;
  if (context.database.engine === "postgres" && url && !options.sequential) {
    const runner = new PgBossPartitionRunner(url, options.workers ?? 2, options.computeThreads);
    return { kind: "pg-boss", run: (...args) => runner.run(...args), stop: () => runner.stop() };
  }
  return { kind: "sequential", run: (...args) => sequentialRunner.run(...args), stop: async () => undefined };
}
