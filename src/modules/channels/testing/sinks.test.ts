// The sinks other tests and benchmarks count on: what they count, and how they refuse.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import nodemailer from "nodemailer";
import { signedHeaders } from "../domain/signed-request.js";
import { HttpSink } from "./http-sink.js";
import { SmtpSink } from "./smtp-sink.js";

const secret = "sink-secret-0123456789";

async function post(baseUrl: string, path: string, payload: Record<string, unknown>, key = String(payload.idempotencyKey)) {
  const rawBody = JSON.stringify(payload);
  const response = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "Idempotency-Key": key, ...signedHeaders(secret, rawBody, Date.now()) },
    body: rawBody,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("HTTP sink", () => {
  it("counts requests, distinct keys and resubmissions, and refuses a key reused for another payload", async () => {
    const sink = new HttpSink({ secret });
    const baseUrl = await sink.start();
    try {
      const message = { idempotencyKey: "k-1", channel: "sms", to: "+8613800138000", body: "您好", language: "zh-CN" };
      assert.deepEqual(await post(baseUrl, "/messages", message), { status: 202, body: { id: "msg-1" } });
      assert.deepEqual(await post(baseUrl, "/messages", message), {
        status: 409,
        body: { id: "msg-1", code: "duplicate", message: "already taken under this key" },
      });
      assert.equal((await post(baseUrl, "/messages", { ...message, body: "另一条" })).status, 422);
      assert.equal((await post(baseUrl, "/messages", { ...message, idempotencyKey: "k-2" }, "k-other")).status, 400);
      assert.deepEqual(await post(baseUrl, "/call-tasks", { idempotencyKey: "k-1", to: "+8613800138000", scriptId: "s" }), {
        status: 202,
        body: { taskId: "task-2" },
      });
      assert.equal((await fetch(`${baseUrl}/messages`, { method: "POST", body: "{}" })).status, 401);
      assert.deepEqual(sink.counts, { requests: 6, accepted: 2, resubmissions: 1, failuresInjected: 0, signatureFailures: 1, lookups: 0 });
      assert.deepEqual(
        sink.messages().map((record) => [record.resource, record.idempotencyKey, record.id]),
        [
          ["messages", "k-1", "msg-1"],
          ["call-tasks", "k-1", "task-2"],
        ],
      );
    } finally {
      await sink.stop();
    }
  });

  it("fails every Nth send with a 503 and stops promptly with requests still waiting", async () => {
    const sink = new HttpSink({ secret, failEveryNth: 2 });
    const baseUrl = await sink.start();
    const statuses: number[] = [];
    for (const key of ["a", "b", "c", "d"]) statuses.push((await post(baseUrl, "/messages", { idempotencyKey: key })).status);
    assert.deepEqual(statuses, [202, 503, 202, 503]);
    assert.equal(sink.counts.failuresInjected, 2);
    sink.configure({ latencyMs: 60_000 });
    const pending = post(baseUrl, "/messages", { idempotencyKey: "e" }).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const startedMs = Date.now();
    await sink.stop();
    assert.ok((await pending) instanceof Error);
    assert.ok(Date.now() - startedMs < 2000);
  });
});

describe("SMTP sink", () => {
  it("counts every message taken and each Message-ID once", async () => {
    const sink = new SmtpSink({ failEveryNth: 3, failCode: 451 });
    await sink.start();
    const transport = nodemailer.createTransport({ url: sink.url() });
    const send = (messageId: string) =>
      transport.sendMail({ from: "a@example.com", to: "b@example.com", subject: "s", text: "正文", messageId }).then(
        () => "ok",
        (error: { responseCode?: number }) => String(error.responseCode),
      );
    try {
      const results = [await send("<m-1@example.com>"), await send("<m-1@example.com>"), await send("<m-2@example.com>"), await send("<m-2@example.com>")];
      assert.deepEqual(results, ["ok", "ok", "451", "ok"]);
      assert.deepEqual([sink.received, sink.distinctMessageIds, sink.failuresInjected], [3, 2, 1]);
      assert.equal(sink.find("<m-2@example.com>")?.parsed.text?.trim(), "正文");
    } finally {
      transport.close();
      await sink.stop();
    }
  });
});
