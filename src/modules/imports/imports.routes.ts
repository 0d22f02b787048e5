import { z } from "zod";
import { AppError } from "../../platform/errors.js";
import type { RouteModule } from "../../platform/http/index.js";
import { importKinds } from "./domain/import-rows.js";
import { runImport } from "./imports.service.js";

export const importRoutes: RouteModule = (app, context) => {
  app.post(
    "/api/imports/:kind",
    {
      config: { access: "imports:run" },
      bodyLimit: 20 * 1024 * 1024,
      schema: {
        tags: ["imports"],
        summary: "Import borrowers, contacts, loans or payments (CSV or JSON); any bad row rejects the whole file",
        params: z.object({ kind: z.enum(importKinds) }),
        body: z.object({ fileName: z.string().min(1).max(200), format: z.enum(["csv", "json"]), content: z.string().min(1) }),
        response: { 200: z.object({ kind: z.string(), fileName: z.string(), rowsTotal: z.number(), inserted: z.number(), unchanged: z.number() }) },
      },
    },
    async (request) => {
      const actor = request.actor;
      if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
      return runImport(context, { lenderId: actor.lenderId, kind: request.params.kind, ...request.body, actor: { actorType: "staff", actorId: actor.userId } });
    },
  );
};
