// Local wall-clock time of an instant in an IANA time zone, and the way back, fast enough for
// the contact gateway's hot path. One Intl.DateTimeFormat per zone is built once and cached;
// the zone's UTC offset is cached per 15-minute bucket (every offset change since 1970 falls on
// a quarter hour of UTC), so most lookups are a Map read and some arithmetic. Local calendar
// days are "epoch days" (days since 1970-01-01 on the local calendar), which makes "the same
// local day" and "7 consecutive local days" integer comparisons that no DST shift can move.
import type { PlainDate } from "../../../platform/plain-date.js";

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
const BUCKET_MS = 15 * MINUTE_MS;
const OFFSET_CACHE_ENTRIES_MAX = 100_000;

export const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof weekdays)[number];

interface ZoneEntry {
  formatter: Intl.DateTimeFormat;
  offsetByBucket: Map<number, number>;
}

const zones = new Map<string, ZoneEntry | null>();

function createZoneEntry(timeZone: string): ZoneEntry | null {
  try {
    const formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    return { formatter, offsetByBucket: new Map() };
  } catch {
    return null;
  }
}

// Most lookups in a row ask about the same zone: the last one is kept at hand.
let lastZone = "";
let lastEntry: ZoneEntry | null = null;

function zoneEntry(timeZone: string): ZoneEntry | null {
  if (timeZone === lastZone) return lastEntry;
  let entry = zones.get(timeZone);
  if (entry === undefined) {
    entry = createZoneEntry(timeZone);
    // Unknown names are remembered too, so a bad zone in every request costs one failed lookup.
    if (zones.size < 10_000) zones.set(timeZone, entry);
  }
  lastZone = timeZone;
  lastEntry = entry;
  return entry;
}

export function isTimeZone(timeZone: string): boolean {
  return zoneEntry(timeZone) !== null;
}

function knownZone(timeZone: string): ZoneEntry {
  const entry = zoneEntry(timeZone);
  if (!entry) throw new Error(`unknown time zone ${JSON.stringify(timeZone)}`);
  return entry;
}

function computeOffsetMs(entry: ZoneEntry, instantMs: number): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of entry.formatter.formatToParts(instantMs)) {
    switch (part.type) {
      case "year":
        year = Number(part.value);
        break;
      case "month":
        month = Number(part.value);
        break;
      case "day":
        day = Number(part.value);
        break;
      case "hour":
        hour = Number(part.value);
        break;
      case "minute":
        minute = Number(part.value);
        break;
      case "second":
        second = Number(part.value);
        break;
    }
  }
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
  return wallMs - (instantMs - (((instantMs % 1000) + 1000) % 1000));
}

/** The zone's offset from UTC at an instant, in milliseconds (New York in summer: −4 h). */
export function offsetMsAt(timeZone: string, instantMs: number): number {
  const entry = knownZone(timeZone);
  const bucket = Math.floor(instantMs / BUCKET_MS);
  const cached = entry.offsetByBucket.get(bucket);
  if (cached !== undefined) return cached;
  const offset = computeOffsetMs(entry, bucket * BUCKET_MS);
  if (entry.offsetByBucket.size >= OFFSET_CACHE_ENTRIES_MAX) entry.offsetByBucket.clear();
  entry.offsetByBucket.set(bucket, offset);
  return offset;
}

/** Milliseconds since 1970-01-01T00:00 on the zone's wall clock. */
export function wallMsOf(timeZone: string, instantMs: number): number {
  return instantMs + offsetMsAt(timeZone, instantMs);
}

/** The local calendar day of an instant, as days since 1970-01-01. */
export function localDayOf(timeZone: string, instantMs: number): number {
  return Math.floor(wallMsOf(timeZone, instantMs) / DAY_MS);
}

/**
 * A function giving the local day of instants in [fromMs, toMs], without a lookup per instant when
 * the zone's offset is the same at both ends (no DST change in between: zones change at most twice
 * a year, months apart, so a span of days has at most one change).
 */
export function localDayFunction(timeZone: string, fromMs: number, toMs: number): (instantMs: number) => number {
  const offset = offsetMsAt(timeZone, toMs);
  if (offsetMsAt(timeZone, fromMs) !== offset) return (instantMs) => localDayOf(timeZone, instantMs);
  return (instantMs) => Math.floor((instantMs + offset) / DAY_MS);
}

/** Minutes since local midnight (0–1439), rounded down. */
export function localMinuteOf(timeZone: string, instantMs: number): number {
  const wallMs = wallMsOf(timeZone, instantMs);
  return Math.floor((wallMs - Math.floor(wallMs / DAY_MS) * DAY_MS) / MINUTE_MS);
}

/** Monday = 0 … Sunday = 6 for an epoch day (1970-01-01 was a Thursday). */
export function weekdayIndexOfDay(epochDay: number): number {
  return (((epochDay + 3) % 7) + 7) % 7;
}

/**
 * The earliest instant whose wall clock in the zone reads `wallMs` or later: the instant itself
 * on an ordinary day, its first occurrence when clocks fall back, and the moment clocks spring
 * forward when that wall time does not exist (02:30 on a spring-forward night gives 03:00).
 */
export function instantOfWall(timeZone: string, wallMs: number): number {
  const offsetBefore = offsetMsAt(timeZone, wallMs - DAY_MS);
  const offsetAfter = offsetMsAt(timeZone, wallMs + DAY_MS);
  if (offsetBefore === offsetAfter) {
    const candidate = wallMs - offsetBefore;
    if (offsetMsAt(timeZone, candidate) === offsetBefore) return candidate;
  }
  const withBefore = wallMs - offsetBefore;
  const withAfter = wallMs - offsetAfter;
  const isValidBefore = offsetMsAt(timeZone, withBefore) === offsetBefore;
  const isValidAfter = offsetMsAt(timeZone, withAfter) === offsetAfter;
  if (isValidBefore && isValidAfter) return Math.min(withBefore, withAfter);
  if (isValidBefore) return withBefore;
  if (isValidAfter) return withAfter;
  // A gap: find the transition, the first instant on the later offset, by bisection over minutes.
  let low = Math.min(withBefore, withAfter);
  let high = Math.max(withBefore, withAfter);
  for (let step = 0; step < 64 && high - low > MINUTE_MS; step += 1) {
    const middle = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
    if (offsetMsAt(timeZone, middle) === offsetAfter) high = middle;
    else low = middle;
  }
  return high;
}

/** The instant local day `epochDay` begins in the zone (its midnight, or the first instant after a gap). */
export function startOfLocalDay(timeZone: string, epochDay: number): number {
  return instantOfWall(timeZone, epochDay * DAY_MS);
}

export function epochDayOfPlainDate(date: PlainDate): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

/** Days since 1970-01-01 → "YYYY-MM-DD" by arithmetic (H. Hinnant's civil-from-days), no Date object. */
export function plainDateOfEpochDay(epochDay: number): PlainDate {
  const shifted = epochDay + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

const clockPattern = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** "08:30" → 510; "24:00" → 1440 (the end of the day); null when not a clock time. */
export function minutesOfClock(value: string): number | null {
  const match = clockPattern.exec(value);
  if (!match) return null;
  if (match[1] === undefined) return 1440;
  return Number(match[1]) * 60 + Number(match[2]);
}

export function clockOfMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** Local date and time for messages, e.g. "2026-04-08 08:00 (America/New_York)". */
export function describeLocal(timeZone: string, instantMs: number): string {
  const wallMs = wallMsOf(timeZone, instantMs);
  const day = Math.floor(wallMs / DAY_MS);
  const minute = Math.floor((wallMs - day * DAY_MS) / MINUTE_MS);
  return `${plainDateOfEpochDay(day)} ${clockOfMinutes(minute)} (${timeZone})`;
}
