// Compact JSON for what the daily close keeps per account: the contract (schedule, principal,
// rate, start) and the engine's snapshot. Amounts travel as decimal strings, never as numbers.
//
// Both are written as one flat array of strings, numbers and nulls: the close parses a
// contract and a snapshot for every account it touches, and a flat array parses in about 60%
// of the time of the same values nested in objects and arrays, and is a quarter shorter. Rows
// written before (objects with nested arrays) are still read; the next write stores them flat.
import type { PlainDate } from "../../../platform/plain-date.js";
import type { Accrual, LoanFacts, LoanSnapshot, SnapshotItem } from "./loan-statement.js";
import type { ProductTerms } from "./product-terms.js";

type Quad = [string, string, string, string];
type NestedItem = [number, PlainDate, Quad, Quad, [PlainDate, string, string] | null, PlainDate | null];
type NestedAccrual = [PlainDate, number, "p" | "f", string];

/** The nested form rows were first written in. */
interface NestedSnapshot {
  on: PlainDate;
  c: string;
  n: string;
  cl: string;
  cp: string;
  it: NestedItem[];
  pd: NestedAccrual[];
}

interface NestedFacts {
  p: string;
  r: string;
  s: PlainDate;
  i: [PlainDate, string, string][];
}

/**
 * [on, credit, cap numerator, claimed, capped, item count,
 *  then per item: number, charged on, charged fee, penalty, interest, principal, paid fee, penalty,
 *  interest, principal, late fee charged on, late fee amount, late fee capped, paid off on,
 *  then per pending accrual: on, installment number, "p" | "f", amount]
 */
export type EncodedSnapshot = (string | number | null)[] | NestedSnapshot;

/** [start date, principal, annual rate, then per installment: due date, principal, interest] */
export type EncodedFacts = string[] | NestedFacts;

const ITEM_FIELDS = 14;
const ACCRUAL_FIELDS = 4;

// Most components of a snapshot are zero (no fee, no penalty, nothing paid yet): those skip
// BigInt's parser and String's formatter, which a close runs hundreds of thousands of times.
const amountOf = (text: string): bigint => (text === "0" ? 0n : BigInt(text));
const textOf = (amount: bigint): string => (amount === 0n ? "0" : String(amount));
/** The string the flat layout holds at `index`. */
const str = (values: readonly unknown[], index: number): string => values[index] as string;

export function encodeSnapshot(snapshot: LoanSnapshot): EncodedSnapshot {
  const flat: (string | number | null)[] = [
    snapshot.on,
    textOf(snapshot.creditMinor),
    textOf(snapshot.capNumerator),
    textOf(snapshot.claimedMinor),
    textOf(snapshot.cappedMinor),
    snapshot.items.length,
  ];
  for (const item of snapshot.items) {
    const { charged, paid, lateFee } = item;
    flat.push(
      item.number,
      item.chargedOn,
      textOf(charged.fee),
      textOf(charged.penalty),
      textOf(charged.interest),
      textOf(charged.principal),
      textOf(paid.fee),
      textOf(paid.penalty),
      textOf(paid.interest),
      textOf(paid.principal),
      lateFee ? lateFee.chargedOn : null,
      lateFee ? textOf(lateFee.amountMinor) : null,
      lateFee ? textOf(lateFee.cappedMinor) : null,
      item.paidOffOn,
    );
  }
  for (const accrual of snapshot.pending)
    flat.push(accrual.on, accrual.installmentNumber, accrual.component === "penalty" ? "p" : "f", textOf(accrual.amountMinor));
  return flat;
}

export function decodeSnapshot(encoded: EncodedSnapshot): LoanSnapshot {
  if (!Array.isArray(encoded)) return decodeNestedSnapshot(encoded);
  const itemCount = encoded[5] as number;
  const items: SnapshotItem[] = [];
  let at = 6;
  for (let item = 0; item < itemCount; item += 1, at += ITEM_FIELDS) {
    const lateFeeOn = encoded[at + 10] as PlainDate | null;
    items.push({
      number: encoded[at] as number,
      chargedOn: str(encoded, at + 1),
      charged: {
        fee: amountOf(str(encoded, at + 2)),
        penalty: amountOf(str(encoded, at + 3)),
        interest: amountOf(str(encoded, at + 4)),
        principal: amountOf(str(encoded, at + 5)),
      },
      paid: {
        fee: amountOf(str(encoded, at + 6)),
        penalty: amountOf(str(encoded, at + 7)),
        interest: amountOf(str(encoded, at + 8)),
        principal: amountOf(str(encoded, at + 9)),
      },
      lateFee: lateFeeOn === null ? null : { chargedOn: lateFeeOn, amountMinor: amountOf(str(encoded, at + 11)), cappedMinor: amountOf(str(encoded, at + 12)) },
      paidOffOn: encoded[at + 13] as PlainDate | null,
    });
  }
  const pending: Accrual[] = [];
  for (; at + ACCRUAL_FIELDS <= encoded.length; at += ACCRUAL_FIELDS) {
    pending.push({
      on: str(encoded, at),
      installmentNumber: encoded[at + 1] as number,
      component: encoded[at + 2] === "p" ? "penalty" : "fee",
      amountMinor: amountOf(str(encoded, at + 3)),
    });
  }
  return {
    on: str(encoded, 0),
    creditMinor: amountOf(str(encoded, 1)),
    capNumerator: amountOf(str(encoded, 2)),
    claimedMinor: amountOf(str(encoded, 3)),
    cappedMinor: amountOf(str(encoded, 4)),
    items,
    pending,
  };
}

function decodeNestedSnapshot(encoded: NestedSnapshot): LoanSnapshot {
  const unquad = (value: Quad): SnapshotItem["charged"] => ({
    fee: amountOf(value[0]),
    penalty: amountOf(value[1]),
    interest: amountOf(value[2]),
    principal: amountOf(value[3]),
  });
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
  const flat = [facts.startDate, String(facts.principalMinor), facts.annualRatePercent];
  for (const item of facts.installments) flat.push(item.dueDate, String(item.principalMinor), String(item.interestMinor));
  return flat;
}

/** The contracted schedule: each installment's due date, principal and interest. */
export function scheduleOf(encoded: EncodedFacts): { dueDate: PlainDate; principalMinor: bigint; interestMinor: bigint }[] {
  if (!Array.isArray(encoded))
    return encoded.i.map(([dueDate, principal, interest]) => ({ dueDate, principalMinor: amountOf(principal), interestMinor: amountOf(interest) }));
  const schedule = [];
  for (let at = 3; at + 3 <= encoded.length; at += 3)
    schedule.push({
      dueDate: encoded[at] as PlainDate,
      principalMinor: amountOf(encoded[at + 1] as string),
      interestMinor: amountOf(encoded[at + 2] as string),
    });
  return schedule;
}

export function decodeFacts(encoded: EncodedFacts, terms: ProductTerms): LoanFacts {
  if (!Array.isArray(encoded)) {
    const installments = scheduleOf(encoded).map(({ dueDate, principalMinor, interestMinor }, index) => ({
      number: index + 1,
      dueDate,
      principalMinor,
      interestMinor,
      paymentMinor: principalMinor + interestMinor,
      remainingPrincipalMinor: 0n,
    }));
    return { principalMinor: BigInt(encoded.p), annualRatePercent: encoded.r, startDate: encoded.s, terms, installments };
  }
  const installments: LoanFacts["installments"][number][] = [];
  for (let at = 3; at + 3 <= encoded.length; at += 3) {
    const principalMinor = amountOf(encoded[at + 1] as string);
    const interestMinor = amountOf(encoded[at + 2] as string);
    installments.push({
      number: installments.length + 1,
      dueDate: encoded[at] as PlainDate,
      principalMinor,
      interestMinor,
      paymentMinor: principalMinor + interestMinor,
      remainingPrincipalMinor: 0n,
    });
  }
  return { principalMinor: BigInt(encoded[1] as string), annualRatePercent: encoded[2] as string, startDate: encoded[0] as PlainDate, terms, installments };
}
