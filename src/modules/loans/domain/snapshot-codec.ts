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

const quad = (value: SnapshotItem["charged"]): Quad => [String(value.fee), String(value.penalty), String(value.interest), String(value.principal)];
const unquad = (value: Quad): SnapshotItem["charged"] => ({
  fee: BigInt(value[0]),
  penalty: BigInt(value[1]),
  interest: BigInt(value[2]),
  principal: BigInt(value[3]),
});

export function encodeSnapshot(snapshot: LoanSnapshot): EncodedSnapshot {
  return {
    on: snapshot.on,
    c: String(snapshot.creditMinor),
    n: String(snapshot.capNumerator),
    cl: String(snapshot.claimedMinor),
    cp: String(snapshot.cappedMinor),
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
    creditMinor: BigInt(encoded.c),
    capNumerator: BigInt(encoded.n),
    claimedMinor: BigInt(encoded.cl),
    cappedMinor: BigInt(encoded.cp),
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
      const principalMinor = BigInt(principal);
      const interestMinor = BigInt(interest);
      return { number: index + 1, dueDate, principalMinor, interestMinor, paymentMinor: principalMinor + interestMinor, remainingPrincipalMinor: 0n };
    }),
  };
}
