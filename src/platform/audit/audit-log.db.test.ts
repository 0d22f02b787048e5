// The audit log is append-only in the database and hash-chained: an edit made behind the
// database's back (triggers off, as a superuser could) is found by verification.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { createTestContext, type TestContext } from "../testing/test-context.js";
import { appendAudit, verifyAuditLog } from "./index.js";

let context: TestContext;
before(async () => {
  context = await createTestContext();
  const db = context.database.db;
  for (let index = 1; index <= 12; index += 1) {
    await db.transaction().execute((trx) =>
      appendAudit(
        trx,
        {
          actorType: "staff",
          actorId: `user-${index % 3}`,
          action: "test.event",
          targetType: "thing",
          targetId: String(index),
          details: { index, amountMinor: BigInt(index) * 100n },
        },
        context.clock.now(),
      ),
    );
    context.clock.advance(1000);
  }
});
after(async () => {
  await context.close();
});

describe("audit log", () => {
  it("verifies an intact chain", async () => {
    assert.deepEqual(await verifyAuditLog(context.database.db), { rowsChecked: 12, firstBreak: null });
  });

  it("refuses UPDATE, DELETE and TRUNCATE", async () => {
    const db = context.database.db;
    await assert.rejects(db.updateTable("audit_log").set({ reason: "tampered" }).where("sequence", "=", 3n).execute(), /append-only/);
    await assert.rejects(db.deleteFrom("audit_log").where("sequence", "=", 3n).execute(), /append-only/);
    await assert.rejects(sql`truncate audit_log`.execute(db), /append-only/);
    assert.equal((await verifyAuditLog(db)).firstBreak, null);
  });

  it("rolls back with the change it records", async () => {
    const db = context.database.db;
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await appendAudit(trx, { actorType: "system", action: "test.rolled_back" }, context.clock.now());
        throw new Error("the change failed");
      }),
    );
    const rolledBack = await db.selectFrom("audit_log").select("sequence").where("action", "=", "test.rolled_back").execute();
    assert.deepEqual(rolledBack, []);
  });

  it("reports the first broken link when a row is edited behind the triggers' back", async () => {
    const db = context.database.db;
    await db.connection().execute(async (connection) => {
      await sql`set session_replication_role = replica`.execute(connection);
      await sql`update audit_log set details = '{"index": 7, "amountMinor": "70000"}'::jsonb where sequence = 7`.execute(connection);
      await sql`set session_replication_role = origin`.execute(connection);
    });
    const result = await verifyAuditLog(db);
    assert.equal(result.firstBreak?.sequence, 7n);
    assert.match(result.firstBreak?.problem ?? "", /edited/);
    assert.equal(result.rowsChecked, 6);
  });
});
