// Repayment schedules, exact to the minor unit.
//
// Rounding rule (the one place it happens): the monthly rate is the annual rate / 12, held as
// an exact rational. Each period's interest is remaining principal × monthly rate, rounded
// half-up to the minor unit. For equal installments the level payment is computed exactly and
// rounded half-up once; principal = payment − interest. Equal principal splits the loan into
// equal parts truncated to the minor unit. In every method the last installment takes all the
// principal still outstanding, so the installments' principal sums to the loan exactly.
// Due dates are the start date plus k months, with month ends clamped from the start's day.
import { divideRoundHalfUp, parseDecimal } from "../../../platform/decimal.js";
import { addMonthsClamped, isPlainDate, type PlainDate } from "../../../platform/plain-date.js";

export const repaymentMethods = ["equal_installment", "equal_principal", "interest_first", "bullet"] as const;
export type ScheduleMethod = (typeof repaymentMethods)[number];

export interface ScheduleTerms {
  principalMinor: bigint;
  /** Annual nominal rate in percent as a decimal string, e.g. "4.9". */
  annualRatePercent: string;
  months: number;
  method: ScheduleMethod;
  /** Disbursement date; installment k falls due k months later. */
  startDate: PlainDate;
}

export interface Installment {
  number: number;
  dueDate: PlainDate;
  principalMinor: bigint;
  interestMinor: bigint;
  paymentMinor: bigint;
  remainingPrincipalMinor: bigint;
}

export const MONTHS_MAX = 600;

export type TermsProblem = { field: keyof ScheduleTerms; message: string };

export function checkTerms(terms: ScheduleTerms): TermsProblem | null {
  if (terms.principalMinor <= 0n) return { field: "principalMinor", message: "principal must be greater than 0" };
  if (!Number.isInteger(terms.months) || terms.months < 1 || terms.months > MONTHS_MAX)
    return { field: "months", message: `months must be a whole number from 1 to ${MONTHS_MAX}` };
  let rate: { numerator: bigint; denominator: bigint };
  try {
    rate = parseDecimal(terms.annualRatePercent, "annual rate");
  } catch (error) {
    return { field: "annualRatePercent", message: (error as Error).message };
  }
  if (rate.numerator < 0n || rate.numerator > 100n * rate.denominator)
    return { field: "annualRatePercent", message: "annual rate must be between 0 and 100 percent" };
  if (!isPlainDate(terms.startDate)) return { field: "startDate", message: `start date ${JSON.stringify(terms.startDate)} is not a date (YYYY-MM-DD)` };
  if (!(repaymentMethods as readonly string[]).includes(terms.method))
    return { field: "method", message: `method must be one of ${repaymentMethods.join(", ")}` };
  return null;
}

/** The monthly rate as an exact fraction: annual percent / 1200. */
function monthlyRate(annualRatePercent: string): { numerator: bigint; denominator: bigint } {
  const annual = parseDecimal(annualRatePercent, "annual rate");
  return { numerator: annual.numerator, denominator: annual.denominator * 1200n };
}

export function buildSchedule(terms: ScheduleTerms): Installment[] {
  const problem = checkTerms(terms);
  if (problem) throw new Error(`${problem.field}: ${problem.message}`);
  switch (terms.method) {
    case "equal_installment":
      return equalInstallment(terms);
    case "equal_principal":
      return amortize(terms, () => terms.principalMinor / BigInt(terms.months));
    case "interest_first":
      return amortize(terms, () => 0n);
    case "bullet":
      return bullet(terms);
  }
}

/** The level payment P·r·(1+r)^n / ((1+r)^n − 1), exact, rounded half-up once. */
export function levelPaymentMinor(principalMinor: bigint, annualRatePercent: string, months: number): bigint {
  const rate = monthlyRate(annualRatePercent);
  if (rate.numerator === 0n) return divideRoundHalfUp(principalMinor, BigInt(months));
  const growth = (rate.denominator + rate.numerator) ** BigInt(months);
  const base = rate.denominator ** BigInt(months);
  return divideRoundHalfUp(principalMinor * rate.numerator * growth, rate.denominator * (growth - base));
}

function equalInstallment(terms: ScheduleTerms): Installment[] {
  const payment = levelPaymentMinor(terms.principalMinor, terms.annualRatePercent, terms.months);
  return amortize(terms, (interest) => payment - interest);
}

/**
 * Walks the months: interest on what remains, principal as the method says (never more than
 * what remains), and the last month takes the rest.
 */
function amortize(terms: ScheduleTerms, principalFor: (interestMinor: bigint) => bigint): Installment[] {
  const rate = monthlyRate(terms.annualRatePercent);
  const installments: Installment[] = [];
  let remaining = terms.principalMinor;
  for (let number = 1; number <= terms.months; number += 1) {
    const interest = divideRoundHalfUp(remaining * rate.numerator, rate.denominator);
    let principal = number === terms.months ? remaining : principalFor(interest);
    if (principal > remaining) principal = remaining;
    if (principal < 0n) principal = 0n;
    remaining -= principal;
    installments.push({
      number,
      dueDate: addMonthsClamped(terms.startDate, number),
      principalMinor: principal,
      interestMinor: interest,
      paymentMinor: principal + interest,
      remainingPrincipalMinor: remaining,
    });
  }
  return installments;
}

function bullet(terms: ScheduleTerms): Installment[] {
  const rate = monthlyRate(terms.annualRatePercent);
  const interest = divideRoundHalfUp(terms.principalMinor * rate.numerator * BigInt(terms.months), rate.denominator);
  return [
    {
      number: 1,
      dueDate: addMonthsClamped(terms.startDate, terms.months),
      principalMinor: terms.principalMinor,
      interestMinor: interest,
      paymentMinor: terms.principalMinor + interest,
      remainingPrincipalMinor: 0n,
    },
  ];
}

export interface ScheduleTotals {
  principalMinor: bigint;
  interestMinor: bigint;
  paymentMinor: bigint;
}

export function scheduleTotals(installments: readonly Installment[]): ScheduleTotals {
  return installments.reduce(
    (totals, installment) => ({
      principalMinor: totals.principalMinor + installment.principalMinor,
      interestMinor: totals.interestMinor + installment.interestMinor,
      paymentMinor: totals.paymentMinor + installment.paymentMinor,
    }),
    { principalMinor: 0n, interestMinor: 0n, paymentMinor: 0n },
  );
}
