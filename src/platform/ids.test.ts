import assert from "node:assert/strict";
import { it } from "node:test";
import { uuidv7 } from "./ids.js";

it("makes version-7 UUIDs that sort in the order they were made", () => {
  const ids = Array.from({ length: 10_000 }, () => uuidv7());
  assert.match(ids[0] as string, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  const ms = Number.parseInt((ids[0] as string).replace(/-/g, "").slice(0, 12), 16);
  assert.ok(Math.abs(ms - Date.now()) < 60_000, "carries the current time");
});
