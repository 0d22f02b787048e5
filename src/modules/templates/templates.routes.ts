// Message templates over HTTP: list, create, new version, submit, approve, reject, retire and
// preview for the people who write and approve them; and, on a case, the approved templates
// rendered with the borrower's own numbers and sending one through the contact gateway.
import { z } from "zod";
import type { RouteModule } from "../../platform/http/index.js";
import { contentClasses, presentDecision } from "../compliance/index.js";
import { templateChannels, templatePurposes } from "./domain/template-lifecycle.js";
import { TEMPLATE_LENGTH_MAX } from "./domain/template-syntax.js";
import { templateLanguages } from "./domain/template-variables.js";
import {
  addVersion,
  approveVersion,
  createTemplate,
  getTemplate,
  listTemplates,
  previewTemplate,
  rejectVersion,
  retireTemplate,
  sendTemplateMessage,
  submitVersion,
  templatesForCase,
} from "./templates.service.js";

const templateParams = z.object({ id: z.uuid() });
const versionParams = z.object({ id: z.uuid(), versionId: z.uuid() });
const body = z.string().min(1).max(TEMPLATE_LENGTH_MAX);
const subject = z.string().max(TEMPLATE_LENGTH_MAX).nullable().default(null);

export const templateRoutes: RouteModule = (app, context) => {
  app.get(
    "/api/templates",
    {
      // rules:manage or strategies:manage, checked by the service.
      config: { access: "staff" },
      schema: {
        tags: ["templates"],
        summary: "The lender's message templates with their versions, status and the version in use",
        querystring: z.object({ channel: z.enum(templateChannels).optional(), language: z.enum(templateLanguages).optional() }),
      },
    },
    async (request) => ({ templates: await listTemplates(context, request.actor, request.query) }),
  );

  app.get(
    "/api/templates/:id",
    { config: { access: "staff" }, schema: { tags: ["templates"], summary: "One template with its versions", params: templateParams } },
    async (request) => getTemplate(context, request.actor, request.params.id),
  );

  app.post(
    "/api/templates",
    {
      config: { access: "staff" },
      schema: {
        tags: ["templates"],
        summary: "Draft a new template (version 1); rules:manage or strategies:manage",
        description: "The body uses {{variable}} placeholders from the catalogue; an unknown variable or bad syntax is refused with its line and column.",
        body: z.object({
          code: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, "lower-case letters, digits, '.', '_' or '-', at most 64"),
          name: z.string().trim().min(1).max(200),
          channel: z.enum(templateChannels),
          language: z.enum(templateLanguages),
          purpose: z.enum(templatePurposes),
          contentClass: z.enum(contentClasses).optional(),
          body,
          subject,
        }),
      },
    },
    async (request, reply) => {
      reply.code(201);
      return createTemplate(context, request.actor, request.body);
    },
  );

  app.post(
    "/api/templates/:id/versions",
    {
      config: { access: "staff" },
      schema: {
        tags: ["templates"],
        summary: "A new draft version; the approved version stays in use until this one is approved",
        params: templateParams,
        body: z.object({ body, subject }),
      },
    },
    async (request, reply) => {
      reply.code(201);
      return addVersion(context, request.actor, request.params.id, request.body);
    },
  );

  app.post(
    "/api/templates/:id/versions/:versionId/submit",
    { config: { access: "staff" }, schema: { tags: ["templates"], summary: "Submit a draft for approval", params: versionParams } },
    async (request) => submitVersion(context, request.actor, request.params.id, request.params.versionId),
  );

  app.post(
    "/api/templates/:id/versions/:versionId/approve",
    {
      config: { access: "rules:manage" },
      schema: {
        tags: ["templates"],
        summary: "Approve a version (four-eyes); refused with the content check's findings when it fails",
        params: versionParams,
      },
    },
    async (request) => approveVersion(context, request.actor, request.params.id, request.params.versionId),
  );

  app.post(
    "/api/templates/:id/versions/:versionId/reject",
    {
      config: { access: "rules:manage" },
      schema: {
        tags: ["templates"],
        summary: "Reject a version pending approval, saying why",
        params: versionParams,
        body: z.object({ note: z.string().trim().min(2).max(2_000) }),
      },
    },
    async (request) => rejectVersion(context, request.actor, request.params.id, request.params.versionId, request.body.note),
  );

  app.post(
    "/api/templates/:id/retire",
    { config: { access: "rules:manage" }, schema: { tags: ["templates"], summary: "Retire a template: it is sent no more", params: templateParams } },
    async (request) => retireTemplate(context, request.actor, request.params.id),
  );

  app.post(
    "/api/templates/:id/preview",
    {
      config: { access: "staff" },
      schema: {
        tags: ["templates"],
        summary: "Render a version (or the text being edited) with a case's own numbers or the sample values, with the content check",
        params: templateParams,
        body: z.object({
          versionId: z.uuid().optional(),
          body: body.optional(),
          subject: z.string().max(TEMPLATE_LENGTH_MAX).nullable().optional(),
          caseId: z.uuid().optional(),
        }),
      },
    },
    async (request) => previewTemplate(context, request.actor, request.params.id, request.body),
  );

  app.get(
    "/api/cases/:id/template-messages",
    {
      config: { access: "cases:read" },
      schema: {
        tags: ["templates"],
        summary: "The approved templates of a channel, each rendered with the case's own numbers",
        params: z.object({ id: z.uuid() }),
        querystring: z.object({ channel: z.enum(["sms", "email"]).default("sms") }),
      },
    },
    async (request) => ({ templates: await templatesForCase(context, request.actor, request.params.id, request.query.channel) }),
  );

  app.post(
    "/api/cases/:id/template-messages",
    {
      config: { access: "contacts:make" },
      schema: {
        tags: ["templates"],
        summary: "Send an approved template to the case's borrower (or a contact) through the contact gateway",
        description:
          "Rendered with the case's own numbers, then decided by the gateway like any message: sent only when allowed, stored as blocked or deferred with the reasons and the next allowed time otherwise. The attempt records the template version.",
        params: z.object({ id: z.uuid() }),
        body: z.object({ templateId: z.uuid(), versionId: z.uuid().optional(), contactId: z.uuid().nullable().default(null) }),
      },
    },
    async (request, reply) => {
      const result = await sendTemplateMessage(context, request.actor, request.params.id, request.body);
      reply.code(201);
      return {
        attemptId: result.attemptId,
        status: result.status,
        decisionId: result.decision.decisionId,
        templateId: result.templateId,
        versionId: result.versionId,
        text: result.text,
        ...presentDecision(result.decision),
      };
    },
  );
};
