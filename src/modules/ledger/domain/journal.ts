// The ledger's pure core: journal entries as balanced sets of postings, and the plan that
// brings a subject's ledger to a target set of events by reversing what changed and posting
// what is new. Entries are never edited: a correction is a reversal plus a new entry.

export const ledgerAccounts = [
  "receivable:principal",
  "receivable:interest",
  "receivable:penalty",
  "receivable:fee",
  "cash",
  "funding",
  "income:interest",
  "income:penalty",
  "income:fee",
  "suspense",
  "waiver",
  "write_off",
] as const;
export type LedgerAccount = (typeof ledgerAccounts)[number];

export type EntryKind = "disbursement" | "interest_due" | "accrual" | "payment" | "credit_applied";

/** Debits are positive, credits negative; an entry's postings sum to zero. */
export interface PostingLine {
  account: LedgerAccount;
  installmentNumber: number | null;
  amountMinor: bigint;
}

export interface LedgerEvent {
  /** Stable identity of the business event, e.g. "payment:<id>" or "interest:3". */
  key: string;
  kind: EntryKind;
  effectiveOn: string;
  postings: PostingLine[];
  paymentId: string | null;
}

export interface ActiveEntry extends LedgerEvent {
  id: string;
}

export class UnbalancedEntryError extends Error {}

export function assertBalanced(event: Pick<LedgerEvent, "key" | "postings">): void {
  if (event.postings.length < 2) throw new UnbalancedEntryError(`entry ${event.key} needs at least two postings`);
  let total = 0n;
  for (const posting of event.postings) {
    if (posting.amountMinor === 0n) throw new UnbalancedEntryError(`entry ${event.key} has a zero posting to ${posting.account}`);
    total += posting.amountMinor;
  }
  if (total !== 0n) throw new UnbalancedEntryError(`entry ${event.key} does not balance (sum ${total})`);
}

/** Merges postings to the same account and installment, drops zeros, and orders them canonically. */
export function normalizePostings(postings: readonly PostingLine[]): PostingLine[] {
  const merged = new Map<string, PostingLine>();
  for (const posting of postings) {
    const key = `${posting.account}|${posting.installmentNumber ?? ""}`;
    const existing = merged.get(key);
    if (existing) existing.amountMinor += posting.amountMinor;
    else merged.set(key, { ...posting });
  }
  return [...merged.values()].filter((posting) => posting.amountMinor !== 0n).sort(postingOrder);
}

/** By account name, then installment (none first), then debits before credits. */
function postingOrder(left: PostingLine, right: PostingLine): number {
  if (left.account !== right.account) return left.account < right.account ? -1 : 1;
  const installments = (left.installmentNumber ?? 0) - (right.installmentNumber ?? 0);
  if (installments !== 0) return installments;
  return (left.amountMinor < 0n ? 1 : 0) - (right.amountMinor < 0n ? 1 : 0);
}

function sameEvent(entry: ActiveEntry, event: LedgerEvent): boolean {
  if (entry.kind !== event.kind || entry.effectiveOn !== event.effectiveOn || entry.paymentId !== event.paymentId) return false;
  const left = normalizePostings(entry.postings);
  const right = normalizePostings(event.postings);
  return (
    left.length === right.length &&
    left.every((posting, index) => {
      const other = right[index] as PostingLine;
      return posting.account === other.account && posting.installmentNumber === other.installmentNumber && posting.amountMinor === other.amountMinor;
    })
  );
}

export interface SyncPlan {
  reverse: ActiveEntry[];
  post: LedgerEvent[];
}

/**
 * What to reverse and what to post so that the active entries equal the target events.
 * Unchanged entries stay; a changed event is reversed and posted anew; a vanished one is reversed.
 */
export function planSync(active: readonly ActiveEntry[], target: readonly LedgerEvent[]): SyncPlan {
  const byKey = new Map<string, ActiveEntry>();
  for (const entry of active) {
    if (byKey.has(entry.key)) throw new Error(`ledger holds two active entries for ${entry.key}`);
    byKey.set(entry.key, entry);
  }
  const reverse: ActiveEntry[] = [];
  const post: LedgerEvent[] = [];
  const targetKeys = new Set<string>();
  for (const event of target) {
    if (targetKeys.has(event.key)) throw new Error(`target holds two events for ${event.key}`);
    targetKeys.add(event.key);
    const normalized = { ...event, postings: normalizePostings(event.postings) };
    if (normalized.postings.length === 0) continue;
    assertBalanced(normalized);
    const existing = byKey.get(event.key);
    if (existing && sameEvent(existing, normalized)) continue;
    if (existing) reverse.push(existing);
    post.push(normalized);
  }
  for (const entry of active) {
    if (!targetKeys.has(entry.key) || normalizePostings(target.find((event) => event.key === entry.key)?.postings ?? []).length === 0) {
      if (!reverse.includes(entry)) reverse.push(entry);
    }
  }
  return { reverse, post };
}

/** The postings that undo an entry. */
export function reversalPostings(entry: Pick<LedgerEvent, "postings">): PostingLine[] {
  return entry.postings.map((posting) => ({ ...posting, amountMinor: -posting.amountMinor }));
}
