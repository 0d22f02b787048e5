// What a product says about money beyond its schedule: grace, penalty interest 罚息, late fee
// 违约金, the allocation waterfall, the legal cost cap, the day-count basis and the buckets.
import { parseDecimal } from "../../../platform/decimal.js";
import type { CardTerms } from "./card-statement.js";

export type Component = "fee" | "penalty" | "interest" | "principal";
export const components: readonly Component[] = ["fee", "penalty", "interest", "principal"];

export interface PenaltyRule {
  /** What the daily rate applies to: overdue principal, or overdue principal + interest. */
  base: "overdue_principal" | "overdue_amount";
  /** Daily rate in percent, e.g. "0.05" (0.05% a day). */
  dailyRatePercent: string;
  /** Compound: unpaid penalty joins the base the next day. */
  compounding: "simple" | "compound";
}

export type LateFeeRule =
  | { kind: "none" }
  | { kind: "fixed"; amountMinor: bigint }
  /** Percent of the installment's overdue principal + interest, kept within min and max. */
  | { kind: "percent"; percent: string; minMinor: bigint; maxMinor: bigint };

export interface Waterfall {
  /** Order of components; the default follows Civil Code art. 561: costs, interest, principal. */
  order: readonly Component[];
  /** installment_major: oldest installment's components first; component_major: a component across installments first. */
  mode: "installment_major" | "component_major";
}

export interface LegalCap {
  /** Interest + penalty + fees never exceed this annual percentage of the principal outstanding over time. */
  annualPercent: string;
}

export interface EarlyRepaymentRule {
  /** Interest of the period the payoff falls in: prorated by days, the whole period's, or none. */
  interest: "accrued_days" | "full_period" | "none";
  /** Fee as a percent of the principal not yet due, e.g. "1"; "0" for none. */
  feePercent: string;
}

export interface ProductTerms {
  currency: string;
  /** For credit_card products: statement cycle, interest and minimum payment rules. */
  card: CardTerms;
  earlyRepayment: EarlyRepaymentRule;
  dayCountBasis: 360 | 365;
  graceDays: number;
  penalty: PenaltyRule;
  lateFee: LateFeeRule;
  waterfall: Waterfall;
  legalCap: LegalCap | null;
  /** Upper DPD bound of each bucket; the last bucket is open-ended (M0 is 0 DPD). */
  bucketBounds: readonly number[];
}

export const civilCodeWaterfall: Waterfall = { order: ["fee", "penalty", "interest", "principal"], mode: "installment_major" };

/** M0 current, M1 1–30, M2 31–60 … M6 151–180, M7+ over 180. */
export const defaultBucketBounds: readonly number[] = [0, 30, 60, 90, 120, 150, 180];

export const defaultCardTerms: CardTerms = {
  statementDay: 5,
  dueDays: 20,
  dailyInterestPercent: "0.05",
  revolvingInterest: "full_balance",
  minimumPercent: "10",
  minimumFloorMinor: 10_000n,
  lateFeePercent: "5",
};

export const defaultTerms: ProductTerms = {
  currency: "CNY",
  card: defaultCardTerms,
  earlyRepayment: { interest: "accrued_days", feePercent: "0" },
  dayCountBasis: 360,
  graceDays: 0,
  penalty: { base: "overdue_principal", dailyRatePercent: "0.05", compounding: "simple" },
  lateFee: { kind: "none" },
  waterfall: civilCodeWaterfall,
  legalCap: { annualPercent: "24" },
  bucketBounds: defaultBucketBounds,
};

export function bucketOf(daysPastDue: number, bounds: readonly number[] = defaultBucketBounds): string {
  for (const [index, bound] of bounds.entries()) if (daysPastDue <= bound) return `M${index}`;
  return `M${bounds.length}+`;
}

export type TermsProblem = { field: string; message: string };

export function checkProductTerms(terms: ProductTerms, annualRatePercent: string): TermsProblem | null {
  if (!Number.isInteger(terms.graceDays) || terms.graceDays < 0 || terms.graceDays > 30) return { field: "graceDays", message: "grace days must be 0-30" };
  const daily = parseDecimal(terms.penalty.dailyRatePercent, "penalty daily rate");
  if (daily.numerator < 0n || daily.numerator > daily.denominator)
    return { field: "penalty.dailyRatePercent", message: "penalty daily rate must be between 0 and 1 percent" };
  if (terms.lateFee.kind === "fixed" && terms.lateFee.amountMinor < 0n) return { field: "lateFee.amountMinor", message: "late fee must not be negative" };
  if (terms.lateFee.kind === "percent" && terms.lateFee.minMinor > terms.lateFee.maxMinor)
    return { field: "lateFee.minMinor", message: "late fee minimum exceeds its maximum" };
  const order = [...terms.waterfall.order].sort().join(",");
  if (order !== [...components].sort().join(","))
    return { field: "waterfall.order", message: "waterfall must name fee, penalty, interest and principal once each" };
  if (terms.legalCap) {
    const cap = parseDecimal(terms.legalCap.annualPercent, "legal cap");
    const rate = parseDecimal(annualRatePercent, "annual rate");
    if (rate.numerator * cap.denominator > cap.numerator * rate.denominator) {
      return { field: "annualRatePercent", message: `contract rate ${annualRatePercent}% exceeds the legal cap of ${terms.legalCap.annualPercent}%` };
    }
  }
  const fee = parseDecimal(terms.earlyRepayment.feePercent, "early repayment fee");
  if (fee.numerator < 0n || fee.numerator > 10n * fee.denominator)
    return { field: "earlyRepayment.feePercent", message: "early repayment fee must be between 0 and 10 percent" };
  if (!["accrued_days", "full_period", "none"].includes(terms.earlyRepayment.interest))
    return { field: "earlyRepayment.interest", message: "early repayment interest must be accrued_days, full_period or none" };
  if (!Number.isInteger(terms.card.statementDay) || terms.card.statementDay < 1 || terms.card.statementDay > 28)
    return { field: "card.statementDay", message: "statement day must be 1-28" };
  if (!Number.isInteger(terms.card.dueDays) || terms.card.dueDays < 1 || terms.card.dueDays > 60)
    return { field: "card.dueDays", message: "due days must be 1-60" };
  if (terms.bucketBounds.some((bound, index) => index > 0 && bound <= (terms.bucketBounds[index - 1] as number))) {
    return { field: "bucketBounds", message: "bucket bounds must increase" };
  }
  return null;
}
