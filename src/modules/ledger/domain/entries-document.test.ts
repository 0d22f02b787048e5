import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { columnValues } from "../../../platform/column-text.js";
import { type BulkEntry, EntriesDocumentBuilder, withNewEntryIds } from "./entries-document.js";

function documentOf(entries: BulkEntry[]) {
  const builder = new EntriesDocumentBuilder();
  for (const entry of entries) builder.add(entry);
  return builder.finish();
}

/** The rows of column texts, as the database reads them. */
function columnsOf(columns: readonly string[], rows: number): (string | null)[][] {
  const values = columns.map((column) => columnValues(column, rows));
  return Array.from({ length: rows }, (_, row) => values.map((column) => column[row] ?? null));
}

const lenderId = "0193a2b4-0000-7000-8000-000000000001";
const loanId = "0193a2b4-0000-7000-8000-000000000002";
const paymentId = "0193a2b4-0000-7000-8000-000000000003";
const interestDue: BulkEntry = {
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
};

describe("a bulk entries document", () => {
  it("carries each entry with its postings as [account, installment, amount] and counts the rows", () => {
    const document = documentOf([
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
      interestDue,
    ]);
    assert.equal(document.entries, 2);
    assert.equal(document.rows, 6);
    const entries = columnsOf(document.entryColumns, 2);
    const postings = columnsOf(document.postingColumns, 4);
    const [first, second] = entries.map((entry) => entry[0]);
    assert.match(String(first), /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(first, second);
    assert.deepEqual(
      entries.map(([_id, ...entry]) => entry),
      [
        [lenderId, loanId, 'payment:"odd" \\ key', "payment", "2026-12-02", paymentId],
        [lenderId, loanId, "interest_due:3", "interest_due", "2026-12-02", null],
      ],
    );
    assert.deepEqual(postings, [
      [first, "1", "cash", null, "123456789012345678", "CNY"],
      [first, "2", "receivable:principal", "3", "-123456789012345678", "CNY"],
      [second, "1", "receivable:interest", "3", "5000", "CNY"],
      [second, "2", "income:interest", "3", "-5000", "CNY"],
    ]);
  });

  it("refuses a value the columns cannot carry, naming the column", () => {
    const builder = new EntriesDocumentBuilder();
    const event = { key: "odd\u001fkey", kind: "payment" as const, effectiveOn: "2026-12-02", paymentId: null, postings: [] };
    assert.throws(() => builder.add({ lenderId, loanId, currency: "CNY", event }), /column journal_entries\.event_key: value "odd\\u001fkey"/);
    assert.throws(() => builder.add({ lenderId, loanId, currency: "CNY", event: { ...event, key: "" } }), /column journal_entries\.event_key: value ""/);
  });

  it("gives its entries new ids, and their postings follow", () => {
    const document = documentOf([interestDue]);
    const renamed = withNewEntryIds(document);
    const [[oldId]] = columnsOf(document.entryColumns, 1) as [string[]];
    const [[newId]] = columnsOf(renamed.entryColumns, 1) as [string[]];
    assert.notEqual(newId, oldId);
    assert.deepEqual(
      columnsOf(renamed.postingColumns, 2).map((posting) => posting[0]),
      [newId, newId],
    );
    assert.deepEqual(renamed.entryColumns.slice(1), document.entryColumns.slice(1));
  });

  it("is empty for no entries", () => {
    const document = documentOf([]);
    assert.equal(document.entries, 0);
    assert.equal(document.rows, 0);
  });
});
