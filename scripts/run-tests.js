// Runs a set of test suites with Node's test runner (TypeScript through tsx):
//   unit     pure code: src/**/*.test.ts and test/*.test.ts (not *.db.test.ts)
//   db       anything that needs a database: src/**/*.db.test.ts and test/*.db.test.ts
//   browser  Playwright driving the system Chromium: test/browser/*.test.ts
// --postgres runs the db suite against the PostgreSQL server in DATABASE_URL (default: the
// local server), each test file in a database of its own.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(fileURLToPath(import.meta.url), "..", "..");
const args = process.argv.slice(2);
const onPostgres = args.includes("--postgres");
const suites = args.filter((arg) => !arg.startsWith("--"));

function walk(directory) {
  const found = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist") continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) found.push(...walk(path));
    else found.push(path);
  }
  return found;
}

const all = [...walk(join(root, "src")), ...walk(join(root, "test"))].map((path) => relative(root, path)).sort();
const isBrowser = (file) => file.startsWith(join("test", "browser"));
const selectors = {
  unit: (file) => file.endsWith(".test.ts") && !file.endsWith(".db.test.ts") && !isBrowser(file),
  db: (file) => file.endsWith(".db.test.ts") && !isBrowser(file),
  browser: (file) => isBrowser(file) && file.endsWith(".test.ts"),
};
for (const suite of suites) {
  if (!selectors[suite]) {
    console.error(`run-tests: unknown suite ${suite} (expected unit, db or browser)`);
    process.exit(2);
  }
}
const files = all.filter((file) => suites.some((suite) => selectors[suite](file)));
if (files.length === 0) {
  console.error(`run-tests: no test files for ${suites.join(", ")}`);
  process.exit(1);
}

const env = { ...process.env };
if (onPostgres) env.DUECARE_TEST_POSTGRES_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
delete env.DATABASE_URL;
const concurrency = suites.includes("browser") ? 1 : 2;
console.log(`Running ${files.length} test files (${suites.join(" + ")}) on ${onPostgres ? "PostgreSQL" : "embedded PGlite"}`);
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, "--test-reporter=spec", ...files], {
  cwd: root,
  env,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
