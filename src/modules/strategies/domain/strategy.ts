// Reminder strategies (策略) and champion/challenger: an account takes the first active strategy
// whose segment it matches (priority order), then one of the strategy's variants by a stable hash
// of (strategy, loan), then the steps of that variant's cadence that fall on its day. Pure.
//
// The split: the hash maps (strategy id, loan id) to a point 0..9999; the variants, the champion
// first and the challengers in code order, cover consecutive ranges as wide as their shares. So
// an account keeps its variant while the shares stay, and moving basis points from one variant
// to its neighbour moves only the accounts in the range that changed hands.
import { createHash } from "node:crypto";
import { AppError, assert } from "../../../platform/errors.js";
import { type CadenceStep, parseCadence, stepsOnDay } from "./cadence.js";
import { type PlanningAccount, type Segment, segmentMatches } from "./segment.js";

export const CHAMPION = "champion";
export const SHARES_TOTAL = 10_000;
/** A limit on the variants of one strategy: a champion and a few challengers. */
export const VARIANTS_MAX = 10;
const VARIANT_CODE = /^[a-z0-9-]{1,32}$/;

export interface StrategyVariant {
  id: string;
  code: string;
  shareBasisPoints: number;
  cadence: CadenceStep[];
}

export interface Strategy {
  id: string;
  code: string;
  name: string;
  priority: number;
  segment: Segment;
  variants: StrategyVariant[];
  version: number;
}

export type VariantDefinition = Omit<StrategyVariant, "id">;

function refuse(field: string, message: string): never {
  throw new AppError("VALIDATION_FAILED", `${field} ${message}`, { field });
}

/** The champion first, then the challengers by code. */
export function compareVariants(left: { code: string }, right: { code: string }): number {
  if (left.code === right.code) return 0;
  if (left.code === CHAMPION) return -1;
  if (right.code === CHAMPION) return 1;
  return left.code < right.code ? -1 : 1;
}

/**
 * Checks a strategy's variants from a request or the database: one champion, codes unique, shares
 * whole basis points adding up to 10000, each cadence valid. Throws VALIDATION_FAILED naming
 * the field ("variants[1].shareBasisPoints", "variants[0].cadence[2].templateCode"). Returns
 * them champion first.
 */
export function parseVariants(input: unknown): VariantDefinition[] {
  if (!Array.isArray(input) || input.length === 0) refuse("variants", "must list at least the champion");
  if (input.length > VARIANTS_MAX) refuse("variants", `lists more than ${VARIANTS_MAX} variants`);
  const variants: VariantDefinition[] = [];
  let total = 0;
  for (const [index, item] of input.entries()) {
    const field = `variants[${index}]`;
    if (typeof item !== "object" || item === null || Array.isArray(item)) refuse(field, "must be a variant {code, shareBasisPoints, cadence}");
    for (const key of Object.keys(item)) if (!["code", "shareBasisPoints", "cadence"].includes(key)) refuse(`${field}.${key}`, "is not a field of a variant");
    const { code, shareBasisPoints, cadence } = item as Record<string, unknown>;
    if (typeof code !== "string" || !VARIANT_CODE.test(code))
      refuse(`${field}.code`, `${JSON.stringify(code)} is not a variant code ("champion", or 1-32 of a-z, 0-9 and -)`);
    if (variants.some((variant) => variant.code === code)) refuse(`${field}.code`, `${JSON.stringify(code)} is the code of an earlier variant`);
    if (typeof shareBasisPoints !== "number" || !Number.isInteger(shareBasisPoints) || shareBasisPoints < 0 || shareBasisPoints > SHARES_TOTAL)
      refuse(`${field}.shareBasisPoints`, `${JSON.stringify(shareBasisPoints)} is not a share in basis points (a whole number from 0 to ${SHARES_TOTAL})`);
    total += shareBasisPoints;
    variants.push({ code, shareBasisPoints, cadence: parseCadence(cadence, `${field}.cadence`) });
  }
  if (!variants.some((variant) => variant.code === CHAMPION)) refuse("variants", `must include the champion (a variant with code "${CHAMPION}")`);
  if (total !== SHARES_TOTAL) refuse("variants", `have shares adding up to ${total} basis points; they must add up to ${SHARES_TOTAL} (100%)`);
  return variants.sort(compareVariants);
}

/** The first strategy (of `strategies`, in the repository's priority order) whose segment the account matches, or null. */
export function strategyFor(strategies: readonly Strategy[], account: PlanningAccount): Strategy | null {
  for (const strategy of strategies) if (segmentMatches(strategy.segment, account)) return strategy;
  return null;
}

/** Where the account falls in the split: a stable hash of (strategy id, loan id) → 0..9999. */
export function variantPoint(strategyId: string, loanId: string): number {
  // 2^32 is not a multiple of 10000; the bias this leaves (under 2 in a million) does not show in any test of a split.
  return createHash("sha256").update(strategyId).update("/").update(loanId).digest().readUInt32BE(0) % SHARES_TOTAL;
}

interface Split {
  variants: StrategyVariant[];
  /** The end (exclusive) of each variant's range of points. */
  ends: number[];
}

/** The split of each variants list, worked out once: a strategy is a value and is not changed in place. */
const splits = new WeakMap<readonly StrategyVariant[], Split>();

function splitOf(strategy: Strategy): Split {
  let split = splits.get(strategy.variants);
  if (!split) {
    const variants = [...strategy.variants].sort(compareVariants);
    const ends: number[] = [];
    let end = 0;
    for (const variant of variants) {
      end += variant.shareBasisPoints;
      ends.push(end);
    }
    assert(variants[0]?.code === CHAMPION && end === SHARES_TOTAL, `strategy ${strategy.code} has a champion and shares adding up to ${SHARES_TOTAL}`);
    split = { variants, ends };
    splits.set(strategy.variants, split);
  }
  return split;
}

/** Champion/challenger: the variant this account gets; the same account always gets the same one while the shares do not change. */
export function variantFor(strategy: Strategy, loanId: string): StrategyVariant {
  const { variants, ends } = splitOf(strategy);
  const point = variantPoint(strategy.id, loanId);
  for (let index = 0; index < ends.length; index += 1) if (point < (ends[index] as number)) return variants[index] as StrategyVariant;
  throw new Error("assertion failed: the shares cover every point");
}

/** The steps of the variant's cadence that fall on the account's current day: "due" steps on -daysBeforeDue, "dpd" steps on the DPD. */
export function stepsDue(variant: StrategyVariant, account: PlanningAccount): CadenceStep[] {
  return stepsOnDay(variant.cadence, account);
}
