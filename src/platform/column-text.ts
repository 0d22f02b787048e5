// Many rows sent to the database as one text per column: each column's values joined by the
// unit separator (U+001F), an empty value for null. The database cuts each text with
// string_to_array, a plain scan, instead of lexing a JSON document key by key
// (db/column-text.ts). JSON text never holds a raw U+001F (JSON.stringify escapes control
// characters), nor do uuids, dates, numbers or the ledger's identifiers; a value that does, or
// an empty one (which would read back as null), is refused.

export const COLUMN_SEPARATOR = "\u001f";

/** Rows of a table's `columns`, added one at a time, kept as one text per column. */
export class ColumnTexts<Name extends string> {
  private readonly values: string[][];
  private count = 0;

  constructor(
    private readonly table: string,
    readonly columns: readonly Name[],
  ) {
    this.values = columns.map(() => []);
  }

  /** Adds a row: one value per column, in the columns' order. A refused row adds nothing. */
  add(row: readonly (string | null)[]): void {
    if (row.length !== this.columns.length) throw new Error(`${this.table}: a row of ${row.length} values for ${this.columns.length} columns`);
    row.forEach((value, index) => {
      if (value !== null && (value === "" || value.includes(COLUMN_SEPARATOR)))
        throw new Error(`column ${this.table}.${this.columns[index]}: value ${JSON.stringify(value)} is empty or holds the column separator`);
    });
    row.forEach((value, index) => {
      (this.values[index] as string[]).push(value ?? "");
    });
    this.count += 1;
  }

  get rows(): number {
    return this.count;
  }

  /** One text per column, in the columns' order. */
  texts(): string[] {
    return this.values.map((column) => column.join(COLUMN_SEPARATOR));
  }
}

/** The values of a column text, null for empty ones: what the database reads from it. */
export function columnValues(text: string, rows: number): (string | null)[] {
  if (rows === 0) return [];
  return text.split(COLUMN_SEPARATOR).map((value) => (value === "" ? null : value));
}
