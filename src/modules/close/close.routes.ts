// The daily close in the console: run history with per-step counts and times, a run's
// partitions and progress, and starting a close for a date (admins).
import { z } from "zod";
import { AppError } from "../../platform/errors.js";
import type { RouteModule } from "../../platform/http/index.js";
import { isPlainDate } from "../../platform/plain-date.js";
import { partitionRunnerFor } from "./close.runner.js";
import { closeThrough } from "./close.service.js";

const runView = z.object({
  id: z.string(),
  businessDate: z.string(),
  mode: z.string(),
  status: z.string(),
  partitionCount: z.number(),
  partitionsDone: z.number(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  totals: z.record(z.string(), z.number()).nullable(),
});

const partitionView = z.object({
  partitionNo: z.number(),
  rangeStart: z.string(),
  rangeEnd: z.string().nullable(),
  status: z.string(),
  accountsTouched: z.number().nullable(),
  rowsWritten: z.number().nullable(),
  counts: z.record(z.string(), z.number()).nullable(),
  stepMs: z.record(z.string(), z.number()).nullable(),
  finishedAt: z.string().nullable(),
});

const running = new Map<string, Promise<unknown>>();

export const closeRoutes: RouteModule = (app, context) => {
  const { db } = context.database;
  const lenderOf = (actor: { type: string; lenderId?: string }) => {
    if (actor.type !== "staff" || !actor.lenderId) throw new AppError("UNAUTHENTICATED", "sign in first");
    return actor.lenderId;
  };

  app.get(
    "/api/close/runs",
    {
      config: { access: "reports:read" },
      schema: {
        tags: ["daily close"],
        summary: "Daily close runs, newest business date first, with the lender's last closed date",
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(366).default(60) }),
        response: { 200: z.object({ closedThrough: z.string().nullable(), runs: z.array(runView) }) },
      },
    },
    async (request) => {
      const lenderId = lenderOf(request.actor as never);
      const lender = await db.selectFrom("lenders").select("closed_through").where("id", "=", lenderId).executeTakeFirstOrThrow();
      const runs = await db
        .selectFrom("close_runs")
        .leftJoin("close_partitions", (join) => join.onRef("close_partitions.run_id", "=", "close_runs.id").on("close_partitions.status", "=", "done"))
        .select([
          "close_runs.id",
          "close_runs.business_date",
          "close_runs.mode",
          "close_runs.status",
          "close_runs.partition_count",
          "close_runs.started_at",
          "close_runs.finished_at",
          "close_runs.totals",
        ])
        .select((eb) => eb.fn.count<string>("close_partitions.partition_no").as("done"))
        .where("close_runs.lender_id", "=", lenderId)
        .groupBy("close_runs.id")
        .orderBy("close_runs.business_date", "desc")
        .limit(request.query.limit)
        .execute();
      return {
        closedThrough: lender.closed_through,
        runs: runs.map((run) => ({
          id: run.id,
          businessDate: run.business_date,
          mode: run.mode,
          status: run.status,
          partitionCount: run.partition_count,
          partitionsDone: Number(run.done),
          startedAt: run.started_at.toISOString(),
          finishedAt: run.finished_at ? run.finished_at.toISOString() : null,
          totals: (run.totals as Record<string, number> | null) ?? null,
        })),
      };
    },
  );

  app.get(
    "/api/close/runs/:id",
    {
      config: { access: "reports:read" },
      schema: {
        tags: ["daily close"],
        summary: "One close run's partitions: progress, accounts touched, rows written, counts and times per step",
        params: z.object({ id: z.uuid() }),
        response: { 200: z.object({ partitions: z.array(partitionView) }) },
      },
    },
    async (request) => {
      const lenderId = lenderOf(request.actor as never);
      const run = await db.selectFrom("close_runs").select("id").where("id", "=", request.params.id).where("lender_id", "=", lenderId).executeTakeFirst();
      if (!run) throw new AppError("NOT_FOUND", `close run ${request.params.id} not found`);
      const partitions = await db.selectFrom("close_partitions").selectAll().where("run_id", "=", run.id).orderBy("partition_no").execute();
      return {
        partitions: partitions.map((row) => ({
          partitionNo: row.partition_no,
          rangeStart: row.range_start,
          rangeEnd: row.range_end,
          status: row.status,
          accountsTouched: row.accounts_touched,
          rowsWritten: row.rows_written,
          counts: (row.counts as Record<string, number> | null) ?? null,
          stepMs: (row.step_ms as Record<string, number> | null) ?? null,
          finishedAt: row.finished_at ? row.finished_at.toISOString() : null,
        })),
      };
    },
  );

  app.post(
    "/api/close/runs",
    {
      config: { access: "close:run" },
      schema: {
        tags: ["daily close"],
        summary: "Close business dates up to `date` (missed dates first, in order); runs in the background",
        body: z.object({ date: z.string() }),
        response: { 202: z.object({ date: z.string(), started: z.boolean() }) },
      },
    },
    async (request, reply) => {
      const lenderId = lenderOf(request.actor as never);
      const { date } = request.body;
      if (!isPlainDate(date)) throw new AppError("VALIDATION_FAILED", `date ${JSON.stringify(date)} is not a date (YYYY-MM-DD)`, { field: "date" });
      const started = !running.has(lenderId);
      if (started) {
        const runner = partitionRunnerFor(context);
        const work = closeThrough(context, lenderId, date, { runner })
          .catch((error) => context.logger.error({ err: error, lenderId, date }, "daily close failed"))
          .finally(async () => {
            running.delete(lenderId);
            await runner.stop();
          });
        running.set(lenderId, work);
      }
      reply.code(202);
      return { date, started };
    },
  );

  app.addHook("onClose", async () => {
    await Promise.allSettled(running.values());
  });
};
