import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signatureFor } from "./signed-request.js";
import { parseAliyunReports, parseGenericWebhook, verifySignedWebhook, verifyToken, type WebhookParseResult } from "./webhooks.js";

const secret = "webhook-secret-0123456789";
const nowMs = Date.parse("2025-06-01T01:30:00Z");
const nowSeconds = nowMs / 1000;

function problems(result: WebhookParseResult) {
  assert.equal(result.ok, false, "expected the body to be refused");
  return result.ok ? [] : result.problems;
}

describe("verifySignedWebhook", () => {
  const body = '{"events":[]}';
  const headers = (timestamp: number | string, signature: string) => ({ "x-duecare-timestamp": String(timestamp), "x-duecare-signature": signature });

  it("accepts the v1 signature of timestamp.body, whatever the headers' case, with Buffer or string body", () => {
    const signature = signatureFor(secret, nowSeconds, body);
    assert.deepEqual(verifySignedWebhook(secret, headers(nowSeconds, signature), body, nowMs), { ok: true, timestampSeconds: nowSeconds });
    assert.equal(
      verifySignedWebhook(secret, { "X-Duecare-Timestamp": String(nowSeconds), "X-DUECARE-SIGNATURE": signature }, Buffer.from(body), nowMs).ok,
      true,
    );
  });

  it("accepts any of several v1 entries (a sender rotating its secret)", () => {
    const signature = `v1=${"0".repeat(64)}, ${signatureFor(secret, nowSeconds, body)}`;
    assert.equal(verifySignedWebhook(secret, headers(nowSeconds, signature), body, nowMs).ok, true);
  });

  it("names why it refuses, and never throws on junk", () => {
    const good = signatureFor(secret, nowSeconds, body);
    const table: [Record<string, string | string[] | undefined>, string, string][] = [
      [{}, body, "missing_timestamp"],
      [{ "x-duecare-timestamp": "", "x-duecare-signature": good }, body, "missing_timestamp"],
      [headers("yesterday", good), body, "bad_timestamp"],
      [headers("-5", good), body, "bad_timestamp"],
      [headers(nowSeconds - 301, signatureFor(secret, nowSeconds - 301, body)), body, "stale_timestamp"],
      [headers(nowSeconds + 301, signatureFor(secret, nowSeconds + 301, body)), body, "stale_timestamp"],
      [{ "x-duecare-timestamp": String(nowSeconds) }, body, "missing_signature"],
      [headers(nowSeconds, "sha256=abc"), body, "bad_signature_format"],
      [headers(nowSeconds, "v1=xyz"), body, "bad_signature_format"],
      [headers(nowSeconds, good), '{"events":[1]}', "signature_mismatch"],
      [headers(nowSeconds, signatureFor("another-secret", nowSeconds, body)), body, "signature_mismatch"],
      [headers(nowSeconds + 1, good), body, "signature_mismatch"],
    ];
    for (const [given, rawBody, reason] of table) {
      const result = verifySignedWebhook(secret, given, rawBody, nowMs);
      assert.equal(result.ok === false && result.reason, reason, JSON.stringify(given));
    }
    assert.equal(verifySignedWebhook("", headers(nowSeconds, good), body, nowMs).ok, false);
  });

  it("takes a custom tolerance", () => {
    const at = nowSeconds - 30;
    assert.equal(verifySignedWebhook(secret, headers(at, signatureFor(secret, at, body)), body, nowMs, 10).ok, false);
    assert.equal(verifySignedWebhook(secret, headers(at, signatureFor(secret, at, body)), body, nowMs, 60).ok, true);
  });
});

describe("verifyToken", () => {
  it("compares in constant time and refuses a missing or empty token", () => {
    assert.equal(verifyToken("s3cret-token", "s3cret-token"), true);
    assert.equal(verifyToken("s3cret-token", "s3cret-tokem"), false);
    assert.equal(verifyToken("s3cret-token", "s3cret"), false);
    assert.equal(verifyToken("s3cret-token", undefined), false);
    assert.equal(verifyToken("s3cret-token", null), false);
    assert.equal(verifyToken("", ""), false);
  });
});

describe("parseGenericWebhook", () => {
  it("normalises receipts, replies (with STOP detection) and robot outcomes (promise in bigint minor units)", () => {
    const body = JSON.stringify({
      events: [
        { id: "e1", type: "receipt", at: "2025-06-01T09:30:00+08:00", providerMessageId: "m-1", idempotencyKey: "k-1", status: "delivered" },
        { id: "e2", type: "receipt", at: "2025-06-01T01:31:00Z", idempotencyKey: "k-2", status: "failed", errorCode: "UNDELIVERABLE" },
        { id: "e3", type: "reply", at: "2025-06-01T01:32:00Z", from: "+8613800138000", text: "退订" },
        { id: "e4", type: "reply", at: "2025-06-01T01:33:00Z", from: "+8613800138000", text: "我下周五还" },
        {
          id: "e5",
          type: "robot_outcome",
          at: "2025-06-01T01:34:00Z",
          providerMessageId: "t-1",
          outcome: "promise_to_pay",
          promiseAmountMinor: "9007199254740993",
          promiseDate: "2025-06-05",
        },
        { id: "e6", type: "robot_outcome", at: "2025-06-01T01:35:00Z", idempotencyKey: "k-3", outcome: "no_answer", extra: "ignored" },
      ],
    });
    const result = parseGenericWebhook(body, "voice-http");
    assert.ok(result.ok);
    assert.deepEqual(result.events, [
      {
        kind: "receipt",
        provider: "voice-http",
        eventId: "e1",
        providerMessageId: "m-1",
        idempotencyKey: "k-1",
        status: "delivered",
        errorCode: null,
        at: new Date("2025-06-01T01:30:00Z"),
      },
      {
        kind: "receipt",
        provider: "voice-http",
        eventId: "e2",
        providerMessageId: null,
        idempotencyKey: "k-2",
        status: "failed",
        errorCode: "UNDELIVERABLE",
        at: new Date("2025-06-01T01:31:00Z"),
      },
      { kind: "reply", provider: "voice-http", eventId: "e3", from: "+8613800138000", text: "退订", at: new Date("2025-06-01T01:32:00Z"), isStop: true },
      { kind: "reply", provider: "voice-http", eventId: "e4", from: "+8613800138000", text: "我下周五还", at: new Date("2025-06-01T01:33:00Z"), isStop: false },
      {
        kind: "robot_outcome",
        provider: "voice-http",
        eventId: "e5",
        providerMessageId: "t-1",
        idempotencyKey: null,
        outcome: "promise_to_pay",
        promiseAmountMinor: 9007199254740993n,
        promiseDate: "2025-06-05",
        at: new Date("2025-06-01T01:34:00Z"),
      },
      {
        kind: "robot_outcome",
        provider: "voice-http",
        eventId: "e6",
        providerMessageId: null,
        idempotencyKey: "k-3",
        outcome: "no_answer",
        promiseAmountMinor: null,
        promiseDate: null,
        at: new Date("2025-06-01T01:35:00Z"),
      },
    ]);
    assert.equal(parseGenericWebhook(JSON.stringify({ events: [{ id: "e", type: "reply", at: "2025-06-01T01:32:00Z", from: "x", text: "hi" }] })).ok, true);
  });

  it("names the field and the event index of each problem", () => {
    const at = "2025-06-01T01:30:00Z";
    const table: [unknown, string, RegExp][] = [
      [{ id: "e", type: "receipt", at, idempotencyKey: "k", status: "read" }, "events[0].status", /delivered/],
      [{ id: "e", type: "receipt", at, status: "delivered" }, "events[0].providerMessageId", /providerMessageId or idempotencyKey/],
      [{ id: "e", type: "receipt", at: "2025-06-01 09:30", idempotencyKey: "k", status: "delivered" }, "events[0].at", /ISO 8601/],
      [{ id: "", type: "reply", at, from: "x", text: "hi" }, "events[0].id", /empty/],
      [{ id: "e", type: "reply", at, text: "hi" }, "events[0].from", /./],
      [{ id: "e", type: "sms", at }, "events[0].type", /receipt, reply, robot_outcome/],
      [{ id: "e", at }, "events[0].type", /receipt, reply, robot_outcome/],
      [{ id: "e", type: "robot_outcome", at, providerMessageId: "t", outcome: "hung_up" }, "events[0].outcome", /connected/],
      [
        { id: "e", type: "robot_outcome", at, providerMessageId: "t", outcome: "promise_to_pay", promiseAmountMinor: 1500, promiseDate: "2025-06-05" },
        "events[0].promiseAmountMinor",
        /not a JSON number/,
      ],
      [
        { id: "e", type: "robot_outcome", at, providerMessageId: "t", outcome: "promise_to_pay", promiseAmountMinor: "15.00", promiseDate: "2025-06-05" },
        "events[0].promiseAmountMinor",
        /digits/,
      ],
      [
        { id: "e", type: "robot_outcome", at, providerMessageId: "t", outcome: "promise_to_pay", promiseAmountMinor: "1500" },
        "events[0].promiseDate",
        /required/,
      ],
      [
        { id: "e", type: "robot_outcome", at, providerMessageId: "t", outcome: "promise_to_pay", promiseAmountMinor: "1500", promiseDate: "2025-02-30" },
        "events[0].promiseDate",
        /YYYY-MM-DD/,
      ],
      [{ id: "e", type: "robot_outcome", at, providerMessageId: "t", outcome: "busy", promiseDate: "2025-06-05" }, "events[0].promiseDate", /only allowed/],
    ];
    for (const [event, path, message] of table) {
      const found = problems(parseGenericWebhook(JSON.stringify({ events: [event] })));
      const problem = found.find((entry) => entry.path === path);
      assert.ok(problem, `${JSON.stringify(event)}: expected a problem at ${path}, got ${JSON.stringify(found)}`);
      assert.match(problem.message, message);
    }
  });

  it("points at the right event in a batch and refuses the whole batch", () => {
    const good = { id: "e1", type: "reply", at: "2025-06-01T01:30:00Z", from: "x", text: "hi" };
    const found = problems(parseGenericWebhook(JSON.stringify({ events: [good, good, { ...good, text: 42 }] })));
    assert.deepEqual(
      found.map((problem) => problem.path),
      ["events[2].text"],
    );
  });

  it("refuses a body that is not the envelope", () => {
    assert.deepEqual(problems(parseGenericWebhook("not json")), [{ path: "body", message: "not valid JSON" }]);
    assert.equal(problems(parseGenericWebhook("[]"))[0]?.path, "body");
    assert.equal(problems(parseGenericWebhook('{"events":[]}'))[0]?.path, "events");
    assert.equal(problems(parseGenericWebhook('{"events":{}}'))[0]?.path, "events");
    assert.match(problems(parseGenericWebhook(JSON.stringify({ events: new Array(1001).fill({}) })))[0]?.message ?? "", /at most 1000/);
    assert.match(problems(parseGenericWebhook(`{"events":["${"x".repeat(1_048_576)}"]}`))[0]?.message ?? "", /larger than/);
  });
});

describe("parseAliyunReports", () => {
  it("normalises SmsReport receipts (China time, biz_id and out_id) and SmsUp replies", () => {
    const body = JSON.stringify([
      {
        phone_number: "13800138000",
        send_time: "2025-06-01 09:00:00",
        report_time: "2025-06-01 09:00:05",
        success: true,
        err_code: "DELIVERED",
        err_msg: "用户接收成功",
        sms_size: "1",
        biz_id: "932702304080415357^0",
        out_id: "reminder:k-1",
      },
      {
        phone_number: "13800138001",
        send_time: "2025-06-01 09:00:00",
        report_time: "2025-06-01 09:01:00",
        success: false,
        err_code: "MK:0001",
        err_msg: "用户停机",
        sms_size: "1",
        biz_id: "932702304080415358^0",
        out_id: "",
      },
      { phone_number: "13800138000", send_time: "2025-06-01 09:10:00", content: "ＴＤ", sign_name: "还款提醒", dest_code: "1234", sequence_id: 1234567 },
      { phone_number: "13800138000", send_time: "2025-06-01 09:11:00", content: "我明天还", sign_name: "还款提醒", dest_code: "1234", sequence_id: "1234568" },
    ]);
    const result = parseAliyunReports(body);
    assert.ok(result.ok);
    assert.deepEqual(result.events, [
      {
        kind: "receipt",
        provider: "aliyun-sms",
        eventId: "aliyun:report:932702304080415357^0:13800138000:2025-06-01 09:00:05",
        providerMessageId: "932702304080415357^0",
        idempotencyKey: "reminder:k-1",
        status: "delivered",
        errorCode: null,
        at: new Date("2025-06-01T01:00:05Z"),
      },
      {
        kind: "receipt",
        provider: "aliyun-sms",
        eventId: "aliyun:report:932702304080415358^0:13800138001:2025-06-01 09:01:00",
        providerMessageId: "932702304080415358^0",
        idempotencyKey: null,
        status: "failed",
        errorCode: "MK:0001",
        at: new Date("2025-06-01T01:01:00Z"),
      },
      {
        kind: "reply",
        provider: "aliyun-sms",
        eventId: "aliyun:up:1234567",
        from: "13800138000",
        text: "ＴＤ",
        at: new Date("2025-06-01T01:10:00Z"),
        isStop: true,
      },
      {
        kind: "reply",
        provider: "aliyun-sms",
        eventId: "aliyun:up:1234568",
        from: "13800138000",
        text: "我明天还",
        at: new Date("2025-06-01T01:11:00Z"),
        isStop: false,
      },
    ]);
  });

  it("names the entry index and field of each problem", () => {
    const report = { phone_number: "13800138000", report_time: "2025-06-01 09:00:05", success: true, biz_id: "b-1" };
    const table: [unknown, string, RegExp][] = [
      [{ ...report, success: "yes" }, "[0].success", /true or false/],
      [{ ...report, report_time: "2025-06-01T09:00:05Z" }, "[0].report_time", /yyyy-MM-dd HH:mm:ss/],
      [{ ...report, report_time: "2025-13-45 09:00:05" }, "[0].report_time", /not a real date/],
      [{ ...report, biz_id: "" }, "[0].biz_id", /empty/],
      [{ phone_number: "13800138000", send_time: "2025-06-01 09:10:00", content: "hi" }, "[0].sequence_id", /sequence/],
      [{ phone_number: "13800138000" }, "[0]", /neither an SmsReport/],
      ["text", "[0]", /object/],
    ];
    for (const [entry, path, message] of table) {
      const found = problems(parseAliyunReports(JSON.stringify([entry])));
      const problem = found.find((item) => item.path === path);
      assert.ok(problem, `${JSON.stringify(entry)}: expected a problem at ${path}, got ${JSON.stringify(found)}`);
      assert.match(problem.message, message);
    }
    assert.deepEqual(
      problems(parseAliyunReports(JSON.stringify([report, { ...report, biz_id: 7 }]))).map((problem) => problem.path),
      ["[1].biz_id"],
    );
    assert.deepEqual(problems(parseAliyunReports('{"phone_number":"1"}')), [{ path: "body", message: "expected a JSON array of SmsReport or SmsUp entries" }]);
    assert.deepEqual(problems(parseAliyunReports("<xml>")), [{ path: "body", message: "not valid JSON" }]);
  });
});
