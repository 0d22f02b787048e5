// Compact JSON for what the daily close keeps per account: the contract (schedule, principal,
// rate, start) and the engine's snapshot. Amounts travel as decimal strings, never as numbers.
import type { PlainDate } from "../../../platform/plain-date.js";
import type { Accrual, LoanFacts, LoanSnapshot, SnapshotItem } from "./loan-statement.js";
import type { ProductTerms } from "./product-terms.js";

type Quad = [string, string, string, string];
type EncodedItem = [number, PlainDate, Quad, Quad, [PlainDate, string, string] | null, PlainDate | null];
type EncodedAccrual = [PlainDate, number, "p" | "f", string];

export interface EncodedSnapshot {
  on: PlainDate;
  c: string;
  n: string;
  cl: string;
  cp: string;
  it: EncodedItem[];
  pd: EncodedAccrual[];
}

export interface EncodedFacts {
  p: string;
  r: string;
  s: PlainDate;
  i: [PlainDate, string, string][];
}

// Most components of a snapshot are zero (no fee, no penalty, nothing paid yet): those skip
// BigInt's parser and String's formatter, which a close runs hundreds of thousands of times.
const amountOf = (text: string): bigint => (text === "0" ? 0n : BigInt(text));
const textOf = (amount: bigint): string => (amount === 0n ? "0" : String(amount));
const quad = (value: SnapshotItem["charged"]): Quad => [textOf(value.fee), textOf(value.penalty), textOf(value.interest), textOf(value.principal)];
const unquad = (value: Quad): SnapshotItem["charged"] => ({
  fee: amountOf(value[0]),
  penalty: amountOf(value[1]),
  interest: amountOf(value[2]),
  principal: amountOf(value[3]),
});

export function encodeSnapshot(snapshot: LoanSnapshot): EncodedSnapshot {
  return {
    on: snapshot.on,
    c: textOf(snapshot.creditMinor),
    n: textOf(snapshot.capNumerator),
    cl: textOf(snapshot.claimedMinor),
    cp: textOf(snapshot.cappedMinor),
    it: snapshot.items.map((item) => [
      item.number,
      item.chargedOn,
      quad(item.charged),
      quad(item.paid),
      item.lateFee ? [item.lateFee.chargedOn, String(item.lateFee.amountMinor), String(item.lateFee.cappedMinor)] : null,
      item.paidOffOn,
    ]),
    pd: snapshot.pending.map((accrual) => [accrual.on, accrual.installmentNumber, accrual.component === "penalty" ? "p" : "f", String(accrual.amountMinor)]),
  };
}

export function decodeSnapshot(encoded: EncodedSnapshot): LoanSnapshot {
  return {
    on: encoded.on,
    creditMinor: amountOf(encoded.c),
    capNumerator: amountOf(encoded.n),
    claimedMinor: amountOf(encoded.cl),
    cappedMinor: amountOf(encoded.cp),
    items: encoded.it.map(([number, chargedOn, charged, paid, lateFee, paidOffOn]) => ({
      number,
      chargedOn,
      charged: unquad(charged),
      paid: unquad(paid),
      lateFee: lateFee ? { chargedOn: lateFee[0], amountMinor: BigInt(lateFee[1]), cappedMinor: BigInt(lateFee[2]) } : null,
      paidOffOn,
    })),
    pending: encoded.pd.map(
      ([on, installmentNumber, component, amount]): Accrual => ({
        on,
        installmentNumber,
        component: component === "p" ? "penalty" : "fee",
        amountMinor: BigInt(amount),
      }),
    ),
  };
}

export function encodeFacts(facts: LoanFacts): EncodedFacts {
  return {
    p: String(facts.principalMinor),
    r: facts.annualRatePercent,
    s: facts.startDate,
    i: facts.installments.map((item) => [item.dueDate, String(item.principalMinor), String(item.interestMinor)]),
  };
}

export function decodeFacts(encoded: EncodedFacts, terms: ProductTerms): LoanFacts {
  return {
    principalMinor: BigInt(encoded.p),
    annualRatePercent: encoded.r,
    startDate: encoded.s,
    terms,
    installments: encoded.i.map(([dueDate, principal, interest], index) => {
      const principalMinor = amountOf(principal);
      const interestMinor = amountOf(interest);
      return { number: index + 1, dueDate, principalMinor, interestMinor, paymentMinor: principalMinor + interestMinor, remainingPrincipalMinor: 0n };
    }),
  };
}
