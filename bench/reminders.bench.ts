// Reminders benchmark, on PostgreSQL: a synthetic book of `--contacts` loans whose strategies give
// every open account one step on the day (pre-due D-30…D0, overdue by DPD; see reminder-book.ts),
// the close of the day before (pg-boss partitions), then the day's plan — strategy, variant and
// step per account, every contact through the batch gateway, messages and their dispatch jobs
// stored — and then dispatch through pg-boss workers in this process to a local HTTP SMS sink
// (the signed-JSON contract) until `--dispatch` messages have been taken. Ends with one JSON line:
// contactsPlanned, planSeconds, messagesDelivered, deliveredPerSecond, duplicates (sends of a
// key the sink had already taken).
//   npm run bench:reminders -- --contacts 1000000 [--dispatch 50000] [--workers 8]
// A benchmark, not a test: it asserts nothing.
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { createContext } from "../src/app.js";
import { HttpSink } from "../src/modules/channels/testing/http-sink.js";
import { closeThrough, partitionRunnerFor } from "../src/modules/close/index.js";
import { planReminders, remindersRuntimeFor, stopReminders } from "../src/modules/reminders/index.js";
import { openDatabase } from "../src/platform/db/index.js";
import { createLogger } from "../src/platform/logger.js";
import { addDays } from "../src/platform/plain-date.js";
import { createServerDatabase, testConfig } from "../src/platform/testing/test-context.js";
import { recordDayPayments } from "./loan-book.js";
import { generateReminderBook } from "./reminder-book.js";

const { values } = parseArgs({
  options: {
    contacts: { type: "string", default: "100000" },
    dispatch: { type: "string", default: "50000" },
    workers: { type: "string", default: "8" },
  },
});
const loanCount = Number(values.contacts);
const dispatchTarget = Number(values.dispatch);
const workers = Number(values.workers);
const log = (line: string) => process.stderr.write(`${line}\n`);
const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const SECRET = "bench-provider-secret-0123456789abcdef";

const server = await createServerDatabase(adminUrl, "bench_reminders");
const sink = new HttpSink({ secret: SECRET });
const sinkUrl = await sink.start(0);
try {
  const database = await openDatabase({ url: server.url });
  const config = testConfig({
    DATABASE_URL: server.url,
    DUECARE_SMS_PROVIDER: "http-json",
    DUECARE_SMS_HTTP_URL: sinkUrl,
    DUECARE_SMS_HTTP_SECRET: SECRET,
    DUECARE_SMS_RATE_PER_SECOND: "100000",
  });
  const context = await createContext(config, { database, logger: createLogger("error") });

  let started = performance.now();
  const book = await generateReminderBook(context, { loanCount, localHour: 12, emailVariant: false, closeFirst: true, log });
  const generateSeconds = (performance.now() - started) / 1000;
  log(`book of ${loanCount} loans in ${generateSeconds.toFixed(1)} s; contacts for ${book.day} at ${book.at} (${book.timeZone})`);

  const closeDay = addDays(book.day, -1);
  await recordDayPayments(context, book.lenderId, closeDay);
  const runner = partitionRunnerFor(context, { workers: 2 });
  started = performance.now();
  await closeThrough(context, book.lenderId, closeDay, { runner });
  await runner.stop();
  const closeSeconds = (performance.now() - started) / 1000;
  log(`closed ${closeDay} in ${closeSeconds.toFixed(1)} s`);
  await sql`vacuum analyze`.execute(database.db);

  const runtime = await remindersRuntimeFor(context);
  started = performance.now();
  const plan = await planReminders(context, {
    lenderId: book.lenderId,
    date: book.day,
    queue: runtime.queue,
    onProgress: (accounts) => {
      if (accounts % 100_000 === 0) log(`  planned over ${accounts} accounts`);
    },
  });
  const planSeconds = (performance.now() - started) / 1000;
  const totals = plan.totals;
  log(
    `planned ${totals.contactsPlanned} contacts in ${planSeconds.toFixed(1)} s (${totals.allowed} allowed, ${totals.deferred} deferred, ${totals.skipped} skipped); ` +
      `gateway load ${(totals.gateway.loadMs / 1000).toFixed(1)} s, decide ${(totals.gateway.decideMs / 1000).toFixed(1)} s, store ${(totals.gateway.storeMs / 1000).toFixed(1)} s; ` +
      `waiting for accounts ${(totals.steps.readMs / 1000).toFixed(1)} s, messages ${(totals.steps.messagesMs / 1000).toFixed(1)} s, jobs ${(totals.steps.jobsMs / 1000).toFixed(1)} s`,
  );

  // Dispatch: this process's pg-boss workers take the day's jobs; the clock starts at the first send.
  let firstSendMs: number | null = null;
  const poll = setInterval(() => {
    if (firstSendMs === null && sink.counts.accepted > 0) firstSendMs = performance.now();
  }, 5);
  await runtime.startWorkers(workers);
  const deadline = performance.now() + 30 * 60_000;
  while (sink.counts.accepted < dispatchTarget && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const endMs = performance.now();
  const delivered = sink.counts.accepted;
  clearInterval(poll);
  await stopReminders(context);
  const dispatchSeconds = (endMs - (firstSendMs ?? endMs)) / 1000;
  const deliveredPerSecond = dispatchSeconds > 0 ? Math.round(delivered / dispatchSeconds) : 0;
  log(`dispatched ${delivered} messages in ${dispatchSeconds.toFixed(1)} s with ${workers} workers: ${deliveredPerSecond}/s`);
  await database.close();
  process.stdout.write(
    `${JSON.stringify({
      contactsPlanned: totals.contactsPlanned,
      planSeconds: Number(planSeconds.toFixed(1)),
      messagesDelivered: delivered,
      deliveredPerSecond,
      duplicates: sink.counts.resubmissions,
      loans: loanCount,
      allowed: totals.allowed,
      deferred: totals.deferred,
      skipped: totals.skipped,
      closeSeconds: Number(closeSeconds.toFixed(1)),
      gatewaySeconds: {
        load: Number((totals.gateway.loadMs / 1000).toFixed(1)),
        decide: Number((totals.gateway.decideMs / 1000).toFixed(1)),
        store: Number((totals.gateway.storeMs / 1000).toFixed(1)),
      },
      planStepSeconds: {
        readWait: Number((totals.steps.readMs / 1000).toFixed(1)),
        messages: Number((totals.steps.messagesMs / 1000).toFixed(1)),
        jobs: Number((totals.steps.jobsMs / 1000).toFixed(1)),
      },
      workers,
    })}\n`,
  );
} finally {
  await sink.stop();
  await server.drop();
}
