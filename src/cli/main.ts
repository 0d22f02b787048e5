// The `duecare` command: serve, migrate, seed, import, schedule, close, plan, worker, compliance check, lender add, user add, audit verify.

import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { Command, CommanderError } from "commander";
import { createApp, createContext, projectRoot } from "../app.js";
import { DEMO_BORROWER_PHONE, DEMO_PASSWORD, demoStaff, isSeeded, seedDemo } from "../demo/demo-data.js";
import { closeThrough, computeThreads, partitionRunnerFor, startCloseScheduler } from "../modules/close/index.js";
import { presentDecision, previewScenario } from "../modules/compliance/index.js";
import { addStaffUser } from "../modules/identity/index.js";
import { ImportRejected, importKinds, lenderByCode, runImport } from "../modules/imports/index.js";
import { type PlanResult, planReminders, remindersRuntimeFor, stopReminders } from "../modules/reminders/index.js";
import { appendAudit, verifyAuditLog } from "../platform/audit/index.js";
import { ConfigError, loadConfig } from "../platform/config.js";
import type { AppContext } from "../platform/context.js";
import { databaseLocationOf, migrate, openDatabase } from "../platform/db/index.js";
import { isAppError } from "../platform/errors.js";
import { createLogger } from "../platform/logger.js";
import { addDays, dateInZone, isPlainDate } from "../platform/plain-date.js";
import { createProgress } from "./progress.js";
import { renderSchedule, ScheduleInputError, type ScheduleOptions } from "./schedule-command.js";
import { buildWeb, isWebBuildCurrent } from "./web-build.js";

class CliError extends Error {}

function out(line: string) {
  process.stdout.write(`${line}\n`);
}

async function withContext<T>(work: (context: AppContext) => Promise<T>, logLevel = "warn"): Promise<T> {
  const config = loadConfig();
  const context = await createContext(config, { logger: createLogger(logLevel === "warn" ? "warn" : config.LOG_LEVEL) });
  try {
    return await work(context);
  } finally {
    await context.database.close();
  }
}

async function seedWithProgress(context: AppContext, borrowers?: number): Promise<void> {
  const progress = createProgress("Seeding demo lender");
  const report = await seedDemo(context, { ...(borrowers === undefined ? {} : { borrowers }), onProgress: (done, total) => progress.update(done, total) });
  progress.finish(
    report.seeded
      ? `Seeded the demo lender: ${report.borrowers} borrowers, ${report.loanAccounts} loan accounts, ${report.cases} cases, ${report.staff} staff users.`
      : "The demo lender is already there; nothing seeded.",
  );
}

async function serve(options: { port?: string; host?: string; buildWebIfMissing?: boolean }) {
  if (options.port) process.env.PORT = options.port;
  if (options.host) process.env.HOST = options.host;
  const config = loadConfig();
  if (options.buildWebIfMissing && !isWebBuildCurrent(projectRoot)) buildWeb(projectRoot);
  const context = await createContext(config);
  if (config.DUECARE_SEED_DEMO && !(await isSeeded(context))) await seedWithProgress(context);
  const { app } = await createApp(context);
  const reminders = await remindersRuntimeFor(context);
  await reminders.startWorkers();
  // After the night's close, the day's reminders: planned for the day after the closed date.
  const scheduler = startCloseScheduler(context, async (lenderId, closedThrough) => {
    const result = await planReminders(context, { lenderId, date: addDays(closedThrough, 1), queue: reminders.queue });
    context.logger.info({ lenderId, date: result.date, totals: { ...result.totals, segments: result.totals.segments.length } }, "reminders planned");
  });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    context.logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    await scheduler.stop();
    await app.close();
    await stopReminders(context);
    await context.database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  const base = `http://${config.HOST === "0.0.0.0" || config.HOST === "127.0.0.1" ? "localhost" : config.HOST}:${port}`;
  const database = context.database.engine === "pglite" ? `embedded PGlite in ${config.DATA_DIR}` : "PostgreSQL (DATABASE_URL)";
  out("");
  out(`duecare is running on ${database}`);
  out(`  Console (staff):    ${base}/`);
  out(`  Borrower portal:    ${base}/portal`);
  out(`  API docs (OpenAPI): ${base}/docs`);
  if (config.DUECARE_SEED_DEMO) {
    out("");
    out(`Demo logins (password for all: ${DEMO_PASSWORD}):`);
    for (const member of demoStaff) out(`  ${member.username.padEnd(12)} ${member.roles.join(", ")}${"agency" in member ? " (outsourced agency)" : ""}`);
    out(`  Borrower portal: phone ${DEMO_BORROWER_PHONE}; the one-time code appears in the console's Dev outbox (admin).`);
  }
  out("");
}

async function lenderFromOption(context: AppContext, code: string | undefined): Promise<{ id: string; code: string; time_zone: string }> {
  const lenders = await context.database.db.selectFrom("lenders").select(["id", "code", "time_zone"]).execute();
  const lender = code ? lenders.find((row) => row.code === code) : lenders.length === 1 ? lenders[0] : undefined;
  if (!lender) throw new CliError(code ? `no lender with code ${code}` : `there are ${lenders.length} lenders: name one with --lender`);
  return lender;
}

function printPlan(result: PlanResult): void {
  const t = result.totals;
  if (result.alreadyPlanned) {
    out(`${result.date}: already planned (${t.contactsPlanned} contacts); nothing changed.`);
    return;
  }
  out(
    `${result.date}: ${result.dryRun ? "would plan" : "planned"} ${t.contactsPlanned} contacts from ${t.accountsRead} accounts in ${t.ms} ms: ` +
      `${t.allowed} allowed, ${t.deferred} deferred, ${t.skipped} skipped by the gateway, ${t.escalations} escalated to agents` +
      (t.noTemplate > 0 ? `, ${t.noTemplate} without an approved template` : "") +
      ".",
  );
  for (const line of t.segments) {
    const reasons = Object.entries(line.reasons)
      .sort((left, right) => right[1] - left[1])
      .slice(0, 3)
      .map(([rule, count]) => `${rule} ×${count}`)
      .join(", ");
    out(
      `  ${line.strategyCode} / ${line.variantCode} / ${line.stepKey} (${line.channel}): ${line.planned} to send, ${line.deferred} deferred, ${line.skipped} skipped` +
        (reasons ? ` — ${reasons}` : ""),
    );
  }
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command("duecare")
    .description("duecare — overdue customer service and lawful collection (逾期客服与合规催收)")
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });

  program
    .command("serve")
    .description("start the HTTP server (migrates, and seeds the demo lender on first start)")
    .option("--port <port>", "port to listen on (env PORT, default 3000)")
    .option("--host <host>", "address to bind (env HOST, default 127.0.0.1)")
    .option("--build-web-if-missing", "build the console and portal first when their build is missing or stale")
    .action(serve);

  program
    .command("migrate")
    .description("apply pending database migrations")
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase(databaseLocationOf(config));
      try {
        const progress = createProgress("Migrating");
        const report = await migrate(database, { onApply: (_version, index, total) => progress.update(index, total) });
        progress.finish();
        out(
          report.applied.length > 0
            ? `Applied ${report.applied.length} migration(s): ${report.applied.join(", ")}`
            : `Database is up to date (${report.alreadyApplied} migration(s) applied).`,
        );
      } finally {
        await database.close();
      }
    });

  program
    .command("seed")
    .description("seed the demo lender (products, borrowers with loans and payments, cases, staff of every role) if absent")
    .option("--borrowers <n>", "how many synthetic borrowers", "300")
    .action((options: { borrowers: string }) => {
      if (!/^\d+$/.test(options.borrowers) || Number(options.borrowers) < 1 || Number(options.borrowers) > 1_000_000) {
        throw new CliError(`--borrowers ${JSON.stringify(options.borrowers)}: expected a whole number from 1 to 1000000`);
      }
      return withContext((context) => seedWithProgress(context, Number(options.borrowers)));
    });

  program
    .command("import")
    .description(`import ${importKinds.join(", ")} from a CSV or JSON file; any bad row rejects the whole file, re-importing changes nothing`)
    .argument("<kind>", importKinds.join(" | "))
    .argument("<file>", "path of a .csv or .json file")
    .option("--lender <code>", "lender code (default: the only lender)")
    .option("--format <format>", "csv or json (default: from the file's extension)")
    .action((kind: string, file: string, options: { lender?: string; format?: string }) =>
      withContext(async (context) => {
        if (!(importKinds as readonly string[]).includes(kind)) throw new CliError(`<kind> ${JSON.stringify(kind)}: expected one of ${importKinds.join(", ")}`);
        const format = options.format ?? (file.toLowerCase().endsWith(".json") ? "json" : file.toLowerCase().endsWith(".csv") ? "csv" : "");
        if (format !== "csv" && format !== "json") throw new CliError("--format: expected csv or json (the file's extension did not say)");
        let content: string;
        try {
          content = readFileSync(file, "utf8");
        } catch (error) {
          throw new CliError(`<file> ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
        }
        const lender = await lenderByCode(context.database.db, options.lender);
        try {
          const report = await runImport(context, {
            lenderId: lender.id,
            kind,
            fileName: basename(file),
            format,
            content,
            actor: { actorType: "system", actorId: "cli" },
          });
          out(`Imported ${report.kind} from ${report.fileName}: ${report.rowsTotal} rows — ${report.inserted} new, ${report.unchanged} unchanged.`);
        } catch (error) {
          if (!(error instanceof ImportRejected)) throw error;
          for (const problem of error.problems.slice(0, 200))
            process.stderr.write(`${problem.file}:${problem.row}:${problem.column || "-"}: ${problem.reason}\n`);
          throw new CliError(`${error.problems.length} problem(s) in ${basename(file)}; nothing was imported`);
        }
      }),
    );

  program
    .command("schedule")
    .description("print a repayment schedule, exact to the cent (no database needed)")
    .requiredOption("--principal <amount>", "loan amount in major units, e.g. 1000000 or 12000.50")
    .requiredOption("--annual-rate <percent>", "annual nominal rate in percent, e.g. 4.9")
    .requiredOption("--months <n>", "term in months")
    .requiredOption("--method <method>", "equal-installment | equal-principal | interest-first | bullet")
    .requiredOption("--start <date>", "disbursement date YYYY-MM-DD; installment k falls due k months later")
    .option("--currency <code>", "ISO 4217 currency of the amounts", "CNY")
    .option("--json", "print a JSON array of { number, dueDate, principal, interest, payment, remainingPrincipal }")
    .action((options: ScheduleOptions) => {
      out(renderSchedule(options));
    });

  const lender = program.command("lender").description("manage lenders");
  lender
    .command("add")
    .description("add a lender")
    .requiredOption("--code <code>", "short code, e.g. acme")
    .requiredOption("--name <name>", "name in Chinese")
    .requiredOption("--name-en <name>", "name in English")
    .option("--time-zone <zone>", "IANA time zone of business dates", "Asia/Shanghai")
    .option("--currency <code>", "ISO 4217 currency", "CNY")
    .action((options: { code: string; name: string; nameEn: string; timeZone: string; currency: string }) =>
      withContext(async (context) => {
        if (!/^[a-z0-9-]{2,32}$/.test(options.code)) throw new CliError(`--code ${JSON.stringify(options.code)}: expected 2-32 lowercase letters, digits or -`);
        if (!/^[A-Z]{3}$/.test(options.currency)) throw new CliError(`--currency ${JSON.stringify(options.currency)}: expected a 3-letter ISO 4217 code`);
        const id = randomUUID();
        await context.database.db.transaction().execute(async (trx) => {
          const taken = await trx.selectFrom("lenders").select("id").where("code", "=", options.code).executeTakeFirst();
          if (taken) throw new CliError(`--code ${options.code}: a lender with this code exists`);
          const now = context.clock.now();
          await trx
            .insertInto("lenders")
            .values({
              id,
              code: options.code,
              name: options.name,
              name_en: options.nameEn,
              time_zone: options.timeZone,
              currency: options.currency,
              created_at: now,
            })
            .execute();
          await appendAudit(
            trx,
            { actorType: "system", actorId: "cli", action: "lender.created", targetType: "lender", targetId: id, details: { code: options.code } },
            now,
          );
        });
        out(`Added lender ${options.code} (${id}).`);
      }),
    );

  const user = program.command("user").description("manage staff users");
  user
    .command("add")
    .description("add a staff user; the password comes from --password or the env DUECARE_NEW_PASSWORD")
    .requiredOption("--username <username>", "login name")
    .requiredOption("--role <roles>", "comma-separated: agent, supervisor, compliance, complaint_handler, strategist, admin")
    .option("--name <displayName>", "name shown in the console (default: the username)")
    .option("--password <password>", "initial password (prefer the env DUECARE_NEW_PASSWORD)")
    .option("--lender <code>", "lender code (default: the only lender)")
    .action((options: { username: string; role: string; name?: string; password?: string; lender?: string }) =>
      withContext(async (context) => {
        const password = options.password ?? process.env.DUECARE_NEW_PASSWORD;
        if (!password) throw new CliError("--password: required (or set DUECARE_NEW_PASSWORD)");
        const lenders = await context.database.db.selectFrom("lenders").select(["id", "code"]).execute();
        const chosen = options.lender ? lenders.find((row) => row.code === options.lender) : lenders.length === 1 ? lenders[0] : undefined;
        if (!chosen) {
          throw new CliError(
            lenders.length === 0
              ? "no lender exists yet: run `duecare lender add` or `duecare seed` first"
              : `--lender: ${options.lender ? `no lender with code ${options.lender}` : "required when there are several lenders"} (have: ${lenders.map((row) => row.code).join(", ")})`,
          );
        }
        const created = await context.database.db.transaction().execute((trx) =>
          addStaffUser(
            context,
            trx,
            {
              lenderId: chosen.id,
              username: options.username,
              displayName: options.name ?? options.username,
              password,
              roles: options.role
                .split(",")
                .map((role) => role.trim())
                .filter(Boolean),
            },
            { actorType: "system", actorId: null },
          ),
        );
        out(`Added ${created.username} (${created.roles.join(", ")}) to lender ${chosen.code}.`);
      }),
    );

  program
    .command("close")
    .description("daily close (日终批量): close business dates up to --date, missed ones first; closing a closed date changes nothing")
    .option("--date <date>", "business date to close through, YYYY-MM-DD (default: yesterday in the lender's time zone)")
    .option("--lender <code>", "lender code (default: the only lender)")
    .option("--mode <mode>", "event_driven (default) or full_scan", "event_driven")
    .option("--partitions <n>", "account-id ranges to cut the work into (default: one per 5,000 due accounts, at most the lender's setting, 8)")
    .option("--workers <n>", "parallel queue workers on PostgreSQL", "2")
    .option(
      "--compute-threads <n>",
      "threads that compute partitions beside the database work on PostgreSQL: a number (0: on the event loop) or auto (the default: one per worker, at most one per core)",
    )
    .action((options: { date?: string; lender?: string; mode: string; partitions?: string; workers: string; computeThreads?: string }) =>
      withContext(async (context) => {
        if (options.mode !== "event_driven" && options.mode !== "full_scan")
          throw new CliError(`--mode must be event_driven or full_scan, not ${options.mode}`);
        const partitions = options.partitions === undefined ? undefined : Number(options.partitions);
        if (partitions !== undefined && (!Number.isInteger(partitions) || partitions < 1 || partitions > 1024))
          throw new CliError("--partitions must be a whole number from 1 to 1024");
        const workers = Number(options.workers);
        if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new CliError("--workers must be a whole number from 1 to 64");
        const threads =
          options.computeThreads === undefined ? undefined : options.computeThreads === "auto" ? computeThreads(workers) : Number(options.computeThreads);
        if (threads !== undefined && (!Number.isInteger(threads) || threads < 0 || threads > 64))
          throw new CliError(`--compute-threads must be auto or a whole number from 0 to 64, not ${options.computeThreads}`);
        const lenders = await context.database.db.selectFrom("lenders").select(["id", "code", "time_zone"]).execute();
        const lender = options.lender ? lenders.find((row) => row.code === options.lender) : lenders.length === 1 ? lenders[0] : undefined;
        if (!lender)
          throw new CliError(options.lender ? `no lender with code ${options.lender}` : `there are ${lenders.length} lenders: name one with --lender`);
        const date = options.date ?? addDays(dateInZone(context.clock.now(), lender.time_zone), -1);
        if (!isPlainDate(date)) throw new CliError(`--date ${date} is not a date (YYYY-MM-DD)`);
        const runner = partitionRunnerFor(context, { workers, ...(threads === undefined ? {} : { computeThreads: threads }) });
        try {
          let progress = createProgress(`Closing ${date}`);
          let current = "";
          const summaries = await closeThrough(context, lender.id, date, {
            mode: options.mode,
            runner,
            ...(partitions === undefined ? {} : { partitions }),
            onProgress: ({ date: day, done, total }) => {
              if (day !== current) {
                if (current) progress.finish();
                current = day;
                progress = createProgress(`Closing ${day}`);
              }
              progress.update(done, total);
            },
          });
          progress.finish();
          for (const summary of summaries) {
            const t = summary.totals;
            out(
              summary.alreadyClosed
                ? `${summary.date}: already closed; nothing changed.`
                : `${summary.date}: closed in ${t.ms} ms over ${summary.partitions} partitions (${runner.kind}): ${t.accountsTouched} accounts touched, ` +
                    `${t.installmentsFallingDue} installments fell due, ${t.becameOverdue} became overdue, ${t.bucketChanged} bucket moves, ${t.cured} cured, ` +
                    `${t.paidOff} paid off, ${t.accrualEntries} penalty/fee postings, ${t.casesOpened} cases opened, ${t.casesClosed} closed, ${t.rowsWritten} rows written.`,
            );
          }
        } finally {
          await runner.stop();
        }
      }),
    );

  program
    .command("plan")
    .description(
      "plan a day's reminders (提醒计划) after its close: strategies, champion/challenger, the contact gateway; planning a planned day changes nothing",
    )
    .option("--date <date>", "the day the contacts are for, YYYY-MM-DD (default: today in the lender's time zone)")
    .option("--lender <code>", "lender code (default: the only lender)")
    .option("--dry-run", "show what would be sent and why, per segment, and store nothing")
    .action((options: { date?: string; lender?: string; dryRun?: boolean }) =>
      withContext(async (context) => {
        const lender = await lenderFromOption(context, options.lender);
        const date = options.date ?? dateInZone(context.clock.now(), lender.time_zone);
        if (!isPlainDate(date)) throw new CliError(`--date ${date} is not a date (YYYY-MM-DD)`);
        const runtime = options.dryRun ? null : await remindersRuntimeFor(context);
        try {
          const progress = createProgress(`${options.dryRun ? "Dry run of" : "Planning"} ${date}`);
          const result = await planReminders(context, {
            lenderId: lender.id,
            date,
            dryRun: options.dryRun === true,
            ...(runtime ? { queue: runtime.queue } : {}),
            onProgress: (accounts) => progress.update(accounts, accounts),
          });
          progress.finish();
          printPlan(result);
        } finally {
          await stopReminders(context);
        }
      }),
    );

  program
    .command("worker")
    .description("run reminder dispatch workers: take due messages from the queue and send them through the configured channels")
    .option("--workers <n>", "messages batches handled at once in this process", "4")
    .option("--until-idle", "exit once no message is planned or sending")
    .action((options: { workers: string; untilIdle?: boolean }) =>
      withContext(async (context) => {
        const workers = Number(options.workers);
        if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new CliError("--workers must be a whole number from 1 to 64");
        const runtime = await remindersRuntimeFor(context);
        await runtime.startWorkers(workers);
        out(`dispatch workers: ${workers} (${context.database.engine === "postgres" ? "pg-boss" : "embedded queue"})`);
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
          if (options.untilIdle) {
            const timer = setInterval(async () => {
              const open = await context.database.db
                .selectFrom("reminder_messages")
                .select((eb) => eb.fn.countAll<string>().as("count"))
                .where("status", "in", ["planned", "sending"])
                .executeTakeFirstOrThrow();
              if (Number(open.count) === 0) {
                clearInterval(timer);
                resolve();
              }
            }, 500);
          }
        });
        await stopReminders(context);
      }),
    );

  const compliance = program.command("compliance").description("the contact gateway's rules (规范化催收)");
  compliance
    .command("check")
    .description("decide a contact scenario (JSON file, or - for standard input) and print the decision as JSON; nothing is stored")
    .argument("<scenario>", "scenario file: { pack, request, persons, facts, history, consents } (see docs/compliance.md)")
    .action((file: string) => {
      let text: string;
      try {
        text = readFileSync(file === "-" ? 0 : file, "utf8");
      } catch (error) {
        throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
      }
      let input: unknown;
      try {
        input = JSON.parse(text);
      } catch (error) {
        throw new CliError(`${file} is not JSON: ${(error as Error).message}`);
      }
      const result = previewScenario(input);
      if (!result.ok) {
        throw new CliError(`invalid scenario in ${file}: ${result.errors.map((problem) => `${problem.path}: ${problem.message}`).join("; ")}`);
      }
      out(JSON.stringify(presentDecision(result.decision), null, 2));
    });

  const audit = program.command("audit").description("the tamper-evident audit log");
  audit
    .command("verify")
    .description("check every link of the audit log's hash chain; reports the first broken one")
    .action(() =>
      withContext(async (context) => {
        const progress = createProgress("Verifying audit log");
        const result = await verifyAuditLog(context.database.db, (done, total) => progress.update(done, total));
        progress.finish();
        if (result.firstBreak) {
          throw new CliError(
            `audit log broken at sequence ${result.firstBreak.sequence}: ${result.firstBreak.problem} (${result.rowsChecked} rows intact before it)`,
          );
        }
        out(`Audit log intact: ${result.rowsChecked} rows, every link verified.`);
      }),
    );

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return;
    }
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    process.exitCode = 1;
    if (error instanceof CliError || error instanceof ConfigError || error instanceof ScheduleInputError) process.stderr.write(`duecare: ${error.message}\n`);
    else if (isAppError(error)) process.stderr.write(`duecare: ${error.code}: ${error.message}\n`);
    else process.stderr.write(`duecare: ${(error as Error).message ?? String(error)}\n`);
  }
}
