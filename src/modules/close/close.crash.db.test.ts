// Kill -9 at random points: a close killed again and again and then run to the end leaves the
// same ledger, account state, cases and events as one that was never interrupted.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import pg from "pg";
import { createContext, projectRoot } from "../../app.js";
import { seedDemo } from "../../demo/demo-data.js";
import { FixedClock } from "../../platform/clock.js";
import { openDatabase } from "../../platform/db/index.js";
import { createLogger } from "../../platform/logger.js";
import { addDays } from "../../platform/plain-date.js";
import { testConfig } from "../../platform/testing/test-context.js";
import { closeStateHash } from "./close.hash.js";

const adminUrl = process.env.DUECARE_TEST_POSTGRES_URL;
const FIRST = "2026-11-21";
const THROUGH = addDays(FIRST, 365);
const workDir = mkdtempSync(join(tmpdir(), "duecare-crash-"));
const names = { book: `crash_book_${process.pid}`, reference: `crash_ref_${process.pid}`, crashed: `crash_hit_${process.pid}` };
let lenderId = "";

const urlOf = (name: string) => {
  const url = new URL(adminUrl as string);
  url.pathname = `/${name}`;
  return url.toString();
};
const target = (name: keyof typeof names) => (adminUrl ? { DATABASE_URL: urlOf(names[name]) } : { DATA_DIR: join(workDir, name) });

async function admin(statement: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(statement);
  await client.end();
}

before(async () => {
  if (adminUrl) await admin(`create database ${names.book}`);
  const config = testConfig({});
  const database = await openDatabase(adminUrl ? { url: urlOf(names.book) } : { dataDir: join(workDir, "book") });
  const context = await createContext(config, { database, clock: new FixedClock(new Date(`${FIRST}T02:00:00Z`)), logger: createLogger("silent") });
  await seedDemo(context, { borrowers: 60 });
  lenderId = (await database.db.selectFrom("lenders").select("id").where("code", "=", "demo").executeTakeFirstOrThrow()).id;
  await database.close();
  for (const copy of ["reference", "crashed"] as const) {
    if (adminUrl) await admin(`create database ${names[copy]} template ${names.book}`);
    else cpSync(join(workDir, "book"), join(workDir, copy), { recursive: true });
  }
});

after(async () => {
  if (adminUrl) for (const name of Object.values(names)) await admin(`drop database if exists ${name} with (force)`);
  rmSync(workDir, { recursive: true, force: true });
});

function runChild(name: keyof typeof names, killAfterMs: number | null): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(projectRoot, "src/modules/close/testing/close-child.ts"), THROUGH, lenderId], {
      cwd: projectRoot,
      env: { ...process.env, ...target(name), DUECARE_SEED_DEMO: "false", LOG_LEVEL: "silent" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (timer) clearTimeout(timer);
      if (code !== 0 && signal !== "SIGKILL") reject(new Error(`close child failed (${code}): ${stderr}`));
      else resolve(signal === "SIGKILL" ? null : code);
    });
  });
}

async function hashOf(name: keyof typeof names): Promise<string> {
  const database = await openDatabase(adminUrl ? { url: urlOf(names[name]) } : { dataDir: join(workDir, name) });
  try {
    return await closeStateHash(database.db, lenderId);
  } finally {
    await database.close();
  }
}

async function resetCrashed(): Promise<void> {
  if (adminUrl) {
    await admin(`drop database if exists ${names.crashed} with (force)`);
    await admin(`create database ${names.crashed} template ${names.book}`);
  } else {
    rmSync(join(workDir, "crashed"), { recursive: true, force: true });
    cpSync(join(workDir, "book"), join(workDir, "crashed"), { recursive: true });
  }
}

it("ends killed-and-restarted closes in exactly the state of an uninterrupted one", { timeout: 600_000 }, async () => {
  let started = performance.now();
  assert.equal(await runChild("reference", null), 0);
  const referenceMs = performance.now() - started;
  const reference = await hashOf("reference");
  // Twenty kills at random points between start-up and the end of the work; a run that gets to
  // the end before it is killed starts over from the book, so every kill lands in real work.
  let kills = 0;
  let completions = 0;
  while (kills < 20) {
    started = performance.now();
    const code = await runChild("crashed", Math.floor(Math.random() * referenceMs));
    if (code === null) kills += 1;
    else {
      completions += 1;
      assert.equal(await hashOf("crashed"), reference, "a run that was killed and then completed");
      await resetCrashed();
    }
  }
  assert.equal(await runChild("crashed", null), 0);
  assert.equal(await hashOf("crashed"), reference, `after ${kills} kills (${completions} runs finished in between)`);
});
