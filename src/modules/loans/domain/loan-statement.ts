// "What is owed on date D, and why": replays a loan day by day from disbursement to D —
// installments falling due, late fees, penalty interest, payments allocated through the
// waterfall, overpayments held as credit — and returns every figure with its explanation.
//
// Order within a day: installments due today fall due (and any credit pays them); then an
// installment whose grace ended yesterday takes its late fee; then each overdue installment
// accrues one day of penalty on its base as the day starts; then the day's payments are
// allocated. So a payment on the first overdue day still owes that day's penalty: DPD 1 costs
// one day. Penalty is rounded half-up to the minor unit per installment per day (the daily
// close posts it daily, so the statement and the ledger agree to the cent).
// Legal cap: contractual interest is never cut (a product's rate may not exceed its cap);
// penalty and fees share the room the contract leaves under it — each day the allowance grows
// by the principal outstanding × (cap rate − contract rate) / basis. What would exceed the
// allowance is never claimed, and the explanation says how much was cut.
import { divideRoundHalfUp, divideTruncate, parseDecimal } from "../../../platform/decimal.js";
import { addDays, compareDates, daysBetween, nextDay, type PlainDate } from "../../../platform/plain-date.js";
import { bucketOf, type Component, type ProductTerms } from "./product-terms.js";
import type { Installment } from "./schedule.js";

export interface LoanFacts {
  principalMinor: bigint;
  /** The contract's annual rate in percent, as on the schedule. */
  annualRatePercent: string;
  startDate: PlainDate;
  installments: readonly Installment[];
  terms: ProductTerms;
}

export interface PaymentFact {
  id: string;
  receivedOn: PlainDate;
  amountMinor: bigint;
  /** payoff: settle the whole loan early when the amount covers the payoff quote. */
  purpose?: "regular" | "payoff";
}

export interface ComponentBalance {
  chargedMinor: bigint;
  paidMinor: bigint;
  outstandingMinor: bigint;
}

export interface PenaltyLine {
  from: PlainDate;
  to: PlainDate;
  days: number;
  baseMinor: bigint;
  dailyRatePercent: string;
  dailyAmountMinor: bigint;
  amountMinor: bigint;
  cappedMinor: bigint;
}

export interface InstallmentStatement {
  number: number;
  dueDate: PlainDate;
  graceEndsOn: PlainDate;
  status: "not_due" | "due" | "overdue" | "paid";
  /** The day it fell due (its due date, or the day an early repayment accelerated it). */
  chargedOn: PlainDate | null;
  daysPastDue: number;
  balances: Record<Component, ComponentBalance>;
  penaltyLines: PenaltyLine[];
  lateFee: { chargedOn: PlainDate; amountMinor: bigint; cappedMinor: bigint } | null;
  paidOffOn: PlainDate | null;
}

export interface Allocation {
  installmentNumber: number;
  component: Component;
  amountMinor: bigint;
}

export interface PaymentStatement {
  id: string;
  receivedOn: PlainDate;
  amountMinor: bigint;
  allocations: Allocation[];
  toCreditMinor: bigint;
  /** Set when this payment settled the loan early. */
  payoff?: PayoffQuote | null;
}

/** What settles the loan on a day: everything due, the principal not yet due, interest per the product's rule, a fee. */
export interface PayoffQuote {
  on: PlainDate;
  dueNowMinor: bigint;
  principalNotYetDueMinor: bigint;
  interestMinor: bigint;
  interestRule: "accrued_days" | "full_period" | "none";
  feeMinor: bigint;
  creditMinor: bigint;
  totalMinor: bigint;
  /** The installment whose period the day falls in (its interest is what the rule prorates). */
  currentInstallment: number | null;
}

export interface CreditApplication {
  appliedOn: PlainDate;
  allocations: Allocation[];
}

/** A penalty or fee charged on a day, as the ledger posts it. */
export interface Accrual {
  on: PlainDate;
  installmentNumber: number;
  component: "penalty" | "fee";
  amountMinor: bigint;
}

export interface LoanStatement {
  asOf: PlainDate;
  accruals: Accrual[];
  daysPastDue: number;
  bucket: string;
  installments: InstallmentStatement[];
  payments: PaymentStatement[];
  creditApplications: CreditApplication[];
  creditMinor: bigint;
  outstanding: Record<Component, bigint>;
  overdueMinor: bigint;
  principalOutstandingMinor: bigint;
  /** Penalty and fees the legal cap allows up to the statement date (null: no cap). */
  capAllowanceMinor: bigint | null;
  /** Penalty and fees claimed. */
  chargesClaimedMinor: bigint;
  /** Penalty and fees not claimed because of the cap. */
  cappedMinor: bigint;
}

interface WorkingInstallment {
  source: Installment;
  graceEndsOn: PlainDate;
  isDue: boolean;
  /** The day it fell due: its due date, or the day an early repayment accelerated it. */
  chargedOn: PlainDate | null;
  charged: Record<Component, bigint>;
  paid: Record<Component, bigint>;
  penaltyLines: PenaltyLine[];
  lateFee: InstallmentStatement["lateFee"];
  paidOffOn: PlainDate | null;
}

const zeroes = (): Record<Component, bigint> => ({ fee: 0n, penalty: 0n, interest: 0n, principal: 0n });

function outstandingOf(item: WorkingInstallment, component: Component): bigint {
  return item.charged[component] - item.paid[component];
}

function isCoreUnpaid(item: WorkingInstallment): boolean {
  return outstandingOf(item, "principal") + outstandingOf(item, "interest") > 0n;
}

/** Allocates `amount` over the due installments by the waterfall; returns what was allocated. */
export function allocate(items: WorkingInstallment[], amount: bigint, terms: ProductTerms): { allocations: Allocation[]; leftoverMinor: bigint } {
  const due = items.filter((item) => item.isDue);
  const order: [WorkingInstallment, Component][] =
    terms.waterfall.mode === "installment_major"
      ? due.flatMap((item) => terms.waterfall.order.map((component) => [item, component] as [WorkingInstallment, Component]))
      : terms.waterfall.order.flatMap((component) => due.map((item) => [item, component] as [WorkingInstallment, Component]));
  const allocations: Allocation[] = [];
  let left = amount;
  for (const [item, component] of order) {
    if (left === 0n) break;
    const open = outstandingOf(item, component);
    if (open <= 0n) continue;
    const take = open < left ? open : left;
    item.paid[component] += take;
    left -= take;
    allocations.push({ installmentNumber: item.source.number, component, amountMinor: take });
  }
  return { allocations, leftoverMinor: left };
}

/** A loan's working state at the end of a day, kept by the daily close so it can resume there. */
export interface LoanSnapshot {
  /** The last day stepped. */
  on: PlainDate;
  creditMinor: bigint;
  capNumerator: bigint;
  claimedMinor: bigint;
  cappedMinor: bigint;
  /** Installments that have fallen due (the others hold nothing yet). */
  items: SnapshotItem[];
  /** Penalty and fees accrued after the last posting day, not yet in the ledger. */
  pending: Accrual[];
}

export interface SnapshotItem {
  number: number;
  chargedOn: PlainDate;
  charged: Record<Component, bigint>;
  paid: Record<Component, bigint>;
  lateFee: InstallmentStatement["lateFee"];
  paidOffOn: PlainDate | null;
}

/**
 * The day-by-day machine behind every statement: starts at disbursement (or resumes from a
 * snapshot) and steps one day at a time. A statement replays it from the start; the daily close
 * resumes it where the last close left it, so both apply the same rules to the cent.
 */
export class LoanRun {
  readonly items: WorkingInstallment[];
  day: PlainDate;
  credit = 0n;
  claimed = 0n;
  capped = 0n;
  readonly accruals: Accrual[] = [];
  readonly creditApplications: CreditApplication[] = [];
  readonly paymentStatements: PaymentStatement[] = [];
  private readonly daily: { numerator: bigint; denominator: bigint };
  private readonly cap: { numerator: bigint; denominator: bigint } | null;
  private readonly capDenominator: bigint;
  private capNumerator = 0n;
  private open: WorkingInstallment[] = [];
  private paidOffCount = 0;
  private readonly dueOn = new Map<PlainDate, WorkingInstallment[]>();
  private principalOutstandingCached: bigint;
  private isPrincipalStale = false;

  constructor(
    readonly loan: LoanFacts,
    snapshot: LoanSnapshot | null = null,
  ) {
    const { terms } = loan;
    this.items = loan.installments.map((source) => ({
      source,
      graceEndsOn: addDays(source.dueDate, terms.graceDays),
      isDue: false,
      chargedOn: null,
      charged: zeroes(),
      paid: zeroes(),
      penaltyLines: [],
      lateFee: null,
      paidOffOn: null,
    }));
    this.daily = parseDecimal(terms.penalty.dailyRatePercent, "penalty daily rate");
    this.daily = { numerator: this.daily.numerator, denominator: this.daily.denominator * 100n };
    this.cap = terms.legalCap ? capRoom(terms.legalCap.annualPercent, loan.annualRatePercent) : null;
    this.capDenominator = this.cap ? this.cap.denominator * 100n * BigInt(terms.dayCountBasis) : 1n;
    this.day = loan.startDate;
    for (const item of this.items) {
      const due = this.dueOn.get(item.source.dueDate);
      if (due) due.push(item);
      else this.dueOn.set(item.source.dueDate, [item]);
    }
    if (snapshot) {
      this.day = snapshot.on;
      this.credit = snapshot.creditMinor;
      this.capNumerator = snapshot.capNumerator;
      this.claimed = snapshot.claimedMinor;
      this.capped = snapshot.cappedMinor;
      for (const saved of snapshot.items) {
        const item = this.items[saved.number - 1];
        if (!item || item.source.number !== saved.number) throw new Error(`snapshot names installment ${saved.number}, which the schedule lacks`);
        item.isDue = true;
        item.chargedOn = saved.chargedOn;
        item.charged = { ...saved.charged };
        item.paid = { ...saved.paid };
        item.lateFee = saved.lateFee;
        item.paidOffOn = saved.paidOffOn;
        if (saved.paidOffOn === null) this.open.push(item);
        else this.paidOffCount += 1;
      }
    }
    this.principalOutstandingCached = this.principalOutstanding();
  }

  principalOutstanding(): bigint {
    return this.loan.principalMinor - this.items.reduce((sum, item) => sum + item.paid.principal, 0n);
  }

  get isPaidOff(): boolean {
    return this.paidOffCount === this.items.length;
  }

  private claim(amount: bigint): [bigint, bigint] {
    const left = this.cap ? divideTruncate(this.capNumerator, this.capDenominator) - this.claimed : null;
    if (left === null || amount <= left) {
      this.claimed += amount;
      return [amount, 0n];
    }
    const allowed = left > 0n ? left : 0n;
    this.claimed += allowed;
    this.capped += amount - allowed;
    return [allowed, amount - allowed];
  }

  /**
   * Moves over the days on which nothing can happen — no installment falls due, none is unpaid
   * past its grace (so nothing accrues) — in one go, up to `limit`. The cap allowance grows as
   * `step` would grow it day by day. The caller stops `limit` before a day with payments. The
   * daily close resumes accounts from weeks-old snapshots; this makes that cost per event, not
   * per day. Stepping day by day gives the same state (the close's property test checks it).
   */
  skipQuietDays(limit: PlainDate): void {
    let target = limit;
    for (const item of this.open) {
      if (!isCoreUnpaid(item)) continue;
      if (compareDates(item.graceEndsOn, this.day) <= 0) return;
      if (compareDates(item.graceEndsOn, target) < 0) target = item.graceEndsOn;
    }
    const notYetDue = this.items.find((item) => !item.isDue);
    if (notYetDue) {
      const dayBefore = addDays(notYetDue.source.dueDate, -1);
      if (compareDates(dayBefore, target) < 0) target = dayBefore;
    }
    const days = daysBetween(this.day, target);
    if (days <= 0) return;
    if (this.cap) {
      if (this.isPrincipalStale) {
        this.principalOutstandingCached = this.principalOutstanding();
        this.isPrincipalStale = false;
      }
      this.capNumerator += this.principalOutstandingCached * this.cap.numerator * BigInt(days);
    }
    this.day = target;
  }

  /** Steps to the next day: installments fall due, fees and penalty accrue, the day's payments are allocated. */
  step(payments: readonly PaymentFact[]): void {
    const day = nextDay(this.day);
    this.day = day;
    const { terms } = this.loan;
    // The cap allowance grows with the principal outstanding during the previous day.
    if (this.cap) {
      if (this.isPrincipalStale) {
        this.principalOutstandingCached = this.principalOutstanding();
        this.isPrincipalStale = false;
      }
      this.capNumerator += this.principalOutstandingCached * this.cap.numerator;
    }
    const fallingDue = this.dueOn.get(day);
    if (fallingDue) {
      for (const item of fallingDue) {
        if (item.isDue) continue;
        item.isDue = true;
        item.chargedOn = day;
        item.charged.principal = item.source.principalMinor;
        item.charged.interest = item.source.interestMinor;
        this.open.push(item);
      }
      if (this.credit > 0n) {
        const { allocations, leftoverMinor } = allocate(this.items, this.credit, terms);
        if (allocations.length > 0) this.creditApplications.push({ appliedOn: day, allocations });
        this.credit = leftoverMinor;
        this.isPrincipalStale = true;
      }
    }
    for (const item of this.open) {
      if (!isCoreUnpaid(item)) continue;
      if (compareDates(day, item.graceEndsOn) <= 0) continue;
      if (item.lateFee === null && terms.lateFee.kind !== "none") {
        const fee = lateFeeFor(terms, outstandingOf(item, "principal") + outstandingOf(item, "interest"));
        const [allowed, cut] = this.claim(fee);
        item.charged.fee += allowed;
        item.lateFee = { chargedOn: day, amountMinor: allowed, cappedMinor: cut };
        if (allowed > 0n) this.accruals.push({ on: day, installmentNumber: item.source.number, component: "fee", amountMinor: allowed });
      }
      let base = outstandingOf(item, "principal");
      if (terms.penalty.base === "overdue_amount") base += outstandingOf(item, "interest");
      if (terms.penalty.compounding === "compound") base += outstandingOf(item, "penalty");
      if (base <= 0n) continue;
      const amount = divideRoundHalfUp(base * this.daily.numerator, this.daily.denominator);
      const [allowed, cut] = this.claim(amount);
      item.charged.penalty += allowed;
      if (allowed > 0n) this.accruals.push({ on: day, installmentNumber: item.source.number, component: "penalty", amountMinor: allowed });
      appendPenalty(item.penaltyLines, day, base, terms.penalty.dailyRatePercent, amount, allowed, cut);
    }
    for (const payment of payments) this.applyPayment(payment);
    this.markPaidOff(day);
  }

  private applyPayment(payment: PaymentFact): void {
    const day = this.day;
    let payoff: PayoffQuote | null = null;
    if (payment.purpose === "payoff") {
      const quote = quoteFromItems(this.items, this.loan, day, this.credit);
      if (payment.amountMinor + this.credit >= quote.totalMinor) {
        payoff = quote;
        for (const item of this.items) if (!item.isDue) this.open.push(item);
        accelerate(this.items, quote, day);
        if (quote.feeMinor > 0n) {
          const current = this.items.find((item) => item.source.number === quote.currentInstallment) ?? this.items.at(-1);
          if (current) {
            current.charged.fee += quote.feeMinor;
            this.accruals.push({ on: day, installmentNumber: current.source.number, component: "fee", amountMinor: quote.feeMinor });
          }
        }
        if (this.credit > 0n) {
          const applied = allocate(this.items, this.credit, this.loan.terms);
          if (applied.allocations.length > 0) this.creditApplications.push({ appliedOn: day, allocations: applied.allocations });
          this.credit = applied.leftoverMinor;
        }
      }
    }
    const { allocations, leftoverMinor } = allocate(this.items, payment.amountMinor, this.loan.terms);
    this.credit += leftoverMinor;
    this.isPrincipalStale = true;
    this.paymentStatements.push({
      id: payment.id,
      receivedOn: payment.receivedOn,
      amountMinor: payment.amountMinor,
      allocations,
      toCreditMinor: leftoverMinor,
      payoff,
    });
  }

  /** A payment dated on or before disbursement, before anything was due: held as credit. */
  holdAsCredit(payment: PaymentFact): void {
    this.credit += payment.amountMinor;
    this.paymentStatements.push({
      id: payment.id,
      receivedOn: payment.receivedOn,
      amountMinor: payment.amountMinor,
      allocations: [],
      toCreditMinor: payment.amountMinor,
    });
  }

  private markPaidOff(day: PlainDate): void {
    const stillOpen: WorkingInstallment[] = [];
    for (const item of this.open) {
      if (componentsSum(item) === 0n) {
        item.paidOffOn = day;
        this.paidOffCount += 1;
      } else stillOpen.push(item);
    }
    this.open = stillOpen;
  }

  /** Days past due on the current day: from the oldest installment unpaid after its grace. */
  daysPastDue(): number {
    let max = 0;
    for (const item of this.open) {
      if (!isCoreUnpaid(item)) continue;
      const days = daysBetween(item.graceEndsOn, this.day);
      if (days > max) max = days;
    }
    return max;
  }

  /** Installments that have fallen due and are not paid off. */
  openInstallments(): readonly WorkingInstallment[] {
    return this.open;
  }

  snapshot(pending: readonly Accrual[]): LoanSnapshot {
    return {
      on: this.day,
      creditMinor: this.credit,
      capNumerator: this.capNumerator,
      claimedMinor: this.claimed,
      cappedMinor: this.capped,
      items: this.items
        .filter((item) => item.isDue)
        .map((item) => ({
          number: item.source.number,
          chargedOn: item.chargedOn as PlainDate,
          charged: { ...item.charged },
          paid: { ...item.paid },
          lateFee: item.lateFee,
          paidOffOn: item.paidOffOn,
        })),
      pending: [...pending],
    };
  }

  /** What has fallen due and is unpaid, by component, and the part of it past grace on `asOf`. */
  totals(asOf: PlainDate): { outstanding: Record<Component, bigint>; overdueMinor: bigint } {
    const outstanding = zeroes();
    let overdue = 0n;
    for (const item of this.items) {
      if (!item.isDue) continue;
      for (const component of ["fee", "penalty", "interest", "principal"] as const) outstanding[component] += outstandingOf(item, component);
      if (compareDates(asOf, item.graceEndsOn) > 0) overdue += componentsSum(item);
    }
    return { outstanding, overdueMinor: overdue };
  }

  statement(asOf: PlainDate): LoanStatement {
    const statements = this.items.map((item) => installmentStatement(item, asOf));
    const { outstanding, overdueMinor: overdue } = this.totals(asOf);
    const daysPastDue = statements.reduce((max, item) => Math.max(max, item.daysPastDue), 0);
    return {
      asOf,
      accruals: this.accruals,
      daysPastDue,
      bucket: bucketOf(daysPastDue, this.loan.terms.bucketBounds),
      installments: statements,
      payments: this.paymentStatements,
      creditApplications: this.creditApplications,
      creditMinor: this.credit,
      outstanding,
      overdueMinor: overdue,
      principalOutstandingMinor: this.principalOutstanding(),
      capAllowanceMinor: this.cap ? divideTruncate(this.capNumerator, this.capDenominator) : null,
      chargesClaimedMinor: this.claimed,
      cappedMinor: this.capped,
    };
  }
}

function componentsSum(item: WorkingInstallment): bigint {
  return (["fee", "penalty", "interest", "principal"] as const).reduce((sum, component) => sum + outstandingOf(item, component), 0n);
}

/** Payments grouped by the day they were received, in the order the engine applies them. */
export function paymentsByDay(payments: readonly PaymentFact[]): Map<PlainDate, PaymentFact[]> {
  const sorted = [...payments].sort((left, right) => compareDates(left.receivedOn, right.receivedOn) || (left.id < right.id ? -1 : 1));
  const byDay = new Map<PlainDate, PaymentFact[]>();
  for (const payment of sorted) byDay.set(payment.receivedOn, [...(byDay.get(payment.receivedOn) ?? []), payment]);
  return byDay;
}

export function buildStatement(loan: LoanFacts, payments: readonly PaymentFact[], asOf: PlainDate): LoanStatement {
  return replayLoan(loan, payments, asOf).statement(asOf);
}

/** Runs a loan from disbursement to `asOf` (or to the day it was paid off, if earlier). */
export function replayLoan(loan: LoanFacts, payments: readonly PaymentFact[], asOf: PlainDate): LoanRun {
  const run = new LoanRun(loan);
  const byDay = paymentsByDay(payments.filter((payment) => compareDates(payment.receivedOn, asOf) <= 0));
  const lastPaymentDay = [...byDay.keys()].at(-1) ?? null;
  const horizon = compareDates(asOf, loan.startDate) < 0 ? loan.startDate : asOf;
  while (run.day < horizon) {
    run.step(byDay.get(nextDay(run.day)) ?? []);
    // A fully paid loan has nothing left to accrue once its payments are in.
    if (run.isPaidOff && (lastPaymentDay === null || run.day >= lastPaymentDay)) break;
  }
  // Payments dated on or before the start date (before anything was due) become credit.
  for (const [day, dayPayments] of byDay) if (compareDates(day, loan.startDate) <= 0) for (const payment of dayPayments) run.holdAsCredit(payment);
  return run;
}

function quoteFromItems(items: readonly WorkingInstallment[], loan: LoanFacts, day: PlainDate, credit: bigint): PayoffQuote {
  const rule = loan.terms.earlyRepayment;
  let dueNow = 0n;
  let principalNotYetDue = 0n;
  for (const item of items) {
    if (item.isDue) for (const component of ["fee", "penalty", "interest", "principal"] as const) dueNow += outstandingOf(item, component);
    else principalNotYetDue += item.source.principalMinor;
  }
  const current = items.find((item) => !item.isDue);
  let interest = 0n;
  if (current && rule.interest !== "none") {
    if (rule.interest === "full_period") interest = current.source.interestMinor;
    else {
      const previous = items.find((item) => item.source.number === current.source.number - 1);
      const periodStart = previous ? previous.source.dueDate : loan.startDate;
      const periodDays = BigInt(daysBetween(periodStart, current.source.dueDate));
      const elapsed = BigInt(Math.max(0, daysBetween(periodStart, day)));
      interest = periodDays > 0n ? divideRoundHalfUp(current.source.interestMinor * elapsed, periodDays) : 0n;
    }
  }
  const feePercent = parseDecimal(rule.feePercent, "early repayment fee");
  const fee = divideRoundHalfUp(principalNotYetDue * feePercent.numerator, feePercent.denominator * 100n);
  const total = dueNow + principalNotYetDue + interest + fee - credit;
  return {
    on: day,
    dueNowMinor: dueNow,
    principalNotYetDueMinor: principalNotYetDue,
    interestMinor: interest,
    interestRule: rule.interest,
    feeMinor: fee,
    creditMinor: credit,
    totalMinor: total > 0n ? total : 0n,
    currentInstallment: current?.source.number ?? null,
  };
}

/** Brings every installment not yet due forward to `day`: principal in full, interest per the quote. */
function accelerate(items: WorkingInstallment[], quote: PayoffQuote, day: PlainDate): void {
  for (const item of items) {
    if (item.isDue) continue;
    item.isDue = true;
    item.chargedOn = day;
    item.charged.principal = item.source.principalMinor;
    item.charged.interest = item.source.number === quote.currentInstallment ? quote.interestMinor : 0n;
  }
}

/** The payoff quote on a date: replays the loan to that date and prices settling it. */
export function quotePayoff(loan: LoanFacts, payments: readonly PaymentFact[], on: PlainDate): PayoffQuote {
  const statement = buildStatement(loan, payments, on);
  const items: WorkingInstallment[] = loan.installments.map((source, index) => {
    const installment = statement.installments[index] as InstallmentStatement;
    const charged = zeroes();
    const paid = zeroes();
    for (const component of ["fee", "penalty", "interest", "principal"] as const) {
      charged[component] = installment.balances[component].chargedMinor;
      paid[component] = installment.balances[component].paidMinor;
    }
    return {
      source,
      graceEndsOn: installment.graceEndsOn,
      isDue: installment.status !== "not_due",
      chargedOn: installment.chargedOn,
      charged,
      paid,
      penaltyLines: [],
      lateFee: null,
      paidOffOn: null,
    };
  });
  return quoteFromItems(items, loan, on, statement.creditMinor);
}

/** The annual room under the cap that the contract rate leaves, as an exact fraction of percent. */
function capRoom(capPercent: string, contractPercent: string): { numerator: bigint; denominator: bigint } {
  const cap = parseDecimal(capPercent, "legal cap");
  const contract = parseDecimal(contractPercent, "annual rate");
  const numerator = cap.numerator * contract.denominator - contract.numerator * cap.denominator;
  return { numerator: numerator > 0n ? numerator : 0n, denominator: cap.denominator * contract.denominator };
}

export function lateFeeFor(terms: ProductTerms, overdueMinor: bigint): bigint {
  const rule = terms.lateFee;
  if (rule.kind === "none") return 0n;
  if (rule.kind === "fixed") return rule.amountMinor;
  const percent = parseDecimal(rule.percent, "late fee percent");
  const fee = divideRoundHalfUp(overdueMinor * percent.numerator, percent.denominator * 100n);
  return fee < rule.minMinor ? rule.minMinor : fee > rule.maxMinor ? rule.maxMinor : fee;
}

function appendPenalty(lines: PenaltyLine[], day: PlainDate, base: bigint, rate: string, daily: bigint, allowed: bigint, cut: bigint): void {
  const last = lines.at(-1);
  if (last && last.baseMinor === base && last.dailyAmountMinor === daily && nextDay(last.to) === day && (cut === 0n) === (last.cappedMinor === 0n)) {
    last.to = day;
    last.days += 1;
    last.amountMinor += allowed;
    last.cappedMinor += cut;
    return;
  }
  lines.push({ from: day, to: day, days: 1, baseMinor: base, dailyRatePercent: rate, dailyAmountMinor: daily, amountMinor: allowed, cappedMinor: cut });
}

function installmentStatement(item: WorkingInstallment, asOf: PlainDate): InstallmentStatement {
  const balances = {} as Record<Component, ComponentBalance>;
  for (const component of ["fee", "penalty", "interest", "principal"] as const) {
    balances[component] = { chargedMinor: item.charged[component], paidMinor: item.paid[component], outstandingMinor: outstandingOf(item, component) };
  }
  const unpaidCore = isCoreUnpaid(item);
  const overdueDays = item.isDue && unpaidCore ? Math.max(0, daysBetween(item.graceEndsOn, asOf)) : 0;
  const chargesLeft = outstandingOf(item, "penalty") + outstandingOf(item, "fee") > 0n;
  const status: InstallmentStatement["status"] = !item.isDue ? "not_due" : overdueDays > 0 ? "overdue" : unpaidCore || chargesLeft ? "due" : "paid";
  return {
    number: item.source.number,
    dueDate: item.source.dueDate,
    graceEndsOn: item.graceEndsOn,
    status,
    chargedOn: item.chargedOn,
    daysPastDue: overdueDays,
    balances,
    penaltyLines: item.penaltyLines,
    lateFee: item.lateFee,
    paidOffOn: item.paidOffOn,
  };
}
