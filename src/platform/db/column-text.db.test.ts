// Rows sent as column texts read back as the same rows on both engines: typed, nulls where the
// value was empty, including a one-row column whose only value is null.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { ColumnTexts } from "../column-text.js";
import { createTestContext, type TestContext } from "../testing/test-context.js";
import { unnestColumns } from "./column-text.js";

let context: TestContext;

before(async () => {
  context = await createTestContext();
});
after(async () => {
  await context?.close();
});

const COLUMNS = ["id", "note", "day", "amount", "state"] as const;
const TYPES = { id: "integer", note: "text", day: "date", amount: "bigint", state: "text" };

function columns(rows: (string | null)[][]): string[] {
  const texts = new ColumnTexts("t", COLUMNS);
  for (const row of rows) texts.add(row);
  return texts.texts();
}

async function read(rows: (string | null)[][]) {
  const result = await sql<{ id: number; note: string | null; day: string | null; amount: bigint | null; state: unknown }>`
    select v.id, v.note, v.day::text as day, v.amount, v.state::json as state
    from ${unnestColumns("v", COLUMNS, TYPES, columns(rows))}
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

  it("refuse a value holding the separator, an empty one or a short row, naming the column, and keep nothing of it", () => {
    const texts = new ColumnTexts("account_close_state", ["dpd", "bucket"]);
    assert.throws(() => texts.add(["3", "M1\u001fM2"]), /column account_close_state\.bucket: value "M1\\u001fM2" is empty or holds the column separator/);
    assert.throws(() => texts.add(["3", ""]), /column account_close_state\.bucket: value ""/);
    assert.throws(() => texts.add(["3"]), /account_close_state: a row of 1 values for 2 columns/);
    assert.equal(texts.rows, 0, "a refused row adds nothing");
    texts.add(["3", "M1"]);
    texts.add(["4", null]);
    assert.deepEqual(texts.texts(), ["3\u001f4", "M1\u001f"]);
  });
});
