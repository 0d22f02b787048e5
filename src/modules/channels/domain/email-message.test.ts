import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { htmlFromText, mapSmtpFailure, messageIdFor } from "./email-message.js";

describe("e-mail message", () => {
  it("derives the Message-ID from the idempotency key alone", () => {
    assert.equal(messageIdFor("reminder:2025-06-01:case-42", "mail.lender.example"), "<reminder:2025-06-01:case-42@mail.lender.example>");
    assert.equal(messageIdFor("k-1", "d.example"), messageIdFor("k-1", "d.example"));
  });

  it("escapes the text into a minimal HTML part, keeping paragraphs and line breaks", () => {
    assert.equal(
      htmlFromText("尊敬的<客户>：\n您的欠款 ¥1,234.50 & 罚息\n\n'谢谢' \"duecare\"", "zh-CN"),
      '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>' +
        "<p>尊敬的&#60;客户&#62;：<br>您的欠款 ¥1,234.50 &#38; 罚息</p><p>&#39;谢谢&#39; &#34;duecare&#34;</p></body></html>",
    );
  });
});

describe("mapSmtpFailure", () => {
  it("retries 4xx replies, 503 and connection failures; rejects other 5xx and nodemailer's own refusals", () => {
    const table: [Parameters<typeof mapSmtpFailure>[0], string, string][] = [
      [{ code: "EENVELOPE", responseCode: 451, response: "451 4.7.1 Try again later" }, "retry", "smtp_451"],
      [{ code: "EMESSAGE", responseCode: 452, response: "452 mailbox full" }, "retry", "smtp_452"],
      [{ code: "EPROTOCOL", responseCode: 503, response: "503 Bad sequence" }, "retry", "smtp_503"],
      [{ code: "EENVELOPE", responseCode: 550, response: "550 5.1.1 No such user" }, "rejected", "smtp_550"],
      [{ code: "EAUTH", responseCode: 535, response: "535 Authentication failed" }, "rejected", "smtp_535"],
      [{ code: "ESOCKET", message: "connect ECONNREFUSED 127.0.0.1:2525" }, "retry", "ESOCKET"],
      [{ code: "ECONNECTION", message: "Connection closed" }, "retry", "ECONNECTION"],
      [{ code: "ETIMEDOUT", message: "Greeting never received" }, "retry", "ETIMEDOUT"],
      [{ code: "EENVELOPE", message: "No recipients defined" }, "rejected", "EENVELOPE"],
      [{ message: "something odd" }, "retry", "smtp_error"],
    ];
    for (const [failure, outcome, code] of table) {
      const result = mapSmtpFailure(failure);
      assert.deepEqual([result.outcome, result.outcome === "accepted" ? null : result.code], [outcome, code], JSON.stringify(failure));
    }
    assert.equal(mapSmtpFailure({ responseCode: 550, response: "550 5.1.1\r\n  No such user" }).outcome === "rejected" && "ok", "ok");
  });
});
