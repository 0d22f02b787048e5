// Case work API benchmark: the agent's queue (GET /api/cases/queue) and the case page
// (GET /api/cases/:id) under autocannon, against the real server started in a child process
// (the `serve` command, so the measuring process shares no event loop with it), signed in as
// real agents with session cookies, over a synthetic lender of `--loans` loans.
//   npm run bench:api -- --loans 1000000 [--engine postgres|pglite] [--connections 50] [--duration 20] [--runs 3]
//     [--warmup 3] [--server-cpu-prof DIR] [--routes queue,casePage,casePageCold,me]
// BENCH_KEEP=1 keeps the generated database (its URL is printed); BENCH_DATABASE=<that URL>
// measures against it again without generating (PostgreSQL only).
// The data: the shared loan book (bench/loan-book.ts) with every borrower's name, national ID
// and phone encrypted and blind-indexed; a case for each overdue borrower, dealt to agents by the
// real assignment (assignOpenCases) over agents whose capacities run from 200 to 2,000 open
// cases; then, per assigned case, what weeks of work leave behind: statuses (new, in progress,
// promised, promise broken), promises to pay (pending, broken, kept) with installments,
// callbacks (some due now, some later, some done), emergency contacts (encrypted), restrictions,
// and 30 days of contact attempts (bench/contact-history.ts, outbound calls by the case's agent).
// Each run measures the queue, then the case page, for --duration seconds each at --connections
// connections; connection k uses agent k's session (round the agents), and on the case page it
// walks that agent's first queue page in its own order (pages the server keeps, after the first
// read of each); `casePageCold` walks on through up to 500 of the agent's cases, more pages in all
// than the server keeps, so each is read afresh. `--routes` picks the routes; `me`
// (GET /api/auth/me: the session lookup and nothing else) measures the floor any signed-in
// route stands on. Every response must be 2xx: any other
// fails the benchmark after the summary. Ends with one JSON line on stdout (medians over runs).
// A benchmark, not a test.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { sql } from "kysely";
import pg from "pg";
import { createContext, projectRoot } from "../src/app.js";
import { assignOpenCases } from "../src/modules/cases/index.js";
import { addStaffUser } from "../src/modules/identity/index.js";
import type { AppContext } from "../src/platform/context.js";
import { openDatabase } from "../src/platform/db/index.js";
import { createLogger } from "../src/platform/logger.js";
import { dateInZone } from "../src/platform/plain-date.js";
import { blindIndex, maskPhone } from "../src/platform/privacy/index.js";
import { testConfig } from "../src/platform/testing/test-context.js";
import { insertContactHistory } from "./contact-history.js";
import { buildTemplates, generateBook } from "./loan-book.js";

const { values } = parseArgs({
  options: {
    loans: { type: "string", default: "1000000" },
    engine: { type: "string", default: "postgres" },
    connections: { type: "string", default: "50" },
    duration: { type: "string", default: "20" },
    warmup: { type: "string", default: "3" },
    runs: { type: "string", default: "3" },
    "server-cpu-prof": { type: "string" },
    routes: { type: "string", default: "queue,casePage" },
  },
});
const loanCount = Number(values.loans);
const engine = values.engine === "pglite" ? "pglite" : "postgres";
const connections = Number(values.connections);
const durationSeconds = Number(values.duration);
const warmupSeconds = Number(values.warmup);
const runCount = Math.max(1, Number(values.runs));
type Route = "queue" | "casePage" | "casePageCold" | "me";
const routeNames: Route[] = ["queue", "casePage", "casePageCold", "me"];
const chosenRoutes = (values.routes ?? "").split(",").map((name) => name.trim()) as Route[];
for (const name of chosenRoutes)
  if (!routeNames.includes(name)) throw new Error(`--routes: unknown route ${JSON.stringify(name)} (choose from ${routeNames.join(", ")})`);
const routePaths: Record<Route, string> = {
  queue: "GET /api/cases/queue",
  casePage: "GET /api/cases/:id  ",
  casePageCold: "GET /api/cases/:id (cold)",
  me: "GET /api/auth/me    ",
};
/** Cases a connection walks on the cold case page: 50 connections walk more than the server keeps. */
const COLD_CASES = 500;
const AGENT_PASSWORD = "bench-agent-2026";
const HISTORY_DAYS = 30;
const LENDER_ZONE = "Asia/Shanghai";
const log = (line: string) => process.stderr.write(`${line}\n`);

const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const workDir = mkdtempSync(join(tmpdir(), "duecare-bench-api-"));
const dataDir = join(workDir, "db");
const dbName = `bench_api_${process.pid}`;
const reusedUrl = engine === "postgres" ? process.env.BENCH_DATABASE : undefined;
const databaseUrl =
  reusedUrl ??
  (() => {
    const url = new URL(adminUrl);
    url.pathname = `/${dbName}`;
    return url.toString();
  })();
// The keys the generator encrypts with are the server's keys.
const keys = {
  DUECARE_PII_KEYS: `bench1:${Buffer.alloc(32, 7).toString("base64")}`,
  DUECARE_BLIND_INDEX_KEY: Buffer.alloc(32, 11).toString("base64"),
  DUECARE_SESSION_SECRET: Buffer.alloc(32, 13).toString("base64"),
};
async function admin(statement: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(statement);
  await client.end();
}

/** Agents with capacities from 200 to 2,000 open cases, about as many as the cases fill. */
function agentCapacities(caseCount: number): number[] {
  const count = Math.min(100, Math.max(2, Math.round(caseCount / 1_100)));
  return Array.from({ length: count }, (_, index) => 200 + Math.round((1_800 * index) / Math.max(1, count - 1)));
}

async function generate(context: AppContext): Promise<{ lenderId: string; agents: string[] }> {
  const db = context.database.db;
  const now = context.clock.now();
  const today = dateInZone(now, LENDER_ZONE);
  let started = performance.now();
  const templates = buildTemplates({ first: today, dayCount: 0 });
  const lenderId = await generateBook(context, { loanCount, first: today, dayCount: 0, log, privacy: context.privacy }, templates);
  log(`  book of ${loanCount} loans in ${Math.round((performance.now() - started) / 1000)} s`);
  started = performance.now();
  const caseCount = Number(
    (await sql<{ n: string }>`select count(*)::text as n from collection_cases where lender_id = ${lenderId}`.execute(db)).rows[0]?.n ?? 0,
  );
  const capacities = agentCapacities(caseCount);
  const agents: string[] = [];
  for (const [index, capacity] of capacities.entries()) {
    const username = `agent${String(index + 1).padStart(3, "0")}`;
    const user = await addStaffUser(
      context,
      db,
      { lenderId, username, displayName: `催收员${index + 1}`, password: AGENT_PASSWORD, roles: ["agent"], trainingCompletedOn: "2026-01-05" },
      { actorType: "system", actorId: null },
    );
    await db.updateTable("staff_users").set({ case_capacity: capacity }).where("id", "=", user.id).execute();
    agents.push(username);
  }
  // The real assignment, as after a close, batch by batch until nobody has room.
  let assigned = 0;
  for (let round = 0; round < Math.ceil(caseCount / 20_000) + 2; round += 1) {
    const result = await db.transaction().execute((trx) => assignOpenCases(context, trx, lenderId, null));
    assigned += result.assigned;
    if (result.assigned === 0) break;
  }
  log(`  ${caseCount} cases, ${assigned} dealt to ${agents.length} agents (capacities 200–2,000) in ${Math.round((performance.now() - started) / 1000)} s`);
  started = performance.now();
  await generateCaseWork(context, lenderId, today);
  log(`  case work (statuses, promises, callbacks, contacts, restrictions, history) in ${Math.round((performance.now() - started) / 1000)} s`);
  for (const table of [
    "borrowers",
    "loan_accounts",
    "account_close_state",
    "collection_cases",
    "case_assignments",
    "case_actions",
    "promises_to_pay",
    "promise_installments",
    "borrower_contacts",
    "contact_restrictions",
    "contact_attempts",
    "staff_users",
  ])
    await sql`vacuum analyze ${sql.table(table)}`.execute(db);
  return { lenderId, agents };
}

/** Uniform in [0, 1) from a hash of the case id and a salt. */
const draw = (salt: string) => sql.raw(`((hashtext(case_id::text || ':${salt}') & 65535) / 65536.0)`);

/** What weeks of work on the assigned cases leave in the database. */
async function generateCaseWork(context: AppContext, lenderId: string, today: string): Promise<void> {
  const db = context.database.db;
  const now = context.clock.now();
  await sql`create unlogged table bench_cases as
    select (row_number() over (order by c.id) - 1)::integer as i, c.id as case_id, c.borrower_id, c.assigned_agent_id as agent_id
    from collection_cases c where c.lender_id = ${lenderId} and c.assigned_agent_id is not null`.execute(db);
  await sql`alter table bench_cases add column u_status real, add column u_action real, add column u_extra real`.execute(db);
  await sql`update bench_cases set u_status = ${draw("status")}, u_action = ${draw("action")}, u_extra = ${draw("extra")}`.execute(db);
  // Statuses: 12% promised, 5% promise broken, 38% in progress, the rest new.
  await sql`update collection_cases c set status = case when b.u_status < 0.12 then 'promised' when b.u_status < 0.17 then 'promise_broken'
      when b.u_status < 0.55 then 'in_progress' else 'new' end
    from bench_cases b where c.id = b.case_id`.execute(db);
  // Promises: pending on promised cases (one or two installments, the first due within a week),
  // broken on broken ones, and an older kept one on a tenth of the cases in progress.
  await sql`create unlogged table bench_promises as
    select gen_random_uuid() as id, b.case_id, b.borrower_id, b.agent_id,
      case when b.u_status < 0.12 then 'pending' when b.u_status < 0.17 then 'broken' else 'kept' end as status,
      case when b.u_status < 0.12 then ${today}::date - (1 + floor(b.u_extra * 6))::integer else ${today}::date - (12 + floor(b.u_extra * 10))::integer end as promised_on,
      case when b.u_status < 0.12 and b.u_extra < 0.3 then 2 else 1 end as installments,
      (50000 + floor(b.u_action * 250000))::bigint as amount_minor
    from bench_cases b where b.u_status < 0.17 or (b.u_status >= 0.17 and b.u_status < 0.55 and b.u_extra < 0.1)`.execute(db);
  await sql`insert into promises_to_pay (id, lender_id, borrower_id, case_id, loan_id, contact_attempt_id, promised_on, status, recorded_by, created_at, resolved_on)
    select id, ${lenderId}, borrower_id, case_id, null, null, promised_on, status, agent_id, promised_on + interval '10 hours',
      case when status = 'pending' then null else promised_on + 7 end
    from bench_promises`.execute(db);
  await sql`insert into promise_installments (promise_id, installment_no, due_on, amount_minor, status, paid_minor, checked_on)
    select p.id, n, case when p.status = 'pending' then ${today}::date + (hashtext(p.id::text) & 7) + (n - 1) * 14 else p.promised_on + 7 end,
      p.amount_minor, case when p.status = 'pending' then 'pending' else p.status end,
      case when p.status = 'kept' then p.amount_minor when p.status = 'broken' then 0 end,
      case when p.status = 'pending' then null else p.promised_on + 7 end
    from bench_promises p cross join lateral generate_series(1, p.installments) as n`.execute(db);
  // Callbacks: 20% of cases have an open one (about a sixth of them due by now), 30% a done one.
  await sql`insert into case_actions (id, case_id, kind, due_at, note, created_by, created_at, done_at, done_by)
    select gen_random_uuid(), case_id, case when u_extra < 0.8 then 'callback' else 'follow_up' end,
      ${now}::timestamptz + (u_action / 0.2 * 48 - 8) * interval '1 hour', case when u_extra < 0.3 then '客户要求下午回电' end, agent_id,
      ${now}::timestamptz - interval '2 days', null, null
    from bench_cases where u_action < 0.2
    union all
    select gen_random_uuid(), case_id, 'callback', ${now}::timestamptz - (1 + (u_action - 0.2) / 0.3 * 10) * interval '1 day', null, agent_id,
      ${now}::timestamptz - interval '12 days', ${now}::timestamptz - (1 + (u_action - 0.2) / 0.3 * 10) * interval '1 day' + interval '10 minutes', agent_id
    from bench_cases where u_action >= 0.2 and u_action < 0.5`.execute(db);
  // Restrictions on 3.5% of the borrowers (a tenth of them ended).
  await sql`insert into contact_restrictions (id, lender_id, borrower_id, kind, started_at, ended_at, note)
    select gen_random_uuid(), ${lenderId}, borrower_id,
      case when u_extra < 0.3 then 'complaint_open' when u_extra < 0.6 then 'dispute_open' when u_extra < 0.8 then 'plan_in_good_standing' else 'cease_requested' end,
      ${now}::timestamptz - (1 + floor(u_action * 30)) * interval '1 day', case when u_action > 0.9 then ${now}::timestamptz - interval '6 hours' end, 'bench'
    from bench_cases where u_status * 1000 - floor(u_status * 1000) < 0.035`.execute(db);
  // Emergency contacts for 30% of the borrowers, encrypted and blind-indexed as an import stores them.
  const { cipher, blindIndexKey } = context.privacy;
  const withContact = await sql<{ i: number; borrower_id: string }>`select i, borrower_id from bench_cases where i % 10 < 3 order by i`.execute(db);
  await sql`alter table bench_cases add column contact_id uuid, add column attempts integer, add column phase integer`.execute(db);
  for (let index = 0; index < withContact.rows.length; index += 10_000) {
    const rows = withContact.rows.slice(index, index + 10_000).map((row) => {
      const id = crypto.randomUUID();
      const phone = `15${String(row.i).padStart(9, "0")}`;
      return {
        i: row.i,
        id,
        borrower_id: row.borrower_id,
        name_enc: cipher.encrypt("张建国", `contact:${id}:name`),
        phone_enc: cipher.encrypt(phone, `contact:${id}:phone`),
        phone_index: blindIndex(blindIndexKey, "phone", phone),
        phone_masked: maskPhone(phone),
      };
    });
    await sql`insert into borrower_contacts (id, lender_id, borrower_id, kind, relationship, name_enc, phone_enc, phone_index, phone_masked, is_pre_agreed,
        has_refused, source, created_at)
      select id, ${lenderId}, borrower_id, 'emergency', 'sibling', name_enc, phone_enc, phone_index, phone_masked, true, false, 'import', now()
      from json_to_recordset(${JSON.stringify(rows)}::json) as r(id uuid, borrower_id uuid, name_enc text, phone_enc text, phone_index text, phone_masked text)`.execute(
      db,
    );
    await sql`update bench_cases b set contact_id = r.id from json_to_recordset(${JSON.stringify(rows.map((row) => ({ i: row.i, id: row.id })))}::json) as r(i integer, id uuid)
      where b.i = r.i`.execute(db);
  }
  // 0–60 attempts a borrower over the 30 days (61·u³, mean ≈ 15).
  await sql`update bench_cases set attempts = floor(61 * u_extra * u_extra * u_extra)::integer, phase = floor(${HISTORY_DAYS} * u_action)::integer`.execute(db);
  await sql`create unlogged table bench_borrowers as select i, borrower_id, contact_id, attempts, phase, agent_id from bench_cases`.execute(db);
  await sql`alter table bench_borrowers add primary key (i)`.execute(db);
  const decisionId = crypto.randomUUID();
  await db
    .insertInto("contact_decisions")
    .values({
      id: decisionId,
      lender_id: lenderId,
      borrower_id: null,
      contact_id: null,
      person_role: "borrower",
      channel: "call",
      content_class: "collection",
      contact_at: now,
      decided_at: now,
      decision: "allow",
      reasons: "[]",
      next_allowed_at: null,
      pack_id: "cn-default",
      pack_version: "2025.02",
      inputs: JSON.stringify({ bench: "placeholder for the synthetic history" }),
      requested_by: null,
    })
    .execute();
  const midnight = new Date(`${today}T00:00:00+08:00`).getTime();
  const attempts = await insertContactHistory(db, {
    lenderId,
    decisionId,
    borrowerCount: Number((await sql<{ n: string }>`select count(*)::text as n from bench_borrowers`.execute(db)).rows[0]?.n ?? 0),
    endMs: midnight,
    days: HISTORY_DAYS,
    chunk: 200_000,
    withAgents: true,
    log: () => undefined,
  });
  log(`  ${attempts} contact attempts over ${HISTORY_DAYS} days`);
  for (const table of ["bench_cases", "bench_promises", "bench_borrowers"]) await sql`drop table ${sql.table(table)}`.execute(db);
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function startServer(port: number): Promise<ChildProcess> {
  const profileDir = values["server-cpu-prof"];
  const child = spawn(
    process.execPath,
    [...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${resolve(profileDir)}`] : []), join(projectRoot, "bin", "duecare.js"), "serve", "--port", String(port)],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        ...keys,
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
        DUECARE_SEED_DEMO: "false",
        DUECARE_CLOSE_AT: "off",
        ...(engine === "postgres" ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: "", DATA_DIR: dataDir }),
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  for (let attempt = 0; attempt < 120; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/health`)
      .then((response) => response.ok)
      .catch(() => false);
    if (healthy) return child;
    await new Promise((done) => setTimeout(done, 500));
  }
  child.kill("SIGTERM");
  throw new Error("the server did not become healthy within 60 s");
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once("exit", done));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((done) => setTimeout(done, 15_000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

interface Session {
  username: string;
  headers: Record<string, string>;
  caseIds: string[];
  /** Up to COLD_CASES of the agent's open cases, in queue order. */
  moreCaseIds: string[];
}

async function signIn(base: string, usernames: string[]): Promise<Session[]> {
  const sessions: Session[] = [];
  for (const username of usernames) {
    const login = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password: AGENT_PASSWORD }),
    });
    if (!login.ok) throw new Error(`sign-in of ${username}: HTTP ${login.status} ${await login.text()}`);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers
      .getSetCookie()
      .map((value) => value.split(";")[0])
      .join("; ");
    const headers = { cookie, "x-csrf-token": csrfToken };
    const queue = await fetch(`${base}/api/cases/queue`, { headers });
    if (!queue.ok) throw new Error(`queue of ${username}: HTTP ${queue.status}`);
    const { cases } = (await queue.json()) as { cases: { id: string }[] };
    const more = await fetch(`${base}/api/cases/queue?limit=${COLD_CASES}`, { headers });
    if (!more.ok) throw new Error(`queue of ${username}: HTTP ${more.status}`);
    const { cases: moreCases } = (await more.json()) as { cases: { id: string }[] };
    if (cases.length > 0) sessions.push({ username, headers, caseIds: cases.map((item) => item.id), moreCaseIds: moreCases.map((item) => item.id) });
  }
  return sessions;
}

interface RouteFigures {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
  requests: number;
  non2xx: number;
  errors: number;
}

const percentileOf = (sorted: number[], fraction: number) => sorted[Math.max(0, Math.ceil(sorted.length * fraction) - 1)] ?? 0;
const round2 = (value: number) => Math.round(value * 100) / 100;

/** Where each connection's cold walk has got to, over all passes. */
const coldPositions: number[] = [];

/**
 * One route for `seconds` at `connections`; connection k signs as session k round the sessions.
 * On the cold case page each connection walks on through its agent's COLD_CASES cases from
 * where its last pass stopped. Before a walk comes back to a page, the other connections have
 * read more pages than the server keeps (5,000), so every page is read afresh.
 */
async function hit(base: string, sessions: Session[], route: Route, seconds: number): Promise<RouteFigures> {
  let nextConnection = 0;
  const latencies: number[] = [];
  const connectionOf = new WeakMap<object, number>();
  const walkedNow: number[] = [];
  const instance = autocannon({
    url: base,
    connections,
    duration: seconds,
    setupClient: (client) => {
      const connection = nextConnection;
      nextConnection += 1;
      connectionOf.set(client, connection);
      const session = sessions[connection % sessions.length] as Session;
      if (route === "queue" || route === "me") {
        client.setRequests([{ method: "GET", path: route === "queue" ? "/api/cases/queue" : "/api/auth/me", headers: session.headers }]);
        return;
      }
      // Each connection walks its agent's queue from its own starting point.
      const walked = route === "casePageCold" ? session.moreCaseIds : session.caseIds;
      const start =
        route === "casePageCold"
          ? (Math.floor(connection / sessions.length) * 97 + (coldPositions[connection] ?? 0)) % walked.length
          : Math.floor(connection / sessions.length) * 7;
      const ids = walked.map((_, index) => walked[(start + index) % walked.length] as string);
      client.setRequests(ids.map((id) => ({ method: "GET", path: `/api/cases/${id}`, headers: session.headers })));
    },
  });
  instance.on("response", (client: object, _statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    const connection = connectionOf.get(client);
    if (connection !== undefined) walkedNow[connection] = (walkedNow[connection] ?? 0) + 1;
  });
  const result = await instance;
  if (route === "casePageCold") {
    for (const [connection, count] of walkedNow.entries()) coldPositions[connection] = (coldPositions[connection] ?? 0) + (count ?? 0);
  }
  latencies.sort((left, right) => left - right);
  return {
    p50Ms: round2(percentileOf(latencies, 0.5)),
    p95Ms: round2(percentileOf(latencies, 0.95)),
    p99Ms: round2(percentileOf(latencies, 0.99)),
    requestsPerSecond: Math.round(latencies.length / result.duration),
    requests: latencies.length,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

const median = (samples: number[]) => {
  const sorted = [...samples].sort((left, right) => left - right);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
};

/** The agents of a kept bench database, as `generate` created them. */
async function keptAgents(context: AppContext): Promise<string[]> {
  const rows = await sql<{ username: string }>`select username from staff_users where username like 'agent%' order by username`.execute(context.database.db);
  if (rows.rows.length === 0) throw new Error(`BENCH_DATABASE ${databaseUrl} holds no bench agents: keep one with BENCH_KEEP=1`);
  return rows.rows.map((row) => row.username);
}

async function main() {
  log(reusedUrl ? `Measuring against the kept ${databaseUrl}...` : `Generating ${loanCount} loans and their case work on ${engine}...`);
  if (engine === "postgres" && !reusedUrl) await admin(`create database ${dbName}`);
  const started = performance.now();
  const database = await openDatabase(engine === "postgres" ? { url: databaseUrl } : { dataDir });
  const config = testConfig({ ...keys, ...(engine === "postgres" ? { DATABASE_URL: databaseUrl } : {}) });
  const context = await createContext(config, { database, logger: createLogger("silent") });
  let agents: string[];
  try {
    agents = reusedUrl ? await keptAgents(context) : (await generate(context)).agents;
  } finally {
    await database.close();
  }
  if (!reusedUrl) log(`  generated in ${Math.round((performance.now() - started) / 1000)} s`);
  const port = await freePort();
  const server = await startServer(port);
  const base = `http://127.0.0.1:${port}`;
  const failures: string[] = [];
  try {
    const sessions = await signIn(base, agents);
    const queueSizes = sessions.map((session) => session.caseIds.length);
    log(`Signed in ${sessions.length} agents (first queue pages of ${Math.min(...queueSizes)}–${Math.max(...queueSizes)} cases).`);
    const runs = Object.fromEntries(chosenRoutes.map((route) => [route, [] as RouteFigures[]])) as Partial<Record<Route, RouteFigures[]>>;
    for (let run = 1; run <= runCount; run += 1) {
      for (const route of chosenRoutes) {
        if (warmupSeconds > 0) await hit(base, sessions, route, warmupSeconds);
        const figures = await hit(base, sessions, route, durationSeconds);
        runs[route]?.push(figures);
        log(
          `run ${run}/${runCount} ${routePaths[route]}: p50 ${figures.p50Ms} ms, p95 ${figures.p95Ms} ms, p99 ${figures.p99Ms} ms, ` +
            `${figures.requestsPerSecond} req/s (${figures.requests} requests, non-2xx ${figures.non2xx}, errors ${figures.errors})`,
        );
        if (figures.non2xx > 0 || figures.errors > 0) failures.push(`${route} run ${run}: ${figures.non2xx} non-2xx responses, ${figures.errors} errors`);
      }
    }
    const summary = (figures: RouteFigures[]) => ({
      p50Ms: median(figures.map((item) => item.p50Ms)),
      p95Ms: median(figures.map((item) => item.p95Ms)),
      p99Ms: median(figures.map((item) => item.p99Ms)),
      requestsPerSecond: median(figures.map((item) => item.requestsPerSecond)),
      non2xx: figures.reduce((sum, item) => sum + item.non2xx, 0),
      runsP95Ms: figures.map((item) => item.p95Ms),
    });
    const result = {
      engine,
      loans: loanCount,
      connections,
      durationSeconds,
      runs: runCount,
      agents: sessions.length,
      routes: Object.fromEntries(Object.entries(runs).map(([route, figures]) => [route, summary(figures)])),
    };
    log(
      `Medians over ${runCount} run(s): ${Object.entries(result.routes)
        .map(([route, figures]) => `${route} p95 ${figures.p95Ms} ms`)
        .join(", ")} (target < 50 ms)`,
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await stopServer(server);
  }
  if (failures.length > 0) throw new Error(`responses other than 2xx: ${failures.join("; ")}`);
}

try {
  await main();
} finally {
  if (process.env.BENCH_KEEP || reusedUrl) log(`kept ${engine === "postgres" ? databaseUrl : dataDir}`);
  else {
    if (engine === "postgres") await admin(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
}
