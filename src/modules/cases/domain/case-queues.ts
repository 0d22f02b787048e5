// Case queues (队列): a lender's rules for which queue an open case belongs in — by bucket,
// product, overdue amount band, the borrower's region and language, and score band — and so
// which team works it. Pure: validation of a queue's criteria and the choice of queue for a case.
//
// Queues are tried in priority order (lowest number first, then code); the first whose every
// stated criterion holds takes the case. A criterion left out matches every case. A case no
// queue takes stays in the general pool, which any agent may be dealt.

export const bucketNames = ["M0", "M1", "M2", "M3", "M4", "M5", "M6", "M7+"] as const;
export const queueLanguages = ["zh-CN", "en"] as const;
/** Province-level codes of GB/T 2260, the first two digits of a resident ID number. */
const REGION_CODE = /^[1-9]\d$/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const AMOUNT = /^\d{1,18}$/;
/** A limit on every list: a queue names at most this many buckets, products or regions. */
const LIST_MAX = 64;

export interface QueueCriteria {
  buckets?: string[];
  productCodes?: string[];
  /** Total overdue across the borrower's accounts, minor units, inclusive bounds. */
  overdueMinMinor?: bigint;
  overdueMaxMinor?: bigint;
  regionCodes?: string[];
  languages?: string[];
  /** Collection score bounds (0–1000), inclusive. A case without a score matches no score band. */
  scoreMin?: number;
  scoreMax?: number;
}

export interface CaseQueue {
  id: string;
  code: string;
  priority: number;
  criteria: QueueCriteria;
}

/** What a case is routed on: the borrower's open accounts as the last close left them. */
export interface CaseFacts {
  bucket: string;
  productCodes: readonly string[];
  overdueMinor: bigint;
  regionCode: string | null;
  language: string;
  score: number | null;
}

export type CriteriaCheck = { ok: true; criteria: QueueCriteria } | { ok: false; field: string; message: string };

/** Criteria as they are stored (JSON: amounts as strings). */
export interface StoredCriteria {
  buckets?: string[];
  productCodes?: string[];
  overdueMinMinor?: string;
  overdueMaxMinor?: string;
  regionCodes?: string[];
  languages?: string[];
  scoreMin?: number;
  scoreMax?: number;
}

function checkList(value: unknown, field: string, isValid: (item: string) => boolean, expected: string): string[] | { field: string; message: string } {
  if (!Array.isArray(value) || value.length === 0) return { field, message: `${field} must be a non-empty list of ${expected}` };
  if (value.length > LIST_MAX) return { field, message: `${field} lists more than ${LIST_MAX} values` };
  for (const [index, item] of value.entries()) {
    if (typeof item !== "string" || !isValid(item))
      return { field: `${field}[${index}]`, message: `${field}[${index}] ${JSON.stringify(item)} is not ${expected}` };
  }
  return [...new Set(value as string[])];
}

/** Checks criteria from a request or the database; every problem names its field. */
export function checkQueueCriteria(input: unknown): CriteriaCheck {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return { ok: false, field: "criteria", message: "criteria must be an object" };
  const known = new Set(["buckets", "productCodes", "overdueMinMinor", "overdueMaxMinor", "regionCodes", "languages", "scoreMin", "scoreMax"]);
  for (const key of Object.keys(input))
    if (!known.has(key)) return { ok: false, field: `criteria.${key}`, message: `criteria.${key} is not a queue criterion` };
  const source = input as Record<string, unknown>;
  const criteria: QueueCriteria = {};
  const lists = [
    ["buckets", (item: string) => (bucketNames as readonly string[]).includes(item), `a bucket (${bucketNames.join(", ")})`],
    ["productCodes", (item: string) => CODE.test(item), "a product code"],
    ["regionCodes", (item: string) => REGION_CODE.test(item), "a two-digit province code (e.g. 31)"],
    ["languages", (item: string) => (queueLanguages as readonly string[]).includes(item), `a language (${queueLanguages.join(", ")})`],
  ] as const;
  for (const [key, isValid, expected] of lists) {
    if (source[key] === undefined) continue;
    const checked = checkList(source[key], `criteria.${key}`, isValid, expected);
    if (!Array.isArray(checked)) return { ok: false, ...checked };
    criteria[key] = checked;
  }
  for (const key of ["overdueMinMinor", "overdueMaxMinor"] as const) {
    const value = source[key];
    if (value === undefined) continue;
    if (typeof value !== "string" || !AMOUNT.test(value))
      return {
        ok: false,
        field: `criteria.${key}`,
        message: `criteria.${key} ${JSON.stringify(value)} is not an amount in minor units (digits, e.g. "500000")`,
      };
    criteria[key] = BigInt(value);
  }
  for (const key of ["scoreMin", "scoreMax"] as const) {
    const value = source[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 1000)
      return { ok: false, field: `criteria.${key}`, message: `criteria.${key} ${JSON.stringify(value)} is not a score from 0 to 1000` };
    criteria[key] = value;
  }
  if (criteria.overdueMinMinor !== undefined && criteria.overdueMaxMinor !== undefined && criteria.overdueMinMinor > criteria.overdueMaxMinor)
    return { ok: false, field: "criteria.overdueMaxMinor", message: "criteria.overdueMaxMinor is below criteria.overdueMinMinor" };
  if (criteria.scoreMin !== undefined && criteria.scoreMax !== undefined && criteria.scoreMin > criteria.scoreMax)
    return { ok: false, field: "criteria.scoreMax", message: "criteria.scoreMax is below criteria.scoreMin" };
  return { ok: true, criteria };
}

export function storedCriteria(criteria: QueueCriteria): StoredCriteria {
  const { overdueMinMinor, overdueMaxMinor, ...rest } = criteria;
  return {
    ...rest,
    ...(overdueMinMinor === undefined ? {} : { overdueMinMinor: overdueMinMinor.toString() }),
    ...(overdueMaxMinor === undefined ? {} : { overdueMaxMinor: overdueMaxMinor.toString() }),
  };
}

export function matchesCriteria(facts: CaseFacts, criteria: QueueCriteria): boolean {
  if (criteria.buckets && !criteria.buckets.includes(facts.bucket)) return false;
  if (criteria.productCodes && !facts.productCodes.some((code) => criteria.productCodes?.includes(code))) return false;
  if (criteria.overdueMinMinor !== undefined && facts.overdueMinor < criteria.overdueMinMinor) return false;
  if (criteria.overdueMaxMinor !== undefined && facts.overdueMinor > criteria.overdueMaxMinor) return false;
  if (criteria.regionCodes && (facts.regionCode === null || !criteria.regionCodes.includes(facts.regionCode))) return false;
  if (criteria.languages && !criteria.languages.includes(facts.language)) return false;
  if (criteria.scoreMin !== undefined && (facts.score === null || facts.score < criteria.scoreMin)) return false;
  if (criteria.scoreMax !== undefined && (facts.score === null || facts.score > criteria.scoreMax)) return false;
  return true;
}

/** Queues in the order they are tried. */
export function orderQueues<Queue extends CaseQueue>(queues: readonly Queue[]): Queue[] {
  return [...queues].sort((left, right) => left.priority - right.priority || (left.code < right.code ? -1 : left.code > right.code ? 1 : 0));
}

/** The queue a case belongs in: the first of `ordered` (see orderQueues) whose criteria hold, or null for the general pool. */
export function queueFor(facts: CaseFacts, ordered: readonly CaseQueue[]): string | null {
  for (const queue of ordered) if (matchesCriteria(facts, queue.criteria)) return queue.id;
  return null;
}
