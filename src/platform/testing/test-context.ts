// A fresh, migrated database and platform context per test file: in-memory PGlite by default,
// or a throw-away database on the PostgreSQL server named by DUECARE_TEST_POSTGRES_URL (set by
// `npm run test:pg`), dropped again when the test closes it.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { FixedClock } from "../clock.js";
import { type Config, loadConfig } from "../config.js";
import { type AppContext, createPrivacy } from "../context.js";
import { ChangeFeed, migrate, openDatabase } from "../db/index.js";
import { createLogger } from "../logger.js";

export interface TestContext extends AppContext {
  clock: FixedClock;
  /** The PostgreSQL URL of this test's database, when running on a server. */
  databaseUrl: string | null;
  close(): Promise<void>;
}

export const testEngine = process.env.DUECARE_TEST_POSTGRES_URL ? "postgres" : "pglite";

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    DUECARE_PII_KEYS: `test1:${Buffer.alloc(32, 3).toString("base64")}`,
    DUECARE_BLIND_INDEX_KEY: Buffer.alloc(32, 5).toString("base64"),
    DUECARE_SESSION_SECRET: Buffer.alloc(32, 9).toString("base64"),
    ...overrides,
  });
}

/** A throw-away database on a PostgreSQL server, for tests and benchmarks. */
export async function createServerDatabase(adminUrl: string, prefix = "duecare_test"): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export async function createTestContext(options: { now?: string; config?: Record<string, string> } = {}): Promise<TestContext> {
  const config = testConfig(options.config);
  const adminUrl = process.env.DUECARE_TEST_POSTGRES_URL;
  const server = adminUrl ? await createServerDatabase(adminUrl) : null;
  const database = await openDatabase(server ? { url: server.url } : { memory: true });
  await migrate(database);
  const clock = new FixedClock(new Date(options.now ?? "2026-11-22T02:00:00Z"));
  const changes = new ChangeFeed(database);
  return {
    config,
    database,
    clock,
    logger: createLogger("silent"),
    privacy: createPrivacy(config),
    changes,
    databaseUrl: server?.url ?? null,
    close: async () => {
      await changes.stop();
      await database.close();
      await server?.drop();
    },
  };
}
