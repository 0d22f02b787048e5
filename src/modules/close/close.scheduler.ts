// The scheduled daily close: once a minute the server looks at each lender's local time, and
// after DUECARE_CLOSE_AT closes every business date up to yesterday that is not closed yet.
// Several servers may do this at once: runs are unique per lender and date, and partitions are
// taken under a row lock, so the second one finds the work done.
import type { AppContext } from "../../platform/context.js";
import { addDays, dateInZone, type PlainDate } from "../../platform/plain-date.js";
import { partitionRunnerFor } from "./close.runner.js";
import { closeThrough } from "./close.service.js";

/** Yesterday in the lender's zone once its local clock has passed `closeAt`, else null. */
export function dueCloseDate(now: Date, timeZone: string, closeAt: string, closedThrough: PlainDate | null): PlainDate | null {
  const local = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(now);
  if (local < closeAt) return null;
  const yesterday = addDays(dateInZone(now, timeZone), -1);
  return closedThrough !== null && closedThrough >= yesterday ? null : yesterday;
}

/** What runs after a lender's scheduled close finished (the reminder planner: the day's contacts). */
export type AfterClose = (lenderId: string, closedThrough: PlainDate) => Promise<void>;

export function startCloseScheduler(context: AppContext, afterClose?: AfterClose): { stop(): Promise<void> } {
  const closeAt = context.config.DUECARE_CLOSE_AT;
  if (closeAt === "off") return { stop: async () => undefined };
  let running: Promise<void> | null = null;
  const tick = async () => {
    const lenders = await context.database.db.selectFrom("lenders").select(["id", "code", "time_zone", "closed_through"]).execute();
    for (const lender of lenders) {
      const date = dueCloseDate(context.clock.now(), lender.time_zone, closeAt, lender.closed_through);
      if (!date) continue;
      const runner = partitionRunnerFor(context);
      try {
        const summaries = await closeThrough(context, lender.id, date, { runner });
        for (const summary of summaries) context.logger.info({ lender: lender.code, date: summary.date, totals: summary.totals }, "daily close done");
      } finally {
        await runner.stop();
      }
      if (afterClose) await afterClose(lender.id, date);
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = tick()
      .catch((error) => context.logger.error({ err: error }, "scheduled daily close failed"))
      .finally(() => {
        running = null;
      });
  }, 60_000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
