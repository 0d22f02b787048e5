import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LoanSnapshot } from "./loan-statement.js";
import { defaultTerms } from "./product-terms.js";
import { decodeFacts, decodeSnapshot, type EncodedFacts, type EncodedSnapshot, encodeFacts, encodeSnapshot, scheduleOf } from "./snapshot-codec.js";

const snapshot: LoanSnapshot = {
  on: "2028-02-29",
  creditMinor: 1_250n,
  capNumerator: 98_765_432_109_876_543n,
  claimedMinor: 0n,
  cappedMinor: 17n,
  items: [
    {
      number: 1,
      chargedOn: "2028-01-15",
      charged: { fee: 0n, penalty: 0n, interest: 5_000n, principal: 100_000n },
      paid: { fee: 0n, penalty: 0n, interest: 5_000n, principal: 100_000n },
      lateFee: null,
      paidOffOn: "2028-01-15",
    },
    {
      number: 2,
      chargedOn: "2028-02-15",
      charged: { fee: 3_000n, penalty: 412n, interest: 4_500n, principal: 100_000n },
      paid: { fee: 0n, penalty: 12n, interest: 4_500n, principal: 0n },
      lateFee: { chargedOn: "2028-02-19", amountMinor: 3_000n, cappedMinor: 0n },
      paidOffOn: null,
    },
  ],
  pending: [
    { on: "2028-02-28", installmentNumber: 2, component: "penalty", amountMinor: 33n },
    { on: "2028-02-29", installmentNumber: 2, component: "fee", amountMinor: 1n },
  ],
};

describe("the close state's codec", () => {
  it("stores a snapshot as one flat array and reads it back exactly", () => {
    const encoded = encodeSnapshot(snapshot);
    assert.ok(Array.isArray(encoded));
    assert.equal(encoded.length, 6 + 2 * 14 + 2 * 4);
    assert.ok(
      encoded.every((value) => typeof value !== "bigint"),
      "amounts are strings, never numbers",
    );
    assert.deepEqual(decodeSnapshot(JSON.parse(JSON.stringify(encoded)) as EncodedSnapshot), snapshot);
    const empty = { ...snapshot, items: [], pending: [] };
    assert.deepEqual(decodeSnapshot(encodeSnapshot(empty)), empty);
  });

  it("still reads a snapshot written in the nested form", () => {
    const nested = {
      on: "2028-02-29",
      c: "1250",
      n: "98765432109876543",
      cl: "0",
      cp: "17",
      it: [
        [1, "2028-01-15", ["0", "0", "5000", "100000"], ["0", "0", "5000", "100000"], null, "2028-01-15"],
        [2, "2028-02-15", ["3000", "412", "4500", "100000"], ["0", "12", "4500", "0"], ["2028-02-19", "3000", "0"], null],
      ],
      pd: [
        ["2028-02-28", 2, "p", "33"],
        ["2028-02-29", 2, "f", "1"],
      ],
    } as unknown as EncodedSnapshot;
    assert.deepEqual(decodeSnapshot(nested), snapshot);
  });

  it("stores a contract flat and reads it, or one in the nested form, back exactly", () => {
    const facts = {
      principalMinor: 200_000n,
      annualRatePercent: "7.2",
      startDate: "2027-12-15",
      terms: defaultTerms,
      installments: [
        { number: 1, dueDate: "2028-01-15", principalMinor: 100_000n, interestMinor: 5_000n, paymentMinor: 105_000n, remainingPrincipalMinor: 0n },
        { number: 2, dueDate: "2028-02-15", principalMinor: 100_000n, interestMinor: 4_500n, paymentMinor: 104_500n, remainingPrincipalMinor: 0n },
      ],
    };
    const encoded = encodeFacts(facts);
    assert.deepEqual(encoded, ["2027-12-15", "200000", "7.2", "2028-01-15", "100000", "5000", "2028-02-15", "100000", "4500"]);
    assert.deepEqual(decodeFacts(encoded, defaultTerms), facts);
    const nested = {
      p: "200000",
      r: "7.2",
      s: "2027-12-15",
      i: [
        ["2028-01-15", "100000", "5000"],
        ["2028-02-15", "100000", "4500"],
      ],
    } as EncodedFacts;
    assert.deepEqual(decodeFacts(nested, defaultTerms), facts);
    assert.deepEqual(scheduleOf(nested), scheduleOf(encoded));
  });
});
