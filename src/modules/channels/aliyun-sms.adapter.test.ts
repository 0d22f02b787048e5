// The Aliyun SMS adapter against a local stand-in for dysmsapi that checks every request the way
// Aliyun does: its own percent-encoding and HMAC-SHA1 signature (written here independently of
// domain/aliyun-signature.ts), the common parameters, the timestamp's freshness, nonce reuse.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { type Clock, FixedClock, systemClock } from "../../platform/clock.js";
import { AliyunSmsAdapter } from "./aliyun-sms.adapter.js";
import type { ChannelMessage } from "./domain/channel-message.js";

const accessKeyId = "LTAI5tTestAccessKey";
const accessKeySecret = "test-access-key-secret-0123";

/** RFC 3986 byte by byte: unreserved bytes stay, every other byte of the UTF-8 form is %XY. */
function rfc3986(value: string): string {
  let encoded = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const character = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9\-_.~]/.test(character) ? character : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return encoded;
}

function expectedSignature(parameters: URLSearchParams, secret: string): string {
  const pairs = [...parameters.entries()].filter(([name]) => name !== "Signature").sort(([left], [right]) => (left < right ? -1 : 1));
  const canonical = pairs.map(([name, value]) => `${rfc3986(name)}=${rfc3986(value)}`).join("&");
  return createHmac("sha1", `${secret}&`)
    .update(`POST&${rfc3986("/")}&${rfc3986(canonical)}`)
    .digest("base64");
}

interface Sent {
  bizId: string;
  outId: string;
  phone: string;
  sendDate: string;
  templateCode: string;
  templateParam: unknown;
  signName: string;
}

function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll("-", "");
}

/** A dysmsapi stand-in. Template codes script the failures: SMS_LIMIT, SMS_ILLEGAL, SMS_500, SMS_HANG. */
async function fakeDysmsapi(clock: Clock): Promise<{ url: string; sent: Sent[]; actions: string[]; stop(): Promise<void> }> {
  const sent: Sent[] = [];
  const actions: string[] = [];
  const nonces = new Set<string>();
  const reply = (response: ServerResponse, status: number, body: Record<string, unknown>) => {
    response.writeHead(status, { "content-type": "application/json;charset=utf-8" });
    response.end(JSON.stringify({ RequestId: `req-${actions.length}`, ...body }));
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const action = form.get("Action") ?? "";
      actions.push(action);
      if (request.method !== "POST" || request.url !== "/")
        return reply(response, 404, { Code: "InvalidAction.NotFound", Message: "Specified api is not found" });
      if (form.get("AccessKeyId") !== accessKeyId)
        return reply(response, 404, { Code: "InvalidAccessKeyId.NotFound", Message: "Specified access key is not found." });
      if (form.get("Signature") !== expectedSignature(form, accessKeySecret)) {
        return reply(response, 400, { Code: "SignatureDoesNotMatch", Message: "Specified signature is not matched with our calculation." });
      }
      const common = ["Format", "SignatureMethod", "SignatureVersion", "Version", "RegionId"].map((name) => form.get(name)).join(" ");
      if (common !== "JSON HMAC-SHA1 1.0 2017-05-25 cn-hangzhou") return reply(response, 400, { Code: "MissingParameter", Message: common });
      const timestamp = form.get("Timestamp") ?? "";
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(timestamp) || Math.abs(Date.parse(timestamp) - clock.now().getTime()) > 900_000) {
        return reply(response, 400, { Code: "InvalidTimeStamp.Expired", Message: timestamp });
      }
      const nonce = form.get("SignatureNonce") ?? "";
      if (nonce === "" || nonces.has(nonce))
        return reply(response, 400, { Code: "SignatureNonceUsed", Message: "Specified signature nonce was used already." });
      nonces.add(nonce);
      if (action === "SendSms") {
        const templateCode = form.get("TemplateCode") ?? "";
        if (templateCode === "SMS_HANG") return; // never answers
        if (templateCode === "SMS_500")
          return reply(response, 500, { Code: "InternalError", Message: "The request processing has failed due to some unknown error." });
        if (templateCode === "SMS_LIMIT") return reply(response, 200, { Code: "isv.BUSINESS_LIMIT_CONTROL", Message: "触发分钟级流控Permits:1" });
        if (templateCode === "SMS_ILLEGAL") return reply(response, 200, { Code: "isv.SMS_TEMPLATE_ILLEGAL", Message: "模板不合法(不存在或被拉黑)" });
        const bizId = `${100000 + sent.length}^0`;
        sent.push({
          bizId,
          outId: form.get("OutId") ?? "",
          phone: form.get("PhoneNumbers") ?? "",
          sendDate: chinaDate(new Date(Date.parse(timestamp))),
          templateCode,
          templateParam: JSON.parse(form.get("TemplateParam") ?? "null"),
          signName: form.get("SignName") ?? "",
        });
        return reply(response, 200, { Code: "OK", Message: "OK", BizId: bizId });
      }
      if (action === "QuerySendDetails") {
        const phone = form.get("PhoneNumber") ?? "";
        if (phone === "13900000000") return reply(response, 200, { Code: "isv.BUSINESS_LIMIT_CONTROL", Message: "触发分钟级流控" });
        if (form.get("PageSize") !== "50" || form.get("CurrentPage") !== "1" || !/^\d{8}$/.test(form.get("SendDate") ?? "")) {
          return reply(response, 400, { Code: "isv.INVALID_PARAMETERS", Message: "bad query" });
        }
        const entries = sent
          .filter((entry) => entry.phone === phone && entry.sendDate === form.get("SendDate"))
          .map((entry) => ({ PhoneNum: entry.phone, OutId: entry.outId, SendStatus: 3, TemplateCode: entry.templateCode, SendDate: "2025-06-01 09:00:00" }));
        return reply(response, 200, { Code: "OK", Message: "OK", TotalCount: entries.length, SmsSendDetailDTOs: { SmsSendDetailDTO: entries } });
      }
      reply(response, 400, { Code: "InvalidAction", Message: action });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    actions,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const message: ChannelMessage = {
  idempotencyKey: "reminder:2025-06-01:case-42:1",
  channel: "sms",
  to: "+8613800138000",
  body: "王先生您好，您的账单已逾期3天。",
  language: "zh-CN",
  templateCode: "SMS_271525576",
  templateParams: { name: "王先生", days: "3", amount: "1,234.50" },
};
const keyed = (key: string, changes: Partial<ChannelMessage> = {}): ChannelMessage => ({ ...message, idempotencyKey: key, ...changes });

describe("Aliyun SMS adapter", () => {
  let aliyun: Awaited<ReturnType<typeof fakeDysmsapi>>;
  let adapter: AliyunSmsAdapter;
  const options = () => ({ accessKeyId, accessKeySecret, signName: "还款提醒", endpoint: aliyun.url, ratePerSecond: 10, timeoutMs: 2000 });

  before(async () => {
    aliyun = await fakeDysmsapi(systemClock);
    adapter = new AliyunSmsAdapter(options());
  });
  after(async () => {
    await adapter.close();
    await aliyun.stop();
  });

  it("sends SendSms signed as Aliyun verifies it, with OutId = the key, and answers the BizId", async () => {
    assert.deepEqual(await adapter.send(message), { outcome: "accepted", providerMessageId: "100000^0" });
    assert.deepEqual(aliyun.sent[0] && { ...aliyun.sent[0], sendDate: "-" }, {
      bizId: "100000^0",
      outId: message.idempotencyKey,
      phone: "13800138000",
      sendDate: "-",
      templateCode: "SMS_271525576",
      templateParam: { name: "王先生", days: "3", amount: "1,234.50" },
      signName: "还款提醒",
    });
    assert.equal(adapter.provider, "aliyun-sms");
  });

  it("finds a sent message by OutId through QuerySendDetails, and says not found for another key", async () => {
    assert.deepEqual(await adapter.lookup(message.idempotencyKey, message), { found: true, providerMessageId: `out:${message.idempotencyKey}` });
    const before = aliyun.actions.length;
    assert.deepEqual(await adapter.lookup("never-sent", keyed("never-sent")), { found: false });
    assert.deepEqual(aliyun.actions.slice(before), ["QuerySendDetails", "QuerySendDetails"], "today, then yesterday");
  });

  it("answers unknown when QuerySendDetails itself fails", async () => {
    assert.deepEqual(await adapter.lookup("k-x", keyed("k-x", { to: "13900000000" })), { unknown: true });
  });

  it("retries flow control and Aliyun's 5xx; rejects an illegal template", async () => {
    assert.deepEqual(await adapter.send(keyed("k-limit", { templateCode: "SMS_LIMIT" })), {
      outcome: "retry",
      code: "isv.BUSINESS_LIMIT_CONTROL",
      message: "触发分钟级流控Permits:1",
      retryAfterMs: 60_000,
    });
    const failed = await adapter.send(keyed("k-500", { templateCode: "SMS_500" }));
    assert.equal(failed.outcome === "retry" && failed.code, "InternalError");
    assert.deepEqual(await adapter.send(keyed("k-illegal", { templateCode: "SMS_ILLEGAL" })), {
      outcome: "rejected",
      code: "isv.SMS_TEMPLATE_ILLEGAL",
      message: "模板不合法(不存在或被拉黑)",
    });
  });

  it("is rejected with SignatureDoesNotMatch under the wrong secret", async () => {
    const impostor = new AliyunSmsAdapter({ ...options(), accessKeySecret: "not-the-secret" });
    const result = await impostor.send(keyed("k-impostor"));
    assert.equal(result.outcome, "rejected");
    assert.equal(result.outcome === "rejected" && result.code, "SignatureDoesNotMatch");
    assert.equal(
      aliyun.sent.some((entry) => entry.outId === "k-impostor"),
      false,
    );
  });

  it("refuses a template without an Aliyun TemplateCode, and a bad number, before calling Aliyun", async () => {
    const before = aliyun.actions.length;
    const noTemplate = await adapter.send(keyed("k-no-template", { templateCode: undefined }));
    assert.equal(noTemplate.outcome === "rejected" && noTemplate.code, "template_code_missing");
    const badNumber = await adapter.send(keyed("k-bad-number", { to: "12345" }));
    assert.equal(badNumber.outcome === "rejected" && badNumber.code, "invalid_recipient");
    assert.equal(aliyun.actions.length, before);
  });

  it("gives up on a hanging endpoint after its timeout, and retries when nothing listens", async () => {
    const hanging = new AliyunSmsAdapter({ ...options(), timeoutMs: 100 });
    assert.deepEqual(await hanging.send(keyed("k-hang", { templateCode: "SMS_HANG" })), {
      outcome: "retry",
      code: "timeout",
      message: "no answer within 100 ms",
    });
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const down = new AliyunSmsAdapter({ ...options(), endpoint: `http://127.0.0.1:${port}` });
    const result = await down.send(keyed("k-down"));
    assert.equal(result.outcome === "retry" && result.code, "network_error");
    assert.deepEqual(await down.lookup("k-down", keyed("k-down")), { unknown: true });
  });
});

describe("Aliyun SMS lookup across midnight in China", () => {
  it("finds a message sent at 23:59 China time when asked at 00:01 the next day", async () => {
    const clock = new FixedClock(new Date("2025-06-01T15:59:00Z")); // 23:59 in Shanghai
    const aliyun = await fakeDysmsapi(clock);
    const adapter = new AliyunSmsAdapter({ accessKeyId, accessKeySecret, signName: "还款提醒", endpoint: aliyun.url, ratePerSecond: 1, clock });
    try {
      assert.equal((await adapter.send(message)).outcome, "accepted");
      assert.equal(aliyun.sent[0]?.sendDate, "20250601");
      clock.advance(2 * 60_000);
      assert.deepEqual(await adapter.lookup(message.idempotencyKey, message), { found: true, providerMessageId: `out:${message.idempotencyKey}` });
    } finally {
      await aliyun.stop();
    }
  });
});
