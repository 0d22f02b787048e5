import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signatureFor, signedHeaders } from "./signed-request.js";

describe("v1 request signature", () => {
  it("is the hex HMAC-SHA256 of timestamp.body", () => {
    // Derived independently with OpenSSL:
    //   printf '%s' '1717200000.{"a":1}' | openssl dgst -sha256 -hmac 'test-secret'
    assert.equal(signatureFor("test-secret", 1717200000, '{"a":1}'), "v1=766022a8dd347e31611c95bc6b69d3b92e7899c6ecb483cb631df46c3ae0a2d1");
  });

  it("signs the timestamp in whole seconds and the body as UTF-8", () => {
    const headers = signedHeaders("test-secret", '{"body":"您好"}', 1717200000999);
    assert.equal(headers["X-Duecare-Timestamp"], "1717200000");
    assert.equal(headers["X-Duecare-Signature"], signatureFor("test-secret", "1717200000", Buffer.from('{"body":"您好"}', "utf8")));
    assert.notEqual(headers["X-Duecare-Signature"], signatureFor("test-secret", "1717200001", '{"body":"您好"}'));
  });
});
