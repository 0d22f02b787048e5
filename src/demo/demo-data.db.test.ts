// The demo lender seeds once, with staff of every role, and a dump of the database holds no
// plaintext national ID number, phone number or name of any borrower.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { buildStatement, loadLoan, loadPayments } from "../modules/loans/index.js";
import { staffRoles } from "../platform/auth/index.js";
import { createTestContext, type TestContext } from "../platform/testing/test-context.js";
import { DEMO_BORROWER_PHONE, demoStaff, seedDemo } from "./demo-data.js";

let context: TestContext;
before(async () => {
  context = await createTestContext();
});
after(async () => {
  await context.close();
});

/** Every row of every table, as text: what a logical dump would contain. */
async function dumpAsText(): Promise<string> {
  const db = context.database.db;
  const tables = await sql<{
    table_name: string;
  }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db);
  const parts: string[] = [];
  for (const { table_name: table } of tables.rows) {
    const rows = await sql<{ row: string }>`select row_to_json(t)::text as row from ${sql.table(table)} t`.execute(db);
    parts.push(...rows.rows.map((row) => row.row));
  }
  return parts.join("\n");
}

describe("demo data", () => {
  it("seeds a lender with products, a few hundred borrowers, loans, cases and every staff role — once", async () => {
    const report = await seedDemo(context);
    assert.equal(report.seeded, true);
    assert.equal(report.borrowers, 300);
    assert.ok(report.loanAccounts >= 300);
    assert.ok(report.cases >= 100);
    const roles = new Set(demoStaff.flatMap((member) => member.roles));
    for (const role of staffRoles) assert.ok(roles.has(role), `a demo user has the role ${role}`);
    const again = await seedDemo(context);
    assert.equal(again.seeded, false);
    const count = await context.database.db
      .selectFrom("borrowers")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.count), 300);
  });

  it("has overdue accounts in every bucket", async () => {
    const db = context.database.db;
    const overdue = await db.selectFrom("loan_accounts").select("id").where("status", "=", "overdue").execute();
    const buckets = new Set<string>();
    for (const { id } of overdue) {
      const loan = await loadLoan(db, id);
      buckets.add(buildStatement(loan.facts, await loadPayments(db, id), "2026-11-22").bucket);
    }
    assert.deepEqual([...buckets].sort(), ["M1", "M2", "M3", "M4", "M5", "M6", "M7+"]);
  });

  it("stores no borrower identifier in plaintext", async () => {
    const db = context.database.db;
    const rows = await db.selectFrom("borrowers").select(["id", "national_id_enc", "phone_enc", "name_enc"]).execute();
    const { cipher } = context.privacy;
    const secrets = rows.flatMap((row) => [
      cipher.decrypt(row.national_id_enc, `borrower:${row.id}:national_id`),
      cipher.decrypt(row.phone_enc, `borrower:${row.id}:phone`),
    ]);
    assert.ok(secrets.includes(DEMO_BORROWER_PHONE));
    const dump = await dumpAsText();
    assert.ok(dump.length > 100_000, "the dump holds the demo book");
    const leaked = secrets.filter((secret) => dump.includes(secret));
    assert.deepEqual(leaked, []);
    // And the birth-date-bearing middle of an ID number, which masking would keep, is not there either.
    const middles = secrets.filter((secret) => secret.length === 18).map((id) => id.slice(6, 14) + id.slice(14));
    assert.deepEqual(
      middles.filter((middle) => dump.includes(middle)),
      [],
    );

    if (context.databaseUrl) {
      // On a real server, ask pg_dump itself.
      const pgDump = spawnSync("pg_dump", ["--data-only", context.databaseUrl], { encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
      assert.equal(pgDump.status, 0, pgDump.stderr);
      assert.ok(pgDump.stdout.includes("COPY public.borrowers"));
      assert.deepEqual(
        secrets.filter((secret) => pgDump.stdout.includes(secret)),
        [],
      );
    }
  });
});
