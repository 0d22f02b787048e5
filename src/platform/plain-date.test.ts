import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { addDays, addMonthsClamped, daysBetween, isPlainDate, nextDay } from "./plain-date.js";

describe("plain dates", () => {
  it("clamps month ends from the anchor: Jan 31 → Feb 28/29 → Mar 31", () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((months) => addMonthsClamped("2026-01-31", months)),
      ["2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"],
    );
    assert.equal(addMonthsClamped("2028-01-31", 1), "2028-02-29");
    assert.equal(addMonthsClamped("2026-11-30", 3), "2027-02-28");
    assert.equal(addMonthsClamped("2026-01-15", 360), "2056-01-15");
    assert.equal(addMonthsClamped("2026-03-31", -1), "2026-02-28");
  });

  it("counts days across month ends and leap days", () => {
    assert.equal(daysBetween("2024-02-28", "2024-03-01"), 2);
    assert.equal(daysBetween("2026-02-28", "2026-03-01"), 1);
    assert.equal(daysBetween("2026-12-31", "2027-01-01"), 1);
    assert.equal(addDays("2024-02-28", 1), "2024-02-29");
    assert.equal(addDays("2026-03-01", -1), "2026-02-28");
  });

  it("validates dates", () => {
    assert.equal(isPlainDate("2024-02-29"), true);
    assert.equal(isPlainDate("2026-02-29"), false);
    assert.equal(isPlainDate("2026-13-01"), false);
    assert.equal(isPlainDate("2026-1-1"), false);
  });

  it("addDays and daysBetween agree (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: -5_000, max: 5_000 }), (offset, days) => {
        const start = addDays("1950-01-01", offset);
        return daysBetween(start, addDays(start, days)) === days && isPlainDate(addDays(start, days)) && nextDay(start) === addDays(start, 1);
      }),
    );
  });
});
