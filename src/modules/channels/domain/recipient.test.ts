import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isEmailAddress, parsePhone } from "./recipient.js";

describe("parsePhone", () => {
  it("reads mainland mobiles with or without +86, spaces and dashes", () => {
    for (const text of ["13800138000", "+8613800138000", "008613800138000", " +86 138-0013-8000 "]) {
      assert.deepEqual(parsePhone(text), { e164: "+8613800138000", countryCode: "86" }, text);
    }
  });

  it("keeps other countries' numbers when they carry their country code", () => {
    assert.deepEqual(parsePhone("+85291234567"), { e164: "+85291234567", countryCode: null });
    assert.deepEqual(parsePhone("+1 (415) 555-0100"), { e164: "+14155550100", countryCode: null });
  });

  it("refuses what is not a phone number", () => {
    for (const text of ["", "hello", "1380013800", "23800138000", "+86 1234", "+0123456789", "+8612800138000", "12345678901234567890"]) {
      assert.equal(parsePhone(text), null, text);
    }
  });
});

describe("isEmailAddress", () => {
  it("accepts ordinary addresses and refuses header tricks", () => {
    assert.ok(isEmailAddress("wang.fang@example.com"));
    assert.ok(isEmailAddress("li+reminders@mail.example.cn"));
    for (const text of ["", "no-at-sign", "a@b", "a b@example.com", "a@example.com\r\nBcc: x@y.z", "<a@example.com>", "a@example.com, b@example.com"]) {
      assert.equal(isEmailAddress(text), false, text);
    }
  });
});
