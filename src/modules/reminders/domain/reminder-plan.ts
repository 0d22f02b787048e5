// The planner's pure core: from an account's state on the contact day and the strategy that
// takes it, which messages to plan, when (the step's local time in the borrower's own zone),
// and under which idempotency key. A borrower with several loans in one strategy hears once per
// step and channel a day: the first loan (by the planner's order) carries the message.
import { createHash } from "node:crypto";
import { addDays, daysBetween, type PlainDate } from "../../../platform/plain-date.js";
import { epochDayOfPlainDate, instantOfWall, minutesOfClock } from "../../compliance/index.js";
import type { CadenceStep, PlanningAccount, Strategy, StrategyVariant } from "../../strategies/index.js";
import { stepsDue, strategyFor, variantFor } from "../../strategies/index.js";

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** One account as the planner reads it from the close's state. */
export interface AccountRow {
  loanId: string;
  borrowerId: string;
  caseId: string | null;
  bucket: string;
  /** The day DPD counts from; null when nothing is overdue. */
  overdueSince: PlainDate | null;
  overdueMinor: bigint;
  productCode: string;
  /** The next installment's due date on or after the contact day; null when none or overdue. */
  nextDueOn: PlainDate | null;
  timeZone: string;
  locale: string;
  overdueReason: string | null;
  score: number | null;
}

export interface PlannedContact {
  loanId: string;
  borrowerId: string;
  caseId: string | null;
  strategy: Strategy;
  variant: StrategyVariant;
  step: CadenceStep;
  scheduledAt: Date;
  idempotencyKey: string;
  language: "zh-CN" | "en";
}

/** The account's facts on the contact day: DPD counts from overdue_since; pre-due days from the next due date. */
export function planningAccountOf(row: AccountRow, day: PlainDate): PlanningAccount {
  const dpd = row.overdueSince ? Math.max(0, daysBetween(row.overdueSince, day)) : 0;
  return {
    loanId: row.loanId,
    bucket: row.bucket,
    dpd,
    score: row.score,
    overdueReason: row.overdueReason,
    overdueMinor: row.overdueMinor,
    productCode: row.productCode,
    daysBeforeDue: dpd === 0 && row.nextDueOn !== null ? daysBetween(day, row.nextDueOn) : null,
  };
}

/** The instant `at` ("HH:MM") falls on `day` on the borrower's own wall clock. */
export function scheduledInstant(day: PlainDate, at: string, timeZone: string): Date {
  const minutes = minutesOfClock(at);
  if (minutes === null || minutes >= 1440) throw new Error(`not a time of day: ${JSON.stringify(at)}`);
  return new Date(instantOfWall(timeZone, epochDayOfPlainDate(day) * DAY_MS + minutes * MINUTE_MS));
}

/**
 * Stable for a day's step on a loan, whatever run or retry produces it: readable when it fits in
 * 100 characters, else the strategy and step as a digest.
 */
export function idempotencyKeyOf(day: PlainDate, loanId: string, strategyCode: string, stepKey: string): string {
  const readable = `rm:${day}:${loanId}:${strategyCode}:${stepKey}`;
  if (readable.length <= 100) return readable;
  return `rm:${day}:${loanId}:${createHash("sha256").update(`${strategyCode}\n${stepKey}`).digest("hex").slice(0, 32)}`;
}

export function languageOf(locale: string): "zh-CN" | "en" {
  return locale.toLowerCase().startsWith("en") ? "en" : "zh-CN";
}

/**
 * The contacts one batch of accounts gets on `day`. `heard` carries, across batches, the
 * borrower+step+channel combinations already planned today.
 */
export function planContacts(
  strategies: readonly Strategy[],
  rows: readonly AccountRow[],
  day: PlainDate,
  heard: Set<string>,
  /** A step whose time has passed when the plan runs goes now. */
  notBeforeMs = Number.NEGATIVE_INFINITY,
): PlannedContact[] {
  const planned: PlannedContact[] = [];
  if (strategies.length === 0) return planned;
  for (const row of rows) {
    const account = planningAccountOf(row, day);
    const strategy = strategyFor(strategies, account);
    if (!strategy) continue;
    const variant = variantFor(strategy, row.loanId);
    for (const step of stepsDue(variant, account)) {
      const heardKey = `${row.borrowerId}/${strategy.id}/${step.key}/${step.channel}`;
      if (heard.has(heardKey)) continue;
      heard.add(heardKey);
      planned.push({
        loanId: row.loanId,
        borrowerId: row.borrowerId,
        caseId: row.caseId,
        strategy,
        variant,
        step,
        scheduledAt: new Date(Math.max(scheduledInstant(day, step.at, row.timeZone).getTime(), notBeforeMs)),
        idempotencyKey: idempotencyKeyOf(day, row.loanId, strategy.code, step.key),
        language: languageOf(row.locale),
      });
    }
  }
  return planned;
}

/** The furthest ahead a "due" step can reach, so the planner reads installments due up to then. */
export function preDueHorizonDays(strategies: readonly Strategy[]): number {
  let horizon = -1;
  for (const strategy of strategies)
    for (const variant of strategy.variants) for (const step of variant.cadence) if (step.anchor === "due") horizon = Math.max(horizon, -step.day);
  return horizon;
}

export function horizonEnd(day: PlainDate, horizonDays: number): PlainDate {
  return addDays(day, Math.max(horizonDays, 0));
}

/** Backoff before retry `attempt` (1-based) of a message the provider could not take now: 30 s, 2 min, 8 min … capped at 1 h. */
export function retryDelayMs(attempt: number, retryAfterMs?: number, baseMs = 30_000): number {
  const exponential = Math.min(baseMs * 4 ** Math.max(0, attempt - 1), 3_600_000);
  return Math.max(exponential, retryAfterMs ?? 0);
}

/** The reasons a gateway decision refused or deferred with (the ones a message keeps). */
export function refusalsOf<Reason extends { effect: string }>(reasons: readonly Reason[]): Reason[] {
  return reasons.filter((reason) => reason.effect === "block" || reason.effect === "defer");
}

/** Attempts a message gets before it is failed for good. */
export const SEND_ATTEMPTS_MAX = 5;
