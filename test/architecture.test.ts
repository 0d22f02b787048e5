// The architecture's rules, checked by a tool rather than by memory:
// - a module imports another module only through that module's index.ts;
// - platform code imports no module;
// - a module's domain/ folder is pure: no database, HTTP, file or network imports, no shell files.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

interface SourceFile {
  path: string; // relative to the project root, with "/" separators
  text: string;
}

function listSources(directory: string): SourceFile[] {
  const files: SourceFile[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) files.push(...listSources(path));
    else if (/\.tsx?$/.test(entry.name)) files.push({ path: relative(root, path).split(sep).join("/"), text: readFileSync(path, "utf8") });
  }
  return files;
}

const importPattern = /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
const impureInDomain = ["kysely", "pg", "fastify", "@electric-sql/pglite", "node:fs", "node:net", "node:http", "node:child_process"];

export function findViolations(files: readonly SourceFile[]): string[] {
  const violations: string[] = [];
  for (const file of files) {
    const moduleMatch = /^src\/modules\/([^/]+)\//.exec(file.path);
    const isDomain = /^src\/modules\/[^/]+\/domain\//.test(file.path);
    for (const match of file.text.matchAll(importPattern)) {
      const specifier = (match[1] ?? match[2]) as string;
      if (isDomain && impureInDomain.some((name) => specifier === name || specifier.startsWith(`${name}/`))) {
        violations.push(`${file.path}: domain code imports ${specifier}`);
      }
      if (!specifier.startsWith(".")) continue;
      const target = join(dirname(file.path), specifier).split(sep).join("/").replace(/\.js$/, ".ts");
      if (
        isDomain &&
        (/\.(repository|service|routes|jobs)\.ts$/.test(target) || target.startsWith("src/platform/db") || target.startsWith("src/platform/http"))
      ) {
        violations.push(`${file.path}: domain code imports the shell ${target}`);
      }
      const targetModule = /^src\/modules\/([^/]+)\/(.+)$/.exec(target);
      if (file.path.startsWith("src/platform/") && targetModule && !file.path.startsWith("src/platform/testing/")) {
        violations.push(`${file.path}: platform code imports module ${targetModule[1]}`);
      }
      if (targetModule && targetModule[1] !== moduleMatch?.[1] && targetModule[2] !== "index.ts") {
        violations.push(`${file.path}: reaches into ${target}; import src/modules/${targetModule[1]}/index.ts instead`);
      }
    }
  }
  return violations;
}

describe("module boundaries", () => {
  it("hold across the source tree", () => {
    const files = listSources(join(root, "src"));
    assert.ok(files.length > 20, "expected to scan the source tree");
    assert.deepEqual(findViolations(files), []);
  });

  it("catch a file that reaches into another module's internals", () => {
    const violations = findViolations([
      {
        path: "src/modules/cases/cases.service.ts",
        text: 'import { x } from "../borrowers/borrowers.service.js";\nimport { y } from "../borrowers/index.js";',
      },
      { path: "src/app.ts", text: 'import { z } from "./modules/identity/identity.service.js";' },
    ]);
    assert.deepEqual(violations, [
      "src/modules/cases/cases.service.ts: reaches into src/modules/borrowers/borrowers.service.ts; import src/modules/borrowers/index.ts instead",
      "src/app.ts: reaches into src/modules/identity/identity.service.ts; import src/modules/identity/index.ts instead",
    ]);
  });

  it("catch impure domain code and platform code that depends on a module", () => {
    const violations = findViolations([
      { path: "src/modules/loans/domain/schedule.ts", text: 'import { sql } from "kysely";\nimport { a } from "../loans.repository.js";' },
      { path: "src/platform/http/server.ts", text: 'import { b } from "../../modules/loans/index.js";' },
    ]);
    assert.equal(violations.length, 3);
    assert.match(violations[0] as string, /domain code imports kysely/);
    assert.match(violations[1] as string, /domain code imports the shell/);
    assert.match(violations[2] as string, /platform code imports module loans/);
  });
});
