import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  DAY_MS,
  epochDayOfPlainDate,
  instantOfWall,
  isTimeZone,
  localDayOf,
  localMinuteOf,
  minutesOfClock,
  offsetMsAt,
  plainDateOfEpochDay,
  startOfLocalDay,
  weekdayIndexOfDay,
} from "./local-time.js";

const hour = 3_600_000;
const wall = (iso: string) => Date.parse(`${iso}Z`);

describe("local time", () => {
  it("knows IANA zones and rejects unknown names", () => {
    assert.equal(isTimeZone("America/New_York"), true);
    assert.equal(isTimeZone("Asia/Shanghai"), true);
    assert.equal(isTimeZone("Mars/Olympus_Mons"), false);
  });

  it("follows New York across the 2026-03-08 and 2026-11-01 DST changes", () => {
    assert.equal(offsetMsAt("America/New_York", Date.parse("2026-03-08T06:59:00Z")), -5 * hour);
    assert.equal(offsetMsAt("America/New_York", Date.parse("2026-03-08T07:00:00Z")), -4 * hour);
    assert.equal(offsetMsAt("America/New_York", Date.parse("2026-11-01T05:59:00Z")), -4 * hour);
    assert.equal(offsetMsAt("America/New_York", Date.parse("2026-11-01T06:00:00Z")), -5 * hour);
    // Local 08:00 is 12:00Z on the spring-forward day and 13:00Z the day before.
    assert.equal(instantOfWall("America/New_York", wall("2026-03-08T08:00:00")), Date.parse("2026-03-08T12:00:00Z"));
    assert.equal(instantOfWall("America/New_York", wall("2026-03-07T08:00:00")), Date.parse("2026-03-07T13:00:00Z"));
    assert.equal(instantOfWall("America/New_York", wall("2026-11-01T08:00:00")), Date.parse("2026-11-01T13:00:00Z"));
    assert.equal(instantOfWall("America/New_York", wall("2026-10-31T08:00:00")), Date.parse("2026-10-31T12:00:00Z"));
  });

  it("follows London across the 2026-03-29 and 2026-10-25 changes", () => {
    assert.equal(instantOfWall("Europe/London", wall("2026-03-29T08:00:00")), Date.parse("2026-03-29T07:00:00Z"));
    assert.equal(instantOfWall("Europe/London", wall("2026-03-28T08:00:00")), Date.parse("2026-03-28T08:00:00Z"));
    assert.equal(instantOfWall("Europe/London", wall("2026-10-25T08:00:00")), Date.parse("2026-10-25T08:00:00Z"));
  });

  it("maps a wall time that does not exist to the moment clocks spring forward, and a repeated one to its first occurrence", () => {
    assert.equal(instantOfWall("America/New_York", wall("2026-03-08T02:30:00")), Date.parse("2026-03-08T07:00:00Z"));
    assert.equal(instantOfWall("America/New_York", wall("2026-11-01T01:30:00")), Date.parse("2026-11-01T05:30:00Z"));
  });

  it("counts local days on the zone's calendar, with 23- and 25-hour days around DST", () => {
    const march8 = epochDayOfPlainDate("2026-03-08");
    assert.equal(startOfLocalDay("America/New_York", march8 + 1) - startOfLocalDay("America/New_York", march8), 23 * hour);
    const november1 = epochDayOfPlainDate("2026-11-01");
    assert.equal(startOfLocalDay("America/New_York", november1 + 1) - startOfLocalDay("America/New_York", november1), 25 * hour);
    // 23:30 on April 7 in New York is already April 8 in Shanghai.
    const instant = Date.parse("2026-04-07T23:30:00-04:00");
    assert.equal(plainDateOfEpochDay(localDayOf("America/New_York", instant)), "2026-04-07");
    assert.equal(plainDateOfEpochDay(localDayOf("Asia/Shanghai", instant)), "2026-04-08");
    assert.equal(localMinuteOf("America/New_York", instant), 23 * 60 + 30);
  });

  it("reads clock times, with 24:00 as the end of the day", () => {
    assert.equal(minutesOfClock("08:00"), 480);
    assert.equal(minutesOfClock("21:59"), 1319);
    assert.equal(minutesOfClock("24:00"), 1440);
    assert.equal(minutesOfClock("24:01"), null);
    assert.equal(minutesOfClock("8:00"), null);
  });

  it("numbers weekdays from Monday", () => {
    assert.equal(weekdayIndexOfDay(epochDayOfPlainDate("2026-04-08")), 2, "a Wednesday");
    assert.equal(weekdayIndexOfDay(epochDayOfPlainDate("2026-04-12")), 6, "a Sunday");
  });

  it("formats epoch days as the calendar does (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 200_000 }), (day) => {
        assert.equal(plainDateOfEpochDay(day), new Date(day * DAY_MS).toISOString().slice(0, 10));
        assert.equal(epochDayOfPlainDate(plainDateOfEpochDay(day)), day);
      }),
    );
  });

  it("agrees with Intl for every instant, and the wall time round-trips (property)", () => {
    const zones = ["America/New_York", "Europe/London", "Asia/Shanghai", "Australia/Lord_Howe", "America/St_Johns", "Asia/Kathmandu"];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.parse("2024-01-01T00:00:00Z"), max: Date.parse("2028-12-31T00:00:00Z") }),
        (zone, instant) => {
          const text = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
          assert.equal(plainDateOfEpochDay(localDayOf(zone, instant)), text);
          const wallMs = instant + offsetMsAt(zone, instant);
          const back = instantOfWall(zone, wallMs);
          // The first occurrence of the wall time: the instant itself, or an hour earlier when clocks fell back.
          assert.ok(back <= instant && instant - back <= 2 * hour);
          assert.equal(back + offsetMsAt(zone, back), wallMs);
        },
      ),
      { numRuns: 500 },
    );
  });
});
