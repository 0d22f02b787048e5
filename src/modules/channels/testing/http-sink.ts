// A provider implementing the generic signed-JSON contract (docs/channels.md), for tests, the
// crash test and benchmarks — never for production. It verifies the v1 signature, deduplicates
// by Idempotency-Key, serves lookup by key, and can be slowed down or made to fail:
//   POST /messages    → 202 {id}      (same key again: 409 {id}; same key, other payload: 422)
//   POST /call-tasks  → 202 {taskId}  (the voice robot's contract, same rules)
//   GET  /messages/by-key/{key}, GET /call-tasks/by-key/{key} → 200 {id|taskId} or 404
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { verifySignedWebhook } from "../domain/webhooks.js";

export interface HttpSinkOptions {
  secret: string;
  /** Delay before each answer, in ms (default 0). A delay longer than the client's timeout is a hang. */
  latencyMs?: number;
  /** Every Nth send (POST) answers 503 (0, the default: never). */
  failEveryNth?: number;
  /**
   * "before-accept" (default): the failing request is not stored. "after-accept": it is stored
   * and then answered 503 — the provider took it but the answer was lost.
   */
  failMode?: "before-accept" | "after-accept";
  /** Retry-After on injected 503s, seconds (default 1). */
  retryAfterSeconds?: number;
  /** Now, for the signature's timestamp check (default Date.now). */
  nowMs?: () => number;
}

export interface SinkRecord {
  resource: "messages" | "call-tasks";
  id: string;
  idempotencyKey: string;
  payload: Record<string, unknown>;
  receivedAt: Date;
}

export interface HttpSinkCounts {
  /** Every HTTP request, lookups and refused ones included. */
  requests: number;
  /** Distinct idempotency keys taken. */
  accepted: number;
  /** Sends under a key already taken (answered 409 with the id). */
  resubmissions: number;
  failuresInjected: number;
  signatureFailures: number;
  lookups: number;
}

const BODY_BYTES_MAX = 1_048_576;
const resources = { "/messages": "messages", "/call-tasks": "call-tasks" } as const;

function readBody(request: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_BYTES_MAX) chunks.push(chunk);
    });
    request.on("end", () => resolve(size > BODY_BYTES_MAX ? null : Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

function reply(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): Reply {
  return { status, body, headers };
}

function answer(response: ServerResponse, { status, body, headers }: Reply): void {
  if (response.writableEnded || response.destroyed) return;
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

export class HttpSink {
  private readonly options: Required<Omit<HttpSinkOptions, "nowMs">> & { nowMs: () => number };
  private server: Server | null = null;
  private readonly records = new Map<string, SinkRecord & { payloadHash: string }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private sends = 0;
  private nextId = 1;
  private readonly tally: HttpSinkCounts = { requests: 0, accepted: 0, resubmissions: 0, failuresInjected: 0, signatureFailures: 0, lookups: 0 };

  constructor(options: HttpSinkOptions) {
    this.options = {
      secret: options.secret,
      latencyMs: options.latencyMs ?? 0,
      failEveryNth: options.failEveryNth ?? 0,
      failMode: options.failMode ?? "before-accept",
      retryAfterSeconds: options.retryAfterSeconds ?? 1,
      nowMs: options.nowMs ?? Date.now,
    };
  }

  /** Changes latency or failure injection while running (benchmarks, crash tests). */
  configure(changes: Partial<Pick<HttpSinkOptions, "latencyMs" | "failEveryNth" | "failMode" | "retryAfterSeconds">>): void {
    Object.assign(this.options, changes);
  }

  /** Starts listening on 127.0.0.1 and answers the base URL, e.g. "http://127.0.0.1:49152". */
  async start(port = 0): Promise<string> {
    const server = createServer((request, response) => {
      this.handle(request)
        .then((result) => answer(response, result))
        .catch(() => answer(response, reply(500, { code: "sink_error" })));
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    this.server = server;
    return this.baseUrl;
  }

  get baseUrl(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error("the sink is not started");
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get counts(): HttpSinkCounts {
    return { ...this.tally };
  }

  /** What was taken, first submission per key, in arrival order. */
  messages(): SinkRecord[] {
    return [...this.records.values()].map(({ payloadHash: _payloadHash, ...record }) => record);
  }

  find(resource: SinkRecord["resource"], idempotencyKey: string): SinkRecord | undefined {
    return this.records.get(`${resource} ${idempotencyKey}`);
  }

  private delay(): Promise<void> {
    if (this.options.latencyMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, this.options.latencyMs);
      this.timers.add(timer);
    });
  }

  private async handle(request: IncomingMessage): Promise<Reply> {
    this.tally.requests += 1;
    const rawBody = await readBody(request);
    await this.delay();
    if (rawBody === null) return reply(413, { code: "too_large", message: "body over 1 MiB" });
    const verification = verifySignedWebhook(this.options.secret, request.headers, rawBody, this.options.nowMs());
    if (!verification.ok) {
      this.tally.signatureFailures += 1;
      return reply(401, { code: "bad_signature", message: verification.message });
    }
    const url = new URL(request.url ?? "/", "http://sink");
    const lookup = /^\/(messages|call-tasks)\/by-key\/([^/]+)$/.exec(url.pathname);
    if (request.method === "GET" && lookup) return this.lookup(lookup[1] as SinkRecord["resource"], decodeURIComponent(lookup[2] as string));
    const resource = resources[url.pathname as keyof typeof resources];
    if (request.method === "POST" && resource) return this.accept(request, resource, rawBody);
    return reply(404, { code: "not_found", message: `${request.method} ${url.pathname}` });
  }

  private lookup(resource: SinkRecord["resource"], idempotencyKey: string): Reply {
    this.tally.lookups += 1;
    const record = this.find(resource, idempotencyKey);
    if (!record) return reply(404, { code: "not_found", message: "no message under this key" });
    return reply(200, { [resource === "messages" ? "id" : "taskId"]: record.id });
  }

  private accept(request: IncomingMessage, resource: SinkRecord["resource"], rawBody: Buffer): Reply {
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(rawBody.toString("utf8")) as Record<string, unknown>;
    } catch {
      return reply(400, { code: "bad_json", message: "the body is not JSON" });
    }
    const idempotencyKey = request.headers["idempotency-key"];
    if (typeof idempotencyKey !== "string" || idempotencyKey.length === 0 || idempotencyKey !== payload.idempotencyKey) {
      return reply(400, { code: "bad_idempotency_key", message: "Idempotency-Key must be present and equal the body's idempotencyKey" });
    }
    this.sends += 1;
    const isInjectedFailure = this.options.failEveryNth > 0 && this.sends % this.options.failEveryNth === 0;
    const failure = (): Reply => {
      this.tally.failuresInjected += 1;
      const headers = { "retry-after": String(this.options.retryAfterSeconds) };
      return reply(503, { code: "injected_failure", message: "the sink fails this request on purpose" }, headers);
    };
    if (isInjectedFailure && this.options.failMode === "before-accept") return failure();
    const idField = resource === "messages" ? "id" : "taskId";
    const storeKey = `${resource} ${idempotencyKey}`;
    const payloadHash = createHash("sha256").update(rawBody).digest("hex");
    const existing = this.records.get(storeKey);
    if (existing) {
      if (existing.payloadHash !== payloadHash) {
        return reply(422, { code: "idempotency_conflict", message: "this key was used with another payload" });
      }
      this.tally.resubmissions += 1;
      if (isInjectedFailure) return failure();
      return reply(409, { [idField]: existing.id, code: "duplicate", message: "already taken under this key" });
    }
    const id = `${resource === "messages" ? "msg" : "task"}-${this.nextId++}`;
    this.records.set(storeKey, { resource, id, idempotencyKey, payload, receivedAt: new Date(), payloadHash });
    this.tally.accepted += 1;
    if (isInjectedFailure) return failure();
    return reply(202, { [idField]: id });
  }
}
