// Business dates as 'YYYY-MM-DD' strings (a lender's calendar day, no time, no zone), with the
// few operations money needs. Arithmetic runs on UTC midnight so no time zone or daylight
// saving shift can move a date.

export type PlainDate = string;

const pattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isPlainDate(value: string): boolean {
  const match = pattern.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

export function assertPlainDate(value: string, name = "date"): PlainDate {
  if (!isPlainDate(value)) throw new Error(`${name} ${JSON.stringify(value)} is not a date (expected YYYY-MM-DD)`);
  return value;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
}

function parts(date: PlainDate): [number, number, number] {
  const match = pattern.exec(date);
  if (!match) throw new Error(`not a date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function format(year: number, month: number, day: number): PlainDate {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

// The engines step loans day by day, so the same few thousand dates are converted over and over:
// both directions are remembered, up to a bound (a table is cleared when full, never grown).
const CONVERSIONS_MAX = 50_000;
const epochDays = new Map<PlainDate, number>();
const datesByEpochDay = new Map<number, PlainDate>();

function toEpochDay(date: PlainDate): number {
  const known = epochDays.get(date);
  if (known !== undefined) return known;
  const [year, month, day] = parts(date);
  const epochDay = Date.UTC(year, month - 1, day) / DAY_MS;
  if (epochDays.size >= CONVERSIONS_MAX) epochDays.clear();
  epochDays.set(date, epochDay);
  return epochDay;
}

function fromEpochDay(epochDay: number): PlainDate {
  const known = datesByEpochDay.get(epochDay);
  if (known !== undefined) return known;
  const date = new Date(epochDay * DAY_MS);
  const plain = format(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
  if (datesByEpochDay.size >= CONVERSIONS_MAX) datesByEpochDay.clear();
  datesByEpochDay.set(epochDay, plain);
  return plain;
}

export function addDays(date: PlainDate, days: number): PlainDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: PlainDate, to: PlainDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/**
 * The date `months` months after `anchor`, keeping the anchor's day of month and clamping it
 * to the month's last day: anchored on Jan 31, the dates run Feb 28 (29), Mar 31, Apr 30…
 * Always computed from the anchor, so a clamp in February never drags later months to the 28th.
 */
export function addMonthsClamped(anchor: PlainDate, months: number): PlainDate {
  const [year, month, day] = parts(anchor);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = (monthIndex % 12) + 1;
  return format(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

export function compareDates(left: PlainDate, right: PlainDate): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one. Bounded by the zones in use. */
const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const DATE_FORMATTERS_MAX = 1_000;

function dateFormatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = dateFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    if (dateFormatters.size >= DATE_FORMATTERS_MAX) dateFormatters.clear();
    dateFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The calendar date of an instant in a time zone (the lender's business date, a contact's local day). */
export function dateInZone(instant: Date, timeZone: string): PlainDate {
  const parts = dateFormatterFor(timeZone).formatToParts(instant);
  const value = (type: string) => parts.find((part) => part.type === type)?.value ?? "";
  return `${value("year")}-${value("month")}-${value("day")}`;
}

/** The next calendar day, without Date objects (the day-by-day engines call this per day). */
export function nextDay(date: PlainDate): PlainDate {
  const known = nextDays.get(date);
  if (known !== undefined) return known;
  const next = computeNextDay(date);
  if (nextDays.size >= CONVERSIONS_MAX) nextDays.clear();
  nextDays.set(date, next);
  return next;
}
const nextDays = new Map<PlainDate, PlainDate>();

function computeNextDay(date: PlainDate): PlainDate {
  let year = Number(date.slice(0, 4));
  let month = Number(date.slice(5, 7));
  let day = Number(date.slice(8, 10)) + 1;
  if (day > daysInMonth(year, month)) {
    day = 1;
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return format(year, month, day);
}
