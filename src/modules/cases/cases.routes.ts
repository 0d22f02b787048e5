import { z } from "zod";
import { AppError } from "../../platform/errors.js";
import type { RouteModule } from "../../platform/http/index.js";
import { KeptValues } from "../../platform/kept-values.js";
import { addDays, dateInZone, isPlainDate } from "../../platform/plain-date.js";
import { assignOpenCases, holdCase, reassignCases } from "./assignment.service.js";
import { caseDetailBody } from "./case-detail.service.js";
import { homeSummary, listCases } from "./cases.service.js";
import { CASE_PAGES_MAX, type CasePage } from "./domain/case-pages.js";
import { PAGES_MAX, type QueuePage } from "./domain/queue-pages.js";
import { listPromises, promiseKeptRates, recordPromise } from "./promises.service.js";
import { completeAction, queueBody, scheduleAction } from "./queue.service.js";
import { searchCases } from "./search.service.js";
import { listAgentCases, teamBoard } from "./team-board.service.js";
import { agentCasesQuery, agentCasesResponse, presentTeamBoard, teamBoardQuery, teamBoardResponse } from "./team-board.types.js";

const caseItem = z.object({
  id: z.string(),
  borrowerId: z.string(),
  borrowerName: z.string().nullable(),
  phoneMasked: z.string(),
  status: z.string(),
  openedOn: z.string(),
  assignedAgent: z.string().nullable(),
});

export const caseRoutes: RouteModule = async (app, context) => {
  // Agents' queue pages, kept until a change on them arrives (see queueBody).
  const queuePages = new KeptValues<QueuePage>(PAGES_MAX);
  // Case pages, kept likewise (see caseDetailBody).
  const casePages = new KeptValues<CasePage>(CASE_PAGES_MAX);
  const unsubscribe = await context.changes.subscribe((keys) => {
    queuePages.forget(keys);
    casePages.forget(keys);
  });
  app.addHook("onClose", async () => unsubscribe());

  app.get(
    "/api/cases",
    {
      config: { access: "cases:read" },
      schema: {
        tags: ["cases"],
        summary: "Cases in the caller's data scope (an agent: only their own)",
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: z.object({ cases: z.array(caseItem) }) },
      },
    },
    async (request) => ({ cases: await listCases(context, request.actor, request.query.limit) }),
  );

  app.get(
    "/api/home",
    {
      config: { access: "staff" },
      schema: {
        tags: ["cases"],
        summary: "Figures for the signed-in user's home page, within their data scope",
        response: {
          200: z.object({
            lender: z.object({ name: z.string(), nameEn: z.string() }),
            counts: z.object({ borrowers: z.number(), loanAccounts: z.number(), openCases: z.number(), myCases: z.number() }),
          }),
        },
      },
    },
    async (request) => homeSummary(context, request.actor),
  );

  app.get(
    "/api/cases/queue",
    {
      config: { access: "cases:read" },
      schema: {
        tags: ["cases"],
        summary: "The caller's work queue: open cases in scope, what is due first (callbacks due, broken promises, promises due, then the most overdue)",
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(100),
          status: z.enum(["new", "in_progress", "promised", "promise_broken", "plan_requested", "plan_active", "paused"]).optional(),
          bucket: z
            .string()
            .regex(/^M\d\+?$/)
            .optional(),
        }),
      },
    },
    async (request, reply) => {
      const body = await queueBody(context, queuePages, request.actor, {
        limit: request.query.limit,
        ...(request.query.status ? { status: request.query.status } : {}),
        ...(request.query.bucket ? { bucket: request.query.bucket } : {}),
      });
      return reply.type("application/json; charset=utf-8").send(body);
    },
  );

  app.post(
    "/api/cases/:id/actions",
    {
      config: { access: "contacts:make" },
      schema: {
        tags: ["cases"],
        summary: "Schedule a callback or next action on a case; the queue puts it first when it falls due",
        params: z.object({ id: z.uuid() }),
        body: z.object({
          kind: z.enum(["callback", "follow_up", "visit", "send_document"]),
          dueAt: z.iso.datetime({ offset: true }),
          note: z.string().max(500).nullable().default(null),
        }),
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (request, reply) => {
      const id = await scheduleAction(context, request.actor, request.params.id, { ...request.body, dueAt: new Date(request.body.dueAt) });
      reply.code(201);
      return { id };
    },
  );

  app.post(
    "/api/case-actions/:id/done",
    {
      config: { access: "contacts:make" },
      schema: { tags: ["cases"], summary: "Mark a callback or next action done", params: z.object({ id: z.uuid() }), response: { 204: z.null() } },
    },
    async (request, reply) => {
      await completeAction(context, request.actor, request.params.id);
      reply.code(204);
      return null;
    },
  );

  app.get(
    "/api/cases/search",
    {
      config: { access: "cases:read" },
      schema: {
        tags: ["cases"],
        summary: "Find cases by case or loan number, reference, or a full phone or national ID number (blind index; never partial plaintext)",
        querystring: z.object({ q: z.string() }),
        response: { 200: z.object({ matchedBy: z.string(), cases: z.array(caseItem) }) },
      },
    },
    async (request) => searchCases(context, request.actor, request.query.q),
  );

  app.get(
    "/api/cases/:id",
    {
      config: { access: "cases:read" },
      schema: {
        tags: ["cases"],
        summary:
          "A case as the agent works it: borrower (masked by role), accounts, contacts, contact timeline with gateway decisions, promises, restrictions, and what a call or SMS would get now",
        params: z.object({ id: z.uuid() }),
      },
    },
    async (request, reply) => reply.type("application/json; charset=utf-8").send(await caseDetailBody(context, casePages, request.actor, request.params.id)),
  );

  app.post(
    "/api/cases/assign-open",
    {
      config: { access: "cases:assign" },
      schema: {
        tags: ["cases"],
        summary: "Deal the unassigned open cases to agents now (the daily close does this after each date)",
        response: { 200: z.object({ assigned: z.number(), unassigned: z.number(), requeued: z.number() }) },
      },
    },
    async (request) => {
      const actor = request.actor;
      if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
      if (actor.agencyId) throw new AppError("FORBIDDEN", "automatic assignment is run by the lender's own supervisors");
      return context.database.db.transaction().execute((trx) => assignOpenCases(context, trx, actor.lenderId, actor.userId));
    },
  );

  app.post(
    "/api/cases/reassign",
    {
      config: { access: "cases:assign" },
      schema: {
        tags: ["cases"],
        summary: "Move cases to an agent, or back to the pool (agentId null); held cases stay unless includeHeld",
        body: z.object({
          caseIds: z.array(z.uuid()).min(1).max(1_000),
          agentId: z.uuid().nullable(),
          includeHeld: z.boolean().default(false),
          note: z.string().max(500).nullable().default(null),
        }),
        response: { 200: z.object({ moved: z.array(z.string()), held: z.array(z.string()) }) },
      },
    },
    async (request) => reassignCases(context, request.actor, request.body),
  );

  app.post(
    "/api/cases/:id/hold",
    {
      config: { access: "cases:assign" },
      schema: {
        tags: ["cases"],
        summary: "Hold a case with its agent until a date (留案), or release it (until null)",
        params: z.object({ id: z.uuid() }),
        body: z.object({ until: z.string().nullable(), reason: z.string().min(1).max(500) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await holdCase(context, request.actor, request.params.id, request.body.until, request.body.reason);
      reply.code(204);
      return null;
    },
  );

  app.post(
    "/api/cases/:id/promises",
    {
      config: { access: "contacts:make" },
      schema: {
        tags: ["cases"],
        summary: "Record a promise to pay (承诺还款): one or more amounts by dates; the daily close marks it kept or broken",
        params: z.object({ id: z.uuid() }),
        body: z.object({
          installments: z
            .array(z.object({ dueOn: z.string(), amountMinor: z.string() }))
            .min(1)
            .max(12),
          loanId: z.uuid().nullable().default(null),
          contactAttemptId: z.uuid().nullable().default(null),
        }),
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (request, reply) => {
      const id = await recordPromise(context, request.actor, request.params.id, request.body);
      reply.code(201);
      return { id };
    },
  );

  app.get(
    "/api/borrowers/:id/promises",
    {
      config: { access: "cases:read" },
      schema: { tags: ["cases"], summary: "A borrower's promises to pay, newest first, with each installment's check", params: z.object({ id: z.uuid() }) },
    },
    async (request) => ({ promises: await listPromises(context, request.actor, request.params.id) }),
  );

  app.get(
    "/api/reports/promise-kept-rate",
    {
      config: { access: "reports:read" },
      schema: {
        tags: ["cases"],
        summary: "Promise-kept rate per agent for promises made between two business dates (default: the last 30 days)",
        querystring: z.object({ from: z.string().optional(), to: z.string().optional() }),
      },
    },
    async (request) => {
      const actor = request.actor;
      if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
      const lender = await context.database.db.selectFrom("lenders").select("time_zone").where("id", "=", actor.lenderId).executeTakeFirstOrThrow();
      const to = request.query.to ?? dateInZone(context.clock.now(), lender.time_zone);
      const from = request.query.from ?? addDays(to, -30);
      for (const [field, value] of [
        ["from", from],
        ["to", to],
      ] as const) {
        if (!isPlainDate(value)) throw new AppError("VALIDATION_FAILED", `${field} ${JSON.stringify(value)} is not a date (YYYY-MM-DD)`, { field });
      }
      return { from, to, agents: await promiseKeptRates(context, actor.lenderId, from, to) };
    },
  );

  app.get(
    "/api/reports/team-board",
    {
      config: { access: "cases:assign" },
      schema: {
        tags: ["cases"],
        summary:
          "Team board (团队看板) for a business date: per agent open and held cases against capacity, contact attempts, connected, right-party contacts, promises made/due/kept/broken and the amount recovered; totals and unassigned cases",
        querystring: teamBoardQuery,
        response: { 200: teamBoardResponse },
      },
    },
    async (request) => presentTeamBoard(await teamBoard(context, request.actor, request.query.date)),
  );

  app.get(
    "/api/reports/team-board/cases",
    {
      config: { access: "cases:assign" },
      schema: {
        tags: ["cases"],
        summary: "One agent's open cases (or the unassigned pool) with amounts, DPD and holds, for reassignment through POST /api/cases/reassign",
        querystring: agentCasesQuery,
        response: { 200: agentCasesResponse },
      },
    },
    async (request) => ({ cases: await listAgentCases(context, request.actor, request.query.agentId) }),
  );
};
