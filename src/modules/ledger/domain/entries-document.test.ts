import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type BulkEntry, EntriesDocumentBuilder } from "./entries-document.js";

function documentOf(entries: BulkEntry[]) {
  const builder = new EntriesDocumentBuilder();
  for (const entry of entries) builder.add(entry);
  return builder.finish();
}

const lenderId = "0193a2b4-0000-7000-8000-000000000001";
const loanId = "0193a2b4-0000-7000-8000-000000000002";
const paymentId = "0193a2b4-0000-7000-8000-000000000003";

describe("a bulk entries document", () => {
  it("carries each entry with its postings as [account, installment, amount] and counts the rows", () => {
    const { document, entries, rows } = documentOf([
      {
        lenderId,
        loanId,
        currency: "CNY",
        event: {
          key: 'payment:"odd" \\ key',
          kind: "payment",
          effectiveOn: "2026-12-02",
          paymentId,
          postings: [
            { account: "cash", installmentNumber: null, amountMinor: 123_456_789_012_345_678n },
            { account: "receivable:principal", installmentNumber: 3, amountMinor: -123_456_789_012_345_678n },
          ],
        },
      },
      {
        lenderId,
        loanId,
        currency: "CNY",
        event: {
          key: "interest_due:3",
          kind: "interest_due",
          effectiveOn: "2026-12-02",
          paymentId: null,
          postings: [
            { account: "receivable:interest", installmentNumber: 3, amountMinor: 5_000n },
            { account: "income:interest", installmentNumber: 3, amountMinor: -5_000n },
          ],
        },
      },
    ]);
    assert.equal(entries, 2);
    assert.equal(rows, 6);
    const parsed = JSON.parse(document) as Record<string, unknown>[];
    assert.match(String(parsed[0]?.i), /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(parsed[0]?.i, parsed[1]?.i);
    assert.deepEqual(
      parsed.map(({ i: _id, ...entry }) => entry),
      [
        {
          r: lenderId,
          l: loanId,
          k: 'payment:"odd" \\ key',
          t: "payment",
          d: "2026-12-02",
          y: paymentId,
          c: "CNY",
          p: [
            ["cash", null, "123456789012345678"],
            ["receivable:principal", 3, "-123456789012345678"],
          ],
        },
        {
          r: lenderId,
          l: loanId,
          k: "interest_due:3",
          t: "interest_due",
          d: "2026-12-02",
          y: null,
          c: "CNY",
          p: [
            ["receivable:interest", 3, "5000"],
            ["income:interest", 3, "-5000"],
          ],
        },
      ],
    );
  });

  it("is an empty array for no entries", () => {
    assert.deepEqual(documentOf([]), { document: "[]", entries: 0, rows: 0 });
  });
});
