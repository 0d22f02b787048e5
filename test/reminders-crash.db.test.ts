// Kill -9 the dispatch worker at random points during a campaign of a few thousand reminders, to
// a local HTTP SMS provider (the signed-JSON contract) and a local SMTP server: once a worker runs
// to the end, every planned message has arrived exactly once. The HTTP provider saw no second
// send of any message, though it also takes some sends and then answers 503 (a provider whose
// answer is lost): a worker that finds a message in doubt, or sent before without a clear
// answer, asks the provider first. The mailbox holds one e-mail per message, each under its
// own Message-ID.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import pg from "pg";
import { generateReminderBook, type ReminderBook } from "../bench/reminder-book.js";
import { createContext, projectRoot } from "../src/app.js";
import { HttpSink } from "../src/modules/channels/testing/http-sink.js";
import { SmtpSink } from "../src/modules/channels/testing/smtp-sink.js";
import { type DispatchQueue, PgBossDispatchQueue, planReminders, TableDispatchQueue } from "../src/modules/reminders/index.js";
import { openDatabase } from "../src/platform/db/index.js";
import { createLogger } from "../src/platform/logger.js";
import { testConfig } from "../src/platform/testing/test-context.js";

const adminUrl = process.env.DUECARE_TEST_POSTGRES_URL;
const SECRET = "crash-test-provider-secret-0123456789";
const KILLS = 12;
const workDir = mkdtempSync(join(tmpdir(), "duecare-dispatch-crash-"));
const databaseName = `dispatch_crash_${process.pid}`;
const databaseUrl = (() => {
  if (!adminUrl) return null;
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
})();
const target = databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: join(workDir, "db") };
const httpSink = new HttpSink({ secret: SECRET, latencyMs: 2, failEveryNth: 149, failMode: "after-accept", retryAfterSeconds: 1 });
const smtpSink = new SmtpSink({ latencyMs: 2 });
let book: ReminderBook;
const planned = { sms: 0, email: 0 };
let smtpPort = 0;
let httpUrl = "";

async function admin(statement: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(statement);
  await client.end();
}

before(async () => {
  if (adminUrl) await admin(`create database ${databaseName}`);
  httpUrl = await httpSink.start(0);
  smtpPort = await smtpSink.start(0);
  const database = await openDatabase(databaseUrl ? { url: databaseUrl } : { dataDir: join(workDir, "db") });
  const context = await createContext(testConfig(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), { database, logger: createLogger("silent") });
  book = await generateReminderBook(context, { loanCount: 2_400, localHour: 12, log: () => undefined });
  let queue: DispatchQueue = new TableDispatchQueue();
  let pgBoss: PgBossDispatchQueue | null = null;
  if (databaseUrl) {
    pgBoss = new PgBossDispatchQueue({ connectionString: databaseUrl, expireInSeconds: 3, retryLimit: 50 });
    await pgBoss.prepare(context);
    queue = pgBoss;
  }
  const result = await planReminders(context, { lenderId: book.lenderId, date: book.day, queue });
  await pgBoss?.stop();
  assert.equal(result.totals.deferred + result.totals.skipped, 0, "every contact of the campaign is allowed now");
  const rows = await database.db
    .selectFrom("reminder_messages")
    .select(["channel", (eb) => eb.fn.countAll<string>().as("count")])
    .where("status", "=", "planned")
    .groupBy("channel")
    .execute();
  for (const row of rows) planned[row.channel as "sms" | "email"] = Number(row.count);
  await database.close();
});

after(async () => {
  await httpSink.stop();
  await smtpSink.stop();
  if (adminUrl) await admin(`drop database if exists ${databaseName} with (force)`);
  rmSync(workDir, { recursive: true, force: true });
});

/** One worker process; killed `killAfterMs` after it is ready, or left to finish (null). */
function runWorker(killAfterMs: number | null): Promise<"killed" | "finished"> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(projectRoot, "src/modules/reminders/testing/worker-child.ts")], {
      cwd: projectRoot,
      env: {
        ...process.env,
        ...target,
        NODE_ENV: "test",
        DUECARE_SEED_DEMO: "false",
        LOG_LEVEL: "silent",
        DUECARE_PII_KEYS: `test1:${Buffer.alloc(32, 3).toString("base64")}`,
        DUECARE_BLIND_INDEX_KEY: Buffer.alloc(32, 5).toString("base64"),
        DUECARE_SESSION_SECRET: Buffer.alloc(32, 9).toString("base64"),
        DUECARE_SMS_PROVIDER: "http-json",
        DUECARE_SMS_HTTP_URL: httpUrl,
        DUECARE_SMS_HTTP_SECRET: SECRET,
        DUECARE_SMS_RATE_PER_SECOND: "400",
        DUECARE_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        DUECARE_MAIL_FROM: "基准消费金融 <no-reply@mail.bench.example>",
        DUECARE_EMAIL_RATE_PER_SECOND: "300",
        DUECARE_DISPATCH_LEASE_SECONDS: "3",
        DUECARE_DISPATCH_EXPIRE_SECONDS: "3",
        DUECARE_DISPATCH_RETRY_BASE_SECONDS: "1",
        WORKER_CONCURRENCY: "4",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let timer: NodeJS.Timeout | null = null;
    child.stdout.on("data", (chunk: Buffer) => {
      if (killAfterMs !== null && timer === null && chunk.toString().includes("ready")) timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === "SIGKILL") resolve("killed");
      else if (code === 0) resolve("finished");
      else reject(new Error(`dispatch worker failed (${code}): ${stderr}`));
    });
  });
}

it("delivers every planned reminder exactly once across kill -9s of the dispatch worker", { timeout: 900_000 }, async (t) => {
  assert.ok(planned.sms > 1_000 && planned.email > 500, `a campaign of a few thousand: ${planned.sms} SMS, ${planned.email} e-mails`);
  let kills = 0;
  for (let round = 0; round < 200 && kills < KILLS; round += 1) {
    const outcome = await runWorker(200 + Math.floor(Math.random() * 1_300));
    if (outcome === "finished") break;
    kills += 1;
  }
  assert.ok(kills >= 5, `the campaign outlived ${kills} kills`);
  assert.equal(await runWorker(null), "finished");

  const database = await openDatabase(databaseUrl ? { url: databaseUrl } : { dataDir: join(workDir, "db") });
  try {
    const byStatus = await database.db
      .selectFrom("reminder_messages")
      .select(["channel", "status", (eb) => eb.fn.countAll<string>().as("count")])
      .groupBy(["channel", "status"])
      .execute();
    t.diagnostic(
      `${kills} kills; planned ${planned.sms} SMS + ${planned.email} e-mails; by status ${JSON.stringify(byStatus, (_key, value) => (typeof value === "bigint" ? Number(value) : value))}; ` +
        `HTTP ${JSON.stringify(httpSink.counts)}; SMTP received ${smtpSink.received}, distinct ${smtpSink.distinctMessageIds}`,
    );
    const count = (channel: string, status: string) => Number(byStatus.find((row) => row.channel === channel && row.status === status)?.count ?? 0);
    assert.equal(
      count("sms", "sent"),
      planned.sms,
      `SMS by status: ${JSON.stringify(byStatus, (_key, value) => (typeof value === "bigint" ? Number(value) : value))}`,
    );
    assert.equal(
      count("email", "sent"),
      planned.email,
      `e-mail by status: ${JSON.stringify(byStatus, (_key, value) => (typeof value === "bigint" ? Number(value) : value))}`,
    );

    // Every sent message arrived, under its own key; nothing arrived that was not sent.
    const sent = await database.db
      .selectFrom("reminder_messages")
      .select(["channel", "idempotency_key", "provider_message_id"])
      .where("status", "=", "sent")
      .execute();
    const smsKeys = new Set(httpSink.messages().map((record) => record.idempotencyKey));
    const mailIds = new Set(smtpSink.messages.map((mail) => mail.messageId));
    const missing = sent.filter((row) =>
      row.channel === "sms" ? !smsKeys.has(row.idempotency_key) : !mailIds.has(`<${row.idempotency_key}@mail.bench.example>`),
    );
    assert.equal(missing.length, 0, `missing: ${missing.slice(0, 3).map((row) => row.idempotency_key)}`);
    assert.equal(httpSink.counts.accepted, planned.sms, "the SMS provider took each message once");
    assert.equal(smtpSink.distinctMessageIds, planned.email, "one e-mail per message in the mailbox");
    const duplicates = httpSink.counts.accepted - smsKeys.size + (smtpSink.distinctMessageIds - mailIds.size);
    assert.equal(duplicates, 0);
    // The SMS provider never saw a second send: after a kill and after a lost answer alike, the
    // worker asked it first and found the message there.
    assert.ok(httpSink.counts.failuresInjected > 0, "the provider lost some answers");
    assert.equal(httpSink.counts.resubmissions, 0, `resubmissions after ${httpSink.counts.failuresInjected} lost answers and ${kills} kills`);
    // SMTP cannot be asked; a kill between the server's OK and the record resends under the same Message-ID.
    assert.ok(
      smtpSink.received - smtpSink.distinctMessageIds <= kills * 4,
      `e-mail resends ${smtpSink.received - smtpSink.distinctMessageIds} after ${kills} kills`,
    );
    const attempts = await database.db
      .selectFrom("contact_attempts")
      .select((eb) => eb.fn.countAll<string>().as("count"))
      .executeTakeFirstOrThrow();
    assert.equal(Number(attempts.count), planned.sms + planned.email, "one contact attempt recorded per message");
  } finally {
    await database.close();
  }
});
