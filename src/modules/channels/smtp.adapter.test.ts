// The SMTP adapter against real smtp-server instances in-process; what arrives is parsed with
// mailparser (through the test sink) and checked as a mailbox would see it.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import { SMTPServer } from "smtp-server";
import type { ChannelMessage } from "./domain/channel-message.js";
import { SmtpAdapter } from "./smtp.adapter.js";
import { SmtpSink } from "./testing/smtp-sink.js";

const email: ChannelMessage = {
  idempotencyKey: "reminder:2025-06-01:case-42:email",
  channel: "email",
  to: "wang.fang@example.com",
  subject: "【还款提醒】您的账单已逾期3天",
  body: "王芳女士您好：\n\n您在某某消费金融的账单已逾期3天，应还金额 ¥1,234.50。\n如有困难，可申请分期还款 <详见 App>。",
  language: "zh-CN",
};
const keyed = (key: string): ChannelMessage => ({ ...email, idempotencyKey: key });
const from = "某某消费金融 <no-reply@mail.lender.example>";

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("SMTP adapter delivering to a mailbox", () => {
  const sink = new SmtpSink();
  let adapter: SmtpAdapter;

  before(async () => {
    await sink.start();
    adapter = new SmtpAdapter({ url: sink.url("reminders", "p@ss word"), from, messageIdDomain: "mail.lender.example", ratePerSecond: 10, timeoutMs: 5000 });
  });
  after(async () => {
    await adapter.close();
    await sink.stop();
  });

  it("delivers To, Subject, the key's Message-ID and the Chinese text, plain and HTML", async () => {
    const result = await adapter.send(email);
    assert.deepEqual(result, { outcome: "accepted", providerMessageId: "reminder:2025-06-01:case-42:email@mail.lender.example" });
    const mail = sink.find("<reminder:2025-06-01:case-42:email@mail.lender.example>");
    assert.ok(mail, `expected the message by its Message-ID, got ${sink.messages.map((entry) => entry.messageId).join(", ")}`);
    assert.equal(mail.parsed.subject, email.subject);
    assert.equal(mail.parsed.text?.trim(), email.body);
    assert.deepEqual([mail.parsed.from?.value[0]?.name, mail.parsed.from?.value[0]?.address], ["某某消费金融", "no-reply@mail.lender.example"]);
    const to = Array.isArray(mail.parsed.to) ? mail.parsed.to[0] : mail.parsed.to;
    assert.equal(to?.value[0]?.address, "wang.fang@example.com");
    assert.deepEqual(mail.envelopeTo, ["wang.fang@example.com"]);
    assert.equal(mail.parsed.headers.get("x-duecare-idempotency-key"), email.idempotencyKey);
    assert.equal(mail.parsed.headers.get("content-language"), "zh-CN");
    assert.match(
      String(mail.parsed.html),
      /<p>王芳女士您好：<\/p><p>您在某某消费金融的账单已逾期3天，应还金额 ¥1,234.50。<br>如有困难，可申请分期还款 &#60;详见 App&#62;。<\/p>/,
    );
    assert.equal(mail.user, "reminders", "the URL's credentials log in");
  });

  it("sends a resend after a crash under the same Message-ID, which the mailbox collapses", async () => {
    await adapter.send(email);
    assert.equal(sink.received, 2);
    assert.equal(sink.distinctMessageIds, 1);
    assert.deepEqual(await adapter.lookup(email.idempotencyKey, email), { unknown: true });
  });

  it("refuses a message without a subject or with a bad address, without connecting", async () => {
    const received = sink.received;
    const noSubject = await adapter.send({ ...keyed("k-no-subject"), subject: undefined });
    const badAddress = await adapter.send({ ...keyed("k-bad-address"), to: "wang at example" });
    assert.equal(noSubject.outcome === "rejected" && noSubject.code, "subject_missing");
    assert.equal(badAddress.outcome === "rejected" && badAddress.code, "invalid_recipient");
    assert.equal(sink.received, received);
    await assert.rejects(adapter.send({ ...email, channel: "sms" }), /serves email, not sms/);
  });
});

describe("SMTP adapter when the server refuses or is away", () => {
  it("retries a 451 (try again later)", async () => {
    const sink = new SmtpSink({ failEveryNth: 1, failCode: 451 });
    const adapter = new SmtpAdapter({ url: `smtp://127.0.0.1:${await sink.start()}`, from, messageIdDomain: "mail.lender.example", ratePerSecond: 1 });
    try {
      const result = await adapter.send(keyed("k-451"));
      assert.equal(result.outcome, "retry");
      assert.equal(result.outcome === "retry" && result.code, "smtp_451");
      assert.equal(sink.distinctMessageIds, 0);
    } finally {
      await adapter.close();
      await sink.stop();
    }
  });

  it("rejects a 550 (no such user) for good", async () => {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      closeTimeout: 500,
      onRcptTo(address, _session, callback) {
        const error: Error & { responseCode?: number } = new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`);
        error.responseCode = 550;
        callback(error);
      },
    });
    const listener = server.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => listener.once("listening", () => resolve()));
    const { port } = listener.address() as AddressInfo;
    const adapter = new SmtpAdapter({ url: `smtp://127.0.0.1:${port}`, from, messageIdDomain: "mail.lender.example", ratePerSecond: 1 });
    try {
      const result = await adapter.send(keyed("k-550"));
      assert.equal(result.outcome, "rejected");
      assert.equal(result.outcome === "rejected" && result.code, "smtp_550");
      assert.match(result.outcome === "rejected" ? result.message : "", /User unknown/);
    } finally {
      await adapter.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("retries when the server is down", async () => {
    const adapter = new SmtpAdapter({
      url: `smtp://127.0.0.1:${await closedPort()}`,
      from,
      messageIdDomain: "mail.lender.example",
      ratePerSecond: 1,
      timeoutMs: 2000,
    });
    try {
      const result = await adapter.send(keyed("k-down"));
      assert.equal(result.outcome, "retry");
      assert.match(result.outcome === "retry" ? `${result.code} ${result.message}` : "", /ECONNREFUSED/);
    } finally {
      await adapter.close();
    }
  });

  it("gives up after its timeout when the server is slow to take the message", async () => {
    const sink = new SmtpSink({ latencyMs: 3000 });
    const adapter = new SmtpAdapter({
      url: `smtp://127.0.0.1:${await sink.start()}`,
      from,
      messageIdDomain: "mail.lender.example",
      ratePerSecond: 1,
      timeoutMs: 300,
    });
    const startedMs = Date.now();
    try {
      assert.deepEqual(await adapter.send(keyed("k-slow")), { outcome: "retry", code: "timeout", message: "no answer within 300 ms" });
      assert.ok(Date.now() - startedMs < 2000);
    } finally {
      await adapter.close();
      await sink.stop();
    }
  });
});
