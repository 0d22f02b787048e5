// Partitions computed on compute threads: the same accounts, entries, events and counts as on the
// event loop, for every partition of two months of a demo book's closes.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { sql } from "kysely";
import { seedDemo } from "../../demo/demo-data.js";
import { columnValues } from "../../platform/column-text.js";
import { addDays } from "../../platform/plain-date.js";
import { createTestContext, type TestContext } from "../../platform/testing/test-context.js";
import { partitionComputePool } from "./close.compute.js";
import { closeThrough, type PartitionRunner, processPartition } from "./close.service.js";
import { computePartition, type PartitionOutput } from "./domain/partition-compute.js";

const FIRST = "2026-11-21";
let context: TestContext;
let lenderId = "";

before(async () => {
  context = await createTestContext({ now: `${FIRST}T18:00:00Z` });
  await seedDemo(context, { borrowers: 40 });
  lenderId = (await context.database.db.selectFrom("lenders").select("id").where("code", "=", "demo").executeTakeFirstOrThrow()).id;
});

after(async () => {
  await context?.close();
});

/** Entry ids are drawn afresh for every document; everything else must match. */
function comparable(output: PartitionOutput) {
  const [ids = "", ...entryColumns] = output.entries.entryColumns;
  const [entryIds = "", ...postingColumns] = output.entries.postingColumns;
  // Each id as its place among the document's entries.
  const place = new Map(columnValues(ids, output.entries.entries).map((id, index) => [id, index]));
  const postingEntries = columnValues(entryIds, output.entries.rows - output.entries.entries).map((id) => place.get(id));
  return { ...output, entries: { ...output.entries, entryColumns, postingColumns, postingEntries } };
}

it("computes on threads exactly what it computes on the event loop", async () => {
  const pool = partitionComputePool(2);
  let accounts = 0;
  let entries = 0;
  const runner: PartitionRunner = {
    async run(runContext, runId, partitionNos, onDone) {
      await Promise.all(
        partitionNos.map(async (partitionNo) => {
          await processPartition(runContext, runId, partitionNo, async (input) => {
            const threaded = await pool.compute(input);
            assert.deepEqual(comparable(threaded), comparable(computePartition(input)), `partition ${partitionNo} on ${input.on}`);
            accounts += input.accounts.length;
            entries += threaded.entries.entries;
            return threaded;
          });
          onDone();
        }),
      );
    },
  };
  try {
    // The lender was never closed: the first close closes its one date, the second each date after it.
    await closeThrough(context, lenderId, FIRST, { runner, partitions: 4 });
    const summaries = await closeThrough(context, lenderId, addDays(FIRST, 60), { runner, partitions: 4 });
    assert.equal(summaries.length, 60);
  } finally {
    await pool.close();
  }
  assert.ok(accounts > 200, `accounts computed on threads: ${accounts}`);
  assert.ok(entries > 100, `entries computed on threads: ${entries}`);
  const closed = await sql<{ closed_through: string }>`select closed_through::text from lenders where id = ${lenderId}`.execute(context.database.db);
  assert.equal(closed.rows[0]?.closed_through, addDays(FIRST, 60));
});
