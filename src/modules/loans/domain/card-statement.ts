// Revolving credit-card accounts: monthly statements with a statement balance, a minimum
// payment and a due date. Paying the statement balance in full by the due date keeps the
// interest-free period; otherwise the account revolves and interest is charged — on the
// purchases from their posting dates (the traditional full-balance rule) or only on what was
// left unpaid (the unpaid-portion rule), per product — and keeps accruing daily on the unpaid
// billed balance until it is repaid. A minimum not met by the due date costs a late fee and
// starts the days past due. Interest and fees appear on the next statement.
import { divideRoundHalfUp, parseDecimal } from "../../../platform/decimal.js";
import { addDays, addMonthsClamped, compareDates, daysBetween, nextDay, type PlainDate } from "../../../platform/plain-date.js";
import { bucketOf, defaultBucketBounds } from "./product-terms.js";

export interface CardTerms {
  /** Statement day of month; month ends clamp. */
  statementDay: number;
  /** Days from the statement date to the due date. */
  dueDays: number;
  /** Daily interest rate in percent, e.g. "0.05". */
  dailyInterestPercent: string;
  revolvingInterest: "full_balance" | "unpaid_portion";
  minimumPercent: string;
  minimumFloorMinor: bigint;
  /** Late fee as a percent of the unpaid minimum, e.g. "5". */
  lateFeePercent: string;
}

export interface CardTransaction {
  id: string;
  postedOn: PlainDate;
  amountMinor: bigint;
}

export interface CardPayment {
  id: string;
  receivedOn: PlainDate;
  amountMinor: bigint;
}

export interface CardInterestLine {
  reason: "interest_free_period_lost" | "revolving_balance";
  from: PlainDate;
  to: PlainDate;
  days: number;
  baseMinor: bigint;
  amountMinor: bigint;
}

export interface CardStatement {
  statementDate: PlainDate;
  dueDate: PlainDate;
  previousBalanceMinor: bigint;
  purchasesMinor: bigint;
  paymentsMinor: bigint;
  interestMinor: bigint;
  feesMinor: bigint;
  balanceMinor: bigint;
  minimumMinor: bigint;
  /** Filled once the due date has passed. */
  paidByDueMinor: bigint | null;
  isPaidInFull: boolean | null;
  isMinimumMet: boolean | null;
  interestLines: CardInterestLine[];
}

export interface CardAccountState {
  asOf: PlainDate;
  statements: CardStatement[];
  billedMinor: bigint;
  unbilledMinor: bigint;
  accruedInterestMinor: bigint;
  accruedFeesMinor: bigint;
  creditMinor: bigint;
  daysPastDue: number;
  bucket: string;
}

interface OpenPurchase {
  postedOn: PlainDate;
  amountMinor: bigint;
}

export function cardStatementDates(openedOn: PlainDate, statementDay: number, asOf: PlainDate): PlainDate[] {
  const anchor = `${openedOn.slice(0, 8)}${String(statementDay).padStart(2, "0")}`;
  const dates: PlainDate[] = [];
  for (let month = 0; month < 1200; month += 1) {
    const date = addMonthsClamped(anchor, month);
    if (compareDates(date, openedOn) <= 0) continue;
    if (compareDates(date, asOf) > 0) break;
    dates.push(date);
  }
  return dates;
}

export function buildCardState(
  terms: CardTerms,
  openedOn: PlainDate,
  transactions: readonly CardTransaction[],
  payments: readonly CardPayment[],
  asOf: PlainDate,
): CardAccountState {
  const rate = parseDecimal(terms.dailyInterestPercent, "daily interest");
  const rateDenominator = rate.denominator * 100n;
  const minimumRate = parseDecimal(terms.minimumPercent, "minimum payment");
  const lateRate = parseDecimal(terms.lateFeePercent, "late fee");
  const statementDates = new Set(cardStatementDates(openedOn, terms.statementDay, asOf));
  const statements: (CardStatement & { purchases: OpenPurchase[] })[] = [];
  let billed = 0n; // owed from issued statements
  let unbilled = 0n; // purchases since the last statement
  let accruedInterest = 0n;
  let accruedFees = 0n;
  let credit = 0n;
  let cyclePayments = 0n;
  let cyclePurchases: OpenPurchase[] = [];
  let lastStatement: (CardStatement & { purchases: OpenPurchase[] }) | null = null;
  let revolvingSince: PlainDate | null = null;
  let pendingLines: CardInterestLine[] = [];
  let minimumOutstanding = 0n;
  let minimumMissedSince: PlainDate | null = null;

  const pay = (amount: bigint) => {
    let left = amount;
    const toBilled = left < billed ? left : billed;
    billed -= toBilled;
    left -= toBilled;
    const toUnbilled = left < unbilled ? left : unbilled;
    unbilled -= toUnbilled;
    left -= toUnbilled;
    credit += left;
    const toMinimum = amount < minimumOutstanding ? amount : minimumOutstanding;
    minimumOutstanding -= toMinimum;
    if (minimumOutstanding === 0n) minimumMissedSince = null;
  };

  for (let day = nextDay(openedOn); day <= asOf; day = nextDay(day)) {
    // Interest accrues on a revolving billed balance as the day starts.
    if (revolvingSince && billed > 0n) {
      const amount = divideRoundHalfUp(billed * rate.numerator, rateDenominator);
      accruedInterest += amount;
      const last = pendingLines.at(-1);
      if (last && last.reason === "revolving_balance" && last.baseMinor === billed && nextDay(last.to) === day) {
        last.to = day;
        last.days += 1;
        last.amountMinor += amount;
      } else pendingLines.push({ reason: "revolving_balance", from: day, to: day, days: 1, baseMinor: billed, amountMinor: amount });
    }
    for (const transaction of transactions) {
      if (transaction.postedOn !== day) continue;
      let amount = transaction.amountMinor;
      const fromCredit = amount < credit ? amount : credit;
      credit -= fromCredit;
      amount -= fromCredit;
      unbilled += amount;
      cyclePurchases.push({ postedOn: day, amountMinor: transaction.amountMinor });
    }
    for (const payment of payments) {
      if (payment.receivedOn !== day) continue;
      pay(payment.amountMinor);
      cyclePayments += payment.amountMinor;
    }
    if (lastStatement && lastStatement.dueDate === day) {
      const paid = lastStatement.balanceMinor - billed;
      lastStatement.paidByDueMinor = paid > 0n ? paid : 0n;
      lastStatement.isPaidInFull = billed === 0n;
      lastStatement.isMinimumMet = minimumOutstanding === 0n;
      if (!lastStatement.isMinimumMet) {
        const fee = divideRoundHalfUp(minimumOutstanding * lateRate.numerator, lateRate.denominator * 100n);
        accruedFees += fee;
        minimumMissedSince ??= addDays(day, 1);
      }
      if (billed > 0n) {
        // The interest-free period is lost: charge it back to the purchases' posting dates.
        if (terms.revolvingInterest === "full_balance") {
          for (const purchase of lastStatement.purchases) {
            const days = daysBetween(purchase.postedOn, day) + 1;
            const amount = divideRoundHalfUp(purchase.amountMinor * rate.numerator * BigInt(days), rateDenominator);
            accruedInterest += amount;
            pendingLines.push({
              reason: "interest_free_period_lost",
              from: purchase.postedOn,
              to: day,
              days,
              baseMinor: purchase.amountMinor,
              amountMinor: amount,
            });
          }
        } else {
          const days = daysBetween(lastStatement.statementDate, day);
          const amount = divideRoundHalfUp(billed * rate.numerator * BigInt(days), rateDenominator);
          accruedInterest += amount;
          pendingLines.push({
            reason: "interest_free_period_lost",
            from: addDays(lastStatement.statementDate, 1),
            to: day,
            days,
            baseMinor: billed,
            amountMinor: amount,
          });
        }
        revolvingSince ??= addDays(day, 1);
      } else revolvingSince = null;
    }
    const isQuietCycle = billed + unbilled + accruedInterest + accruedFees === 0n && cyclePurchases.length === 0 && cyclePayments === 0n;
    // A cycle with nothing owed and nothing happening gets no statement.
    if (statementDates.has(day) && !isQuietCycle) {
      const previous = lastStatement?.balanceMinor ?? 0n;
      billed += unbilled + accruedInterest + accruedFees;
      const balance = billed;
      // A missed minimum stays due on top of this statement's own minimum.
      const ownMinimum = maxOf(terms.minimumFloorMinor, divideRoundHalfUp(balance * minimumRate.numerator, minimumRate.denominator * 100n));
      const minimum = balance <= 0n ? 0n : minOf(balance, ownMinimum + minimumOutstanding);
      minimumOutstanding = minimum;
      const statement: CardStatement & { purchases: OpenPurchase[] } = {
        statementDate: day,
        dueDate: addDays(day, terms.dueDays),
        previousBalanceMinor: previous,
        purchasesMinor: cyclePurchases.reduce((sum, purchase) => sum + purchase.amountMinor, 0n),
        paymentsMinor: cyclePayments,
        interestMinor: accruedInterest,
        feesMinor: accruedFees,
        balanceMinor: balance,
        minimumMinor: minimum,
        paidByDueMinor: null,
        isPaidInFull: null,
        isMinimumMet: null,
        interestLines: pendingLines,
        purchases: cyclePurchases,
      };
      statements.push(statement);
      lastStatement = statement;
      unbilled = 0n;
      accruedInterest = 0n;
      accruedFees = 0n;
      cyclePayments = 0n;
      cyclePurchases = [];
      pendingLines = [];
    }
  }
  const daysPastDue = minimumMissedSince ? Math.max(0, daysBetween(minimumMissedSince, asOf) + 1) : 0;
  return {
    asOf,
    statements: statements.map(({ purchases: _purchases, ...statement }) => statement),
    billedMinor: billed,
    unbilledMinor: unbilled,
    accruedInterestMinor: accruedInterest,
    accruedFeesMinor: accruedFees,
    creditMinor: credit,
    daysPastDue,
    bucket: bucketOf(daysPastDue, defaultBucketBounds),
  };
}

function minOf(left: bigint, right: bigint): bigint {
  return left < right ? left : right;
}

function maxOf(left: bigint, right: bigint): bigint {
  return left > right ? left : right;
}
