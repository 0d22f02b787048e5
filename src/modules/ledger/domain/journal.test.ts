import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type ActiveEntry, assertBalanced, type LedgerEvent, normalizePostings, planSync, UnbalancedEntryError } from "./journal.js";

const payment = (amount: bigint): LedgerEvent => ({
  key: "payment:p1",
  kind: "payment",
  effectiveOn: "2026-03-01",
  paymentId: "p1",
  postings: [
    { account: "cash", installmentNumber: null, amountMinor: amount },
    { account: "receivable:principal", installmentNumber: 1, amountMinor: -amount },
  ],
});

describe("journal", () => {
  it("refuses entries that do not balance or carry zero postings", () => {
    assert.throws(() => assertBalanced({ key: "x", postings: [{ account: "cash", installmentNumber: null, amountMinor: 5n }] }), UnbalancedEntryError);
    assert.throws(
      () =>
        assertBalanced({
          key: "x",
          postings: [
            { account: "cash", installmentNumber: null, amountMinor: 5n },
            { account: "funding", installmentNumber: null, amountMinor: -4n },
          ],
        }),
      /does not balance \(sum 1\)/,
    );
  });

  it("merges postings to the same account and installment", () => {
    assert.deepEqual(
      normalizePostings([
        { account: "receivable:interest", installmentNumber: 2, amountMinor: -30n },
        { account: "cash", installmentNumber: null, amountMinor: 100n },
        { account: "receivable:interest", installmentNumber: 2, amountMinor: -70n },
      ]),
      [
        { account: "cash", installmentNumber: null, amountMinor: 100n },
        { account: "receivable:interest", installmentNumber: 2, amountMinor: -100n },
      ],
    );
  });

  it("keeps unchanged entries, reverses and re-posts changed ones, reverses vanished ones", () => {
    const active: ActiveEntry[] = [
      { ...payment(100n), id: "e1" },
      { ...payment(50n), key: "payment:p2", paymentId: "p1", id: "e2" },
    ];
    assert.deepEqual(planSync(active, [payment(100n), { ...payment(50n), key: "payment:p2" }]), { reverse: [], post: [] });
    const changed = planSync(active, [payment(120n)]);
    assert.deepEqual(
      changed.reverse.map((entry) => entry.id),
      ["e1", "e2"],
    );
    assert.deepEqual(
      changed.post.map((event) => event.postings[0]?.amountMinor),
      [120n],
    );
  });
});
