import assert from "node:assert/strict";
import { it } from "node:test";
import { dueCloseDate } from "./close.scheduler.js";

it("closes yesterday once the lender's local clock passes the close time, and only if not closed", () => {
  // 2026-11-22 16:20 UTC is 00:20 on 11-23 in Shanghai.
  assert.equal(dueCloseDate(new Date("2026-11-22T16:20:00Z"), "Asia/Shanghai", "00:30", "2026-11-21"), null);
  assert.equal(dueCloseDate(new Date("2026-11-22T16:30:00Z"), "Asia/Shanghai", "00:30", "2026-11-21"), "2026-11-22");
  assert.equal(dueCloseDate(new Date("2026-11-22T16:30:00Z"), "Asia/Shanghai", "00:30", "2026-11-22"), null);
  assert.equal(dueCloseDate(new Date("2026-11-22T16:30:00Z"), "Asia/Shanghai", "00:30", null), "2026-11-22");
  // The same instant is still 11-22 in New York: yesterday there is 11-21.
  assert.equal(dueCloseDate(new Date("2026-11-22T16:30:00Z"), "America/New_York", "00:30", "2026-11-20"), "2026-11-21");
});
