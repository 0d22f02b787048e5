import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { threadId } from "node:worker_threads";
import { ComputePool } from "./compute-pool.js";
import type { FixtureInput } from "./testing/compute-fixture.js";

const fixture = new URL("./testing/compute-fixture.ts", import.meta.url);
const pools: ComputePool<FixtureInput, string | number>[] = [];
const poolOf = (size: number, exportName = "work") => {
  const pool = new ComputePool<FixtureInput, string | number>({ module: fixture, exportName, size });
  pools.push(pool);
  return pool;
};

after(async () => {
  for (const pool of pools) await pool.close();
});

describe("a compute pool", () => {
  it("runs the module's function on its threads, each call answered with its own result", async () => {
    const pool = poolOf(2);
    const sums = await Promise.all(Array.from({ length: 6 }, (_, index) => pool.run({ kind: "sum", amounts: ["9007199254740993", String(index)] })));
    assert.deepEqual(sums, ["9007199254740993", "9007199254740994", "9007199254740995", "9007199254740996", "9007199254740997", "9007199254740998"]);
    const threads = new Set(await Promise.all(Array.from({ length: 4 }, () => pool.run({ kind: "thread" }))));
    assert.ok(!threads.has(threadId), "not on the caller's thread");
    assert.ok(threads.size >= 1 && threads.size <= 2, `on the pool's two threads, not ${[...threads].join(", ")}`);
  });

  it("fails a call that throws with its message, and goes on with the next", async () => {
    const pool = poolOf(1);
    await assert.rejects(pool.run({ kind: "fail", message: "loan 42 has no schedule" }), /loan 42 has no schedule/);
    assert.equal(await pool.run({ kind: "sum", amounts: ["1", "2"] }), "3");
  });

  it("replaces a thread that dies, failing only the call it was running", async () => {
    const pool = poolOf(1);
    const [died, next] = await Promise.allSettled([pool.run({ kind: "exit", code: 3 }), pool.run({ kind: "sum", amounts: ["5"] })]);
    assert.equal(died.status, "rejected");
    assert.match(String((died as PromiseRejectedResult).reason), /exited with code 3/);
    assert.deepEqual(next, { status: "fulfilled", value: "5" });
    assert.equal(pool.size, 1);
  });

  it("fails every call, rather than waiting forever, when its threads cannot load the function", async () => {
    const pool = poolOf(2, "missing");
    await assert.rejects(pool.run({ kind: "sum", amounts: ["1"] }), /has no function missing/);
    await assert.rejects(pool.run({ kind: "sum", amounts: ["1"] }), /has no function missing/);
  });

  it("fails the calls it has not answered when closed, and refuses new ones", async () => {
    const pool = poolOf(1);
    const running = pool.run({ kind: "sum", amounts: ["1"] });
    const queued = pool.run({ kind: "sum", amounts: ["2"] });
    const settled = Promise.allSettled([running, queued]);
    await pool.close();
    for (const result of await settled) assert.equal(result.status, "rejected");
    await assert.rejects(pool.run({ kind: "sum", amounts: ["1"] }), /closed/);
  });
});
