// Every error leaves the server as { error: { code, message, details } }. AppErrors keep their
// code and status; validation failures name the fields; anything else is a 500 that says only
// "internal error" and the request id — the stack goes to the log, never to the client.
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { z } from "zod";
import { isAppError } from "../errors.js";

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export function sendError(reply: FastifyReply, status: number, code: string, message: string, details?: unknown) {
  return reply.code(status).send({ error: { code, message, ...(details === undefined ? {} : { details }) } });
}

export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (isAppError(error)) {
    if (error.status >= 500) request.log.error({ err: error }, "application error");
    return sendError(reply, error.status, error.code, error.message, error.details);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const fields = error.validation.map((issue) => ({
      field: [error.validationContext, ...issue.instancePath.split("/").filter(Boolean)].join("."),
      message: issue.message,
    }));
    const summary = fields.map((field) => `${field.field}: ${field.message}`).join("; ");
    return sendError(reply, 400, "VALIDATION_FAILED", `invalid request — ${summary}`, { fields });
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    const code = error.statusCode === 429 ? "RATE_LIMITED" : error.statusCode === 404 ? "NOT_FOUND" : "BAD_REQUEST";
    return sendError(reply, error.statusCode, code, error.message);
  }
  request.log.error({ err: error }, "unhandled error");
  return sendError(reply, 500, "INTERNAL", `internal error (request ${request.id})`);
}
