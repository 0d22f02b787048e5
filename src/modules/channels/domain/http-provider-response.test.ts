import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mapLookupResponse, mapSendResponse, parseRetryAfter, RETRY_AFTER_MS_MAX } from "./http-provider-response.js";

const nowMs = Date.parse("2025-06-01T00:00:00Z");
const answer = (status: number, body: unknown, retryAfter: string | null = null) => ({
  status,
  bodyText: typeof body === "string" ? body : JSON.stringify(body),
  retryAfter,
});

describe("parseRetryAfter", () => {
  it("reads delta-seconds and HTTP-dates, caps long hints, ignores nonsense", () => {
    assert.equal(parseRetryAfter(null, nowMs), undefined);
    assert.equal(parseRetryAfter("3", nowMs), 3000);
    assert.equal(parseRetryAfter(" 0 ", nowMs), 0);
    assert.equal(parseRetryAfter("Sun, 01 Jun 2025 00:00:30 GMT", nowMs), 30_000);
    assert.equal(parseRetryAfter("Sat, 31 May 2025 23:00:00 GMT", nowMs), 0);
    assert.equal(parseRetryAfter("9999999", nowMs), RETRY_AFTER_MS_MAX);
    for (const bad of ["", "soon", "-5", "1.5", "2025-06-01"]) assert.equal(parseRetryAfter(bad, nowMs), undefined, bad);
  });
});

describe("mapSendResponse", () => {
  it("maps each status the contract names", () => {
    const table: [ReturnType<typeof answer>, unknown][] = [
      [answer(200, { id: "m-1" }), { outcome: "accepted", providerMessageId: "m-1" }],
      [answer(201, { id: "m-1" }), { outcome: "accepted", providerMessageId: "m-1" }],
      [answer(202, { id: "m-1", status: "queued" }), { outcome: "accepted", providerMessageId: "m-1" }],
      [answer(409, { id: "m-1", code: "duplicate" }), { outcome: "accepted", providerMessageId: "m-1" }],
      [answer(409, { code: "busy_elsewhere" }), { outcome: "rejected", code: "busy_elsewhere", message: "HTTP 409" }],
      [answer(429, { code: "rate_limited", message: "slow down" }, "2"), { outcome: "retry", code: "rate_limited", message: "slow down", retryAfterMs: 2000 }],
      [answer(503, "<html>down</html>"), { outcome: "retry", code: "http_503", message: "HTTP 503" }],
      [answer(500, { message: "boom\n  at line 3" }), { outcome: "retry", code: "http_500", message: "boom at line 3" }],
      [answer(408, ""), { outcome: "retry", code: "http_408", message: "HTTP 408" }],
      [answer(400, { code: "invalid_number", message: "not a phone" }), { outcome: "rejected", code: "invalid_number", message: "not a phone" }],
      [answer(401, { code: "bad_signature" }), { outcome: "rejected", code: "bad_signature", message: "HTTP 401" }],
      [answer(422, { code: "has spaces", message: "" }), { outcome: "rejected", code: "http_422", message: "HTTP 422" }],
      [answer(301, ""), { outcome: "rejected", code: "unexpected_redirect", message: "HTTP 301: check the provider's base URL" }],
    ];
    for (const [response, expected] of table) assert.deepEqual(mapSendResponse(response, "id", nowMs), expected, `${response.status} ${response.bodyText}`);
  });

  it("asks for a retry when a 2xx carries no usable id (the same key makes the resend safe)", () => {
    for (const body of ["", "not json", { id: 42 }, { id: "" }, { taskId: "t-1" }, ["m-1"]]) {
      const result = mapSendResponse(answer(200, body), "id", nowMs);
      assert.equal(result.outcome, "retry", JSON.stringify(body));
      assert.equal(result.outcome === "retry" && result.code, "bad_response");
    }
  });

  it("reads the voice robot's taskId", () => {
    assert.deepEqual(mapSendResponse(answer(202, { taskId: "t-9" }), "taskId", nowMs), { outcome: "accepted", providerMessageId: "t-9" });
  });
});

describe("mapLookupResponse", () => {
  it("finds on 200 with an id, says not found only on 404, and does not guess otherwise", () => {
    assert.deepEqual(mapLookupResponse(answer(200, { id: "m-1" }), "id"), { found: true, providerMessageId: "m-1" });
    assert.deepEqual(mapLookupResponse(answer(404, { code: "not_found" }), "id"), { found: false });
    for (const response of [answer(200, {}), answer(200, "x"), answer(500, ""), answer(401, ""), answer(429, "")]) {
      assert.deepEqual(mapLookupResponse(response, "id"), { unknown: true }, String(response.status));
    }
  });
});
