// The `duecare` command as an operator uses it: one clear line and a non-zero exit on errors.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import pg from "pg";

const root = join(fileURLToPath(import.meta.url), "..", "..");
const adminUrl = process.env.DUECARE_TEST_POSTGRES_URL;
let dataDirectory: string;
let databaseUrl: string | undefined;
let databaseName: string | undefined;

function duecare(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [join(root, "bin", "duecare.js"), ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDirectory, LOG_LEVEL: "warn", ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(async () => {
  dataDirectory = mkdtempSync(join(tmpdir(), "duecare-cli-"));
  if (adminUrl) {
    databaseName = `duecare_cli_${process.pid}`;
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`drop database if exists ${databaseName} with (force)`);
    await client.query(`create database ${databaseName}`);
    await client.end();
    const url = new URL(adminUrl);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
  }
});

after(async () => {
  rmSync(dataDirectory, { recursive: true, force: true });
  if (adminUrl && databaseName) {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`drop database if exists ${databaseName} with (force)`);
    await client.end();
  }
});

describe("duecare CLI", () => {
  it("prints help for every command", () => {
    for (const command of [["serve"], ["migrate"], ["seed"], ["user", "add"], ["audit", "verify"], ["lender", "add"]]) {
      const result = duecare([...command, "--help"]);
      assert.equal(result.status, 0, `${command.join(" ")} --help`);
      assert.match(result.stdout, /Usage: duecare/);
    }
  });

  it("stops on a bad configuration value with one line naming it", () => {
    const result = duecare(["migrate"], { PORT: "eighty" });
    assert.equal(result.status, 1);
    assert.equal(result.stderr.trim().split("\n").length, 1);
    assert.match(result.stderr, /^duecare: PORT: /);
  });

  it("migrates, then reports the database up to date", () => {
    const first = duecare(["migrate"]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(
      first.stdout,
      /Applied 25 migration\(s\): 0001_foundation, 0002_ledger, 0003_contacts_imports, 0004_payment_purpose, 0005_card_transactions, 0006_daily_close, 0007_close_write_volume, 0008_contact_gateway, 0009_promises_to_pay, 0010_contact_records, 0011_case_assignment, 0012_case_actions, 0013_contact_details, 0014_team_board, 0015_case_work_indexes, 0016_case_queues, 0017_message_templates, 0018_case_queue_keys, 0019_strategies, 0020_reminders, 0021_close_cheaper_checks, 0022_case_page_indexes, 0023_change_notifications, 0024_session_notifications, 0025_case_page_notifications/,
    );
    const second = duecare(["migrate"]);
    assert.match(second.stdout, /Database is up to date \(25 migration\(s\) applied\)/);
  });

  it("adds a lender and a user, refusing bad input with one clear line", () => {
    assert.match(duecare(["user", "add", "--username", "early", "--role", "admin", "--password", "long-enough-1"]).stderr, /^duecare: no lender exists yet/);
    assert.equal(duecare(["lender", "add", "--code", "acme", "--name", "艾克米金融", "--name-en", "Acme Finance"]).status, 0);
    const badRole = duecare(["user", "add", "--username", "wang", "--role", "agent,boss", "--password", "long-enough-1"]);
    assert.equal(badRole.status, 1);
    assert.match(badRole.stderr, /^duecare: VALIDATION_FAILED: roles must be some of .* \(got boss\)\n$/);
    const weak = duecare(["user", "add", "--username", "wang", "--role", "agent"], { DUECARE_NEW_PASSWORD: "short" });
    assert.match(weak.stderr, /password must be at least 10 characters/);
    const added = duecare(["user", "add", "--username", "wang", "--name", "王五", "--role", "agent,supervisor"], { DUECARE_NEW_PASSWORD: "long-enough-1" });
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stdout, /Added wang \(agent, supervisor\) to lender acme/);
    assert.match(duecare(["user", "add", "--username", "wang", "--role", "agent", "--password", "long-enough-1"]).stderr, /CONFLICT: username wang is taken/);
  });

  it("verifies the audit log, and names the first broken link after tampering", async () => {
    const intact = duecare(["audit", "verify"]);
    assert.equal(intact.status, 0, intact.stderr);
    assert.match(intact.stdout, /Audit log intact: 2 rows/);
    // Edit a row the way only someone bypassing the append-only trigger could.
    const { openDatabase } = await import("../src/platform/db/index.js");
    const { sql } = await import("kysely");
    const database = await openDatabase(databaseUrl ? { url: databaseUrl } : { dataDir: dataDirectory });
    await database.db.connection().execute(async (connection) => {
      await sql`set session_replication_role = replica`.execute(connection);
      await sql`update audit_log set actor_id = 'someone-else' where sequence = 2`.execute(connection);
      await sql`set session_replication_role = origin`.execute(connection);
    });
    await database.close();
    const broken = duecare(["audit", "verify"]);
    assert.equal(broken.status, 1);
    assert.match(broken.stderr, /^duecare: audit log broken at sequence 2: row content does not match its hash \(edited\)/);
  });

  it("imports a CSV file, naming bad rows and changing nothing, then importing it once", () => {
    const good = join(dataDirectory, "borrowers.csv");
    const bad = join(dataDirectory, "bad-borrowers.csv");
    writeFileSync(good, "externalRef,name,nationalId,phone\nC1,钱七,11010519491231002X,13800138001\nC2,孙八,110105194912310038,13800138002\n");
    writeFileSync(bad, "externalRef,name,nationalId,phone\nC1,钱七,11010519491231002X,1380013800\nC2,孙八,110105194912310037,13800138002\n");
    const rejected = duecare(["import", "borrowers", bad]);
    assert.equal(rejected.status, 1);
    assert.match(rejected.stderr, /^bad-borrowers\.csv:3:nationalId: national ID checksum does not match/m);
    assert.match(rejected.stderr, /^bad-borrowers\.csv:2:phone: phone "1380013800" must be an 11-digit mainland mobile number$/m);
    assert.match(rejected.stderr, /duecare: 2 problem\(s\) in bad-borrowers\.csv; nothing was imported/);
    const imported = duecare(["import", "borrowers", good]);
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stdout, /Imported borrowers from borrowers\.csv: 2 rows — 2 new, 0 unchanged\./);
    assert.match(duecare(["import", "borrowers", good]).stdout, /2 rows — 0 new, 2 unchanged\./);
    assert.match(duecare(["import", "loans", join(dataDirectory, "missing.csv")]).stderr, /^duecare: <file> .*missing\.csv: cannot read \(ENOENT\)/);
  });

  it("plans a day's reminders after its close: a dry run per segment, the plan, and the same day again changing nothing", () => {
    assert.equal(duecare(["seed", "--borrowers", "40"]).status, 0);
    const early = duecare(["plan", "--lender", "demo", "--dry-run"]);
    assert.equal(early.status, 1);
    assert.match(early.stderr, /date: close \d{4}-\d{2}-\d{2} before planning the contacts of \d{4}-\d{2}-\d{2}/);
    const badThreads = duecare(["close", "--lender", "demo", "--compute-threads", "many"]);
    assert.equal(badThreads.status, 1);
    assert.match(badThreads.stderr, /--compute-threads must be auto or a whole number from 0 to 64, not many/);
    assert.equal(duecare(["close", "--lender", "demo", "--compute-threads", "auto"]).status, 0);
    const dry = duecare(["plan", "--lender", "demo", "--dry-run"]);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /would plan \d+ contacts from [1-9]\d* accounts/);
    const planned = duecare(["plan", "--lender", "demo"]);
    assert.equal(planned.status, 0, planned.stderr);
    const count = /planned (\d+) contacts/.exec(planned.stdout)?.[1];
    assert.ok(count !== undefined, planned.stdout);
    const again = duecare(["plan", "--lender", "demo"]);
    assert.match(again.stdout, new RegExp(`already planned \\(${count} contacts\\); nothing changed`));
  });
});
