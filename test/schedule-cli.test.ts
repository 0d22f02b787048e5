// The `duecare schedule` contract, as other tools call it from a clean clone.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const root = join(fileURLToPath(import.meta.url), "..", "..");

function duecare(args: string[]) {
  return spawnSync(process.execPath, [join(root, "bin", "duecare.js"), ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });
}

describe("duecare schedule", () => {
  it("prints the JSON contract with decimal-string amounts", () => {
    const result = duecare([
      "schedule",
      "--principal",
      "1000000",
      "--annual-rate",
      "4.9",
      "--months",
      "360",
      "--method",
      "equal-installment",
      "--start",
      "2026-01-15",
      "--json",
    ]);
    assert.equal(result.status, 0, result.stderr);
    const installments = JSON.parse(result.stdout) as Record<string, unknown>[];
    assert.equal(installments.length, 360);
    assert.deepEqual(installments[0], {
      number: 1,
      dueDate: "2026-02-15",
      principal: "1223.94",
      interest: "4083.33",
      payment: "5307.27",
      remainingPrincipal: "998776.06",
    });
    assert.deepEqual(Object.keys(installments[359] as object), ["number", "dueDate", "principal", "interest", "payment", "remainingPrincipal"]);
    assert.equal((installments[359] as { remainingPrincipal: string }).remainingPrincipal, "0.00");
  });

  it("prints a readable table with totals", () => {
    const result = duecare([
      "schedule",
      "--principal",
      "12000",
      "--annual-rate",
      "18",
      "--months",
      "12",
      "--method",
      "equal-principal",
      "--start",
      "2026-01-31",
    ]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^2\s+2026-03-31\s+1000\.00\s+165\.00\s+1165\.00\s+10000\.00$/m);
    assert.match(result.stdout, /^total\s+12000\.00\s+1170\.00\s+13170\.00$/m);
  });

  it("names the bad option in one line and exits 1", () => {
    const cases: [string[], RegExp][] = [
      [["--method", "balloon"], /^duecare: --method "balloon": expected one of equal-installment, equal-principal, interest-first, bullet\n$/],
      [["--principal", "12000.123"], /^duecare: --principal: amount 12000.123 has more than 2 decimals for CNY\n$/],
      [["--start", "2026-02-30"], /^duecare: --start: start date "2026-02-30" is not a date/],
      [["--months", "0"], /^duecare: --months: months must be a whole number from 1 to 600/],
    ];
    const base = { "--principal": "12000", "--annual-rate": "18", "--months": "12", "--method": "bullet", "--start": "2026-01-31" };
    for (const [override, message] of cases) {
      const options = { ...base, [override[0] as string]: override[1] as string };
      const result = duecare(["schedule", ...Object.entries(options).flat()]);
      assert.equal(result.status, 1, override.join(" "));
      assert.match(result.stderr, message);
    }
  });
});
