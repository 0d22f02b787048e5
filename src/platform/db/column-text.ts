// The rows of column texts (../column-text.ts) as a table: unnest of one array per column, cut
// with string_to_array and cast to the column's type. unnest pads a shorter array with nulls,
// so a one-row column whose only value is null (the empty text, which string_to_array reads as
// no element) still reads as null.
import { type RawBuilder, sql } from "kysely";

export function unnestColumns(columns: readonly string[], types: readonly string[]): RawBuilder<unknown> {
  if (columns.length !== types.length) throw new Error(`${columns.length} column texts for ${types.length} column types`);
  return sql`unnest(${sql.join(columns.map((text, index) => sql`string_to_array(${text}, chr(31), '')::${sql.raw(types[index] as string)}[]`))})`;
}
