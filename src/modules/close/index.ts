export { computeThreads, type PartitionComputePool, partitionComputePool } from "./close.compute.js";
export { closeStateHash, ledgerHash } from "./close.hash.js";
export { insertEvents, updateAccountsDocument, updateLoanStatuses } from "./close.repository.js";
export { closeRoutes } from "./close.routes.js";
export { type ManagedRunner, partitionRunnerFor } from "./close.runner.js";
export { dueCloseDate, startCloseScheduler } from "./close.scheduler.js";
export {
  type CloseMode,
  type CloseOptions,
  type CloseRunSummary,
  closeDate,
  closePolicyOf,
  closeThrough,
  observePartitionWrites,
  type PartitionCompute,
  type PartitionCounts,
  type PartitionRunner,
  type PartitionWrites,
  processPartition,
  sequentialRunner,
  type WritesObserver,
} from "./close.service.js";
export { type AccountView, advanceAccount, type ClosePolicy, defaultClosePolicy, monthEnd, nextEventOf } from "./domain/advance.js";
export {
  type AccountStateRow,
  type AccountsDocument,
  accountsDocumentOf,
  computePartition,
  type PartitionInput,
  type PartitionOutput,
} from "./domain/partition-compute.js";
export { type PartitionPolicy, partitionRanges, plannedPartitions, type Range } from "./domain/partitions.js";
