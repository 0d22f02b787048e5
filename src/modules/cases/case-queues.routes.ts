// Case queues (队列) and teams: supervisors define which queue a case belongs in and which team
// works it; the next assignment (after each close, or "assign now") routes cases by them.
import { z } from "zod";
import type { RouteModule } from "../../platform/http/index.js";
import { addTeamMembers, createTeam, listQueues, listTeams, saveQueue } from "./case-queues.service.js";

const criteria = z
  .object({
    buckets: z.array(z.string()).optional(),
    productCodes: z.array(z.string()).optional(),
    overdueMinMinor: z.string().optional(),
    overdueMaxMinor: z.string().optional(),
    regionCodes: z.array(z.string()).optional(),
    languages: z.array(z.string()).optional(),
    scoreMin: z.number().optional(),
    scoreMax: z.number().optional(),
  })
  .strict();
const queueBody = z.object({
  code: z.string().min(1).max(32),
  name: z.string().min(1).max(100),
  priority: z.number().int().min(0).max(100_000),
  criteria,
  teamId: z.uuid().nullable().default(null),
  isActive: z.boolean().default(true),
});
const queueView = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  priority: z.number(),
  criteria,
  teamId: z.string().nullable(),
  teamName: z.string().nullable(),
  isActive: z.boolean(),
  openCases: z.number(),
});

export const caseQueueRoutes: RouteModule = (app, context) => {
  app.get(
    "/api/case-queues",
    {
      config: { access: "cases:assign" },
      schema: {
        tags: ["cases"],
        summary: "The lender's case queues in the order they are tried, with their open cases",
        response: { 200: z.object({ queues: z.array(queueView) }) },
      },
    },
    async (request) => ({ queues: await listQueues(context, request.actor) }),
  );

  app.post(
    "/api/case-queues",
    {
      config: { access: "cases:assign" },
      schema: {
        tags: ["cases"],
        summary: "Define a queue: criteria (bucket, product, amount band, region, language, score band), priority and the team that works it",
        body: queueBody,
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (request, reply) => {
      const id = await saveQueue(context, request.actor, null, request.body);
      reply.code(201);
      return { id };
    },
  );

  app.put(
    "/api/case-queues/:id",
    {
      config: { access: "cases:assign" },
      schema: {
        tags: ["cases"],
        summary: "Change a queue; cases move at the next assignment",
        params: z.object({ id: z.uuid() }),
        body: queueBody,
        response: { 200: z.object({ id: z.string() }) },
      },
    },
    async (request) => ({ id: await saveQueue(context, request.actor, request.params.id, request.body) }),
  );

  app.get(
    "/api/teams",
    {
      config: { access: "cases:assign" },
      schema: {
        tags: ["cases"],
        summary: "Teams of agents and their members",
        response: {
          200: z.object({
            teams: z.array(
              z.object({
                id: z.string(),
                code: z.string(),
                name: z.string(),
                agencyId: z.string().nullable(),
                members: z.array(z.object({ id: z.string(), displayName: z.string() })),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ teams: await listTeams(context, request.actor) }),
  );

  app.post(
    "/api/teams",
    {
      config: { access: "cases:assign" },
      schema: {
        tags: ["cases"],
        summary: "Create a team (of an agency, or in-house)",
        body: z.object({ code: z.string().min(1).max(32), name: z.string().min(1).max(100), agencyId: z.uuid().nullable().default(null) }),
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (request, reply) => {
      const id = await createTeam(context, request.actor, request.body);
      reply.code(201);
      return { id };
    },
  );

  app.post(
    "/api/teams/:id/members",
    {
      config: { access: "cases:assign" },
      schema: {
        tags: ["cases"],
        summary: "Put agents in the team (out of any other)",
        params: z.object({ id: z.uuid() }),
        body: z.object({ userIds: z.array(z.uuid()).min(1).max(500) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await addTeamMembers(context, request.actor, request.params.id, request.body.userIds);
      reply.code(204);
      return null;
    },
  );
};
