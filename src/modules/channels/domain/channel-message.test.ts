import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertChannelMessage, type ChannelMessage, isIdempotencyKey, retry } from "./channel-message.js";

const message: ChannelMessage = { idempotencyKey: "reminder:2025-06-01:case-42:1", channel: "sms", to: "13800138000", body: "您好", language: "zh-CN" };

describe("channel message contract", () => {
  it("knows a well-formed idempotency key", () => {
    assert.ok(isIdempotencyKey("a"));
    assert.ok(isIdempotencyKey("reminder:2025-06-01:case_42.v1-x"));
    assert.ok(isIdempotencyKey("k".repeat(100)));
    for (const bad of ["", "k".repeat(101), "has space", "slash/inside", "中文", "a@b", 42, null]) assert.equal(isIdempotencyKey(bad), false, String(bad));
  });

  it("throws for a caller's bug: a bad key or a channel the adapter does not serve", () => {
    assertChannelMessage(message, ["sms"]);
    assert.throws(() => assertChannelMessage({ ...message, idempotencyKey: "bad key" }, ["sms"]), /idempotencyKey must match/);
    assert.throws(() => assertChannelMessage(message, ["email"]), /this adapter serves email, not sms/);
    assert.throws(() => assertChannelMessage({ ...message, language: "fr" as "en" }, ["sms"]), /language/);
  });

  it("leaves retryAfterMs out when there is no hint", () => {
    assert.deepEqual(retry("timeout", "slow"), { outcome: "retry", code: "timeout", message: "slow" });
    assert.deepEqual(retry("http_429", "slow down", 2000), { outcome: "retry", code: "http_429", message: "slow down", retryAfterMs: 2000 });
  });
});
