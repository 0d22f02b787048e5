// How a close is cut up: account-id ranges over the uuid space, as many as the day's work needs.

/** A half-open range of account ids; `end` null reaches the top of the uuid space. */
export interface Range {
  start: string;
  end: string | null;
}

/** How a lender's close is cut up: at most `partitions` ranges, about `accountsPerPartition` due accounts each. */
export interface PartitionPolicy {
  partitions: number;
  accountsPerPartition: number;
}

/** Account-id ranges over the uuid space, split on the first 32 bits. */
export function partitionRanges(count: number): Range[] {
  const ranges: Range[] = [];
  const bound = (index: number) =>
    `${Math.floor((index * 2 ** 32) / count)
      .toString(16)
      .padStart(8, "0")}-0000-0000-0000-000000000000`;
  for (let index = 0; index < count; index += 1) ranges.push({ start: bound(index), end: index === count - 1 ? null : bound(index + 1) });
  return ranges;
}

/**
 * Partitions for a date: enough for about `accountsPerPartition` due accounts each, at most
 * `partitions`. A quiet day is one partition rather than eight that each pay a transaction, a
 * queue pickup and an index probe for a handful of accounts.
 */
export function plannedPartitions(dueAccounts: number, policy: PartitionPolicy): number {
  return Math.max(1, Math.min(policy.partitions, Math.ceil(dueAccounts / policy.accountsPerPartition)));
}
