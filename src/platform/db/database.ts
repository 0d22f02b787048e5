// Opens the database: PGlite in a folder (the default) or a PostgreSQL server (DATABASE_URL).
// Both engines get the same type parsing, so the code above sees identical values.
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, type Transaction } from "kysely";
import pg from "pg";
import { PgliteDialect } from "./pglite-dialect.js";
import { prepareRepeatedStatements } from "./prepared-statements.js";
import type { Schema } from "./schema.js";

export type Engine = "pglite" | "postgres";
export type Db = Kysely<Schema>;
export type Tx = Transaction<Schema>;
/** Either the database or an open transaction: repositories accept both. */
export type Executor = Kysely<Schema>;

export interface Database {
  readonly db: Db;
  readonly engine: Engine;
  /**
   * Gives one connection for a sequence of multi-statement SQL scripts (migrations), outside
   * the query builder. `run` returns the rows of the script's last statement.
   */
  withScripts<T>(work: (run: ScriptRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const OID_INT8 = 20;
const OID_DATE = 1082;
const OID_NUMERIC = 1700;
const identity = (value: string) => value;

export type ScriptRunner = (sql: string) => Promise<Record<string, unknown>[]>;

export type DatabaseLocation = { url: string; preparedStatements?: boolean } | { dataDir: string } | { memory: true };

/** Where the configuration says the database is: a PostgreSQL server, or PGlite in DATA_DIR. */
export function databaseLocationOf(config: { DATABASE_URL?: string | undefined; DATABASE_PREPARED_STATEMENTS: boolean; DATA_DIR: string }): DatabaseLocation {
  return config.DATABASE_URL ? { url: config.DATABASE_URL, preparedStatements: config.DATABASE_PREPARED_STATEMENTS } : { dataDir: config.DATA_DIR };
}

export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  if ("url" in location) return openPostgres(location.url, location.preparedStatements ?? true);
  return openPglite("dataDir" in location ? location.dataDir : undefined);
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir ?? "memory://", {
    parsers: { [OID_INT8]: (value: string) => BigInt(value), [OID_DATE]: identity, [OID_NUMERIC]: identity },
  });
  const db = new Kysely<Schema>({ dialect: new PgliteDialect(pglite) });
  return {
    db,
    engine: "pglite",
    withScripts: (work) =>
      db.connection().execute(() =>
        work(async (sql) => {
          const results = await pglite.exec(sql);
          return (results.at(-1)?.rows ?? []) as Record<string, unknown>[];
        }),
      ),
    close: async () => {
      await db.destroy();
    },
  };
}

async function openPostgres(url: string, preparedStatements: boolean): Promise<Database> {
  const types = {
    getTypeParser(oid: number, format?: "text" | "binary") {
      if (oid === OID_INT8) return (value: string) => BigInt(value);
      if (oid === OID_DATE || oid === OID_NUMERIC) return identity;
      return pg.types.getTypeParser(oid, format);
    },
  };
  const pool = new pg.Pool({ connectionString: url, max: 10, types: types as pg.CustomTypesConfig });
  pool.on("error", () => {
    // An idle client lost its connection; the pool replaces it on next use.
  });
  if (preparedStatements) pool.on("connect", (client) => prepareRepeatedStatements(client));
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: "postgres",
    withScripts: async (work) => {
      const client = await pool.connect();
      try {
        return await work(async (sql) => {
          const result = (await client.query(sql)) as unknown as pg.QueryResult | pg.QueryResult[];
          const last = Array.isArray(result) ? result.at(-1) : result;
          return (last?.rows ?? []) as Record<string, unknown>[];
        });
      } finally {
        client.release();
      }
    },
    close: async () => {
      await db.destroy();
    },
  };
}
