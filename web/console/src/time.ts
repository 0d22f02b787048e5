// Dates and times as the console shows them: in the lender's zone (the session's
// lenderTimeZone), whatever zone the computer itself is set to.
import type { Language } from "../../shared/i18n";

const minuteMs = 60_000;

/** An instant with its year, e.g. 2026/11/20 22:30. */
export function formatDateTime(value: string, language: Language, timeZone: string): string {
  return new Date(value).toLocaleString(language, {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  });
}

/** An instant without the year, for tables, e.g. 11/20 22:30. */
export function formatInstant(value: string, language: Language, timeZone: string): string {
  return new Date(value).toLocaleString(language, {
    timeZone,
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  });
}

/** A business date moved by whole days (calendar arithmetic in UTC, so no zone shifts it). */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Today in the zone, as YYYY-MM-DD. */
export function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

/** How far the zone's clocks are ahead of UTC at an instant, in minutes (Asia/Shanghai: 480). */
function offsetMinutesAt(instantMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instantMs));
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value);
  const wallMs = Date.UTC(field("year"), field("month") - 1, field("day"), field("hour"), field("minute"), field("second"));
  return Math.round((wallMs - Math.floor(instantMs / 1000) * 1000) / minuteMs);
}

function formatOffset(offsetMinutes: number): string {
  const magnitude = Math.abs(offsetMinutes);
  const hours = String(Math.floor(magnitude / 60)).padStart(2, "0");
  const minutes = String(magnitude % 60).padStart(2, "0");
  return `${offsetMinutes < 0 ? "-" : "+"}${hours}:${minutes}`;
}

/**
 * A wall-clock time in the zone as an ISO instant with the zone's offset then:
 * ("2026-11-20", "22:30", "Asia/Shanghai") → "2026-11-20T22:30:00+08:00". A wall time that a
 * change of offset skips (02:30 on a spring-forward night) comes out an hour early.
 */
export function zonedDateTime(date: string, time: string, timeZone: string): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  const wallMs = Date.UTC(year, month - 1, day, hour, minute);
  // The offset at the wall time read as UTC can be the other side of a change of offset;
  // looking again at the instant it gives settles it.
  const guessMinutes = offsetMinutesAt(wallMs, timeZone);
  const offsetMinutes = offsetMinutesAt(wallMs - guessMinutes * minuteMs, timeZone);
  return `${date}T${time}:00${formatOffset(offsetMinutes)}`;
}
