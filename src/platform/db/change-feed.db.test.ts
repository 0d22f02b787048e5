// The change feed's read-through keeps what was read unless a change to one of its keys, or to
// everything, arrived while it was being read: changes elsewhere in the book do not stop it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { KeptValues } from "../kept-values.js";
import { createTestContext, type TestContext } from "../testing/test-context.js";

let context: TestContext;
let unsubscribe: () => Promise<void>;
const kept = new KeptValues<{ keys: string[]; value: number }>(100);

before(async () => {
  context = await createTestContext();
  unsubscribe = await context.changes.subscribe((keys) => kept.forget(keys));
});

after(async () => {
  await unsubscribe?.();
  await context?.close();
});

/** Reads `id` through the feed while `meanwhile` runs, and says whether the value was kept. */
async function keptAfter(id: string, meanwhile: () => Promise<void>): Promise<boolean> {
  await context.changes.readThrough(
    kept,
    id,
    () => true,
    async () => {
      await meanwhile();
      return { keys: [`b:${id}`], value: 1 };
    },
  );
  return kept.get(id, () => true) !== null;
}

/** Waits until the feed has delivered `mark`, so every notification sent before it has arrived. */
async function heard(mark: string): Promise<void> {
  const arrived = new Promise<void>((resolve) => {
    const stop = context.changes.subscribe((keys) => {
      if (keys !== "all" && keys.includes(mark)) void stop.then((unsubscribeMark) => unsubscribeMark()).then(resolve);
    });
  });
  await sql`select pg_notify('duecare_changes', ${mark})`.execute(context.database.db);
  await arrived;
}

describe("reading through the change feed", () => {
  it("keeps a value when only other keys changed during the read", async () => {
    assert.equal(
      await keptAfter("one", async () => {
        context.changes.announce(["b:other", "c:else"]);
        await sql`select pg_notify('duecare_changes', 'b:another')`.execute(context.database.db);
        await heard("mark:one");
      }),
      true,
    );
  });

  it("keeps nothing when one of its keys, or everything, changed during the read", async () => {
    assert.equal(
      await keptAfter("two", async () => {
        await sql`select pg_notify('duecare_changes', 'b:x b:two')`.execute(context.database.db);
        await heard("mark:two");
      }),
      false,
    );
    assert.equal(
      await keptAfter("three", async () => {
        await sql`select pg_notify('duecare_changes', '*')`.execute(context.database.db);
        await heard("mark:three");
      }),
      false,
    );
  });

  it("keeps nothing when more changes arrived during the read than it remembers", async () => {
    assert.equal(
      await keptAfter("four", async () => {
        for (let index = 0; index < 600; index += 1) context.changes.announce([`b:other-${index}`]);
      }),
      false,
    );
    assert.equal(await keptAfter("five", async () => context.changes.announce([`b:other`])), true);
  });

  it("drops a kept value when its key changes", async () => {
    assert.ok(kept.get("five", () => true));
    await sql`select pg_notify('duecare_changes', 'b:five')`.execute(context.database.db);
    await heard("mark:drop");
    assert.equal(
      kept.get("five", () => true),
      null,
    );
  });
});
