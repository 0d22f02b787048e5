import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../platform/errors.js";
import type { ChannelMessage } from "./domain/channel-message.js";
import { OutboxAdapter } from "./outbox.adapter.js";

const message: ChannelMessage = { idempotencyKey: "reminder:k-1", channel: "voice_robot", to: "13800138000", body: "您好", language: "zh-CN", scriptId: "s-1" };

describe("development outbox adapter", () => {
  it("hands each message to the dispatcher's callback and answers the stored id, for every channel", async () => {
    const stored = new Map<string, ChannelMessage>();
    const adapter = new OutboxAdapter({
      deliver: async (outgoing) => {
        stored.set(outgoing.idempotencyKey, outgoing);
        return `outbox-${stored.size}`;
      },
      find: async (key) => (stored.has(key) ? `outbox-${[...stored.keys()].indexOf(key) + 1}` : null),
    });
    assert.deepEqual(await adapter.send(message), { outcome: "accepted", providerMessageId: "outbox-1" });
    assert.deepEqual(await adapter.send({ ...message, idempotencyKey: "reminder:k-2", channel: "email", subject: "s" }), {
      outcome: "accepted",
      providerMessageId: "outbox-2",
    });
    assert.deepEqual(stored.get("reminder:k-1"), message);
    assert.deepEqual(await adapter.lookup("reminder:k-2", message), { found: true, providerMessageId: "outbox-2" });
    assert.deepEqual(await adapter.lookup("reminder:k-3", message), { found: false });
    assert.deepEqual([adapter.provider, adapter.channels, adapter.ratePerSecond], ["outbox", ["sms", "email", "voice_robot"], 1000]);
  });

  it("answers unknown to a lookup it cannot make", async () => {
    const adapter = new OutboxAdapter({ deliver: async () => "id" });
    assert.deepEqual(await adapter.lookup("reminder:k-1", message), { unknown: true });
  });

  it("retries when the outbox write fails, and rejects a business refusal for good", async () => {
    const failing = new OutboxAdapter({
      deliver: async () => {
        throw new Error("connection terminated");
      },
    });
    assert.deepEqual(await failing.send(message), { outcome: "retry", code: "outbox_failed", message: "connection terminated" });
    const refusing = new OutboxAdapter({
      deliver: async () => {
        throw new AppError("CONTACT_NOT_ALLOWED", "not sent: no gateway decision");
      },
    });
    assert.deepEqual(await refusing.send(message), { outcome: "rejected", code: "CONTACT_NOT_ALLOWED", message: "not sent: no gateway decision" });
  });

  it("throws when the callback breaks its contract", async () => {
    const adapter = new OutboxAdapter({ deliver: async () => "" });
    await assert.rejects(adapter.send(message), /must answer the stored id/);
  });
});
