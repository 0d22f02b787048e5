// Receipts, replies and robot outcomes coming back from providers, normalised into InboundEvent.
// Two inbound formats:
// - the generic JSON format (our HTTP SMS contract and the voice robot), signed with the v1
//   HMAC scheme of outgoing requests: verifySignedWebhook, then parseGenericWebhook;
// - Aliyun's HTTP push of SmsReport (delivery receipts) and SmsUp (replies), which carries no
//   signature, so our endpoint requires a secret token in its URL: verifyToken, then
//   parseAliyunReports.
// Nothing here throws on bad input: every function returns a typed result naming what is wrong.
import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { isPlainDate } from "../../../platform/plain-date.js";
import { SIGNATURE_HEADER, SIGNATURE_VERSION, signatureFor, TIMESTAMP_HEADER } from "./signed-request.js";
import { isStopReply } from "./stop-reply.js";

export type RobotOutcome = "connected" | "no_answer" | "busy" | "failed" | "promise_to_pay" | "transferred";
export const robotOutcomes: readonly RobotOutcome[] = ["connected", "no_answer", "busy", "failed", "promise_to_pay", "transferred"];

export type InboundEvent =
  | {
      kind: "receipt";
      provider: string;
      eventId: string;
      providerMessageId: string | null;
      idempotencyKey: string | null;
      status: "delivered" | "failed";
      errorCode: string | null;
      at: Date;
    }
  | { kind: "reply"; provider: string; eventId: string; from: string; text: string; at: Date; isStop: boolean }
  | {
      kind: "robot_outcome";
      provider: string;
      eventId: string;
      providerMessageId: string | null;
      idempotencyKey: string | null;
      outcome: RobotOutcome;
      promiseAmountMinor: bigint | null;
      promiseDate: string | null;
      at: Date;
    };

export interface WebhookProblem {
  /** Where: "events[2].status", "[0].biz_id", "body". */
  path: string;
  message: string;
}

export type WebhookParseResult = { ok: true; events: InboundEvent[] } | { ok: false; problems: WebhookProblem[] };

/** One delivery carries at most this many events; a provider batching more must split them. */
export const WEBHOOK_EVENTS_MAX = 1000;
/** A body larger than this is refused before parsing (a thousand events fit easily). */
export const WEBHOOK_BODY_BYTES_MAX = 1_048_576;
const PROBLEMS_MAX = 20;

// ---------------------------------------------------------------------------------------------
// Signature and token checks

export type WebhookHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export type WebhookRejection = "missing_timestamp" | "bad_timestamp" | "stale_timestamp" | "missing_signature" | "bad_signature_format" | "signature_mismatch";

export type WebhookVerification = { ok: true; timestampSeconds: number } | { ok: false; reason: WebhookRejection; message: string };

/** Tolerance beyond which a signed timestamp is a replay (or a clock that needs fixing). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
/** A sender rotating its secret may sign with both; more entries than this are not a rotation. */
const SIGNATURES_PER_HEADER_MAX = 5;

function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return typeof value === "string" ? value : value.join(",");
  }
  return undefined;
}

function refuse(reason: WebhookRejection, message: string): WebhookVerification {
  return { ok: false, reason, message };
}

/**
 * Checks X-Duecare-Timestamp and X-Duecare-Signature (v1=hex HMAC-SHA256 of timestamp + "." +
 * rawBody, several comma-separated v1 entries allowed while a secret rotates) in constant time,
 * and refuses a timestamp more than toleranceSeconds from now.
 */
export function verifySignedWebhook(
  secret: string,
  headers: WebhookHeaders,
  rawBody: string | Uint8Array,
  nowMs: number,
  toleranceSeconds: number = WEBHOOK_TOLERANCE_SECONDS,
): WebhookVerification {
  if (typeof secret !== "string" || secret.length === 0) return refuse("signature_mismatch", "no webhook secret is configured");
  const timestampText = headerValue(headers, TIMESTAMP_HEADER)?.trim();
  if (timestampText === undefined || timestampText === "") return refuse("missing_timestamp", `${TIMESTAMP_HEADER} is missing`);
  if (!/^\d{1,12}$/.test(timestampText)) return refuse("bad_timestamp", `${TIMESTAMP_HEADER} must be unix seconds`);
  const timestampSeconds = Number(timestampText);
  if (Math.abs(nowMs / 1000 - timestampSeconds) > toleranceSeconds) {
    return refuse("stale_timestamp", `${TIMESTAMP_HEADER} is more than ${toleranceSeconds} s from now`);
  }
  const signatureText = headerValue(headers, SIGNATURE_HEADER);
  if (signatureText === undefined || signatureText.trim() === "") return refuse("missing_signature", `${SIGNATURE_HEADER} is missing`);
  const given = signatureText
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith(`${SIGNATURE_VERSION}=`))
    .slice(0, SIGNATURES_PER_HEADER_MAX)
    .map((entry) => entry.slice(SIGNATURE_VERSION.length + 1));
  const hexes = given.filter((hex) => /^[0-9a-f]{64}$/i.test(hex));
  if (hexes.length === 0) return refuse("bad_signature_format", `${SIGNATURE_HEADER} must be v1=<64 hex digits>`);
  const expected = Buffer.from(signatureFor(secret, timestampText, rawBody).slice(SIGNATURE_VERSION.length + 1), "hex");
  let isMatch = false;
  for (const hex of hexes) isMatch = timingSafeEqual(expected, Buffer.from(hex, "hex")) || isMatch;
  return isMatch ? { ok: true, timestampSeconds } : refuse("signature_mismatch", "the signature does not match the body");
}

/** Constant-time comparison of a shared token (Aliyun's push URL carries ours); false for a missing one. */
export function verifyToken(expected: string, given: string | null | undefined): boolean {
  if (typeof expected !== "string" || expected.length === 0 || typeof given !== "string") return false;
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(expected), digest(given));
}

// ---------------------------------------------------------------------------------------------
// Parsing helpers

function pathOf(prefix: string, path: readonly PropertyKey[]): string {
  let text = prefix;
  for (const part of path) text += typeof part === "number" ? `[${part}]` : text === "" ? String(part) : `.${String(part)}`;
  return text === "" ? "body" : text;
}

function problemsOf(prefix: string, error: z.ZodError): WebhookProblem[] {
  return error.issues.map((issue) => ({ path: pathOf(prefix, issue.path), message: issue.message }));
}

function parseJson(rawBody: string | Uint8Array): { ok: true; value: unknown } | { ok: false; problems: WebhookProblem[] } {
  const size = typeof rawBody === "string" ? Buffer.byteLength(rawBody, "utf8") : rawBody.byteLength;
  if (size > WEBHOOK_BODY_BYTES_MAX) return { ok: false, problems: [{ path: "body", message: `larger than ${WEBHOOK_BODY_BYTES_MAX} bytes` }] };
  try {
    return { ok: true, value: JSON.parse(typeof rawBody === "string" ? rawBody : Buffer.from(rawBody).toString("utf8")) };
  } catch {
    return { ok: false, problems: [{ path: "body", message: "not valid JSON" }] };
  }
}

const text = (lengthMax: number) => z.string().min(1, "must not be empty").max(lengthMax, `must be at most ${lengthMax} characters`);
const instant = z.iso.datetime({ offset: true, message: "expected an ISO 8601 instant with a zone, e.g. 2025-06-01T09:30:00+08:00" });
const optionalId = text(200).nullish();

// ---------------------------------------------------------------------------------------------
// The generic format

/*
 * { "events": [
 *   { "id": "evt-1", "type": "receipt", "at": "2025-06-01T09:30:00+08:00",
 *     "providerMessageId": "m-1", "idempotencyKey": "k-1", "status": "delivered" | "failed", "errorCode": null },
 *   { "id": "evt-2", "type": "reply", "at": "…", "from": "+8613800138000", "text": "退订" },
 *   { "id": "evt-3", "type": "robot_outcome", "at": "…", "providerMessageId": "t-1", "idempotencyKey": "k-2",
 *     "outcome": "promise_to_pay", "promiseAmountMinor": "150000", "promiseDate": "2025-06-05" } ] }
 * Receipts and robot outcomes name their message by providerMessageId, idempotencyKey or both.
 * promiseAmountMinor is a string of digits (minor units): a JSON number cannot carry money exactly.
 */
const messageReference = {
  providerMessageId: optionalId,
  idempotencyKey: optionalId,
};

function requireReference(value: { providerMessageId?: string | null; idempotencyKey?: string | null }, context: z.RefinementCtx): void {
  if (!value.providerMessageId && !value.idempotencyKey) {
    context.addIssue({ code: "custom", path: ["providerMessageId"], message: "a receipt or outcome needs providerMessageId or idempotencyKey" });
  }
}

const receiptEvent = z
  .object({
    id: text(200),
    type: z.literal("receipt"),
    at: instant,
    ...messageReference,
    status: z.enum(["delivered", "failed"], { message: 'expected "delivered" or "failed"' }),
    errorCode: text(100).nullish(),
  })
  .superRefine(requireReference);

const replyEvent = z.object({
  id: text(200),
  type: z.literal("reply"),
  at: instant,
  from: text(64),
  text: z.string().max(2000, "must be at most 2000 characters"),
});

const robotOutcomeEvent = z
  .object({
    id: text(200),
    type: z.literal("robot_outcome"),
    at: instant,
    ...messageReference,
    outcome: z.enum(robotOutcomes as [RobotOutcome, ...RobotOutcome[]], { message: `expected one of ${robotOutcomes.join(", ")}` }),
    promiseAmountMinor: z
      .string({ message: 'expected a string of digits in minor units, e.g. "150000" (not a JSON number)' })
      .regex(/^(0|[1-9]\d{0,17})$/, 'expected a string of digits in minor units, e.g. "150000"')
      .nullish(),
    promiseDate: z.string().refine(isPlainDate, "expected a date YYYY-MM-DD").nullish(),
  })
  .superRefine((value, context) => {
    requireReference(value, context);
    const isPromise = value.outcome === "promise_to_pay";
    for (const field of ["promiseAmountMinor", "promiseDate"] as const) {
      const isPresent = value[field] !== undefined && value[field] !== null;
      if (isPromise && !isPresent) context.addIssue({ code: "custom", path: [field], message: "required when outcome is promise_to_pay" });
      if (!isPromise && isPresent) context.addIssue({ code: "custom", path: [field], message: "only allowed when outcome is promise_to_pay" });
    }
  });

const genericEventSchemas = { receipt: receiptEvent, reply: replyEvent, robot_outcome: robotOutcomeEvent } as const;
const genericEnvelope = z.object({
  events: z.array(z.unknown()).min(1, "must hold at least one event").max(WEBHOOK_EVENTS_MAX, `at most ${WEBHOOK_EVENTS_MAX} events`),
});

function genericEvent(provider: string, value: unknown, index: number): { event: InboundEvent } | { problems: WebhookProblem[] } {
  const prefix = `events[${index}]`;
  const type = typeof value === "object" && value !== null ? (value as { type?: unknown }).type : undefined;
  if (typeof type !== "string" || !Object.hasOwn(genericEventSchemas, type)) {
    return { problems: [{ path: `${prefix}.type`, message: "expected one of receipt, reply, robot_outcome" }] };
  }
  if (type === "receipt") {
    const parsed = receiptEvent.safeParse(value);
    if (!parsed.success) return { problems: problemsOf(prefix, parsed.error) };
    const event = parsed.data;
    return {
      event: {
        kind: "receipt",
        provider,
        eventId: event.id,
        providerMessageId: event.providerMessageId ?? null,
        idempotencyKey: event.idempotencyKey ?? null,
        status: event.status,
        errorCode: event.errorCode ?? null,
        at: new Date(event.at),
      },
    };
  }
  if (type === "reply") {
    const parsed = replyEvent.safeParse(value);
    if (!parsed.success) return { problems: problemsOf(prefix, parsed.error) };
    const event = parsed.data;
    return {
      event: { kind: "reply", provider, eventId: event.id, from: event.from, text: event.text, at: new Date(event.at), isStop: isStopReply(event.text) },
    };
  }
  const parsed = robotOutcomeEvent.safeParse(value);
  if (!parsed.success) return { problems: problemsOf(prefix, parsed.error) };
  const event = parsed.data;
  return {
    event: {
      kind: "robot_outcome",
      provider,
      eventId: event.id,
      providerMessageId: event.providerMessageId ?? null,
      idempotencyKey: event.idempotencyKey ?? null,
      outcome: event.outcome,
      promiseAmountMinor: event.promiseAmountMinor ? BigInt(event.promiseAmountMinor) : null,
      promiseDate: event.promiseDate ?? null,
      at: new Date(event.at),
    },
  };
}

/** Parses the generic format; all events or none (the provider resends the delivery after fixing it). */
export function parseGenericWebhook(rawBody: string | Uint8Array, provider = "http-json"): WebhookParseResult {
  const json = parseJson(rawBody);
  if (!json.ok) return json;
  const envelope = genericEnvelope.safeParse(json.value);
  if (!envelope.success) return { ok: false, problems: problemsOf("", envelope.error) };
  const events: InboundEvent[] = [];
  const problems: WebhookProblem[] = [];
  envelope.data.events.forEach((value, index) => {
    if (problems.length >= PROBLEMS_MAX) return;
    const result = genericEvent(provider, value, index);
    if ("event" in result) events.push(result.event);
    else problems.push(...result.problems);
  });
  return problems.length > 0 ? { ok: false, problems: problems.slice(0, PROBLEMS_MAX) } : { ok: true, events };
}

// ---------------------------------------------------------------------------------------------
// Aliyun's push (HTTP batch push of SmsReport and SmsUp messages)

/** Aliyun writes times as "2017-02-02 22:23:24", China Standard Time. */
const aliyunTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'expected "yyyy-MM-dd HH:mm:ss" (China Standard Time)')
  .refine((value) => !Number.isNaN(Date.parse(`${value.replace(" ", "T")}+08:00`)), "not a real date and time");

function fromAliyunTime(value: string): Date {
  return new Date(`${value.replace(" ", "T")}+08:00`);
}

const smsReport = z.object({
  phone_number: text(32),
  send_time: aliyunTime.optional(),
  report_time: aliyunTime,
  success: z.union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")], { message: "expected true or false" }),
  err_code: z.string().max(100).optional(),
  err_msg: z.string().max(500).optional(),
  sms_size: z.union([z.string(), z.number()]).optional(),
  biz_id: text(200),
  out_id: z.string().max(200).nullish(),
});

const smsUp = z.object({
  phone_number: text(32),
  send_time: aliyunTime,
  content: z.string().max(2000, "must be at most 2000 characters"),
  sign_name: z.string().max(100).optional(),
  dest_code: z.union([z.string(), z.number()]).optional(),
  sequence_id: z.union([z.number().int().nonnegative(), text(64)], { message: "expected the message's sequence number" }),
});

function aliyunEvent(value: unknown, index: number): { event: InboundEvent } | { problems: WebhookProblem[] } {
  const prefix = `[${index}]`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { problems: [{ path: prefix, message: "expected an object" }] };
  const isUp = "content" in value || "sequence_id" in value;
  if (!isUp && !("biz_id" in value) && !("report_time" in value)) {
    return { problems: [{ path: prefix, message: "neither an SmsReport (biz_id, report_time, success) nor an SmsUp (content, sequence_id)" }] };
  }
  if (isUp) {
    const parsed = smsUp.safeParse(value);
    if (!parsed.success) return { problems: problemsOf(prefix, parsed.error) };
    const reply = parsed.data;
    return {
      event: {
        kind: "reply",
        provider: "aliyun-sms",
        eventId: `aliyun:up:${reply.sequence_id}`,
        from: reply.phone_number,
        text: reply.content,
        at: fromAliyunTime(reply.send_time),
        isStop: isStopReply(reply.content),
      },
    };
  }
  const parsed = smsReport.safeParse(value);
  if (!parsed.success) return { problems: problemsOf(prefix, parsed.error) };
  const report = parsed.data;
  return {
    event: {
      kind: "receipt",
      provider: "aliyun-sms",
      // Aliyun resends a push it got no 200 for; the same report gives the same event id.
      eventId: `aliyun:report:${report.biz_id}:${report.phone_number}:${report.report_time}`,
      providerMessageId: report.biz_id,
      idempotencyKey: report.out_id ? report.out_id : null,
      status: report.success ? "delivered" : "failed",
      errorCode: report.success ? null : report.err_code || "UNKNOWN",
      at: fromAliyunTime(report.report_time),
    },
  };
}

/** Parses one Aliyun push: a JSON array of SmsReport or SmsUp entries (each entry is told apart by its fields). */
export function parseAliyunReports(rawBody: string | Uint8Array): WebhookParseResult {
  const json = parseJson(rawBody);
  if (!json.ok) return json;
  if (!Array.isArray(json.value)) return { ok: false, problems: [{ path: "body", message: "expected a JSON array of SmsReport or SmsUp entries" }] };
  if (json.value.length > WEBHOOK_EVENTS_MAX) return { ok: false, problems: [{ path: "body", message: `at most ${WEBHOOK_EVENTS_MAX} entries` }] };
  const events: InboundEvent[] = [];
  const problems: WebhookProblem[] = [];
  json.value.forEach((value, index) => {
    if (problems.length >= PROBLEMS_MAX) return;
    const result = aliyunEvent(value, index);
    if ("event" in result) events.push(result.event);
    else problems.push(...result.problems);
  });
  return problems.length > 0 ? { ok: false, problems: problems.slice(0, PROBLEMS_MAX) } : { ok: true, events };
}
