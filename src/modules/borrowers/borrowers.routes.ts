import { z } from "zod";
import type { RouteModule } from "../../platform/http/index.js";
import { getBorrowerProfile, revealBorrowerField } from "./borrowers.service.js";

const piiField = z.enum(["name", "national_id", "phone", "address", "email"]);
const profile = z.object({
  id: z.string(),
  externalRef: z.string(),
  name: z.string().nullable(),
  nationalId: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  email: z.string().nullable(),
  birthDate: z.string().nullable(),
  locale: z.string(),
  timeZone: z.string(),
});

export const borrowerRoutes: RouteModule = (app, context) => {
  app.get(
    "/api/borrowers/:borrowerId",
    {
      config: { access: "borrowers:read" },
      schema: {
        tags: ["borrowers"],
        summary: "A borrower's identity, masked for the caller's role",
        params: z.object({ borrowerId: z.uuid() }),
        response: { 200: z.object({ borrower: profile }) },
      },
    },
    async (request) => ({ borrower: await getBorrowerProfile(context, request.actor, request.params.borrowerId) }),
  );

  app.post(
    "/api/borrowers/:borrowerId/reveal",
    {
      config: { access: "pii:reveal" },
      schema: {
        tags: ["borrowers"],
        summary: "Reveal one identifier in full, with a reason (audited)",
        params: z.object({ borrowerId: z.uuid() }),
        body: z.object({ field: piiField, reason: z.string().min(1).max(500) }),
        response: { 200: z.object({ field: piiField, value: z.string().nullable() }) },
      },
    },
    async (request) => ({
      field: request.body.field,
      value: await revealBorrowerField(context, request.actor, request.params.borrowerId, request.body.field, request.body.reason, request.ip),
    }),
  );
};
