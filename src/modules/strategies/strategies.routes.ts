// Reminder strategies (策略): segments with cadences and champion/challenger variants. The
// schemas give the shape; the domain checks the values, so a bad value is refused with the name
// the console shows it under ("segment.dpdMax", "variants[0].cadence[2].templateCode").
import { z } from "zod";
import type { RouteModule } from "../../platform/http/index.js";
import { activateStrategy, createStrategy, getStrategy, listStrategies, retireStrategy, updateStrategy } from "./strategies.service.js";

const segmentShape = {
  buckets: z.array(z.string()).optional().describe('"M0".."M7+"'),
  dpdMin: z.number().optional().describe("days past due, inclusive"),
  dpdMax: z.number().optional(),
  scoreMin: z.number().optional().describe("collection score 0..1000; an account without a score matches no score criterion"),
  scoreMax: z.number().optional(),
  overdueReasons: z.array(z.string()).optional().describe("the contact records' overdue reasons"),
  overdueMinMinor: z.string().optional().describe("overdue amount from, minor units"),
  overdueMaxMinor: z.string().optional(),
  productCodes: z.array(z.string()).optional(),
  daysBeforeDueMin: z.number().optional().describe("pre-due: days until the next installment falls due (0 = today)"),
  daysBeforeDueMax: z.number().optional(),
};
const stepShape = {
  key: z.string().describe('unique in the cadence, e.g. "d-3", "dpd-1-sms"'),
  anchor: z.string().describe('"due" (day relative to the next due date, -30..0) or "dpd" (day = days past due, 1..720)'),
  day: z.number(),
  channel: z.string().describe("sms, email, voice_robot, or agent (a callback task for the case)"),
  templateCode: z.string().optional().describe("a message template of the step's channel; required unless the channel is agent"),
  at: z.string().describe('preferred local time "HH:MM" in the borrower\'s zone'),
};
// Requests pass unknown fields on, so the domain refuses them by name; responses hold only the known ones.
const segment = z.looseObject(segmentShape);
const step = z.looseObject(stepShape);
const variant = z.looseObject({
  code: z.string().describe('"champion" or a challenger\'s code'),
  shareBasisPoints: z.number().describe("the variants' shares add up to 10000"),
  cadence: z.array(step),
});
const definition = {
  name: z.string().min(1).max(100),
  priority: z.number().int().min(0).max(100_000).describe("tried lowest first, ties by code"),
  segment,
  variants: z.array(variant).max(10),
};
const strategyView = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  priority: z.number(),
  status: z.enum(["draft", "active", "retired"]),
  version: z.number(),
  segment: z.object(segmentShape),
  variants: z.array(z.object({ id: z.string(), code: z.string(), shareBasisPoints: z.number(), cadence: z.array(z.object(stepShape)) })),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string(),
});
const params = z.object({ id: z.uuid() });

export const strategyRoutes: RouteModule = (app, context) => {
  app.get(
    "/api/strategies",
    {
      // Strategists, supervisors, compliance and admins read strategies; only strategists change them.
      config: { access: "reports:read" },
      schema: {
        tags: ["strategies"],
        summary: "The lender's reminder strategies in the order they are tried, with their variants and cadences",
        response: { 200: z.object({ strategies: z.array(strategyView) }) },
      },
    },
    async (request) => ({ strategies: await listStrategies(context, request.actor) }),
  );

  app.get(
    "/api/strategies/:id",
    {
      config: { access: "reports:read" },
      schema: { tags: ["strategies"], summary: "One strategy", params, response: { 200: strategyView } },
    },
    async (request) => getStrategy(context, request.actor, request.params.id),
  );

  app.post(
    "/api/strategies",
    {
      config: { access: "strategies:manage" },
      schema: {
        tags: ["strategies"],
        summary: "Draft a strategy: segment, priority, and variants (the champion and any challengers) with their shares and cadences",
        body: z.object({ code: z.string().min(1).max(32), ...definition }),
        response: { 201: strategyView },
      },
    },
    async (request, reply) => {
      const view = await createStrategy(context, request.actor, request.body);
      reply.code(201);
      return view;
    },
  );

  app.put(
    "/api/strategies/:id",
    {
      config: { access: "strategies:manage" },
      schema: {
        tags: ["strategies"],
        summary: "Replace a strategy's name, priority, segment and variants; bumps its version",
        params,
        body: z.object(definition),
        response: { 200: strategyView },
      },
    },
    async (request) => updateStrategy(context, request.actor, request.params.id, request.body),
  );

  app.post(
    "/api/strategies/:id/activate",
    {
      config: { access: "strategies:manage" },
      schema: {
        tags: ["strategies"],
        summary: "Put a draft to use; refused while a step's template has no approved version",
        params,
        response: { 200: strategyView },
      },
    },
    async (request) => activateStrategy(context, request.actor, request.params.id),
  );

  app.post(
    "/api/strategies/:id/retire",
    {
      config: { access: "strategies:manage" },
      schema: { tags: ["strategies"], summary: "Take a strategy out of use for good; it stays for the record", params, response: { 200: strategyView } },
    },
    async (request) => retireStrategy(context, request.actor, request.params.id),
  );
};
