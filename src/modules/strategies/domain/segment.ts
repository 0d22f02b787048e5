// A strategy's segment (客群): which accounts it takes, by bucket, days past due, collection score,
// overdue reason, overdue amount band, product and days before the next due date. Pure: the
// validation of a segment and the test of an account against it, which the reminder planner
// runs for every account of the book, so the test allocates nothing.
import { AppError } from "../../../platform/errors.js";
import { overdueReasons } from "../../compliance/index.js";

/** The buckets as the daily close writes them (bucketOf with the default bounds 0, 30, …, 180). */
export const bucketNames = ["M0", "M1", "M2", "M3", "M4", "M5", "M6", "M7+"] as const;
const PRODUCT_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const AMOUNT = /^\d{1,18}$/;
/** A limit on every list a segment names. */
const LIST_MAX = 64;
/** Days past due beyond ten years are a write-off's business, not a reminder's. */
const DAYS_PAST_DUE_MAX = 3650;
/** A pre-due reminder looks at most a year ahead. */
const DAYS_BEFORE_DUE_MAX = 366;
const SCORE_MAX = 1000;

/** Every criterion is optional; all the given ones must hold. */
export interface Segment {
  /** "M0".."M7+" as the close writes them. */
  buckets?: string[];
  /** Days past due, inclusive. */
  dpdMin?: number;
  dpdMax?: number;
  /** Collection score 0..1000, inclusive; an account without a score matches no score criterion. */
  scoreMin?: number;
  scoreMax?: number;
  /** The contact records' overdue-reason taxonomy; an account with no recorded reason matches none. */
  overdueReasons?: string[];
  /** The overdue amount band, minor units, inclusive, as bigint strings. */
  overdueMinMinor?: string;
  overdueMaxMinor?: string;
  productCodes?: string[];
  /** Pre-due: days until the next installment falls due (0 = due today); an overdue account has none. */
  daysBeforeDueMin?: number;
  daysBeforeDueMax?: number;
}

/** What the planner knows of one account on the day it plans. */
export interface PlanningAccount {
  loanId: string;
  bucket: string;
  dpd: number;
  score: number | null;
  overdueReason: string | null;
  overdueMinor: bigint;
  productCode: string;
  daysBeforeDue: number | null;
}

const segmentKeys = [
  "buckets",
  "dpdMin",
  "dpdMax",
  "scoreMin",
  "scoreMax",
  "overdueReasons",
  "overdueMinMinor",
  "overdueMaxMinor",
  "productCodes",
  "daysBeforeDueMin",
  "daysBeforeDueMax",
] as const;

function refuse(field: string, message: string): never {
  throw new AppError("VALIDATION_FAILED", `${field} ${message}`, { field });
}

function parseList(value: unknown, field: string, isValid: (item: string) => boolean, expected: string): string[] {
  if (!Array.isArray(value) || value.length === 0) refuse(field, `must be a non-empty list of ${expected}`);
  if (value.length > LIST_MAX) refuse(field, `lists more than ${LIST_MAX} values`);
  for (const [index, item] of value.entries()) {
    if (typeof item !== "string" || !isValid(item)) refuse(`${field}[${index}]`, `${JSON.stringify(item)} is not ${expected}`);
  }
  return [...new Set(value as string[])];
}

function parseWhole(value: unknown, field: string, min: number, max: number, expected: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max)
    refuse(field, `${JSON.stringify(value)} is not ${expected} (a whole number from ${min} to ${max})`);
  return value;
}

function parseAmount(value: unknown, field: string): string {
  if (typeof value !== "string" || !AMOUNT.test(value)) refuse(field, `${JSON.stringify(value)} is not an amount in minor units (digits, e.g. "500000")`);
  return BigInt(value).toString();
}

function checkOrder(low: number | bigint | undefined, high: number | bigint | undefined, lowField: string, highField: string): void {
  if (low !== undefined && high !== undefined && low > high) refuse(`segment.${highField}`, `is below segment.${lowField}`);
}

/** Checks a segment from a request or the database; throws VALIDATION_FAILED naming "segment.<field>". */
export function parseSegment(input: unknown): Segment {
  if (typeof input !== "object" || input === null || Array.isArray(input)) refuse("segment", "must be an object");
  for (const key of Object.keys(input)) if (!(segmentKeys as readonly string[]).includes(key)) refuse(`segment.${key}`, "is not a segment criterion");
  const source = input as Record<string, unknown>;
  const segment: Segment = {};
  if (source.buckets !== undefined)
    segment.buckets = parseList(
      source.buckets,
      "segment.buckets",
      (item) => (bucketNames as readonly string[]).includes(item),
      `a bucket (${bucketNames.join(", ")})`,
    );
  if (source.overdueReasons !== undefined)
    segment.overdueReasons = parseList(
      source.overdueReasons,
      "segment.overdueReasons",
      (item) => (overdueReasons as readonly string[]).includes(item),
      `an overdue reason (${overdueReasons.join(", ")})`,
    );
  if (source.productCodes !== undefined)
    segment.productCodes = parseList(source.productCodes, "segment.productCodes", (item) => PRODUCT_CODE.test(item), "a product code");
  for (const key of ["dpdMin", "dpdMax"] as const)
    if (source[key] !== undefined) segment[key] = parseWhole(source[key], `segment.${key}`, 0, DAYS_PAST_DUE_MAX, "a number of days past due");
  for (const key of ["scoreMin", "scoreMax"] as const)
    if (source[key] !== undefined) segment[key] = parseWhole(source[key], `segment.${key}`, 0, SCORE_MAX, "a score");
  for (const key of ["daysBeforeDueMin", "daysBeforeDueMax"] as const)
    if (source[key] !== undefined) segment[key] = parseWhole(source[key], `segment.${key}`, 0, DAYS_BEFORE_DUE_MAX, "a number of days before the due date");
  for (const key of ["overdueMinMinor", "overdueMaxMinor"] as const) if (source[key] !== undefined) segment[key] = parseAmount(source[key], `segment.${key}`);
  checkOrder(segment.dpdMin, segment.dpdMax, "dpdMin", "dpdMax");
  checkOrder(segment.scoreMin, segment.scoreMax, "scoreMin", "scoreMax");
  checkOrder(segment.daysBeforeDueMin, segment.daysBeforeDueMax, "daysBeforeDueMin", "daysBeforeDueMax");
  checkOrder(
    segment.overdueMinMinor === undefined ? undefined : BigInt(segment.overdueMinMinor),
    segment.overdueMaxMinor === undefined ? undefined : BigInt(segment.overdueMaxMinor),
    "overdueMinMinor",
    "overdueMaxMinor",
  );
  return segment;
}

/** The amount bounds as bigints, parsed once per segment object rather than once per account. */
const amountBounds = new WeakMap<Segment, { min: bigint | undefined; max: bigint | undefined }>();

function boundsOf(segment: Segment): { min: bigint | undefined; max: bigint | undefined } {
  let bounds = amountBounds.get(segment);
  if (!bounds) {
    bounds = {
      min: segment.overdueMinMinor === undefined ? undefined : BigInt(segment.overdueMinMinor),
      max: segment.overdueMaxMinor === undefined ? undefined : BigInt(segment.overdueMaxMinor),
    };
    amountBounds.set(segment, bounds);
  }
  return bounds;
}

export function segmentMatches(segment: Segment, account: PlanningAccount): boolean {
  if (segment.buckets && !segment.buckets.includes(account.bucket)) return false;
  if (segment.dpdMin !== undefined && account.dpd < segment.dpdMin) return false;
  if (segment.dpdMax !== undefined && account.dpd > segment.dpdMax) return false;
  if (segment.scoreMin !== undefined && (account.score === null || account.score < segment.scoreMin)) return false;
  if (segment.scoreMax !== undefined && (account.score === null || account.score > segment.scoreMax)) return false;
  if (segment.overdueReasons && (account.overdueReason === null || !segment.overdueReasons.includes(account.overdueReason))) return false;
  if (segment.productCodes && !segment.productCodes.includes(account.productCode)) return false;
  if (segment.daysBeforeDueMin !== undefined && (account.daysBeforeDue === null || account.daysBeforeDue < segment.daysBeforeDueMin)) return false;
  if (segment.daysBeforeDueMax !== undefined && (account.daysBeforeDue === null || account.daysBeforeDue > segment.daysBeforeDueMax)) return false;
  if (segment.overdueMinMinor !== undefined || segment.overdueMaxMinor !== undefined) {
    const bounds = boundsOf(segment);
    if (bounds.min !== undefined && account.overdueMinor < bounds.min) return false;
    if (bounds.max !== undefined && account.overdueMinor > bounds.max) return false;
  }
  return true;
}
