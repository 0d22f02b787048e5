// The rows of column texts (../column-text.ts) as a table `alias(columns…)`: unnest of one array
// per column, cut with string_to_array and cast to the column's type. unnest pads a shorter
// array with nulls, so a one-row column whose only value is null (the empty text, which
// string_to_array reads as no element) still reads as null.
import { type RawBuilder, sql } from "kysely";

export function unnestColumns<Name extends string>(
  alias: string,
  columns: readonly Name[],
  types: Readonly<Record<Name, string>>,
  texts: readonly string[],
): RawBuilder<unknown> {
  if (texts.length !== columns.length) throw new Error(`${texts.length} column texts for ${columns.length} columns`);
  const arrays = columns.map((column, index) => sql`string_to_array(${texts[index]}, chr(31), '')::${sql.raw(types[column])}[]`);
  return sql`unnest(${sql.join(arrays)}) as ${sql.id(alias)}(${sql.join(columns.map((column) => sql.id(column)))})`;
}
