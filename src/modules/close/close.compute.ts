// Close partitions computed on compute threads: the event loop reads accounts and writes the
// results, while the engine's work of one partition (decoding, advancing, serialising) runs
// beside the database work of another. Each thread runs computePartition itself.
import { availableParallelism } from "node:os";
import { ComputePool } from "../../platform/compute-pool.js";
import type { PartitionCompute } from "./close.service.js";
import type { PartitionInput, PartitionOutput } from "./domain/partition-compute.js";

export interface PartitionComputePool {
  compute: PartitionCompute;
  close(): Promise<void>;
}

/**
 * Threads for `workers` partitions at a time, when none are asked for: one per worker, at most one
 * per core. On the 2-core machine the benchmarks run on, which also runs PostgreSQL, two threads
 * made a 1,000,000-loan day (8 partitions) faster in both pairs of runs and a 200,000-loan day
 * (2 partitions) 6% slower (docs/performance.md, 2026-12-02).
 */
export function computeThreads(workers: number): number {
  return Math.max(1, Math.min(workers, availableParallelism()));
}

export function partitionComputePool(threads: number): PartitionComputePool {
  const pool = new ComputePool<PartitionInput, PartitionOutput>({
    module: new URL("./domain/partition-compute.ts", import.meta.url),
    exportName: "computePartition",
    size: threads,
  });
  return { compute: (input) => pool.run(input), close: () => pool.close() };
}
