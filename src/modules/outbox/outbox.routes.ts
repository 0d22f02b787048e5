import { z } from "zod";
import type { RouteModule } from "../../platform/http/index.js";
import { listOutbox } from "./outbox.service.js";

const outboxEntry = z.object({
  id: z.string(),
  channel: z.enum(["sms", "email", "voice"]),
  recipientMasked: z.string(),
  purpose: z.string(),
  body: z.string(),
  createdAt: z.string(),
});

export const outboxRoutes: RouteModule = (app, context) => {
  app.get(
    "/api/dev/outbox",
    {
      config: { access: "outbox:read" },
      schema: {
        tags: ["development"],
        summary: "Messages held in the development outbox (newest first)",
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ messages: z.array(outboxEntry) }) },
      },
    },
    async (request) => ({ messages: await listOutbox(context, request.query.limit) }),
  );
};
