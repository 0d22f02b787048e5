// Daily close benchmark: a synthetic book of `--loans` accounts closed for `--days` business
// days event-driven, then the same days on a copy of the book in full-scan mode (every account
// recomputed every day), and each event-driven day's writes replayed as bare SQL (the same
// statements with nothing computed, rolled back). Reports each day's wall time, accounts
// touched, rows written, CPU and WAL, and ends with one JSON line.
//   npm run bench:close -- --loans 1000000 --days 30 [--engine pglite|postgres] [--partitions 8] [--workers 2] [--compute-threads 2] [--skip-full-scan]
//     [--book-order opened|scattered] [--no-vacuum]
// The book: three 12-month products, loans opened over the past 360 days on days 1–28 of a
// month (so the 29th to the 31st are days without due dates), 92% paying each
// installment on its due date and 8% that stopped paying; accounts start from engine snapshots
// (built once per template of product, opening day, amount and behaviour), with no journal
// history before the first benchmark day. Borrowers carry placeholder ciphertext. The loans are
// written in the order they were opened, as a lender's system creates them (--book-order
// scattered writes them in an order unrelated to their dates). After each day (and its bare
// replay) the tables the day wrote are vacuumed, untimed, as autovacuum would (--no-vacuum
// skips it).
// A benchmark, not a test: it asserts nothing.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import pg from "pg";
import { createContext } from "../src/app.js";
import {
  closeDate,
  computeThreads as defaultThreads,
  insertEvents,
  ledgerHash,
  observePartitionWrites,
  type PartitionWrites,
  partitionRunnerFor,
  updateAccountsDocument,
  updateLoanStatuses,
} from "../src/modules/close/index.js";
import { type EntriesDocument, insertEntriesDocument, withNewEntryIds } from "../src/modules/ledger/index.js";
import { FixedClock } from "../src/platform/clock.js";
import type { AppContext } from "../src/platform/context.js";
import { type Database, openDatabase } from "../src/platform/db/index.js";
import { createLogger } from "../src/platform/logger.js";
import { addDays, type PlainDate } from "../src/platform/plain-date.js";
import { testConfig } from "../src/platform/testing/test-context.js";
import { buildTemplates, generateBook, recordDayPayments } from "./loan-book.js";

const { values } = parseArgs({
  options: {
    loans: { type: "string", default: "100000" },
    days: { type: "string", default: "30" },
    engine: { type: "string", default: "pglite" },
    partitions: { type: "string" },
    workers: { type: "string", default: "2" },
    "compute-threads": { type: "string" },
    "skip-full-scan": { type: "boolean", default: false },
    "book-order": { type: "string", default: "opened" },
    "no-vacuum": { type: "boolean", default: false },
  },
});
const loanCount = Number(values.loans);
const dayCount = Number(values.days);
const engine = values.engine === "postgres" ? "postgres" : "pglite";
// Without --partitions, each date gets the lender's adaptive count (one per 5,000 due accounts, at most 8).
const partitions = values.partitions === undefined ? undefined : Number(values.partitions);
const workers = Number(values.workers);
// Without --compute-threads, the runner's default: a thread per worker, at most one per core (0: on the event loop).
const computeThreads = values["compute-threads"] === undefined ? undefined : Number(values["compute-threads"]);
const bookOrder = values["book-order"] === "scattered" ? "scattered" : "opened";
const vacuumDaily = !values["no-vacuum"];
// The tables a day writes, vacuumed after it (untimed) as autovacuum would: the bare-SQL replay
// rolls back a whole day of inserts, whose dead rows and index entries would otherwise slow
// every later day, and the database server used for these figures runs without autovacuum.
const WRITTEN_TABLES = ["journal_entries", "postings", "account_close_state", "loan_accounts", "account_events", "collection_cases", "payments"];
const FIRST: PlainDate = "2026-12-01";
const log = (line: string) => process.stderr.write(`${line}\n`);

const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const workDir = mkdtempSync(join(tmpdir(), "duecare-bench-close-"));
const dbName = (name: string) => `bench_close_${process.pid}_${name}`;
const urlOf = (name: string) => {
  const url = new URL(adminUrl);
  url.pathname = `/${dbName(name)}`;
  return url.toString();
};
async function admin(statement: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(statement);
  await client.end();
}
async function open(name: string): Promise<{ context: AppContext; database: Database }> {
  // DATABASE_PREPARED_STATEMENTS=false runs every statement unnamed, as the server does with it.
  const preparedStatements = process.env.DATABASE_PREPARED_STATEMENTS !== "false";
  const database = await openDatabase(engine === "postgres" ? { url: urlOf(name), preparedStatements } : { dataDir: join(workDir, name) });
  const config = testConfig(engine === "postgres" ? { DATABASE_URL: urlOf(name) } : {});
  const context = await createContext(config, { database, clock: new FixedClock(new Date(`${FIRST}T02:00:00Z`)), logger: createLogger("silent") });
  return { context, database };
}

/** The same writes as a close's partitions, in one transaction, rolled back: what writing alone costs. */
async function replayBare(
  context: AppContext,
  lenderId: string,
  runId: string,
  writes: PartitionWrites[],
  day: PlainDate,
): Promise<{ ms: number; steps: Record<string, number> }> {
  const db = context.database.db;
  // The close's entries keep their ids: the replay's get new ones, drawn before the clock starts.
  const entries = writes.map((partition) => withNewEntryIds(partition.entries));
  const started = performance.now();
  let elapsed = 0;
  const steps = { ledgerMs: 0, stateMs: 0, eventsMs: 0 };
  const timed = async (step: keyof typeof steps, work: () => Promise<unknown>) => {
    const from = performance.now();
    await work();
    steps[step] += performance.now() - from;
  };
  await db
    .transaction()
    .execute(async (trx) => {
      for (const [index, partition] of writes.entries()) {
        await timed("ledgerMs", () => insertEntriesDocument(trx, entries[index] as EntriesDocument, new Date()));
        // Whatever row version is there: the close itself already wrote these accounts.
        await timed("stateMs", () => updateAccountsDocument(trx, partition.accounts, day, false));
        await timed("stateMs", () => updateLoanStatuses(trx, partition.statuses));
        await timed("eventsMs", () => insertEvents(trx, lenderId, runId, day, partition.events));
      }
      elapsed = performance.now() - started;
      throw new RolledBack();
    })
    .catch((error) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return { ms: elapsed, steps: Object.fromEntries(Object.entries(steps).map(([step, ms]) => [step, Math.round(ms)])) };
}
class RolledBack extends Error {}

/**
 * CPU time of the PostgreSQL server's processes on this machine (Linux /proc, 100 ticks a
 * second), to split a day's cost between the database and this process; null where the server
 * is elsewhere or /proc is missing. Processes that exit in between drop out of the sum.
 */
function databaseCpuMs(): number | null {
  if (engine !== "postgres") return null;
  let ticks = 0;
  let found = false;
  try {
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const close = stat.lastIndexOf(")");
        if (stat.slice(stat.indexOf("(") + 1, close) !== "postgres") continue;
        const fields = stat.slice(close + 2).split(" ");
        ticks += Number(fields[11]) + Number(fields[12]);
        found = true;
      } catch {
        // The process ended while we looked.
      }
    }
  } catch {
    return null;
  }
  return found ? ticks * 10 : null;
}

/** The server's WAL position in bytes (all databases, as the CPU figure above); null on PGlite. */
async function walPosition(database: Database): Promise<number | null> {
  if (engine !== "postgres") return null;
  const result = await sql<{ bytes: string }>`select (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::text as bytes`.execute(database.db);
  return Number(result.rows[0]?.bytes ?? 0);
}

const median = (samples: number[]) => {
  const sorted = [...samples].sort((left, right) => left - right);
  return sorted.length === 0 ? 0 : (sorted[Math.floor((sorted.length - 1) / 2)] as number);
};

async function runDays(name: string, mode: "event_driven" | "full_scan", lenderId: string, bare: boolean) {
  const { context, database } = await open(name);
  const runner = partitionRunnerFor(context, { workers, ...(computeThreads === undefined ? {} : { computeThreads }) });
  const dayMs: number[] = [];
  const bareMs: number[] = [];
  const days: { day: PlainDate; ms: number; touched: number; rows: number; payments: number; partitions: number; bareMs?: number }[] = [];
  try {
    for (let index = 0; index < dayCount; index += 1) {
      const day = addDays(FIRST, index);
      (context.clock as FixedClock).set(new Date(`${day}T18:00:00Z`));
      const payments = await recordDayPayments(context, lenderId, day);
      const writes: PartitionWrites[] = [];
      observePartitionWrites(
        bare
          ? (partition) => {
              writes.push(partition);
            }
          : null,
      );
      const started = performance.now();
      const nodeCpuBefore = process.cpuUsage();
      const databaseCpuBefore = databaseCpuMs();
      const walBefore = await walPosition(database);
      const summary = await closeDate(context, lenderId, day, { mode, runner, ...(partitions === undefined ? {} : { partitions }) });
      const ms = performance.now() - started;
      const nodeCpu = process.cpuUsage(nodeCpuBefore);
      const databaseCpuAfter = databaseCpuMs();
      const walAfter = await walPosition(database);
      const cpu = {
        nodeMs: Math.round((nodeCpu.user + nodeCpu.system) / 1000),
        databaseMs: databaseCpuBefore === null || databaseCpuAfter === null ? null : databaseCpuAfter - databaseCpuBefore,
      };
      const walMb = walBefore === null || walAfter === null ? null : Math.round((walAfter - walBefore) / 100_000) / 10;
      observePartitionWrites(null);
      dayMs.push(ms);
      const steps: Record<string, number> = {};
      for (const row of await database.db.selectFrom("close_partitions").select("step_ms").where("run_id", "=", summary.runId).execute())
        for (const [step, value] of Object.entries((row.step_ms ?? {}) as Record<string, number>)) steps[step] = Math.round((steps[step] ?? 0) + value);
      const entry: (typeof days)[number] = {
        day,
        ms: Math.round(ms),
        touched: summary.totals.accountsTouched,
        rows: summary.totals.rowsWritten,
        payments,
        partitions: summary.partitions,
      };
      let bareSteps = {};
      if (bare) {
        const replayed = await replayBare(context, lenderId, summary.runId, writes, day);
        entry.bareMs = Math.round(replayed.ms);
        bareSteps = replayed.steps;
        bareMs.push(entry.bareMs);
      }
      let vacuumMs: number | null = null;
      if (vacuumDaily) {
        const vacuumStarted = performance.now();
        for (const table of WRITTEN_TABLES) await sql`vacuum ${sql.table(table)}`.execute(database.db);
        vacuumMs = Math.round(performance.now() - vacuumStarted);
      }
      days.push(entry);
      log(
        `${mode.padEnd(12)} ${day}: ${String(entry.ms).padStart(6)} ms, ${String(entry.touched).padStart(8)} accounts touched, ${String(entry.rows).padStart(8)} rows written` +
          (bare ? `, bare SQL ${entry.bareMs} ms ${JSON.stringify(bareSteps)}` : "") +
          `  (${entry.partitions} partitions; payments recorded before the close: ${payments}; partition step ms summed: ${JSON.stringify(steps)}; cpu ms: ${JSON.stringify(cpu)}; WAL ${walMb} MB` +
          (vacuumMs === null ? ")" : `; then vacuumed in ${vacuumMs} ms, untimed)`),
      );
    }
    return { days, medianMs: median(dayMs), medianBareMs: median(bareMs), hash: await ledgerHash(database.db, lenderId) };
  } finally {
    await runner.stop();
    await database.close();
  }
}

async function main() {
  log(`Building templates for ${loanCount} loans over ${dayCount} days on ${engine}...`);
  let started = performance.now();
  const templates = buildTemplates({ first: FIRST, dayCount });
  log(`  ${templates.length} templates in ${Math.round(performance.now() - started)} ms`);
  if (engine === "postgres") await admin(`create database ${dbName("book")}`);
  started = performance.now();
  const book = await open("book");
  const lenderId = await generateBook(book.context, { loanCount, first: FIRST, dayCount, log, order: bookOrder }, templates);
  await book.database.close();
  log(`  book generated in ${Math.round((performance.now() - started) / 1000)} s`);
  for (const copy of ["event", "scan"]) {
    if (engine === "postgres") await admin(`create database ${dbName(copy)} template ${dbName("book")}`);
    else cpSync(join(workDir, "book"), join(workDir, copy), { recursive: true });
  }
  const eventDriven = await runDays("event", "event_driven", lenderId, true);
  const fullScan = values["skip-full-scan"] ? null : await runDays("scan", "full_scan", lenderId, false);
  const quiet = eventDriven.days.filter((day) => day.payments === 0 && !day.day.endsWith("-01"));
  const busiest = Math.max(...eventDriven.days.map((day) => day.ms));
  const result = {
    engine,
    loans: loanCount,
    days: dayCount,
    bookOrder,
    vacuumDaily,
    partitions: partitions ?? "adaptive",
    workers: engine === "postgres" ? workers : 1,
    computeThreads: engine === "postgres" ? (computeThreads ?? defaultThreads(workers)) : 0,
    medianDayMsEventDriven: Math.round(eventDriven.medianMs),
    medianDayMsFullScan: fullScan ? Math.round(fullScan.medianMs) : null,
    medianDayMsBareSql: Math.round(eventDriven.medianBareMs),
    fullScanOverEventDriven: fullScan ? Math.round((fullScan.medianMs / eventDriven.medianMs) * 10) / 10 : null,
    eventDrivenOverBareSql: Math.round((eventDriven.medianMs / Math.max(1, eventDriven.medianBareMs)) * 10) / 10,
    quietDayMedianMs: quiet.length > 0 ? Math.round(median(quiet.map((day) => day.ms))) : null,
    quietOverBusy: quiet.length > 0 ? Math.round((median(quiet.map((day) => day.ms)) / eventDriven.medianMs) * 1000) / 1000 : null,
    busiestDayMs: Math.round(busiest),
    ledgerHashEventDriven: eventDriven.hash,
    ledgerHashFullScan: fullScan?.hash ?? null,
    ledgersIdentical: fullScan ? fullScan.hash === eventDriven.hash : null,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

try {
  await main();
} finally {
  if (engine === "postgres" && !process.env.BENCH_KEEP)
    for (const name of ["book", "event", "scan"]) await admin(`drop database if exists ${dbName(name)} with (force)`).catch(() => undefined);
  rmSync(workDir, { recursive: true, force: true });
}
