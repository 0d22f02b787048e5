// Daily close benchmark: a synthetic book of `--loans` accounts closed for `--days` business
// days event-driven, then the same days on a copy of the book in full-scan mode (every account
// recomputed every day), and each event-driven day's writes replayed as bare SQL (the same
// statements with nothing computed, rolled back). Reports each day's wall time, accounts
// touched and rows written, and ends with one JSON line.
//   npm run bench:close -- --loans 1000000 --days 30 [--engine pglite|postgres] [--partitions 8] [--workers 2] [--skip-full-scan]
// The book: three 12-month products, loans opened over the past 360 days on days 1–28 of a
// month (so the 29th to the 31st are days without due dates), 92% paying each
// installment on its due date and 8% that stopped paying; accounts start from engine snapshots
// (built once per template of product, opening day, amount and behaviour), with no journal
// history before the first benchmark day. Borrowers carry placeholder ciphertext.
// A benchmark, not a test: it asserts nothing.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import pg from "pg";
import { createContext } from "../src/app.js";
import {
  closeDate,
  defaultClosePolicy,
  insertEvents,
  ledgerHash,
  nextEventOf,
  observePartitionWrites,
  type PartitionWrites,
  partitionRunnerFor,
  updateAccounts,
  updateLoanStatuses,
} from "../src/modules/close/index.js";
import { insertEntriesBulk } from "../src/modules/ledger/index.js";
import {
  addProduct,
  bucketOf,
  buildSchedule,
  defaultTerms,
  encodeFacts,
  encodeSnapshot,
  type LoanFacts,
  ledgerEventsWithPending,
  type PaymentFact,
  replayLoan,
  type ScheduleMethod,
} from "../src/modules/loans/index.js";
import { FixedClock } from "../src/platform/clock.js";
import type { AppContext } from "../src/platform/context.js";
import { type Database, openDatabase } from "../src/platform/db/index.js";
import { createLogger } from "../src/platform/logger.js";
import { addDays, type PlainDate } from "../src/platform/plain-date.js";
import { testConfig } from "../src/platform/testing/test-context.js";

const { values } = parseArgs({
  options: {
    loans: { type: "string", default: "100000" },
    days: { type: "string", default: "30" },
    engine: { type: "string", default: "pglite" },
    partitions: { type: "string" },
    workers: { type: "string", default: "2" },
    "skip-full-scan": { type: "boolean", default: false },
  },
});
const loanCount = Number(values.loans);
const dayCount = Number(values.days);
const engine = values.engine === "postgres" ? "postgres" : "pglite";
// Without --partitions, each date gets the lender's adaptive count (one per 5,000 due accounts, at most 8).
const partitions = values.partitions === undefined ? undefined : Number(values.partitions);
const workers = Number(values.workers);
const FIRST: PlainDate = "2026-12-01";
const OPEN_OFFSETS = 360;
const PRINCIPALS = [500_000n, 1_000_000n, 2_000_000n, 5_000_000n];
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
  const database = await openDatabase(engine === "postgres" ? { url: urlOf(name) } : { dataDir: join(workDir, name) });
  const config = testConfig(engine === "postgres" ? { DATABASE_URL: urlOf(name) } : {});
  const context = await createContext(config, { database, clock: new FixedClock(new Date(`${FIRST}T02:00:00Z`)), logger: createLogger("silent") });
  return { context, database };
}

interface Template {
  id: number;
  productIndex: number;
  facts: LoanFacts;
  state: unknown;
  stateOn: PlainDate;
  nextEventOn: PlainDate | null;
  dpd: number;
  bucket: string;
  status: string;
  overdueSince: PlainDate | null;
  dues: { on: PlainDate; amountMinor: bigint }[];
}

const products: { code: string; method: ScheduleMethod; rate: string }[] = [
  { code: "EP12", method: "equal_principal", rate: "18" },
  { code: "EI12", method: "equal_installment", rate: "12" },
  { code: "IF12", method: "interest_first", rate: "12" },
];

function buildTemplates(): Template[] {
  const templates: Template[] = [];
  const asOf = addDays(FIRST, -1);
  const last = addDays(FIRST, dayCount);
  for (let productIndex = 0; productIndex < products.length; productIndex += 1) {
    const product = products[productIndex] as (typeof products)[number];
    for (let offset = 1; offset <= OPEN_OFFSETS; offset += 1) {
      for (const principalMinor of PRINCIPALS) {
        for (const defaulter of [false, true]) {
          const startDate = addDays(FIRST, -offset);
          // Due days 1–28 only, as many lenders set them: the 29th to the 31st have no due dates.
          if (Number(startDate.slice(8)) > 28) continue;
          const installments = buildSchedule({ principalMinor, annualRatePercent: product.rate, months: 12, method: product.method, startDate });
          const facts: LoanFacts = { principalMinor, annualRatePercent: product.rate, startDate, installments, terms: defaultTerms };
          const stopAt = defaulter ? 1 + (offset % 5) : Number.POSITIVE_INFINITY;
          const payments: PaymentFact[] = installments
            .filter((item) => item.number < stopAt && item.dueDate <= asOf)
            .map((item) => ({ id: `t${templates.length}-${item.number}`, receivedOn: item.dueDate, amountMinor: item.paymentMinor }));
          const run = replayLoan(facts, payments, asOf);
          const statement = run.statement(asOf);
          const { pending } = ledgerEventsWithPending(facts, statement);
          const snapshot = run.snapshot(pending);
          const dpd = run.isPaidOff ? 0 : run.daysPastDue();
          const status = run.isPaidOff ? "paid_off" : dpd > 0 ? "overdue" : "current";
          templates.push({
            id: templates.length,
            productIndex,
            facts,
            state: encodeSnapshot(snapshot),
            stateOn: snapshot.on,
            nextEventOn: status === "paid_off" ? null : nextEventOf(run, snapshot.on, dpd, pending.length > 0, defaultClosePolicy),
            dpd,
            bucket: bucketOf(dpd),
            status,
            overdueSince: dpd > 0 ? addDays(snapshot.on, -dpd) : null,
            dues: defaulter
              ? []
              : installments
                  .filter((item) => item.dueDate >= FIRST && item.dueDate <= last)
                  .map((item) => ({ on: item.dueDate, amountMinor: item.paymentMinor })),
          });
        }
      }
    }
  }
  return templates;
}

async function generateBook(context: AppContext, templates: Template[]): Promise<string> {
  const db = context.database.db;
  const lenderId = crypto.randomUUID();
  await db.insertInto("lenders").values({ id: lenderId, code: "bench", name: "基准", name_en: "Bench", created_at: new Date() }).execute();
  const productIds: string[] = [];
  for (const product of products) {
    productIds.push(
      await addProduct(context, db, {
        lenderId,
        code: product.code,
        name: product.code,
        nameEn: product.code,
        repaymentMethod: product.method,
        termMonths: 12,
        annualRate: product.rate,
        currency: "CNY",
        terms: {},
      }),
    );
  }
  await sql`create table bench_templates (id integer primary key, product_id uuid, facts jsonb, state jsonb, state_on date, next_event_on date,
    dpd integer, bucket text, status text, overdue_since date)`.execute(db);
  await sql`create table bench_template_dues (template_id integer, due_on date, amount_minor bigint)`.execute(db);
  for (let index = 0; index < templates.length; index += 500) {
    const rows = templates.slice(index, index + 500).map((template) => ({
      id: template.id,
      product_id: productIds[template.productIndex],
      facts: encodeFacts(template.facts),
      state: template.state,
      state_on: template.stateOn,
      next_event_on: template.nextEventOn,
      dpd: template.dpd,
      bucket: template.bucket,
      status: template.status,
      overdue_since: template.overdueSince,
    }));
    await sql`insert into bench_templates select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as t(id integer, product_id uuid, facts jsonb,
      state jsonb, state_on date, next_event_on date, dpd integer, bucket text, status text, overdue_since date)`.execute(db);
    const dues = templates
      .slice(index, index + 500)
      .flatMap((template) => template.dues.map((due) => ({ t: template.id, d: due.on, a: String(due.amountMinor) })));
    if (dues.length > 0)
      await sql`insert into bench_template_dues select t, d, a from jsonb_to_recordset(${JSON.stringify(dues)}::jsonb) as x(t integer, d date, a bigint)`.execute(
        db,
      );
  }
  // Loan i takes template (i × 7919) mod templates, with 8% of loans on the defaulting twin.
  const templateCount = templates.length;
  const chunk = 100_000;
  for (let from = 0; from < loanCount; from += chunk) {
    const to = Math.min(loanCount, from + chunk) - 1;
    await sql`
      create temporary table bench_chunk as
      select i, gen_random_uuid() as loan_id, gen_random_uuid() as borrower_id,
             ((((i::bigint * 7919) % ${templateCount / 2}) * 2) + case when (i * 37) % 100 < 8 then 1 else 0 end)::integer as template_id
      from generate_series(${from}::integer, ${to}::integer) as i`.execute(db);
    await sql`insert into borrowers (id, lender_id, external_ref, name_enc, national_id_enc, national_id_index, phone_enc, phone_index, created_at)
      select borrower_id, ${lenderId}, 'B' || i, 'bench', 'bench', md5('n' || i) || md5('N' || i), 'bench', md5('p' || i) || md5('P' || i), now()
      from bench_chunk`.execute(db);
    await sql`insert into loan_accounts (id, lender_id, borrower_id, product_id, external_ref, principal_minor, currency, opened_on, status, created_at)
      select c.loan_id, ${lenderId}, c.borrower_id, t.product_id, 'L' || c.i, (t.facts->>'p')::bigint, 'CNY', (t.facts->>'s')::date,
             case t.status when 'current' then 'active' else t.status end, now()
      from bench_chunk c join bench_templates t on t.id = c.template_id`.execute(db);
    await sql`insert into account_close_state (loan_id, lender_id, borrower_id, product_id, facts, state, state_on, next_event_on, overdue_since, dpd, bucket, status, closed_on)
      select c.loan_id, ${lenderId}, c.borrower_id, t.product_id, t.facts, t.state, t.state_on, t.next_event_on, t.overdue_since, t.dpd, t.bucket, t.status, t.state_on
      from bench_chunk c join bench_templates t on t.id = c.template_id`.execute(db);
    await sql`insert into collection_cases (id, lender_id, borrower_id, status, opened_on, created_at)
      select gen_random_uuid(), ${lenderId}, c.borrower_id, 'new', t.overdue_since + 1, now()
      from bench_chunk c join bench_templates t on t.id = c.template_id where t.status = 'overdue'`.execute(db);
    await sql`create table if not exists bench_loans (loan_id uuid, template_id integer)`.execute(db);
    await sql`insert into bench_loans select loan_id, template_id from bench_chunk`.execute(db);
    await sql`drop table bench_chunk`.execute(db);
    log(`  generated ${to + 1} / ${loanCount} loans`);
  }
  await sql`create index bench_loans_template on bench_loans (template_id)`.execute(db);
  await sql`analyze`.execute(db);
  await sql`update lenders set closed_through = ${addDays(FIRST, -1)}::date where id = ${lenderId}`.execute(db);
  return lenderId;
}

/** The day's repayments from the paying loans, recorded as a bank file would be (not part of the close). */
async function recordDayPayments(context: AppContext, lenderId: string, day: PlainDate): Promise<number> {
  const db = context.database.db;
  const result = await sql`
    with due as (
      select l.loan_id, d.amount_minor from bench_template_dues d join bench_loans l on l.template_id = d.template_id where d.due_on = ${day}::date
    ), paid as (
      insert into payments (id, lender_id, loan_id, idempotency_key, payload_hash, amount_minor, currency, received_on, source, recorded_at)
      select md5(loan_id::text || ${day})::uuid, ${lenderId}, loan_id, 'bench:' || loan_id || ':' || ${day}, repeat('0', 64), amount_minor, 'CNY', ${day}::date, 'bench', now()
      from due returning loan_id
    )
    update account_close_state s set next_event_on = least(coalesce(s.next_event_on, ${day}::date), ${day}::date) from paid where s.loan_id = paid.loan_id`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0n);
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
      for (const partition of writes) {
        await timed("ledgerMs", () => insertEntriesBulk(trx, partition.entries, new Date()));
        await timed("stateMs", () => updateAccounts(trx, partition.accounts, day));
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

const median = (samples: number[]) => {
  const sorted = [...samples].sort((left, right) => left - right);
  return sorted.length === 0 ? 0 : (sorted[Math.floor((sorted.length - 1) / 2)] as number);
};

async function runDays(name: string, mode: "event_driven" | "full_scan", lenderId: string, bare: boolean) {
  const { context, database } = await open(name);
  const runner = partitionRunnerFor(context, { workers });
  const dayMs: number[] = [];
  const bareMs: number[] = [];
  const days: { day: PlainDate; ms: number; touched: number; rows: number; payments: number; partitions: number; bareMs?: number }[] = [];
  try {
    for (let index = 0; index < dayCount; index += 1) {
      const day = addDays(FIRST, index);
      (context.clock as FixedClock).set(new Date(`${day}T18:00:00Z`));
      const payments = await recordDayPayments(context, lenderId, day);
      const writes: PartitionWrites[] = [];
      observePartitionWrites(bare ? (partition) => writes.push(partition) : null);
      const started = performance.now();
      const summary = await closeDate(context, lenderId, day, { mode, runner, ...(partitions === undefined ? {} : { partitions }) });
      const ms = performance.now() - started;
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
      days.push(entry);
      log(
        `${mode.padEnd(12)} ${day}: ${String(entry.ms).padStart(6)} ms, ${String(entry.touched).padStart(8)} accounts touched, ${String(entry.rows).padStart(8)} rows written` +
          (bare ? `, bare SQL ${entry.bareMs} ms ${JSON.stringify(bareSteps)}` : "") +
          `  (${entry.partitions} partitions; payments recorded before the close: ${payments}; partition step ms summed: ${JSON.stringify(steps)})`,
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
  const templates = buildTemplates();
  log(`  ${templates.length} templates in ${Math.round(performance.now() - started)} ms`);
  if (engine === "postgres") await admin(`create database ${dbName("book")}`);
  started = performance.now();
  const book = await open("book");
  const lenderId = await generateBook(book.context, templates);
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
    partitions: partitions ?? "adaptive",
    workers: engine === "postgres" ? workers : 1,
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
