// Reminders in the console: a day's plan (and a dry run of it), messages by status, campaign
// progress, the champion/challenger report, replies; and the webhooks providers call back on
// (public, each verified by its provider's signature or token).
import { z } from "zod";
import type { Actor } from "../../platform/auth/index.js";
import { AppError } from "../../platform/errors.js";
import type { RouteModule } from "../../platform/http/index.js";
import { dateInZone, isPlainDate } from "../../platform/plain-date.js";
import { applyInboundEvents } from "./inbound.service.js";
import { planReminders } from "./planner.service.js";
import { remindersRuntimeFor, stopReminders, verifyWebhook } from "./reminders.runtime.js";
import { listMessages, listReplies, listRuns, reminderStatuses, variantReport } from "./reminders.service.js";

const plainDate = z.string().refine(isPlainDate, "expected a date YYYY-MM-DD");
const channel = z.enum(["sms", "email", "voice_robot"]);

function lenderOf(actor: Actor): string {
  if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
  return actor.lenderId;
}

const segmentLine = z.object({
  strategyCode: z.string(),
  variantCode: z.string(),
  stepKey: z.string(),
  channel: z.string(),
  planned: z.number(),
  deferred: z.number(),
  skipped: z.number(),
  reasons: z.record(z.string(), z.number()),
});
const planView = z.object({
  runId: z.string().nullable(),
  date: z.string(),
  dryRun: z.boolean(),
  alreadyPlanned: z.boolean(),
  totals: z.object({
    accountsRead: z.number(),
    contactsPlanned: z.number(),
    allowed: z.number(),
    deferred: z.number(),
    skipped: z.number(),
    escalations: z.number(),
    noTemplate: z.number(),
    segments: z.array(segmentLine),
    ms: z.number(),
  }),
});

export const reminderRoutes: RouteModule = (app, context) => {
  app.addHook("onClose", async () => {
    await stopReminders(context);
  });
  const planBody = z.object({ date: plainDate.optional() });
  const plan = async (actor: Actor, date: string | undefined, dryRun: boolean) => {
    const lenderId = lenderOf(actor);
    const lender = await context.database.db.selectFrom("lenders").select("time_zone").where("id", "=", lenderId).executeTakeFirstOrThrow();
    const day = date ?? dateInZone(context.clock.now(), lender.time_zone);
    const runtime = dryRun ? null : await remindersRuntimeFor(context);
    const result = await planReminders(context, { lenderId, date: day, dryRun, ...(runtime ? { queue: runtime.queue } : {}) });
    return { runId: result.runId, date: result.date, dryRun: result.dryRun, alreadyPlanned: result.alreadyPlanned, totals: result.totals };
  };

  app.post(
    "/api/reminders/plan",
    {
      config: { access: "close:run" },
      schema: {
        tags: ["reminders"],
        summary:
          "Plan a day's reminders after its close (default today): each contact passes the gateway and is queued; planning a planned day changes nothing",
        body: planBody,
        response: { 200: planView },
      },
    },
    async (request) => plan(request.actor, request.body.date, false),
  );

  app.post(
    "/api/reminders/plan/dry-run",
    {
      config: { access: "strategies:manage" },
      schema: {
        tags: ["reminders"],
        summary: "What a day's plan would send and why, per strategy, variant and step; stores nothing",
        body: planBody,
        response: { 200: planView },
      },
    },
    async (request) => plan(request.actor, request.body.date, true),
  );

  app.get(
    "/api/reminders/runs",
    {
      config: { access: "reports:read" },
      schema: {
        tags: ["reminders"],
        summary: "The last days' plans with their messages by status (campaign progress)",
        response: {
          200: z.object({
            runs: z.array(
              z.object({
                id: z.string(),
                businessDate: z.string(),
                status: z.enum(["running", "completed"]),
                startedAt: z.string(),
                finishedAt: z.string().nullable(),
                byStatus: z.record(z.string(), z.number()),
                planned: z.number(),
                escalations: z.number(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ runs: await listRuns(context, lenderOf(request.actor)) }),
  );

  app.get(
    "/api/reminders/messages",
    {
      config: { access: "reports:read" },
      schema: {
        tags: ["reminders"],
        summary: "Reminder messages, newest first, by day, status, channel or strategy",
        querystring: z.object({
          date: plainDate.optional(),
          status: z.enum(reminderStatuses as [string, ...string[]]).optional(),
          channel: channel.optional(),
          strategyId: z.uuid().optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
        }),
        response: {
          200: z.object({
            total: z.number(),
            messages: z.array(
              z.object({
                id: z.string(),
                businessDate: z.string(),
                borrowerId: z.string(),
                loanId: z.string(),
                caseId: z.string().nullable(),
                strategyCode: z.string(),
                variantCode: z.string(),
                stepKey: z.string(),
                channel,
                templateCode: z.string(),
                language: z.string(),
                status: z.string(),
                statusReason: z.string().nullable(),
                decision: z.string().nullable(),
                scheduledAt: z.string(),
                sentAt: z.string().nullable(),
                deliveredAt: z.string().nullable(),
                attempts: z.number(),
                provider: z.string().nullable(),
                errorCode: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const query = request.query;
      return listMessages(context, lenderOf(request.actor), {
        ...(query.date ? { date: query.date } : {}),
        ...(query.status ? { status: query.status as (typeof reminderStatuses)[number] } : {}),
        ...(query.channel ? { channel: query.channel } : {}),
        ...(query.strategyId ? { strategyId: query.strategyId } : {}),
        limit: query.limit,
        offset: query.offset,
      });
    },
  );

  app.get(
    "/api/reminders/report",
    {
      config: { access: "reports:read" },
      schema: {
        tags: ["reminders"],
        summary: "Deliveries, replies, opt-outs and repayments per strategy variant and template (champion / challenger)",
        querystring: z.object({ from: plainDate, to: plainDate, paidWithinDays: z.coerce.number().int().min(0).max(30).default(3) }),
        response: {
          200: z.object({
            lines: z.array(
              z.object({
                strategyCode: z.string(),
                strategyName: z.string(),
                variantCode: z.string(),
                templateCode: z.string(),
                channel,
                planned: z.number(),
                sent: z.number(),
                delivered: z.number(),
                failed: z.number(),
                skipped: z.number(),
                replies: z.number(),
                optOuts: z.number(),
                paidAfter: z.number(),
                deliveryRatePerMille: z.number().nullable(),
                paymentRatePerMille: z.number().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      lines: await variantReport(context, lenderOf(request.actor), {
        from: request.query.from,
        to: request.query.to,
        paidWithinDays: request.query.paidWithinDays,
      }),
    }),
  );

  app.get(
    "/api/reminders/replies",
    {
      config: { access: "contacts:review" },
      schema: {
        tags: ["reminders"],
        summary: "Borrowers' replies and opt-outs (STOP / 退订), newest first",
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: {
          200: z.object({
            replies: z.array(
              z.object({
                provider: z.string(),
                eventId: z.string(),
                kind: z.enum(["reply", "stop"]),
                borrowerId: z.string().nullable(),
                fromMasked: z.string().nullable(),
                text: z.string(),
                receivedAt: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ replies: await listReplies(context, lenderOf(request.actor), request.query.limit) }),
  );
};

/** Provider callbacks. The body is read as text, so the signature is checked over the bytes that were signed. */
export const webhookRoutes: RouteModule = (app, context) => {
  for (const type of ["application/json", "text/plain", "application/x-www-form-urlencoded"]) {
    app.removeContentTypeParser(type);
    app.addContentTypeParser(type, { parseAs: "string", bodyLimit: 1_048_576 }, (_request, body, done) => done(null, body));
  }
  app.post(
    "/api/webhooks/:provider",
    {
      config: { access: "public" },
      schema: {
        tags: ["reminders"],
        summary: "Delivery receipts, replies and robot outcomes from a provider (signed; each event applied once)",
        params: z.object({ provider: z.enum(["http-json", "aliyun-sms", "voice-http"]) }),
        querystring: z.object({ token: z.string().max(200).optional() }),
        response: {
          200: z.object({
            received: z.number(),
            duplicates: z.number(),
            receipts: z.number(),
            replies: z.number(),
            stops: z.number(),
            robotOutcomes: z.number(),
            unmatched: z.number(),
          }),
        },
      },
    },
    async (request) => {
      const raw = typeof request.body === "string" ? request.body : "";
      const events = verifyWebhook(context, request.params.provider, request.headers, raw, request.query.token);
      return applyInboundEvents(context, request.params.provider, events);
    },
  );
};
