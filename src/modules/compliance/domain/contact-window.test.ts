import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { type ContactWindow, isInsideWindow, nextInsideAllZones, nextInsideWindow } from "./contact-window.js";

const daytime: ContactWindow = { allowed: [{ days: null, fromMinutes: 480, toMinutes: 1320 }], excluded: [] };
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe("contact windows", () => {
  it("are half-open: 08:00 and 21:59 inside, 07:59 and 22:00 outside", () => {
    const zone = "Asia/Shanghai";
    assert.equal(isInsideWindow(zone, Date.parse("2026-04-08T07:59:00+08:00"), daytime), false);
    assert.equal(isInsideWindow(zone, Date.parse("2026-04-08T08:00:00+08:00"), daytime), true);
    assert.equal(isInsideWindow(zone, Date.parse("2026-04-08T21:59:59+08:00"), daytime), true);
    assert.equal(isInsideWindow(zone, Date.parse("2026-04-08T22:00:00+08:00"), daytime), false);
  });

  it("open next at 08:00 the same morning or the next one", () => {
    const zone = "Asia/Shanghai";
    assert.equal(iso(nextInsideWindow(zone, Date.parse("2026-04-08T07:59:30+08:00"), daytime)), "2026-04-08T00:00:00.000Z");
    assert.equal(iso(nextInsideWindow(zone, Date.parse("2026-04-08T22:00:00+08:00"), daytime)), "2026-04-09T00:00:00.000Z");
  });

  it("exclude named inconvenient ranges, including ones that run past midnight", () => {
    const window: ContactWindow = { allowed: daytime.allowed, excluded: [{ days: ["wed"], fromMinutes: 1200, toMinutes: 600 }] };
    const zone = "Europe/London";
    // Wednesday 20:30 is excluded, and so is Thursday morning until 10:00.
    assert.equal(isInsideWindow(zone, Date.parse("2026-04-08T20:30:00+01:00"), window), false);
    assert.equal(isInsideWindow(zone, Date.parse("2026-04-09T09:00:00+01:00"), window), false);
    assert.equal(iso(nextInsideWindow(zone, Date.parse("2026-04-08T20:30:00+01:00"), window)), "2026-04-09T09:00:00.000Z");
    assert.equal(isInsideWindow(zone, Date.parse("2026-04-10T09:00:00+01:00"), window), true, "Friday morning is fine");
  });

  it("find the intersection of a person's zones (New York and Los Angeles: 11:00–21:00 Eastern)", () => {
    const usWindow: ContactWindow = { allowed: [{ days: null, fromMinutes: 480, toMinutes: 1260 }], excluded: [] };
    const zones = ["America/New_York", "America/Los_Angeles"];
    assert.equal(iso(nextInsideAllZones(zones, Date.parse("2026-04-08T10:30:00-04:00"), usWindow)), "2026-04-08T15:00:00.000Z");
    const late = Date.parse("2026-04-08T20:59:00-04:00");
    assert.equal(nextInsideAllZones(zones, late, usWindow), late);
    assert.equal(iso(nextInsideAllZones(zones, Date.parse("2026-04-08T21:00:00-04:00"), usWindow)), "2026-04-09T15:00:00.000Z");
  });

  it("report no opening when the zones never share a convenient hour", () => {
    const usWindow: ContactWindow = { allowed: [{ days: null, fromMinutes: 480, toMinutes: 1260 }], excluded: [] };
    // Three 13-hour windows spread round the globe: New York ∩ Tokyo is 23:00–01:00Z, which London never shares.
    assert.equal(nextInsideAllZones(["America/New_York", "Asia/Tokyo", "Europe/London"], Date.parse("2026-04-08T10:00:00-04:00"), usWindow), null);
    const never: ContactWindow = { allowed: daytime.allowed, excluded: [{ days: null, fromMinutes: 0, toMinutes: 1440 }] };
    assert.equal(nextInsideWindow("Asia/Shanghai", Date.parse("2026-04-08T10:00:00+08:00"), never), null);
  });

  it("return the earliest instant inside every zone, never before the start (property)", () => {
    const zones = ["America/New_York", "America/Chicago", "Europe/London", "Asia/Shanghai", "Australia/Sydney", "America/Los_Angeles"];
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...zones), { minLength: 1, maxLength: 2 }),
        fc.integer({ min: Date.parse("2026-01-01T00:00:00Z"), max: Date.parse("2026-12-31T00:00:00Z") }),
        fc.integer({ min: 0, max: 720 }),
        fc.integer({ min: 780, max: 1440 }),
        (chosen, startMs, fromMinutes, toMinutes) => {
          const window: ContactWindow = { allowed: [{ days: null, fromMinutes, toMinutes }], excluded: [] };
          const next = nextInsideAllZones(chosen, startMs, window);
          if (next === null) return;
          assert.ok(next >= startMs);
          for (const zone of chosen) assert.equal(isInsideWindow(zone, next, window), true);
          if (next > startMs) {
            const minuteBefore = Math.max(startMs, next - 60_000);
            assert.equal(
              chosen.every((zone) => isInsideWindow(zone, minuteBefore, window)),
              minuteBefore === next,
              "a minute earlier is not inside every zone",
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
