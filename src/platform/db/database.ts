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
  /**
   * Listens on a notification channel. `notify` gets each payload after its transaction
   * commits. `interrupted` is called whenever notifications may have been missed (the listening
   * connection dropped) and `resumed` once listening again; a listener that keeps state must
   * drop it on the first. Resolves once listening.
   */
  listen(channel: string, handlers: ListenHandlers): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface ListenHandlers {
  notify(payload: string): void;
  interrupted(): void;
  resumed(): void;
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
    // One in-process connection: nothing between a commit and its notification can be lost.
    listen: async (channel, handlers) => pglite.listen(channel, (payload) => handlers.notify(payload)),
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
    listen: (channel, handlers) => listenOnPostgres(url, types as pg.CustomTypesConfig, channel, handlers),
    close: async () => {
      await db.destroy();
    },
  };
}

const RELISTEN_DELAY_MS = 1_000;

/**
 * A connection of its own, outside the pool, holds the LISTEN. When it drops, the listener is
 * told notifications may have been missed and a new connection is tried every second until
 * one listens again.
 */
async function listenOnPostgres(url: string, types: pg.CustomTypesConfig, channel: string, handlers: ListenHandlers): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  const quoted = `"${channel.replaceAll('"', '""')}"`;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, types });
    next.on("notification", (message) => {
      if (message.channel === channel) handlers.notify(message.payload ?? "");
    });
    next.on("error", () => lost(next));
    next.on("end", () => lost(next));
    try {
      await next.connect();
      await next.query(`listen ${quoted}`);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    client = next;
  };
  const lost = (which: pg.Client) => {
    if (client !== which || stopped) return;
    client = null;
    handlers.interrupted();
    which.end().catch(() => undefined);
    schedule();
  };
  const schedule = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = null;
      connect().then(
        () => handlers.resumed(),
        () => schedule(),
      );
    }, RELISTEN_DELAY_MS);
    retry.unref();
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const current = client;
    client = null;
    await current?.end();
  };
}
