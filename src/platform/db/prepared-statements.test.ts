import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PREPARED_STATEMENTS_MAX, PREPARED_TEXT_MAX, statementNameOf } from "./prepared-statements.js";

describe("statementNameOf", () => {
  it("gives one text one name, and different texts different names", () => {
    const names = new Map<string, string>();
    const first = statementNameOf("select * from cases where id = $1", 1, names);
    assert.match(first ?? "", /^dc_[\w-]{27}$/);
    assert.equal(statementNameOf("select * from cases where id = $1", 1, names), first);
    assert.notEqual(statementNameOf("select * from cases where id = $1 limit 1", 1, names), first);
  });

  it("leaves statements without parameters and very long ones unnamed", () => {
    const names = new Map<string, string>();
    assert.equal(statementNameOf("begin", 0, names), undefined);
    assert.equal(statementNameOf(`select $1::text${" ".repeat(PREPARED_TEXT_MAX)}`, 1, names), undefined);
    assert.equal(names.size, 0);
  });

  it("stops naming new texts at its bound but keeps the names it gave", () => {
    const names = new Map<string, string>();
    for (let index = 0; index < PREPARED_STATEMENTS_MAX; index += 1) statementNameOf(`select $1::int + ${index}`, 1, names);
    assert.equal(names.size, PREPARED_STATEMENTS_MAX);
    assert.equal(statementNameOf("select $1::int + 0.5", 1, names), undefined);
    assert.ok(statementNameOf("select $1::int + 0", 1, names));
    assert.equal(names.size, PREPARED_STATEMENTS_MAX);
  });
});
