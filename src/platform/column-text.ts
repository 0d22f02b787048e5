// Many rows sent to the database as one text per column: each column's values joined by the
// unit separator (U+001F), an empty value for null. The database cuts each text with
// string_to_array, a plain scan, instead of lexing a JSON document key by key
// (db/column-text.ts). JSON text never holds a raw U+001F (JSON.stringify escapes control
// characters), nor do uuids, dates, numbers or the ledger's identifiers; a value that does, or
// an empty one (which would read back as null), is refused.

export const COLUMN_SEPARATOR = "\u001f";

/** One column's values, added row by row. */
export class ColumnText {
  private readonly values: string[] = [];

  constructor(private readonly name: string) {}

  push(value: string | null): void {
    if (value === null) {
      this.values.push("");
      return;
    }
    if (value === "" || value.includes(COLUMN_SEPARATOR))
      throw new Error(`column ${this.name}: value ${JSON.stringify(value)} is empty or holds the column separator`);
    this.values.push(value);
  }

  get length(): number {
    return this.values.length;
  }

  text(): string {
    return this.values.join(COLUMN_SEPARATOR);
  }
}

/** The values of a column text, null for empty ones: what the database reads from it. */
export function columnValues(text: string, rows: number): (string | null)[] {
  if (rows === 0) return [];
  return text.split(COLUMN_SEPARATOR).map((value) => (value === "" ? null : value));
}
