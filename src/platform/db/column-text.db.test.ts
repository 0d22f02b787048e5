// Rows sent as column texts read back as the same rows on both engines: typed, nulls where the
// value was empty, including a one-row column whose only value is null.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { ColumnText } from "../column-text.js";
import { createTestContext, type TestContext } from "../testing/test-context.js";
import { unnestColumns } from "./column-text.js";

let context: TestContext;

before(async () => {
  context = await createTestContext();
});
after(async () => {
  await context?.close();
});

function columns(rows: (string | null)[][]): string[] {
  const texts = (rows[0] ?? []).map((_, index) => new ColumnText(`c${index}`));
  for (const row of rows) for (const [index, value] of row.entries()) texts[index]?.push(value);
  return texts.map((text) => text.text());
}

async function read(rows: (string | null)[][]) {
  const result = await sql<{ id: number; note: string | null; day: string | null; amount: bigint | null; state: unknown }>`
    select v.id, v.note, v.day::text as day, v.amount, v.state::json as state
    from ${unnestColumns(columns(rows), ["integer", "text", "date", "bigint", "text"])} as v(id, note, day, amount, state)
    order by v.id`.execute(context.database.db);
  return result.rows;
}

describe("column texts", () => {
  it("read back as the rows they were built from, typed, with nulls", async () => {
    const rows = await read([
      ["1", 'a "quoted", \\ comma', "2028-02-29", "9007199254740993", JSON.stringify(["x\u001fy", { k: "中文" }])],
      ["2", null, null, null, "[]"],
    ]);
    assert.deepEqual(rows, [
      { id: 1, note: 'a "quoted", \\ comma', day: "2028-02-29", amount: 9_007_199_254_740_993n, state: ["x\u001fy", { k: "中文" }] },
      { id: 2, note: null, day: null, amount: null, state: [] },
    ]);
  });

  it("read a single row's null as null", async () => {
    assert.deepEqual(await read([["7", null, null, null, "{}"]]), [{ id: 7, note: null, day: null, amount: null, state: {} }]);
  });

  it("refuse a value holding the separator, or an empty one, naming the column", () => {
    const text = new ColumnText("account_close_state.bucket");
    assert.throws(() => text.push("M1\u001fM2"), /column account_close_state\.bucket: value "M1\\u001fM2" is empty or holds the column separator/);
    assert.throws(() => text.push(""), /column account_close_state\.bucket: value ""/);
    text.push("M1");
    text.push(null);
    assert.equal(text.text(), "M1\u001f");
  });
});
