// Keeps the rule catalogue, docs/compliance.md and the tests in step: every rule the engine knows
// is documented with its pack and parameters, and is named by at least one test. It reads files,
// so it lives beside the module rather than in the pure domain folder.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { ruleCatalogue, ruleIds } from "./domain/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const documentation = readFileSync(resolve(here, "../../../docs/compliance.md"), "utf8");
const domainFolder = join(here, "domain");
const testNames = readdirSync(domainFolder)
  .filter((name) => name.endsWith(".test.ts"))
  .flatMap((name) =>
    [...readFileSync(join(domainFolder, name), "utf8").matchAll(/\b(?:describe|it)\(\s*(["'`])((?:(?!\1).)*)\1/g)].map((match) => match[2] as string),
  );

describe("the compliance rule catalogue", () => {
  it("lists every rule id once", () => {
    assert.deepEqual(
      ruleCatalogue.map((rule) => rule.id),
      [...ruleIds],
    );
  });

  it("is documented in docs/compliance.md: every rule's row names its pack table, source and parameters", () => {
    for (const rule of ruleCatalogue) {
      const row = documentation.split("\n").find((line) => line.startsWith(`| \`${rule.id}\``));
      assert.ok(row, `docs/compliance.md has no row for ${rule.id}`);
      const packHeading = documentation.lastIndexOf("\n### ", documentation.indexOf(row));
      assert.ok(documentation.slice(packHeading).startsWith(`\n### ${rule.pack}`), `${rule.id} is listed under ${rule.pack}`);
      assert.ok(row.includes(rule.source.replaceAll("|", "\\|")), `${rule.id}: the documented source matches the catalogue`);
      for (const parameter of rule.parameters) assert.ok(row.includes(`\`${parameter.name}\``), `${rule.id}: documents ${parameter.name}`);
    }
  });

  it("has no documented rule the catalogue does not know", () => {
    const documented = [...documentation.matchAll(/^\| `((?:cn|us)\.[a-z0-9.-]+)`/gm)].map((match) => match[1]);
    assert.deepEqual(documented.sort(), [...ruleIds].sort());
  });

  it("names every rule in at least one test", () => {
    for (const id of ruleIds)
      assert.ok(
        testNames.some((name) => name.includes(id)),
        `no test name mentions ${id}`,
      );
  });
});
