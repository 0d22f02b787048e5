// Versioned SQL migrations, applied in order, each in its own transaction, recorded with a
// checksum. A session-level advisory lock lets several processes start at once safely. An
// applied migration whose file changed afterwards stops the process: history is not rewritten.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "./database.js";

const migrationsDirectory = join(dirname(fileURLToPath(import.meta.url)), "migrations");
const MIGRATION_LOCK_ID = 74_010_001;

export interface Migration {
  version: string;
  sql: string;
  checksum: string;
}

export function listMigrations(directory = migrationsDirectory): Migration[] {
  return readdirSync(directory)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(directory, file), "utf8");
      return { version: file.replace(/\.sql$/, ""), sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export async function migrate(
  database: Database,
  options: { onApply?: (version: string, index: number, total: number) => void } = {},
): Promise<MigrationReport> {
  const migrations = listMigrations();
  return database.withScripts(async (run) => {
    await run(`select pg_advisory_lock(${MIGRATION_LOCK_ID})`);
    try {
      await run(
        "create table if not exists schema_migrations (version text primary key, checksum char(64) not null, applied_at timestamptz not null default now())",
      );
      const rows = await run("select version, checksum from schema_migrations order by version");
      const applied = new Map(rows.map((row) => [String(row.version), String(row.checksum)]));
      for (const [version, checksum] of applied) {
        const known = migrations.find((migration) => migration.version === version);
        if (!known) throw new Error(`migration ${version} is applied in the database but missing from this build`);
        if (known.checksum !== checksum) throw new Error(`migration ${version} changed after it was applied (checksum differs)`);
      }
      const pending = migrations.filter((migration) => !applied.has(migration.version));
      for (const [index, migration] of pending.entries()) {
        options.onApply?.(migration.version, index, pending.length);
        try {
          await run(
            `begin;\n${migration.sql}\n;insert into schema_migrations (version, checksum) values ('${migration.version}', '${migration.checksum}');\ncommit;`,
          );
        } catch (error) {
          await run("rollback").catch(() => {});
          throw new Error(`migration ${migration.version} failed: ${(error as Error).message}`);
        }
      }
      return { applied: pending.map((migration) => migration.version), alreadyApplied: applied.size };
    } finally {
      await run(`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`);
    }
  });
}
