// Contact gateway benchmark: a day's plan of contacts checked through the batch gateway
// (decideContactsInBatch, every decision stored), against a synthetic lender whose borrowers
// carry realistic contact histories in the database. Reports progress, the decision mix and
// where the time went on stderr, and ends with one JSON line on stdout.
//   npm run bench:compliance -- --contacts 1000000 [--engine pglite|postgres] [--batch 5000] [--concurrency 3] [--borrowers N] [--runs N]
// With --runs N the same plan is checked N times over the same data (each run stores its own
// decisions) and the JSON line reports the median run, with every run's seconds.
// BENCH_KEEP=1 keeps the generated database (its URL is printed); BENCH_DATABASE=<that URL>
// (PostgreSQL only) checks the plan against it again without generating, after deleting the
// decisions earlier runs stored.
// The data (cn-default pack, every borrower in Asia/Shanghai):
// - one borrower per planned contact (unless --borrowers says otherwise), placeholder ciphertext
//   for personal data; 30% have a pre-agreed emergency contact (a tenth of those refused);
// - 0–30 contact attempts each over the 14 days before the plan day (31·u³, mean ≈ 7.3): 55% calls,
//   30% SMS, 10% robot calls, 5% e-mail; 6% inbound; calls mostly unanswered, ~30% connected or a
//   conversation; 6% refused by the gateway (not history); 12% of a borrower's attempts go to
//   their emergency contact. Attempts are written day by day in time order, so one borrower's
//   history is spread over the table as it is in a live one. All outbound attempts point at one
//   placeholder decision;
// - on the plan day itself, 5% of borrowers already had three connected calls this morning
//   (their later calls reach the daily voice cap) and 10% one call;
// - 3.5% under a restriction (dispute, complaint, cease request, repayment plan), 1% with an
//   ended complaint; 5% with preferences (inconvenient lunch, SMS opt-out, two zones, an agreed
//   evening schedule); 1% with a call consent.
// The plan: one contact per borrower in borrower order, 50% calls, 40% SMS (1% of them with
// forbidden content), 10% robot calls, 3% of all to an emergency contact about their
// whereabouts; 88% between 08:00 and 22:00, 12% at night. System requests (no agent), so every
// call also carries the "training unchecked" warning.
// A benchmark, not a test: it asserts nothing.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import pg from "pg";
import { createContext } from "../src/app.js";
import { type ContactRequestInput, decideContactsInBatch, emptyContactBatchStats } from "../src/modules/compliance/index.js";
import { FixedClock } from "../src/platform/clock.js";
import type { AppContext } from "../src/platform/context.js";
import { type Database, openDatabase } from "../src/platform/db/index.js";
import { createLogger } from "../src/platform/logger.js";
import { testConfig } from "../src/platform/testing/test-context.js";
import { insertContactHistory } from "./contact-history.js";

const { values } = parseArgs({
  options: {
    contacts: { type: "string", default: "1000000" },
    borrowers: { type: "string" },
    engine: { type: "string", default: "pglite" },
    batch: { type: "string", default: "5000" },
    concurrency: { type: "string" },
    runs: { type: "string", default: "1" },
  },
});
const runCount = Math.max(1, Number(values.runs));
const contactCount = Number(values.contacts);
const borrowerCount = Number(values.borrowers ?? values.contacts);
const engine = values.engine === "postgres" ? "postgres" : "pglite";
const batchSize = Number(values.batch);
// Three batches in flight on a server: one is decided here while the database reads or writes
// the others' rows (measured: 3 beats 2, which beats 1). PGlite runs in this thread, so there
// is nothing to overlap.
const concurrency = Number(values.concurrency ?? (engine === "postgres" ? 3 : 1));
const PLAN_DAY = "2026-12-01";
const DAY_START_MS = Date.parse(`${PLAN_DAY}T00:00:00+08:00`);
const HOUR_MS = 3_600_000;
const CHUNK = 200_000;
const HISTORY_DAYS = 14;
const log = (line: string) => process.stderr.write(`${line}\n`);

const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const workDir = mkdtempSync(join(tmpdir(), "duecare-bench-compliance-"));
const reusedUrl = engine === "postgres" ? process.env.BENCH_DATABASE : undefined;
const dbName = reusedUrl ? new URL(reusedUrl).pathname.slice(1) : `bench_compliance_${process.pid}`;
const databaseUrl = (() => {
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  return url.toString();
})();
async function admin(statement: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(statement);
  await client.end();
}
async function open(): Promise<{ context: AppContext; database: Database }> {
  const database = await openDatabase(engine === "postgres" ? { url: databaseUrl } : { dataDir: join(workDir, "db") });
  const config = testConfig(engine === "postgres" ? { DATABASE_URL: databaseUrl } : {});
  const clock = new FixedClock(new Date(DAY_START_MS + 6 * HOUR_MS));
  const context = await createContext(config, { database, clock, logger: createLogger("silent") });
  return { context, database };
}

const uuidOf = (text: string) => {
  const hex = createHash("md5").update(text).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
// The same ids as the SQL below: md5('bench-borrower-' || i)::uuid.
const borrowerIdOf = (index: number) => uuidOf(`bench-borrower-${index}`);
const contactIdOf = (index: number) => uuidOf(`bench-contact-${index}`);
const hasContact = (index: number) => index % 10 < 3;

/**
 * Uniform in [0, 1) from a hash of the text, in exact numeric arithmetic (no floating-point
 * function whose last digit could differ between PostgreSQL builds): the same data on both
 * engines and every run.
 */
const unit = (text: string, bits = 16) => sql.raw(`((hashtext(${text}) & ${2 ** bits - 1}) / ${2 ** bits}.0)`);

async function generate(context: AppContext): Promise<string> {
  const db = context.database.db;
  const lenderId = crypto.randomUUID();
  const placeholderDecisionId = crypto.randomUUID();
  const dayStart = new Date(DAY_START_MS);
  await db
    .insertInto("lenders")
    .values({ id: lenderId, code: "bench", name: "基准消费金融", name_en: "Bench Consumer Finance", created_at: new Date() })
    .execute();
  await db
    .insertInto("contact_decisions")
    .values({
      id: placeholderDecisionId,
      lender_id: lenderId,
      borrower_id: null,
      contact_id: null,
      person_role: "borrower",
      channel: "call",
      content_class: "collection",
      contact_at: dayStart,
      decided_at: dayStart,
      decision: "allow",
      reasons: "[]",
      next_allowed_at: null,
      pack_id: "cn-default",
      pack_version: "2025.02",
      inputs: JSON.stringify({ bench: "placeholder for the synthetic history" }),
      requested_by: null,
    })
    .execute();
  await sql`create unlogged table bench_borrowers (i integer primary key, borrower_id uuid, contact_id uuid, attempts integer, phase integer, today integer,
    kind real)`.execute(db);
  // Foreign keys are right by construction here: their per-row checks are skipped while generating.
  const unchecked = (statement: ReturnType<typeof sql>) =>
    db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await statement.execute(trx);
    });
  for (let from = 0; from < borrowerCount; from += CHUNK) {
    const to = Math.min(borrowerCount, from + CHUNK) - 1;
    await unchecked(sql`
      insert into bench_borrowers
      select i, md5('bench-borrower-' || i)::uuid, case when i % 10 < 3 then md5('bench-contact-' || i)::uuid end,
        floor(31 * ${unit("i::text || ':k'")} * ${unit("i::text || ':k'")} * ${unit("i::text || ':k'")})::integer,
        floor(14 * ${unit("i::text || ':phase'")})::integer,
        case when ${unit("i::text || ':today'")} < 0.05 then 3 when ${unit("i::text || ':today'")} < 0.15 then 1 else 0 end,
        ${unit("i::text || ':kind'")}::real
      from generate_series(${from}::integer, ${to}::integer) as i`);
    await unchecked(sql`
      insert into borrowers (id, lender_id, external_ref, name_enc, national_id_enc, national_id_index, phone_enc, phone_index, created_at)
      select borrower_id, ${lenderId}, 'B' || i, 'bench', 'bench', md5('n' || i) || md5('N' || i), 'bench', md5('p' || i) || md5('P' || i), now()
      from bench_borrowers where i between ${from} and ${to}`);
    await unchecked(sql`
      insert into borrower_contacts (id, lender_id, borrower_id, kind, relationship, name_enc, phone_enc, phone_index, phone_masked, is_pre_agreed,
        has_refused, source, created_at)
      select contact_id, ${lenderId}, borrower_id, 'emergency', 'sibling', 'bench', 'bench', md5('c' || i) || md5('C' || i), '139****0000', true,
        i % 100 < 3, 'import', now()
      from bench_borrowers where i between ${from} and ${to} and contact_id is not null`);
    log(`  generated ${to + 1} / ${borrowerCount} borrowers`);
  }
  const restrictionKind = sql.raw(`case when kind < 0.01 then 'dispute_open' when kind < 0.02 then 'complaint_open'
    when kind < 0.025 then 'cease_requested' when kind < 0.035 then 'plan_in_good_standing' else 'complaint_open' end`);
  await unchecked(sql`
    insert into contact_restrictions (id, lender_id, borrower_id, kind, started_at, ended_at, note)
    select gen_random_uuid(), ${lenderId}, borrower_id, ${restrictionKind},
      ${dayStart}::timestamptz - (1 + i % 30) * interval '1 day',
      case when kind >= 0.035 then ${dayStart}::timestamptz - interval '12 hours' end, 'bench'
    from bench_borrowers where kind < 0.045`);
  await unchecked(sql`
    insert into contact_preferences (id, lender_id, borrower_id, contact_id, time_zones, opt_outs, inconvenient_times, agreed_schedule, updated_at)
    select gen_random_uuid(), ${lenderId}, borrower_id, null,
      case when kind >= 0.085 and kind < 0.095 then array['Asia/Shanghai', 'Asia/Urumqi'] else '{}'::text[] end,
      case when kind >= 0.07 and kind < 0.085 then array['sms'] else '{}'::text[] end,
      case when kind < 0.07 then '[{"from": "12:00", "to": "14:00"}]'::jsonb else '[]'::jsonb end,
      case when kind >= 0.095 then '[{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "18:00", "to": "21:00"}]'::jsonb end,
      now()
    from bench_borrowers where kind >= 0.05 and kind < 0.1`);
  await unchecked(sql`
    insert into contact_consents (id, lender_id, borrower_id, contact_id, channel, given_at, valid_from)
    select gen_random_uuid(), ${lenderId}, borrower_id, null, 'call', ${dayStart}::timestamptz - interval '20 days', ${dayStart}::timestamptz - interval '20 days'
    from bench_borrowers where kind >= 0.1 and kind < 0.11`);
  log("  generated restrictions, preferences and consents");
  let attempts = await insertContactHistory(db, {
    lenderId,
    decisionId: placeholderDecisionId,
    borrowerCount,
    endMs: DAY_START_MS,
    days: HISTORY_DAYS,
    chunk: CHUNK,
    log,
  });
  const todayResult = await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    return sql`
      insert into contact_attempts (id, lender_id, borrower_id, contact_id, person_role, channel, direction, content_class, decision_id, at, debt_ids,
        status, outcome, ended_by_consumer, agent_id, created_at)
      select gen_random_uuid(), ${lenderId}, borrower_id, null, 'borrower', 'call', 'outbound', 'collection', ${placeholderDecisionId}::uuid,
        ${dayStart}::timestamptz + interval '8 hours' + n * interval '1 hour' + (i % 50) * interval '1 minute', null, 'completed',
        case when today = 3 or i % 2 = 0 then 'connected' else 'no_answer' end, false, null,
        ${dayStart}::timestamptz + interval '8 hours' + n * interval '1 hour' + (i % 50) * interval '1 minute'
      from bench_borrowers cross join generate_series(0, 2) as n where n < today
      order by n, i % 50`.execute(trx);
  });
  attempts += Number(todayResult.numAffectedRows ?? 0n);
  log(`  generated ${attempts} contact attempts; vacuum and analyze...`);
  await sql`drop table bench_borrowers`.execute(db);
  for (const table of [
    "borrowers",
    "borrower_contacts",
    "contact_attempts",
    "contact_restrictions",
    "contact_preferences",
    "contact_consents",
    "contact_decisions",
  ])
    await sql`vacuum analyze ${sql.table(table)}`.execute(db);
  return lenderId;
}

/** The kept database of an earlier run, without the decisions its plans stored. */
async function reuse(context: AppContext): Promise<string> {
  const db = context.database.db;
  const lender = await sql<{ id: string }>`select id from lenders where code = 'bench'`.execute(db);
  const lenderId = lender.rows[0]?.id;
  if (!lenderId) throw new Error(`BENCH_DATABASE ${databaseUrl} holds no bench lender: keep one with BENCH_KEEP=1`);
  await sql`delete from contact_decisions where borrower_id is not null`.execute(db);
  await sql`vacuum analyze contact_decisions`.execute(db);
  return lenderId;
}

/** A small deterministic generator (mulberry32) for the plan. */
function generatorOf(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const smsText = "【基准消费金融】尊敬的客户，您的借款已逾期，请及时还款。如有疑问请致电客服。";
const forbiddenText = "【基准消费金融】再不还钱就通知你的家人和单位。";

interface Ids {
  borrowers: string[];
  contacts: (string | null)[];
}

function planBatch(ids: Ids, first: number, count: number, random: () => number): ContactRequestInput[] {
  const requests: ContactRequestInput[] = [];
  for (let index = first; index < first + count; index += 1) {
    const borrower = index % borrowerCount;
    const minute = Math.floor(random() * 600);
    const localMinute = random() < 0.88 ? 480 + Math.floor(random() * 840) : minute < 120 ? 1320 + minute : minute - 120;
    const at = new Date(DAY_START_MS + localMinute * 60_000 + Math.floor(random() * 60) * 1000);
    const channelDraw = random();
    const contactId = ids.contacts[borrower] ?? null;
    if (contactId !== null && random() < 0.1) {
      requests.push({
        borrowerId: ids.borrowers[borrower] as string,
        contactId,
        channel: "call",
        contentClass: "location_only",
        text: null,
        loanId: null,
        at,
      });
      continue;
    }
    const channel = channelDraw < 0.5 ? "call" : channelDraw < 0.9 ? "sms" : "voice_robot";
    const text = channel === "sms" ? (random() < 0.01 ? forbiddenText : smsText) : null;
    requests.push({ borrowerId: ids.borrowers[borrower] as string, contactId: null, channel, contentClass: "collection", text, loanId: null, at });
  }
  return requests;
}

async function runPlan(context: AppContext, lenderId: string) {
  const db = context.database.db;
  const stats = emptyContactBatchStats();
  const mix = { allow: 0, warn: 0, defer: 0, block: 0 };
  const random = generatorOf(20_261_201);
  const batches = Math.ceil(contactCount / batchSize);
  let nextBatch = 0;
  let done = 0;
  let nextReport = 100_000;
  // The planner knows its borrowers' ids: computing them is not the gateway's work.
  const ids: Ids = { borrowers: [], contacts: [] };
  for (let index = 0; index < borrowerCount; index += 1) {
    ids.borrowers.push(borrowerIdOf(index));
    ids.contacts.push(hasContact(index) ? contactIdOf(index) : null);
  }
  const started = performance.now();
  const worker = async () => {
    while (nextBatch < batches) {
      const batch = nextBatch;
      nextBatch += 1;
      const first = batch * batchSize;
      const requests = planBatch(ids, first, Math.min(batchSize, contactCount - first), random);
      const decisions = await decideContactsInBatch(context, db, lenderId, requests, { store: true, stats });
      for (const decision of decisions) mix[decision.decision] += 1;
      done += decisions.length;
      if (done >= nextReport) {
        const seconds = (performance.now() - started) / 1000;
        log(`  ${done} / ${contactCount} decided and stored in ${seconds.toFixed(1)} s (${Math.round(done / seconds)}/s)`);
        nextReport += 100_000;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { seconds: (performance.now() - started) / 1000, stats, mix };
}

async function main() {
  if (!reusedUrl) log(`Generating ${borrowerCount} borrowers and their 14-day histories on ${engine}...`);
  if (engine === "postgres" && !reusedUrl) await admin(`create database ${dbName}`);
  const started = performance.now();
  const { context, database } = await open();
  try {
    const lenderId = reusedUrl ? await reuse(context) : await generate(context);
    log(`  ${reusedUrl ? "reused" : "generated"} in ${Math.round((performance.now() - started) / 1000)} s`);
    log(`Checking a day's plan of ${contactCount} contacts in batches of ${batchSize} (${concurrency} in flight)...`);
    const runs: Awaited<ReturnType<typeof runPlan>>[] = [];
    for (let run = 1; run <= runCount; run += 1) {
      runs.push(await runPlan(context, lenderId));
      if (runCount > 1) log(`  run ${run} of ${runCount}: ${(runs.at(-1)?.seconds ?? 0).toFixed(1)} s`);
    }
    const { seconds, stats, mix } = [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor((runs.length - 1) / 2)] as (typeof runs)[number];
    const stored = await sql<{
      n: string;
    }>`select count(*)::text as n from contact_decisions where lender_id = ${lenderId} and borrower_id is not null`.execute(database.db);
    const percent = (count: number) => `${((count / stats.decisions) * 100).toFixed(1)}%`;
    log(
      `  decisions: allow ${mix.allow} (${percent(mix.allow)}), warn ${mix.warn} (${percent(mix.warn)}), defer ${mix.defer} (${percent(mix.defer)}), block ${mix.block} (${percent(mix.block)}); ${stored.rows[0]?.n} rows stored`,
    );
    log(
      `  time summed over batches: load ${(stats.loadMs / 1000).toFixed(1)} s, decide ${(stats.decideMs / 1000).toFixed(1)} s, store ${(stats.storeMs / 1000).toFixed(1)} s` +
        ` (wall ${seconds.toFixed(1)} s, ${concurrency} in flight${concurrency > 1 ? ", so the phases overlap" : ""}); ${stats.historyItems} history items seen (${(stats.historyItems / stats.decisions).toFixed(1)} a decision)`,
    );
    const result = {
      engine,
      decisions: stats.decisions,
      seconds: Math.round(seconds * 10) / 10,
      decisionsPerSecond: Math.round(stats.decisions / seconds),
      historyItems: stats.historyItems,
      allow: mix.allow,
      warn: mix.warn,
      defer: mix.defer,
      block: mix.block,
      loadSeconds: Math.round(stats.loadMs / 100) / 10,
      decideSeconds: Math.round(stats.decideMs / 100) / 10,
      storeSeconds: Math.round(stats.storeMs / 100) / 10,
      runSeconds: runs.map((run) => Math.round(run.seconds * 10) / 10),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await database.close();
  }
}

try {
  await main();
} finally {
  if (process.env.BENCH_KEEP || reusedUrl) log(`kept ${engine === "postgres" ? databaseUrl : join(workDir, "db")}`);
  else {
    if (engine === "postgres") await admin(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
}
