// The contact gateway over HTTP: the scenario preview (the contract other tools use), agents'
// contact attempts and their outcomes, the decisions compliance officers review, content
// checks, the rule catalogue, the lender's pack settings, and a borrower's restrictions,
// consents and preferences.
import { z } from "zod";
import { type Actor, dataScopeOf } from "../../platform/auth/index.js";
import { AppError } from "../../platform/errors.js";
import type { RouteModule } from "../../platform/http/index.js";
import { isBorrowerInScope } from "../borrowers/index.js";
import {
  addConsent,
  addRestriction,
  endRestriction,
  getComplianceSettings,
  listAttempts,
  listDecisions,
  listRestrictions,
  presentDecision,
  previewScenario,
  recordOutcome,
  setPreferences,
  updateComplianceSettings,
} from "./compliance.service.js";
import { attemptContact, recipientOf, requesterOf } from "./contact-gateway.service.js";
import {
  attitudes,
  channels,
  checkContent,
  contentClasses,
  decisions,
  isTimeZone,
  overdueReasons,
  personRoles,
  resultCodes,
  ruleCatalogue,
  weekdays,
} from "./domain/index.js";

const restrictionKinds = [
  "complaint_open",
  "dispute_open",
  "cease_requested",
  "stop_calling",
  "attorney_represented",
  "deceased",
  "plan_in_good_standing",
] as const;
// Restrictions an agent may record on the spot; lifting any restriction is a reviewer's call.
const agentRestrictionKinds: readonly string[] = ["complaint_open", "dispute_open", "cease_requested", "stop_calling", "attorney_represented", "deceased"];

const reasonView = z.object({
  rule: z.string(),
  effect: z.string(),
  source: z.string(),
  message: z.string(),
  messageZh: z.string(),
  messageEn: z.string(),
  allowedFrom: z.string().optional(),
  span: z.object({ start: z.number(), end: z.number(), text: z.string() }).optional(),
});
const decisionView = z.object({
  decision: z.enum(decisions),
  reasons: z.array(reasonView),
  nextAllowedAt: z.string().nullable(),
  pack: z.object({ id: z.string(), version: z.string() }),
});
const timeRange = z.object({ days: z.array(z.enum(weekdays)).optional(), from: z.string().regex(/^\d{2}:\d{2}$/), to: z.string().regex(/^\d{2}:\d{2}$/) });

function staffOf(actor: Actor) {
  if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
  return actor;
}

export const complianceRoutes: RouteModule = (app, context) => {
  const { db } = context.database;

  app.post(
    "/api/compliance/decisions/preview",
    {
      config: { access: "staff" },
      schema: {
        tags: ["compliance"],
        summary: "Decide a contact scenario without storing anything (the same JSON as `duecare compliance check`)",
        body: z.unknown(),
        response: { 200: decisionView },
      },
    },
    async (request) => {
      const result = previewScenario(request.body);
      if (!result.ok) {
        const summary = result.errors.map((error) => `${error.path}: ${error.message}`).join("; ");
        throw new AppError("VALIDATION_FAILED", `invalid scenario — ${summary}`, {
          fields: result.errors.map((error) => ({ field: error.path, message: error.message })),
        });
      }
      return presentDecision(result.decision);
    },
  );

  app.post(
    "/api/contact-attempts",
    {
      config: { access: "contacts:make" },
      schema: {
        tags: ["compliance"],
        summary: "Contact a borrower or one of their contacts (dial, send an SMS or e-mail, schedule a visit or letter) through the gateway",
        description:
          "The gateway decides first and the decision is stored with the attempt. A message the gateway allows is sent; a refused attempt is stored as blocked or deferred with the reasons and the next allowed time.",
        body: z.object({
          borrowerId: z.uuid(),
          contactId: z.uuid().nullable().default(null),
          channel: z.enum(channels),
          contentClass: z.enum(contentClasses).default("collection"),
          text: z.string().min(1).max(2_000).nullable().default(null),
          loanId: z.uuid().nullable().default(null),
          scheduledAt: z.iso.datetime({ offset: true }).optional(),
        }),
        response: {
          201: z.object({ attemptId: z.string(), status: z.string(), decisionId: z.string(), ...decisionView.shape }),
        },
      },
    },
    async (request, reply) => {
      const actor = staffOf(request.actor);
      const body = request.body;
      const now = context.clock.now();
      let at = now;
      if (body.scheduledAt) {
        if (body.channel !== "visit" && body.channel !== "letter") {
          throw new AppError("VALIDATION_FAILED", "scheduledAt is for visits and letters; calls and messages happen now", { field: "scheduledAt" });
        }
        at = new Date(body.scheduledAt);
        if (at.getTime() < now.getTime() - 60_000) throw new AppError("VALIDATION_FAILED", "scheduledAt is in the past", { field: "scheduledAt" });
      }
      if ((body.channel === "sms" || body.channel === "email") && !body.text) {
        throw new AppError("VALIDATION_FAILED", `a ${body.channel} needs its text`, { field: "text" });
      }
      const result = await db.transaction().execute(async (trx) => {
        if (!(await isInScope(trx, actor, body.borrowerId))) throw new AppError("NOT_FOUND", `borrower ${body.borrowerId} not found`);
        return attemptContact(
          context,
          trx,
          requesterOf(actor),
          {
            borrowerId: body.borrowerId,
            contactId: body.contactId,
            channel: body.channel,
            contentClass: body.contentClass,
            text: body.text,
            loanId: body.loanId,
            at,
          },
          () => recipientOf(context, trx, body.borrowerId, body.contactId, body.channel),
        );
      });
      reply.code(201);
      return { attemptId: result.attemptId, status: result.status, decisionId: result.decision.decisionId, ...presentDecision(result.decision) };
    },
  );

  async function isInScope(executor: typeof db, actor: Actor, borrowerId: string) {
    return isBorrowerInScope(executor, dataScopeOf(actor), borrowerId);
  }

  app.patch(
    "/api/contact-attempts/:id",
    {
      config: { access: "contacts:make" },
      schema: {
        tags: ["compliance"],
        summary: "Log how a call or visit went (催记): result code, right-party contact, overdue reason, attitude, note; the next decision counts it",
        params: z.object({ id: z.uuid() }),
        body: z.object({
          resultCode: z.enum(resultCodes),
          rightPartyContact: z.boolean().default(false),
          overdueReason: z.enum(overdueReasons).nullable().default(null),
          attitude: z.enum(attitudes).nullable().default(null),
          note: z.string().min(1).max(2_000).nullable().default(null),
        }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const actor = staffOf(request.actor);
      await recordOutcome(
        context,
        { userId: actor.userId, lenderId: actor.lenderId, mayActForOthers: actor.permissions.includes("contacts:review") },
        request.params.id,
        request.body,
      );
      reply.code(204);
      return null;
    },
  );

  app.get(
    "/api/borrowers/:id/contact-attempts",
    {
      config: { access: "cases:read" },
      schema: {
        tags: ["compliance"],
        summary: "A borrower's contact timeline, newest first, with the gateway decision of each attempt",
        params: z.object({ id: z.uuid() }),
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
      },
    },
    async (request) => ({ attempts: await listAttempts(context, dataScopeOf(request.actor), request.params.id, request.query.limit) }),
  );

  app.get(
    "/api/compliance/decisions",
    {
      config: { access: "contacts:review" },
      schema: {
        tags: ["compliance"],
        summary: "Gateway decisions for review, newest first (by default the blocked and deferred ones)",
        querystring: z.object({
          decision: z
            .string()
            .default("block,defer")
            .transform((value) => value.split(",").filter(Boolean))
            .pipe(z.array(z.enum(decisions)).min(1)),
          borrowerId: z.uuid().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
    },
    async (request) => {
      const actor = staffOf(request.actor);
      return {
        decisions: await listDecisions(context, actor.lenderId, {
          decisions: request.query.decision,
          limit: request.query.limit,
          ...(request.query.borrowerId ? { borrowerId: request.query.borrowerId } : {}),
        }),
      };
    },
  );

  app.get(
    "/api/compliance/rules",
    {
      config: { access: "staff" },
      schema: { tags: ["compliance"], summary: "Every rule of every pack: id, pack, legal source, parameters, what counts" },
    },
    async () => ({ rules: ruleCatalogue }),
  );

  app.post(
    "/api/compliance/content-checks",
    {
      config: { access: "staff" },
      schema: {
        tags: ["compliance"],
        summary: "Check a message or script for forbidden expressions and required elements",
        body: z.object({
          text: z.string().min(1).max(20_000),
          pack: z.string().optional(),
          channel: z.enum(channels).default("sms"),
          contentClass: z.enum(contentClasses).default("collection"),
          role: z.enum(personRoles).default("borrower"),
        }),
      },
    },
    async (request) => {
      const actor = staffOf(request.actor);
      const settings = await getComplianceSettings(context, actor.lenderId);
      const lender = await db.selectFrom("lenders").select(["name", "name_en"]).where("id", "=", actor.lenderId).executeTakeFirstOrThrow();
      const pack = request.body.pack ?? settings.pack;
      const findings = checkContent(request.body.text, {
        pack: pack as never,
        channel: request.body.channel,
        contentClass: request.body.contentClass,
        role: request.body.role,
        institutionName: pack.startsWith("us-") ? lender.name_en : lender.name,
      });
      return { passes: findings.length === 0, findings };
    },
  );

  app.get(
    "/api/compliance/settings",
    {
      config: { access: "contacts:review" },
      schema: { tags: ["compliance"], summary: "The lender's rule pack, its version in effect, overrides and first-party setting" },
    },
    async (request) => getComplianceSettings(context, staffOf(request.actor).lenderId),
  );

  app.put(
    "/api/compliance/settings",
    {
      config: { access: "rules:manage" },
      schema: {
        tags: ["compliance"],
        summary: "Choose the lender's rule pack and overrides; an override may only tighten a statutory limit",
        body: z.object({
          pack: z.string().min(1),
          overrides: z.record(z.string(), z.union([z.number(), z.boolean(), z.string(), z.array(z.string())])).default({}),
          firstPartyCreditor: z.boolean().default(false),
        }),
      },
    },
    async (request) => {
      const actor = staffOf(request.actor);
      await updateComplianceSettings(context, { userId: actor.userId, lenderId: actor.lenderId }, request.body);
      return getComplianceSettings(context, actor.lenderId);
    },
  );

  app.get(
    "/api/borrowers/:id/contact-restrictions",
    {
      config: { access: "cases:read" },
      schema: { tags: ["compliance"], summary: "Restrictions on contacting a borrower, open and ended", params: z.object({ id: z.uuid() }) },
    },
    async (request) => ({ restrictions: await listRestrictions(context, dataScopeOf(request.actor), request.params.id) }),
  );

  app.post(
    "/api/borrowers/:id/contact-restrictions",
    {
      config: { access: "contacts:make" },
      schema: {
        tags: ["compliance"],
        summary: "Record a dispute, complaint, cease or stop-calling request, representation or death; collection pauses per the rule pack",
        params: z.object({ id: z.uuid() }),
        body: z.object({ kind: z.enum(restrictionKinds), note: z.string().max(2_000).nullable().default(null) }),
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (request, reply) => {
      const actor = staffOf(request.actor);
      if (!agentRestrictionKinds.includes(request.body.kind) && !actor.permissions.includes("contacts:review")) {
        throw new AppError("FORBIDDEN", `only a reviewer may record ${request.body.kind}`);
      }
      const id = await addRestriction(context, { userId: actor.userId, scope: dataScopeOf(actor) }, request.params.id, request.body);
      reply.code(201);
      return { id };
    },
  );

  app.post(
    "/api/contact-restrictions/:id/end",
    {
      config: { access: "contacts:review" },
      schema: {
        tags: ["compliance"],
        summary: "End a restriction (a complaint resolved, a dispute settled)",
        params: z.object({ id: z.uuid() }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const actor = staffOf(request.actor);
      await endRestriction(context, { userId: actor.userId, lenderId: actor.lenderId }, request.params.id);
      reply.code(204);
      return null;
    },
  );

  app.post(
    "/api/borrowers/:id/contact-consents",
    {
      config: { access: "contacts:make" },
      schema: {
        tags: ["compliance"],
        summary: "Record a person's consent to be contacted on a channel for a period",
        params: z.object({ id: z.uuid() }),
        body: z.object({
          contactId: z.uuid().nullable().default(null),
          channel: z.enum(channels),
          validFrom: z.iso.datetime({ offset: true }).optional(),
          validUntil: z.iso.datetime({ offset: true }).nullable().default(null),
        }),
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (request, reply) => {
      const actor = staffOf(request.actor);
      const id = await addConsent(context, { userId: actor.userId, scope: dataScopeOf(actor) }, request.params.id, {
        contactId: request.body.contactId,
        channel: request.body.channel,
        validFrom: request.body.validFrom ? new Date(request.body.validFrom) : context.clock.now(),
        validUntil: request.body.validUntil ? new Date(request.body.validUntil) : null,
      });
      reply.code(201);
      return { id };
    },
  );

  app.put(
    "/api/borrowers/:id/contact-preferences",
    {
      config: { access: "contacts:make" },
      schema: {
        tags: ["compliance"],
        summary: "A person's zones, opted-out channels, inconvenient times and agreed contact schedule",
        params: z.object({ id: z.uuid() }),
        body: z.object({
          contactId: z.uuid().nullable().default(null),
          timeZones: z
            .array(z.string().refine(isTimeZone, { message: "is not a known IANA time zone" }))
            .max(20)
            .default([]),
          optOuts: z.array(z.enum(channels)).default([]),
          inconvenientTimes: z.array(timeRange).max(50).default([]),
          agreedSchedule: z.array(timeRange).max(50).nullable().default(null),
        }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const actor = staffOf(request.actor);
      await setPreferences(context, { userId: actor.userId, scope: dataScopeOf(actor) }, request.params.id, request.body);
      reply.code(204);
      return null;
    },
  );
};
