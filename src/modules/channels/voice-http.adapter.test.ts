// The voice robot adapter against the test sink, which serves the call-task side of the contract.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type { ChannelMessage } from "./domain/channel-message.js";
import { HttpSink } from "./testing/http-sink.js";
import { VoiceHttpAdapter } from "./voice-http.adapter.js";

const secret = "voice-robot-secret-0123456789";
const call: ChannelMessage = {
  idempotencyKey: "robot:2025-06-01:case-7:1",
  channel: "voice_robot",
  to: "+86 139-0013-9000",
  body: "您好，这里是某某消费金融，来电提醒您本期账单已逾期。",
  language: "zh-CN",
  scriptId: "overdue-m1-zh",
};
const keyed = (key: string): ChannelMessage => ({ ...call, idempotencyKey: key });

describe("voice robot adapter", () => {
  const sink = new HttpSink({ secret });
  let adapter: VoiceHttpAdapter;

  before(async () => {
    adapter = new VoiceHttpAdapter({ baseUrl: await sink.start(), secret, ratePerSecond: 5, timeoutMs: 2000 });
  });
  after(async () => {
    await adapter.close();
    await sink.stop();
  });

  it("submits a signed call task with the script and the opening text, and gets the task id", async () => {
    assert.deepEqual(await adapter.send(call), { outcome: "accepted", providerMessageId: "task-1" });
    assert.deepEqual(sink.find("call-tasks", call.idempotencyKey)?.payload, {
      idempotencyKey: call.idempotencyKey,
      to: "+8613900139000",
      scriptId: "overdue-m1-zh",
      language: "zh-CN",
      openingText: call.body,
    });
    assert.equal(adapter.provider, "voice-http");
    assert.deepEqual(adapter.channels, ["voice_robot"]);
  });

  it("gets the same task back for the same key, and finds it by key after a crash", async () => {
    assert.deepEqual(await adapter.send(call), { outcome: "accepted", providerMessageId: "task-1" });
    assert.equal(sink.counts.accepted, 1);
    assert.equal(sink.counts.resubmissions, 1);
    assert.deepEqual(await adapter.lookup(call.idempotencyKey, call), { found: true, providerMessageId: "task-1" });
    assert.deepEqual(await adapter.lookup("robot-never", keyed("robot-never")), { found: false });
  });

  it("refuses a call without a script before dialling anything", async () => {
    const requests = sink.counts.requests;
    assert.deepEqual(await adapter.send({ ...keyed("no-script"), scriptId: " " }), {
      outcome: "rejected",
      code: "script_missing",
      message: "a robot call needs the script the robot runs (scriptId)",
    });
    assert.equal(sink.counts.requests, requests);
  });

  it("retries a 503 with its Retry-After", async () => {
    sink.configure({ failEveryNth: 1, retryAfterSeconds: 30 });
    const result = await adapter.send(keyed("robot-503"));
    sink.configure({ failEveryNth: 0 });
    assert.deepEqual(result, { outcome: "retry", code: "injected_failure", message: "the sink fails this request on purpose", retryAfterMs: 30_000 });
  });

  it("is rejected under the wrong secret", async () => {
    const impostor = new VoiceHttpAdapter({ baseUrl: sink.baseUrl, secret: "a-different-secret-99999", ratePerSecond: 1 });
    const result = await impostor.send(keyed("robot-impostor"));
    assert.equal(result.outcome === "rejected" && result.code, "bad_signature");
    assert.equal(sink.find("call-tasks", "robot-impostor"), undefined);
  });

  it("times out on a hanging provider and retries when nothing listens", async () => {
    const slow = new HttpSink({ secret, latencyMs: 5000 });
    const hanging = new VoiceHttpAdapter({ baseUrl: await slow.start(), secret, ratePerSecond: 1, timeoutMs: 100 });
    const timedOut = await hanging.send(call);
    await slow.stop();
    assert.deepEqual(timedOut, { outcome: "retry", code: "timeout", message: "no answer within 100 ms" });

    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const down = new VoiceHttpAdapter({ baseUrl: `http://127.0.0.1:${port}`, secret, ratePerSecond: 1 });
    const result = await down.send(call);
    assert.equal(result.outcome === "retry" && result.code, "network_error");
  });
});
