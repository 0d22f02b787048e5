// Named prepared statements for the query builder's statements on PostgreSQL.
import { createHash } from "node:crypto";
import type pg from "pg";

/** Statements longer than this, or beyond this many distinct ones, run unnamed (planned each time). */
export const PREPARED_TEXT_MAX = 8_000;
export const PREPARED_STATEMENTS_MAX = 2_000;
/** Text to name, shared by every connection of the process: a name always means one text. */
const statementNames = new Map<string, string>();

/** The prepared-statement name of a query text, or undefined when it should run unnamed. */
export function statementNameOf(text: string, parameterCount: number, names: Map<string, string> = statementNames): string | undefined {
  if (parameterCount === 0 || text.length > PREPARED_TEXT_MAX) return undefined;
  const known = names.get(text);
  if (known !== undefined || names.size >= PREPARED_STATEMENTS_MAX) return known;
  const name = `dc_${createHash("sha1").update(text).digest("base64url")}`;
  names.set(text, name);
  return name;
}

/**
 * Runs the query builder's parameterised statements as named prepared statements on this
 * connection: PostgreSQL parses each text once per connection and, once it has seen that a
 * generic plan costs no more than the custom ones, stops planning it on every execution. The
 * request path is many small reads repeated thousands of times; on the case page, planning them
 * took as long as running them (docs/performance.md). The set of names is bounded, so dynamic texts
 * (IN lists of every length) cannot grow a connection's statement cache without limit.
 */
export function prepareRepeatedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (config: unknown, values?: unknown) => Promise<unknown>;
  (client as { query: unknown }).query = (config: unknown, values?: unknown) => {
    if (typeof config === "string" && Array.isArray(values)) {
      const name = statementNameOf(config, values.length);
      if (name !== undefined) return query({ name, text: config, values });
    }
    return query(config, values);
  };
}
