// Allowed contact times as local wall-clock ranges, and the earliest instant at or after a given
// one that falls inside them in one zone or in every zone a person may be in. A range names the
// weekdays it starts on; a range whose end is not after its start runs past midnight into the
// next day ("22:00"–"07:00"), and "00:00"–"24:00" is the whole day. Ranges are half-open:
// 08:00 is inside 08:00–22:00, 22:00 is not.
import { DAY_MS, instantOfWall, MINUTE_MS, type Weekday, wallMsOf, weekdayIndexOfDay, weekdays } from "./local-time.js";

export interface LocalTimeRange {
  /** Weekdays the range starts on; null for every day. */
  days: readonly Weekday[] | null;
  fromMinutes: number;
  toMinutes: number;
}

export interface ContactWindow {
  /** Contact is allowed only inside one of these ranges… */
  allowed: readonly LocalTimeRange[];
  /** …and outside all of these (times the person named as inconvenient). */
  excluded: readonly LocalTimeRange[];
}

/** How far ahead a search for an opening looks; every range repeats weekly, so 8 days suffice. */
const SEARCH_DAYS = 8;
const ZONE_JUMPS_MAX = 32;

function appliesOn(range: LocalTimeRange, weekdayIndex: number): boolean {
  return range.days === null || range.days.includes(weekdays[weekdayIndex] as Weekday);
}

function isInRanges(ranges: readonly LocalTimeRange[], weekdayIndex: number, minute: number): boolean {
  const previousWeekday = (weekdayIndex + 6) % 7;
  for (const range of ranges) {
    if (range.fromMinutes < range.toMinutes) {
      if (minute >= range.fromMinutes && minute < range.toMinutes && appliesOn(range, weekdayIndex)) return true;
    } else {
      if (minute >= range.fromMinutes && appliesOn(range, weekdayIndex)) return true;
      if (minute < range.toMinutes && appliesOn(range, previousWeekday)) return true;
    }
  }
  return false;
}

function isOpenAt(window: ContactWindow, weekdayIndex: number, minute: number): boolean {
  return isInRanges(window.allowed, weekdayIndex, minute) && !isInRanges(window.excluded, weekdayIndex, minute);
}

export function isInsideWindow(timeZone: string, instantMs: number, window: ContactWindow): boolean {
  const wallMs = wallMsOf(timeZone, instantMs);
  const day = Math.floor(wallMs / DAY_MS);
  return isOpenAt(window, weekdayIndexOfDay(day), Math.floor((wallMs - day * DAY_MS) / MINUTE_MS));
}

const candidatesByWindow = new WeakMap<ContactWindow, readonly number[]>();
const ascending = (left: number, right: number) => left - right;

/** Minutes of a day at which being open may begin: allowed ranges start, excluded ranges end. */
function openingCandidates(window: ContactWindow): readonly number[] {
  let candidates = candidatesByWindow.get(window);
  if (!candidates) {
    const minutes = new Set<number>([0]);
    for (const range of window.allowed) minutes.add(range.fromMinutes % 1440);
    for (const range of window.excluded) minutes.add(range.toMinutes % 1440);
    candidates = [...minutes].sort(ascending);
    candidatesByWindow.set(window, candidates);
  }
  return candidates;
}

/** The earliest instant ≥ fromMs inside the window in one zone; null when there is none in a week. */
export function nextInsideWindow(timeZone: string, fromMs: number, window: ContactWindow): number | null {
  const wallMs = wallMsOf(timeZone, fromMs);
  const firstDay = Math.floor(wallMs / DAY_MS);
  const firstMinute = Math.floor((wallMs - firstDay * DAY_MS) / MINUTE_MS);
  if (isOpenAt(window, weekdayIndexOfDay(firstDay), firstMinute)) return fromMs;
  const candidates = openingCandidates(window);
  for (let day = firstDay; day <= firstDay + SEARCH_DAYS; day += 1) {
    const weekdayIndex = weekdayIndexOfDay(day);
    for (const minute of candidates) {
      if (day === firstDay && minute <= firstMinute) continue;
      if (isOpenAt(window, weekdayIndex, minute)) return instantOfWall(timeZone, day * DAY_MS + minute * MINUTE_MS);
    }
  }
  return null;
}

/**
 * The earliest instant ≥ fromMs inside the window in every one of the zones (a person whose
 * location is ambiguous). Jumps to the next opening of whichever zone is closed and checks again;
 * null when no instant in the coming week suits all of them.
 */
export function nextInsideAllZones(timeZones: readonly string[], fromMs: number, window: ContactWindow): number | null {
  let candidateMs = fromMs;
  for (let jump = 0; jump < ZONE_JUMPS_MAX; jump += 1) {
    let isInsideAll = true;
    for (const timeZone of timeZones) {
      if (isInsideWindow(timeZone, candidateMs, window)) continue;
      const next = nextInsideWindow(timeZone, candidateMs, window);
      if (next === null) return null;
      candidateMs = next;
      isInsideAll = false;
      break;
    }
    if (isInsideAll) return candidateMs;
    if (candidateMs - fromMs > SEARCH_DAYS * DAY_MS) return null;
  }
  return null;
}
