import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { FieldCipher } from "./field-cipher.js";
import { maskPhone } from "./masking.js";
import { ShownValues } from "./shown-values.js";

/** A real cipher that counts what it decrypts. */
class CountingCipher extends FieldCipher {
  decrypted = 0;
  override decrypt(ciphertext: string, associatedData = ""): string {
    this.decrypted += 1;
    return super.decrypt(ciphertext, associatedData);
  }
}

const key = { id: "k1", key: randomBytes(32) };

describe("ShownValues", () => {
  it("decrypts a value once, however often a list shows it", () => {
    const cipher = new CountingCipher([key]);
    const shown = new ShownValues(cipher);
    const phone = cipher.encrypt("13800138000", "borrower:1:phone");
    for (let round = 0; round < 3; round += 1) assert.equal(shown.shown(phone, "borrower:1:phone", "phone:masked", maskPhone), "138****8000");
    assert.equal(cipher.decrypted, 1);
  });

  it("shows a changed value at once: the new ciphertext is not in memory", () => {
    const cipher = new CountingCipher([key]);
    const shown = new ShownValues(cipher);
    const before = cipher.encrypt("张三", "borrower:1:name");
    assert.equal(
      shown.shown(before, "borrower:1:name", "name:full", (name) => name),
      "张三",
    );
    const after = cipher.encrypt("张三丰", "borrower:1:name");
    assert.equal(
      shown.shown(after, "borrower:1:name", "name:full", (name) => name),
      "张三丰",
    );
    assert.equal(cipher.decrypted, 2);
  });

  it("still refuses a ciphertext copied to another row after the original was shown", () => {
    const cipher = new FieldCipher([key]);
    const shown = new ShownValues(cipher);
    const phone = cipher.encrypt("13800138000", "borrower:1:phone");
    shown.shown(phone, "borrower:1:phone", "phone:masked", maskPhone);
    assert.throws(() => shown.shown(phone, "borrower:2:phone", "phone:masked", maskPhone), /altered or belongs to another field/);
  });

  it("keeps each shown form apart: a masked name is not served as the full one", () => {
    const cipher = new FieldCipher([key]);
    const shown = new ShownValues(cipher);
    const name = cipher.encrypt("张三丰", "borrower:1:name");
    assert.equal(
      shown.shown(name, "borrower:1:name", "name:masked", (value) => `${value[0]}**`),
      "张**",
    );
    assert.equal(
      shown.shown(name, "borrower:1:name", "name:full", (value) => value),
      "张三丰",
    );
  });

  it("holds at most its limit, dropping the oldest first", () => {
    const cipher = new CountingCipher([key]);
    const shown = new ShownValues(cipher, 2);
    const values = ["13800000001", "13800000002", "13800000003"].map((phone, index) => ({
      ciphertext: cipher.encrypt(phone, `borrower:${index}:phone`),
      associatedData: `borrower:${index}:phone`,
    }));
    for (const value of values) shown.shown(value.ciphertext, value.associatedData, "phone:masked", maskPhone);
    assert.equal(shown.size, 2);
    const [oldest, , newest] = values as [(typeof values)[0], (typeof values)[0], (typeof values)[0]];
    shown.shown(newest.ciphertext, newest.associatedData, "phone:masked", maskPhone);
    assert.equal(cipher.decrypted, 3, "the newest is still remembered");
    shown.shown(oldest.ciphertext, oldest.associatedData, "phone:masked", maskPhone);
    assert.equal(cipher.decrypted, 4, "the oldest was dropped and is decrypted again");
  });
});
