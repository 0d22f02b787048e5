// The daily close's pure core: given an account's snapshot, the payments that arrived since,
// and the business date, step the loan to that date with the statement engine's own rules,
// and say what to post, what the account looks like now, what changed, and when it next needs
// a close. No I/O.
import { addDays, compareDates, nextDay, type PlainDate } from "../../../platform/plain-date.js";
import { assertBalanced, type LedgerEvent, normalizePostings } from "../../ledger/index.js";
import {
  accrualEvents,
  bucketOf,
  creditAppliedEvent,
  interestDueEvent,
  type LoanFacts,
  LoanRun,
  type LoanSnapshot,
  type PaymentFact,
  paymentEvent,
  paymentsByDay,
  postingDays,
} from "../../loans/index.js";

export interface ClosePolicy {
  /** DPD on which a collection case opens (1: the first overdue day). */
  caseOpenDpd: number;
  /** DPD from which an account is a write-off candidate. */
  writeOffDpd: number;
}

export const defaultClosePolicy: ClosePolicy = { caseOpenDpd: 1, writeOffDpd: 180 };

export type AccountStatus = "current" | "overdue" | "paid_off" | "written_off";

export interface AccountView {
  dpd: number;
  bucket: string;
  status: AccountStatus;
  writeOffCandidate: boolean;
}

export type AccountEventKind = "became_overdue" | "bucket_changed" | "cured" | "paid_off" | "write_off_candidate";

export interface AccountEvent {
  kind: AccountEventKind;
  details: Record<string, string | number>;
}

export interface AdvanceCounts {
  installmentsFallingDue: number;
  lateFees: number;
  accrualEntries: number;
  paymentsApplied: number;
}

export interface AdvanceResult {
  entries: LedgerEvent[];
  snapshot: LoanSnapshot;
  view: AccountView;
  overdueMinor: bigint;
  outstandingMinor: bigint;
  nextEventOn: PlainDate | null;
  events: AccountEvent[];
  counts: AdvanceCounts;
}

/** Last day of the month `day` falls in. */
export function monthEnd(day: PlainDate): PlainDate {
  const [year, month] = day.split("-").map(Number) as [number, number];
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, "0")}-01`;
  return addDays(next, -1);
}

export function advanceAccount(
  facts: LoanFacts,
  snapshot: LoanSnapshot,
  newPayments: readonly PaymentFact[],
  on: PlainDate,
  previous: AccountView,
  policy: ClosePolicy,
): AdvanceResult {
  const run = new LoanRun(facts, snapshot);
  const from = run.day;
  const byDay = paymentsByDay(newPayments);
  const paymentDays = [...byDay.keys()].sort(compareDates);
  while (compareDates(run.day, on) < 0) {
    const payments = byDay.get(nextDay(run.day));
    if (!payments) {
      // Quiet days up to the day before the next payment (or `on`) pass in one go.
      const nextPaymentDay = paymentDays.find((day) => compareDates(day, run.day) > 0 && compareDates(day, on) <= 0);
      const before = run.day;
      run.skipQuietDays(nextPaymentDay ? addDays(nextPaymentDay, -1) : on);
      if (run.day !== before) continue;
    }
    run.step(payments ?? []);
  }

  const entries: LedgerEvent[] = [];
  let installmentsFallingDue = 0;
  for (const item of run.items) {
    if (item.chargedOn === null || compareDates(item.chargedOn, from) <= 0) continue;
    installmentsFallingDue += 1;
    if (item.charged.interest > 0n) entries.push(interestDueEvent(item.source.number, item.chargedOn, item.charged.interest));
  }
  const isPostingDay = postingDays(
    facts,
    run.paymentStatements.map((payment) => payment.receivedOn),
  );
  const accruals = accrualEvents([...snapshot.pending, ...run.accruals], isPostingDay, run.day);
  entries.push(...accruals.events);
  for (const payment of run.paymentStatements) entries.push(paymentEvent(payment));
  for (const application of run.creditApplications) entries.push(creditAppliedEvent(application));
  const normalized = entries.map((entry) => ({ ...entry, postings: normalizePostings(entry.postings) })).filter((entry) => entry.postings.length > 0);
  for (const entry of normalized) assertBalanced(entry);

  const dpd = run.isPaidOff ? 0 : run.daysPastDue();
  const status: AccountStatus = previous.status === "written_off" ? "written_off" : run.isPaidOff ? "paid_off" : dpd > 0 ? "overdue" : "current";
  const view: AccountView = {
    dpd,
    bucket: bucketOf(dpd, facts.terms.bucketBounds),
    status,
    writeOffCandidate: previous.writeOffCandidate || dpd >= policy.writeOffDpd,
  };
  const events: AccountEvent[] = [];
  if (previous.dpd === 0 && dpd > 0) events.push({ kind: "became_overdue", details: { dpd } });
  if (previous.bucket !== view.bucket) events.push({ kind: "bucket_changed", details: { from: previous.bucket, to: view.bucket, dpd } });
  if (previous.dpd > 0 && dpd === 0 && status !== "paid_off") events.push({ kind: "cured", details: { fromDpd: previous.dpd } });
  if (previous.status !== "paid_off" && status === "paid_off") events.push({ kind: "paid_off", details: {} });
  if (!previous.writeOffCandidate && view.writeOffCandidate) events.push({ kind: "write_off_candidate", details: { dpd } });

  const totals = run.totals(run.day);
  const outstanding = totals.outstanding.fee + totals.outstanding.penalty + totals.outstanding.interest + run.principalOutstanding();
  return {
    entries: normalized,
    snapshot: run.snapshot(accruals.pending),
    view,
    overdueMinor: totals.overdueMinor,
    outstandingMinor: outstanding,
    nextEventOn: status === "paid_off" || status === "written_off" ? null : nextEventOf(run, run.day, dpd, accruals.pending.length > 0, policy),
    events,
    counts: {
      installmentsFallingDue,
      lateFees: run.accruals.filter((accrual) => accrual.component === "fee").length,
      accrualEntries: accruals.events.length,
      paymentsApplied: run.paymentStatements.length,
    },
  };
}

/**
 * The first day after `today` on which a close has something to do for this account without a
 * new payment: an installment falls due, one goes overdue, the DPD crosses a bucket bound, the
 * case-opening or write-off threshold, or accrued penalty reaches a posting day.
 */
export function nextEventOf(run: LoanRun, today: PlainDate, dpd: number, hasPending: boolean, policy: ClosePolicy): PlainDate | null {
  let next: PlainDate | null = null;
  const consider = (day: PlainDate) => {
    if (compareDates(day, today) > 0 && (next === null || compareDates(day, next) < 0)) next = day;
  };
  const notDue = run.items.find((item) => !item.isDue);
  if (notDue) consider(notDue.source.dueDate);
  let accruing = false;
  for (const item of run.openInstallments()) {
    const coreUnpaid = item.charged.principal + item.charged.interest - item.paid.principal - item.paid.interest > 0n;
    if (coreUnpaid && compareDates(item.graceEndsOn, today) >= 0) consider(nextDay(item.graceEndsOn));
    if (coreUnpaid && compareDates(item.graceEndsOn, today) < 0) accruing = true;
  }
  if (dpd > 0) {
    const overdueSince = addDays(today, -dpd); // the oldest unpaid installment's last day of grace
    for (const bound of run.loan.terms.bucketBounds) if (bound >= dpd) consider(addDays(overdueSince, bound + 1));
    if (dpd < policy.caseOpenDpd) consider(addDays(overdueSince, policy.caseOpenDpd));
    if (dpd < policy.writeOffDpd) consider(addDays(overdueSince, policy.writeOffDpd));
  }
  if (accruing || hasPending) consider(compareDates(monthEnd(today), today) > 0 ? monthEnd(today) : monthEnd(nextDay(today)));
  return next;
}
