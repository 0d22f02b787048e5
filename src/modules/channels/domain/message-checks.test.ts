import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ChannelMessage } from "./channel-message.js";
import { checkEmailMessage, checkPhoneMessage } from "./message-checks.js";

const sms: ChannelMessage = { idempotencyKey: "k-1", channel: "sms", to: "13800138000", body: "您好", language: "zh-CN" };
const email: ChannelMessage = { idempotencyKey: "k-1", channel: "email", to: "wang@example.com", subject: "还款提醒", body: "您好", language: "zh-CN" };

function codeOf(result: ReturnType<typeof checkPhoneMessage> | ReturnType<typeof checkEmailMessage>): string | null {
  return result.ok ? null : result.result.outcome === "rejected" ? result.result.code : "not-rejected";
}

describe("message checks", () => {
  it("passes a good phone message with its E.164 number", () => {
    assert.deepEqual(checkPhoneMessage(sms), { ok: true, value: { e164: "+8613800138000", countryCode: "86" } });
  });

  it("rejects what data got wrong, with a stable code", () => {
    assert.equal(codeOf(checkPhoneMessage({ ...sms, to: "not a phone" })), "invalid_recipient");
    assert.equal(codeOf(checkPhoneMessage({ ...sms, body: "  " })), "empty_body");
    assert.equal(codeOf(checkPhoneMessage({ ...sms, body: "x".repeat(20_001) })), "body_too_long");
    assert.equal(codeOf(checkEmailMessage({ ...email, to: "13800138000" })), "invalid_recipient");
    assert.equal(codeOf(checkEmailMessage({ ...email, subject: undefined })), "subject_missing");
    assert.equal(codeOf(checkEmailMessage({ ...email, subject: "hi\r\nBcc: x@example.com" })), "invalid_subject");
  });

  it("passes a good e-mail with its trimmed address and subject", () => {
    assert.deepEqual(checkEmailMessage({ ...email, to: " wang@example.com ", subject: " 还款提醒 " }), {
      ok: true,
      value: { to: "wang@example.com", subject: "还款提醒" },
    });
  });
});
