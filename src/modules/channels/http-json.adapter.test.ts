// The HTTP SMS adapter against real servers in-process: the test sink (the contract's reference
// implementation) and a scripted server that checks the signature with its own few lines.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type { ChannelMessage } from "./domain/channel-message.js";
import { HttpJsonSmsAdapter } from "./http-json.adapter.js";
import { HttpSink } from "./testing/http-sink.js";

const secret = "sms-gateway-secret-0123456789";
const message: ChannelMessage = {
  idempotencyKey: "reminder:2025-06-01:case-42:1",
  channel: "sms",
  to: "13800138000",
  body: "【某某消费金融】王先生您好，您的账单已逾期3天，应还1,234.50元。回T退订",
  language: "zh-CN",
};
const keyed = (key: string): ChannelMessage => ({ ...message, idempotencyKey: key });

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

type Handler = (request: IncomingMessage, rawBody: string, response: ServerResponse) => void;

/** A server that checks the v1 signature itself (HMAC-SHA256 of timestamp.body) before the handler runs. */
async function scriptedServer(handler: Handler): Promise<{ url: string; server: Server; seen: { method: string; path: string; body: string }[] }> {
  const seen: { method: string; path: string; body: string }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: request.method ?? "", path: request.url ?? "", body: rawBody });
      const timestamp = String(request.headers["x-duecare-timestamp"] ?? "");
      const expected = `v1=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`;
      const isFresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 60;
      if (request.headers["x-duecare-signature"] !== expected || !isFresh || !request.headers["idempotency-key"]) {
        response.writeHead(401, { "content-type": "application/json" });
        return response.end(JSON.stringify({ code: "bad_signature" }));
      }
      handler(request, rawBody, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen };
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

describe("HTTP SMS adapter against the contract's sink", () => {
  const sink = new HttpSink({ secret, retryAfterSeconds: 2 });
  let adapter: HttpJsonSmsAdapter;

  before(async () => {
    adapter = new HttpJsonSmsAdapter({ baseUrl: await sink.start(), secret, ratePerSecond: 100, timeoutMs: 2000 });
  });
  after(async () => {
    await adapter.close();
    await sink.stop();
  });

  it("delivers the signed message, with the number in E.164 and the Chinese text intact", async () => {
    const result = await adapter.send(message);
    assert.deepEqual(result, { outcome: "accepted", providerMessageId: "msg-1" });
    const record = sink.find("messages", message.idempotencyKey);
    assert.deepEqual(record?.payload, {
      idempotencyKey: message.idempotencyKey,
      channel: "sms",
      to: "+8613800138000",
      body: message.body,
      language: "zh-CN",
    });
    assert.equal(adapter.provider, "http-json");
    assert.deepEqual(adapter.channels, ["sms"]);
    assert.equal(adapter.ratePerSecond, 100);
  });

  it("gets the same id back when the same key is sent again, and the provider keeps one message", async () => {
    const before = sink.counts;
    assert.deepEqual(await adapter.send(message), { outcome: "accepted", providerMessageId: "msg-1" });
    assert.equal(sink.counts.accepted, before.accepted);
    assert.equal(sink.counts.resubmissions, before.resubmissions + 1);
  });

  it("looks a key up after a crash: found with its id, or not found", async () => {
    assert.deepEqual(await adapter.lookup(message.idempotencyKey, message), { found: true, providerMessageId: "msg-1" });
    assert.deepEqual(await adapter.lookup("never-sent", keyed("never-sent")), { found: false });
  });

  it("refuses a bad number before anything is sent", async () => {
    const requests = sink.counts.requests;
    const result = await adapter.send({ ...keyed("bad-number"), to: "not a phone" });
    assert.deepEqual(result, { outcome: "rejected", code: "invalid_recipient", message: "the recipient is not a phone number" });
    assert.equal(sink.counts.requests, requests);
  });

  it("throws for a caller's bug: a message for another channel, a malformed key", async () => {
    await assert.rejects(adapter.send({ ...message, channel: "email" }), /serves sms, not email/);
    await assert.rejects(adapter.send(keyed("has spaces")), /idempotencyKey/);
  });

  it("asks for a retry on a 503, honouring Retry-After, and is accepted on the next attempt", async () => {
    sink.configure({ failEveryNth: 1 });
    const failed = await adapter.send(keyed("k-503"));
    sink.configure({ failEveryNth: 0 });
    assert.deepEqual(failed, { outcome: "retry", code: "injected_failure", message: "the sink fails this request on purpose", retryAfterMs: 2000 });
    assert.equal(sink.find("messages", "k-503"), undefined);
    const retried = await adapter.send(keyed("k-503"));
    assert.equal(retried.outcome, "accepted");
  });

  it("recovers a message the provider took although its answer was lost: the resend returns the first id", async () => {
    sink.configure({ failEveryNth: 1, failMode: "after-accept" });
    const lost = await adapter.send(keyed("k-lost-answer"));
    sink.configure({ failEveryNth: 0, failMode: "before-accept" });
    assert.equal(lost.outcome, "retry");
    const stored = sink.find("messages", "k-lost-answer");
    assert.ok(stored);
    assert.deepEqual(await adapter.send(keyed("k-lost-answer")), { outcome: "accepted", providerMessageId: stored.id });
  });

  it("gets rejected when signing with the wrong secret (the provider answers 401)", async () => {
    const impostor = new HttpJsonSmsAdapter({ baseUrl: sink.baseUrl, secret: "not-the-shared-secret-000", ratePerSecond: 1 });
    const failures = sink.counts.signatureFailures;
    const result = await impostor.send(keyed("k-wrong-secret"));
    assert.equal(result.outcome, "rejected");
    assert.equal(result.outcome === "rejected" && result.code, "bad_signature");
    assert.deepEqual(await impostor.lookup(message.idempotencyKey, message), { unknown: true });
    assert.equal(sink.counts.signatureFailures, failures + 2);
    assert.equal(sink.find("messages", "k-wrong-secret"), undefined);
  });
});

describe("HTTP SMS adapter when the provider is slow, down or picky", () => {
  it("gives up after its timeout when the provider hangs, with a retry", async () => {
    const sink = new HttpSink({ secret, latencyMs: 5000 });
    const adapter = new HttpJsonSmsAdapter({ baseUrl: await sink.start(), secret, ratePerSecond: 1, timeoutMs: 150 });
    const startedMs = Date.now();
    const result = await adapter.send(message);
    const lookup = await adapter.lookup(message.idempotencyKey, message);
    await sink.stop();
    assert.deepEqual(result, { outcome: "retry", code: "timeout", message: "no answer within 150 ms" });
    assert.deepEqual(lookup, { unknown: true });
    assert.ok(Date.now() - startedMs < 2000, "the timeout bounds the send");
  });

  it("asks for a retry when nothing listens", async () => {
    const adapter = new HttpJsonSmsAdapter({ baseUrl: `http://127.0.0.1:${await closedPort()}`, secret, ratePerSecond: 1, timeoutMs: 2000 });
    const result = await adapter.send(message);
    assert.equal(result.outcome, "retry");
    assert.equal(result.outcome === "retry" && result.code, "network_error");
    assert.match(result.outcome === "retry" ? result.message : "", /ECONNREFUSED/);
    assert.deepEqual(await adapter.lookup(message.idempotencyKey, message), { unknown: true });
  });

  it("maps 429 with Retry-After, a permanent 4xx with the provider's code, and 409 {id}", async () => {
    const { url, server, seen } = await scriptedServer((request, rawBody, response) => {
      const key = request.headers["idempotency-key"];
      if (request.method === "GET") return json(response, 404, { code: "not_found" });
      assert.equal(JSON.parse(rawBody).idempotencyKey, key, "the header and the body carry the same key");
      if (key === "k-429") return json(response, 429, { code: "rate_limited", message: "too many requests" }, { "retry-after": "7" });
      if (key === "k-400") return json(response, 400, { code: "invalid_number", message: "号码不存在" });
      if (key === "k-409") return json(response, 409, { id: "gw-earlier", code: "duplicate" });
      json(response, 201, { id: "gw-1" });
    });
    const adapter = new HttpJsonSmsAdapter({ baseUrl: `${url}/`, secret, ratePerSecond: 1 });
    try {
      assert.deepEqual(await adapter.send(keyed("k-429")), { outcome: "retry", code: "rate_limited", message: "too many requests", retryAfterMs: 7000 });
      assert.deepEqual(await adapter.send(keyed("k-400")), { outcome: "rejected", code: "invalid_number", message: "号码不存在" });
      assert.deepEqual(await adapter.send(keyed("k-409")), { outcome: "accepted", providerMessageId: "gw-earlier" });
      assert.deepEqual(await adapter.send(keyed("k-201")), { outcome: "accepted", providerMessageId: "gw-1" });
      assert.deepEqual(await adapter.lookup("k-9:x", keyed("k-9:x")), { found: false });
      assert.deepEqual(
        seen.map((request) => `${request.method} ${request.path}`),
        ["POST /messages", "POST /messages", "POST /messages", "POST /messages", "GET /messages/by-key/k-9%3Ax"],
      );
      assert.equal(seen[4]?.body, "", "a lookup is signed over an empty body");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
