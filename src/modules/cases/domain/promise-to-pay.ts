// Promises to pay (承诺还款): what a valid promise is, and whether one was kept. Pure.
//
// A promise is one or more installments (an amount by a date). Each is checked on its date plus
// the lender's grace days: it is kept when the borrower's payments since the promise was made
// cover every installment due so far, less a small tolerance (a promise of 1,000.00 met with
// 999.50 is kept when the tolerance is 1.00). The first broken installment breaks the promise
// and cancels the ones after it; the last kept one keeps it.
import { addDays, compareDates, daysBetween, isPlainDate, type PlainDate } from "../../../platform/plain-date.js";

export interface PromisePolicy {
  /** Shortfall still counted as kept, in minor units. */
  toleranceMinor: bigint;
  /** Days after an installment's date that its payment may still arrive. */
  graceDays: number;
}

export const defaultPromisePolicy: PromisePolicy = { toleranceMinor: 100n, graceDays: 0 };

export type InstallmentStatus = "pending" | "kept" | "broken" | "cancelled";

export interface PromiseInstallment {
  installmentNo: number;
  dueOn: PlainDate;
  amountMinor: bigint;
  status: InstallmentStatus;
}

export interface InstallmentCheck {
  installmentNo: number;
  status: Exclude<InstallmentStatus, "pending">;
  /** Paid toward the promise by the check day, cumulative (null for a cancelled installment). */
  paidMinor: bigint | null;
}

export interface PromiseCheck {
  checks: InstallmentCheck[];
  promiseStatus: "pending" | "kept" | "broken";
}

/**
 * Checks the pending installments whose check day (due date + grace) is on or before `on`.
 * `paidThrough(date)` is what the borrower paid toward the promise from the day it was made
 * through `date`.
 */
export function checkPromise(
  installments: readonly PromiseInstallment[],
  paidThrough: (date: PlainDate) => bigint,
  on: PlainDate,
  policy: PromisePolicy,
): PromiseCheck {
  const ordered = [...installments].sort((left, right) => left.installmentNo - right.installmentNo);
  const checks: InstallmentCheck[] = [];
  let promisedMinor = 0n;
  let broken = ordered.some((installment) => installment.status === "broken");
  for (const installment of ordered) {
    promisedMinor += installment.amountMinor;
    if (installment.status !== "pending") continue;
    if (broken) {
      checks.push({ installmentNo: installment.installmentNo, status: "cancelled", paidMinor: null });
      continue;
    }
    const checkDay = addDays(installment.dueOn, policy.graceDays);
    if (compareDates(checkDay, on) > 0) break;
    const paidMinor = paidThrough(checkDay);
    const kept = paidMinor + policy.toleranceMinor >= promisedMinor;
    checks.push({ installmentNo: installment.installmentNo, status: kept ? "kept" : "broken", paidMinor });
    if (!kept) broken = true;
  }
  const after = new Map(checks.map((check) => [check.installmentNo, check.status]));
  const statuses = ordered.map((installment) => after.get(installment.installmentNo) ?? installment.status);
  const promiseStatus = statuses.includes("broken") ? "broken" : statuses.every((status) => status === "kept") ? "kept" : "pending";
  return { checks, promiseStatus };
}

export interface PromiseInput {
  installments: readonly { dueOn: string; amountMinor: string }[];
}

export type PromiseProblem = { field: string; message: string };

export const PROMISE_INSTALLMENTS_MAX = 12;
export const PROMISE_HORIZON_DAYS = 90;

/** A promise an agent may record today: 1–12 installments, dates ascending from today, within 90 days. */
export function validatePromise(
  input: PromiseInput,
  today: PlainDate,
): { ok: true; installments: { installmentNo: number; dueOn: PlainDate; amountMinor: bigint }[] } | { ok: false; problem: PromiseProblem } {
  if (input.installments.length === 0 || input.installments.length > PROMISE_INSTALLMENTS_MAX) {
    return { ok: false, problem: { field: "installments", message: `a promise has 1 to ${PROMISE_INSTALLMENTS_MAX} installments` } };
  }
  const installments: { installmentNo: number; dueOn: PlainDate; amountMinor: bigint }[] = [];
  let previous: PlainDate | null = null;
  for (const [index, installment] of input.installments.entries()) {
    const field = `installments[${index}]`;
    if (!isPlainDate(installment.dueOn))
      return { ok: false, problem: { field: `${field}.dueOn`, message: `${JSON.stringify(installment.dueOn)} is not a date (YYYY-MM-DD)` } };
    if (compareDates(installment.dueOn, today) < 0)
      return { ok: false, problem: { field: `${field}.dueOn`, message: `${installment.dueOn} is before today (${today})` } };
    if (daysBetween(today, installment.dueOn) > PROMISE_HORIZON_DAYS) {
      return {
        ok: false,
        problem: { field: `${field}.dueOn`, message: `${installment.dueOn} is more than ${PROMISE_HORIZON_DAYS} days away; propose a repayment plan instead` },
      };
    }
    if (previous && compareDates(installment.dueOn, previous) <= 0)
      return { ok: false, problem: { field: `${field}.dueOn`, message: "installment dates must increase" } };
    if (!/^[1-9]\d{0,14}$/.test(installment.amountMinor)) {
      return {
        ok: false,
        problem: { field: `${field}.amountMinor`, message: `${JSON.stringify(installment.amountMinor)} is not a positive amount in minor units (fen)` },
      };
    }
    installments.push({ installmentNo: index + 1, dueOn: installment.dueOn, amountMinor: BigInt(installment.amountMinor) });
    previous = installment.dueOn;
  }
  return { ok: true, installments };
}
