// Close partitions computed on compute threads: the event loop reads accounts and writes the
// results, while the engine's work of one partition (decoding, advancing, serialising) runs
// beside the database work of another. Each thread runs computePartition itself.
import { availableParallelism } from "node:os";
import { ComputePool } from "../../platform/compute-pool.js";
import type { PartitionCompute } from "./close.service.js";
import type { PartitionInput, PartitionOutput } from "./domain/partition-compute.js";

export interface PartitionComputePool {
  compute: PartitionCompute;
  readonly threads: number;
  close(): Promise<void>;
}

/**
 * Threads when none are asked for: none. On a 2-core machine that also runs PostgreSQL the
 * threads made a close no faster (docs/performance.md): the cores, not the event loop, are the
 * limit there. Where the database has cores of its own, `computeThreads(workers)` (the CLI's
 * `--compute-threads auto`) gives one thread per worker, at most one per core.
 */
export const DEFAULT_COMPUTE_THREADS = 0;

export function computeThreads(workers: number): number {
  return Math.max(1, Math.min(workers, availableParallelism()));
}

export function partitionComputePool(threads: number): PartitionComputePool {
  const pool = new ComputePool<PartitionInput, PartitionOutput>({
    module: new URL("./domain/partition-compute.ts", import.meta.url),
    exportName: "computePartition",
    size: threads,
  });
  return { compute: (input) => pool.run(input), threads: pool.size, close: () => pool.close() };
}
