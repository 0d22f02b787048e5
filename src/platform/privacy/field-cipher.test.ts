import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { blindIndex } from "./blind-index.js";
import { FieldCipher } from "./field-cipher.js";

const k1 = { id: "k1", key: randomBytes(32) };
const k2 = { id: "k2", key: randomBytes(32) };

describe("FieldCipher", () => {
  it("round-trips with the key id in the ciphertext and a fresh IV each time", () => {
    const cipher = new FieldCipher([k1]);
    const first = cipher.encrypt("110105199003071234", "borrower:1:national_id");
    const second = cipher.encrypt("110105199003071234", "borrower:1:national_id");
    assert.notEqual(first, second);
    assert.match(first, /^v1\.k1\.[\w-]{16}\.[\w-]+$/);
    assert.ok(!first.includes("110105199003071234"));
    assert.equal(cipher.decrypt(first, "borrower:1:national_id"), "110105199003071234");
    assert.equal(cipher.decrypt(cipher.encrypt("张三丰"), ""), "张三丰");
  });

  it("refuses a ciphertext moved to another row or column", () => {
    const cipher = new FieldCipher([k1]);
    const phone = cipher.encrypt("13800138000", "borrower:1:phone");
    assert.throws(() => cipher.decrypt(phone, "borrower:2:phone"), /altered or belongs to another field/);
  });

  it("refuses a tampered ciphertext", () => {
    const cipher = new FieldCipher([k1]);
    const parts = cipher.encrypt("13800138000").split(".");
    const body = Buffer.from(parts[3] as string, "base64url");
    body[0] = (body[0] as number) ^ 1;
    assert.throws(() => cipher.decrypt([parts[0], parts[1], parts[2], body.toString("base64url")].join(".")), /altered/);
    assert.throws(() => cipher.decrypt("not a ciphertext"), /not a v1 field ciphertext/);
  });

  it("rotates keys: old ciphertexts still decrypt, and re-encrypt under the new key", () => {
    const old = new FieldCipher([k1]).encrypt("13800138000", "a");
    const rotated = new FieldCipher([k2, k1]);
    assert.equal(rotated.decrypt(old, "a"), "13800138000");
    assert.equal(rotated.needsRotation(old), true);
    const fresh = rotated.rotate(old, "a");
    assert.match(fresh, /^v1\.k2\./);
    assert.equal(rotated.needsRotation(fresh), false);
    assert.throws(() => new FieldCipher([k2]).decrypt(old, "a"), /key k1 is not in the keyring/);
  });

  it("checks its keyring", () => {
    assert.throws(() => new FieldCipher([]), /at least one key/);
    assert.throws(() => new FieldCipher([{ id: "short", key: randomBytes(16) }]), /must be 32 bytes/);
    assert.throws(() => new FieldCipher([k1, { id: "k1", key: randomBytes(32) }]), /appears twice/);
  });
});

describe("blindIndex", () => {
  it("is stable for a key, and differs by key and by kind", () => {
    const key = randomBytes(32);
    assert.equal(blindIndex(key, "phone", "13800138000"), blindIndex(key, "phone", "13800138000"));
    assert.match(blindIndex(key, "phone", "13800138000"), /^[0-9a-f]{64}$/);
    assert.notEqual(blindIndex(key, "phone", "13800138000"), blindIndex(randomBytes(32), "phone", "13800138000"));
    assert.notEqual(blindIndex(key, "phone", "13800138000"), blindIndex(key, "national_id", "13800138000"));
  });
});
