// Both engines hand the application the same types: int8 as bigint, numeric and date as
// strings, so money and business dates never pass through a JS number or a Date.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { createTestContext, type TestContext } from "../testing/test-context.js";

let context: TestContext;

before(async () => {
  context = await createTestContext();
});
after(async () => {
  await context?.close();
});

describe("database", () => {
  it("returns int8 as bigint beyond 2^53, numeric and date as their exact text", async () => {
    const row = await sql<{ amount: bigint; rate: string; day: string }>`
      select 9007199254740993::int8 as amount, 0.123456::numeric(9,6) as rate, '2028-02-29'::date as day`.execute(context.database.db);
    assert.deepEqual(row.rows[0], { amount: 9_007_199_254_740_993n, rate: "0.123456", day: "2028-02-29" });
  });
});
