import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { maskFor, presentPii, visiblePii } from "./masking.js";

describe("masking", () => {
  const examples: [Parameters<typeof maskFor>[0], string, string][] = [
    ["national_id", "110105199003071234", "110105********1234"],
    ["phone", "13856785678", "138****5678"],
    ["name", "张三丰", "张**"],
    ["name", "张三", "张*"],
    ["name", "Li Wei", "L* W**"],
    ["email", "wang.lei@example.com", "w*******@example.com"],
    ["address", "北京市朝阳区建国路88号", "北京市朝阳区****"],
  ];
  for (const [field, value, masked] of examples) it(`masks ${field} ${value}`, () => assert.equal(maskFor(field, value), masked));
});

describe("who sees what", () => {
  it("shows a borrower their own data in full", () => {
    assert.equal(presentPii(["borrower"], "national_id", "110105199003071234"), "110105199003071234");
  });
  it("lets an agent address the borrower by name but masks the identifiers", () => {
    assert.equal(presentPii(["agent"], "name", "张三"), "张三");
    assert.equal(presentPii(["agent"], "phone", "13800138000"), "138****8000");
    assert.equal(visiblePii("agent", "national_id"), "masked");
  });
  it("hides identifiers from strategists entirely", () => {
    assert.equal(presentPii(["strategist"], "phone", "13800138000"), null);
    assert.equal(presentPii(["strategist"], "name", "张三"), "张*");
  });
  it("takes the most open view among a user's roles", () => {
    assert.equal(presentPii(["strategist", "agent"], "phone", "13800138000"), "138****8000");
    assert.equal(presentPii(["compliance", "supervisor"], "name", "张三"), "张三");
  });
  it("masks everything for compliance and admin, who reveal with a reason", () => {
    for (const role of ["compliance", "admin"] as const)
      for (const field of ["name", "national_id", "phone", "address", "email"] as const) assert.equal(visiblePii(role, field), "masked");
  });
});
