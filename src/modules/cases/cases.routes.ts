import { z } from "zod";
import type { RouteModule } from "../../platform/http/index.js";
import { homeSummary, listCases } from "./cases.service.js";

const caseItem = z.object({
  id: z.string(),
  borrowerId: z.string(),
  borrowerName: z.string().nullable(),
  phoneMasked: z.string(),
  status: z.string(),
  openedOn: z.string(),
  assignedAgent: z.string().nullable(),
});

export const caseRoutes: RouteModule = (app, context) => {
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
};
