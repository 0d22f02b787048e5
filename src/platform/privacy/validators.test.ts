import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { makeNationalId, validateEmail, validateMainlandMobile, validateNationalId } from "./validators.js";

const today = "2026-11-22";

describe("validateNationalId (GB 11643)", () => {
  it("accepts the standard's published example, with a lower-case x", () => {
    const result = validateNationalId("11010519491231002x", today);
    assert.deepEqual(result, { ok: true, value: "11010519491231002X", birthDate: "1949-12-31", gender: "female", regionCode: "110105" });
  });

  it("reads gender from the 17th digit", () => {
    const male = validateNationalId(makeNationalId("440305", "1990-03-07", 1), today);
    const female = validateNationalId(makeNationalId("440305", "1990-03-07", 2), today);
    assert.equal(male.ok && male.gender, "male");
    assert.equal(female.ok && female.gender, "female");
  });

  const refusals: [string, string, RegExp][] = [
    ["too short", "11010519491231002", /must be 18 characters \(got 17\)/],
    ["letters inside", "1101051949123A002X", /17 digits followed by a digit or X/],
    ["wrong check character", "110105194912310021", /checksum does not match \(expected X/],
    ["unknown province", makeNationalId("990105", "1990-01-01", 1), /region code 990105/],
    ["February 30", "110105" + "19900230" + "0011", /birth date 19900230 is not a real date/],
    ["February 29 in a common year", "110105" + "19000229" + "0011", /birth date 19000229 is not a real date/],
    ["born in the future", makeNationalId("110105", "2027-01-01", 1), /in the future/],
    ["born before 1900", makeNationalId("110105", "1899-12-31", 1), /before 1900/],
  ];
  for (const [label, input, reason] of refusals) {
    it(`refuses ${label}`, () => {
      const result = validateNationalId(input, today);
      assert.equal(result.ok, false);
      assert.match(result.ok ? "" : result.reason, reason);
    });
  }

  it("accepts February 29 in a leap year, including 2000", () => {
    for (const date of ["2000-02-29", "1996-02-29", "2024-02-29"]) assert.equal(validateNationalId(makeNationalId("310115", date, 7), today).ok, true, date);
  });

  it("round-trips 500 generated numbers (property)", () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    const regions = ["110105", "310115", "440305", "510107", "650102", "820000"];
    for (let index = 0; index < 500; index += 1) {
      const epochDay = next() % 40_000; // 1916 … 2025
      const birthDate = new Date(Date.UTC(1916, 0, 1) + epochDay * 86_400_000).toISOString().slice(0, 10);
      const id = makeNationalId(regions[next() % regions.length] as string, birthDate, next() % 1000);
      const result = validateNationalId(id, today);
      assert.ok(result.ok, `${id} should be valid`);
      assert.equal(result.birthDate, birthDate);
      // Changing any single digit of the first 17 breaks the checksum or the date.
      const position = next() % 17;
      const digit = (Number(id[position]) + 1 + (next() % 9)) % 10;
      const altered = id.slice(0, position) + digit + id.slice(position + 1);
      assert.equal(validateNationalId(altered, today).ok, false, `${altered} altered from ${id}`);
    }
  });
});

describe("validateMainlandMobile", () => {
  it("normalizes the usual ways of writing a number", () => {
    for (const input of ["13812345678", "+86 138 1234 5678", "86-138-1234-5678", "0086 13812345678", " 138-1234-5678 "]) {
      assert.deepEqual(validateMainlandMobile(input), { ok: true, value: "13812345678" }, input);
    }
  });
  it("refuses numbers that are not mainland mobiles, saying why", () => {
    assert.match((validateMainlandMobile("12812345678") as { reason: string }).reason, /not a mainland mobile number/);
    assert.match((validateMainlandMobile("1381234567") as { reason: string }).reason, /11-digit/);
    assert.match((validateMainlandMobile("138-1234-567a") as { reason: string }).reason, /only digits/);
    assert.match((validateMainlandMobile("010-12345678") as { reason: string }).reason, /11-digit|not a mainland/);
  });
});

describe("validateEmail", () => {
  it("accepts ordinary addresses and refuses broken ones", () => {
    assert.equal(validateEmail(" Wang.Lei@Example.com "), true);
    for (const bad of ["wang", "wang@", "@example.com", "wang@example", "wang lei@example.com"]) assert.equal(validateEmail(bad), false, bad);
  });
});
