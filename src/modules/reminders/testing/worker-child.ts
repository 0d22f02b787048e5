// A dispatch worker in its own process, for the crash test: runs this process's workers on the
// database named by DATABASE_URL or DATA_DIR, prints "ready" once they take work, and exits 0 when
// no message is planned or sending any more (or is killed first, which is the point).
import { createContext } from "../../../app.js";
import { loadConfig } from "../../../platform/config.js";
import { createLogger } from "../../../platform/logger.js";
import { remindersRuntimeFor, stopReminders } from "../reminders.runtime.js";

const context = await createContext(loadConfig(), { logger: createLogger("error") });
const runtime = await remindersRuntimeFor(context);
await runtime.startWorkers(Number(process.env.WORKER_CONCURRENCY ?? "4"));
process.stdout.write("ready\n");
for (let round = 0; round < 100_000; round += 1) {
  await new Promise((resolve) => setTimeout(resolve, 250));
  const open = await context.database.db
    .selectFrom("reminder_messages")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("status", "in", ["planned", "sending"])
    .executeTakeFirstOrThrow();
  if (Number(open.count) === 0) break;
}
await stopReminders(context);
await context.database.close();
process.exit(0);
