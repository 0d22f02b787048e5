// Import files (CSV or JSON) turned into validated rows. Every problem names the file, the row
// (CSV: the line, header = 1; JSON: the element, first = 1), the column and the reason.
import { parse } from "csv-parse/sync";
import { parseMinor } from "../../../platform/money.js";
import { isPlainDate } from "../../../platform/plain-date.js";
import { type BorrowerInput, type ContactInput, validateBorrower, validateContact } from "../../borrowers/index.js";

export const importKinds = ["borrowers", "contacts", "loans", "payments", "card_transactions"] as const;
export type ImportKind = (typeof importKinds)[number];

export interface RowProblem {
  file: string;
  row: number;
  column: string;
  reason: string;
}

export interface RawRow {
  row: number;
  values: Record<string, string>;
}

const columns: Record<ImportKind, { required: string[]; optional: string[] }> = {
  borrowers: { required: ["externalRef", "name", "nationalId", "phone"], optional: ["address", "email", "locale"] },
  contacts: { required: ["borrowerRef", "kind", "phone"], optional: ["name", "relationship", "preAgreed"] },
  loans: { required: ["externalRef", "borrowerRef", "productCode", "principal", "openedOn"], optional: [] },
  payments: { required: ["idempotencyKey", "loanRef", "amount", "receivedOn"], optional: ["source"] },
  card_transactions: { required: ["idempotencyKey", "accountRef", "amount", "postedOn"], optional: ["description"] },
};

export const ROWS_MAX = 100_000;

export function parseImportFile(file: string, format: "csv" | "json", content: string): { rows: RawRow[]; problems: RowProblem[] } {
  if (format === "json") {
    let data: unknown;
    try {
      data = JSON.parse(content);
    } catch (error) {
      return { rows: [], problems: [{ file, row: 0, column: "", reason: `not valid JSON: ${(error as Error).message}` }] };
    }
    if (!Array.isArray(data)) return { rows: [], problems: [{ file, row: 0, column: "", reason: "expected a JSON array of objects" }] };
    const rows: RawRow[] = [];
    const problems: RowProblem[] = [];
    data.forEach((item, index) => {
      if (!item || typeof item !== "object" || Array.isArray(item)) {
        problems.push({ file, row: index + 1, column: "", reason: "expected an object" });
        return;
      }
      const values: Record<string, string> = {};
      for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
        if (value === null || value === undefined) continue;
        if (typeof value === "number") {
          // Amounts as JSON numbers would go through binary floating point: refuse them.
          problems.push({ file, row: index + 1, column: key, reason: 'write numbers as strings (e.g. "1200.50") so no precision is lost' });
          continue;
        }
        values[key] = typeof value === "boolean" ? String(value) : String(value);
      }
      rows.push({ row: index + 1, values });
    });
    return { rows, problems };
  }
  let records: string[][];
  try {
    records = parse(content, { bom: true, skip_empty_lines: true, relax_column_count: false, trim: true });
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    return { rows: [], problems: [{ file, row: line, column: "", reason: `not valid CSV: ${(error as Error).message}` }] };
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], problems: [{ file, row: 1, column: "", reason: "the file is empty (expected a header row)" }] };
  return {
    rows: body.map((record, index) => ({
      row: index + 2,
      values: Object.fromEntries(header.map((name, column) => [name, record[column] ?? ""]).filter(([, value]) => value !== "")),
    })),
    problems: [],
  };
}

export function checkColumns(file: string, kind: ImportKind, rows: readonly RawRow[]): RowProblem[] {
  const known = new Set([...columns[kind].required, ...columns[kind].optional]);
  const problems: RowProblem[] = [];
  for (const row of rows) {
    for (const name of Object.keys(row.values))
      if (!known.has(name)) problems.push({ file, row: row.row, column: name, reason: `unknown column for ${kind} (expected ${[...known].join(", ")})` });
    for (const name of columns[kind].required) if (!row.values[name]) problems.push({ file, row: row.row, column: name, reason: "required" });
  }
  return problems;
}

export interface LoanRow {
  row: number;
  externalRef: string;
  borrowerRef: string;
  productCode: string;
  principalMinor: bigint;
  openedOn: string;
}

export interface PaymentRow {
  row: number;
  idempotencyKey: string;
  loanRef: string;
  amountMinor: bigint;
  receivedOn: string;
  source: string;
}

export interface CardTransactionRow {
  row: number;
  idempotencyKey: string;
  accountRef: string;
  amountMinor: bigint;
  postedOn: string;
  description: string | null;
}

export interface BorrowerRow {
  row: number;
  input: BorrowerInput;
}

export interface ContactRow {
  row: number;
  borrowerRef: string;
  input: ContactInput;
}

const refPattern = /^[\w.:-]{1,100}$/;

function amount(file: string, row: number, column: string, text: string, currency: string, problems: RowProblem[]): bigint | null {
  try {
    const value = parseMinor(text, currency);
    if (value < 0n) {
      problems.push({ file, row, column, reason: `amount ${text} must not be negative` });
      return null;
    }
    return value;
  } catch (error) {
    problems.push({ file, row, column, reason: (error as Error).message });
    return null;
  }
}

function date(file: string, row: number, column: string, text: string, today: string, problems: RowProblem[]): string | null {
  if (!isPlainDate(text)) {
    problems.push({ file, row, column, reason: `${JSON.stringify(text)} is not a date (YYYY-MM-DD)` });
    return null;
  }
  if (text > today) {
    problems.push({ file, row, column, reason: `${text} is after today's business date ${today}` });
    return null;
  }
  return text;
}

function ref(file: string, row: number, column: string, text: string, problems: RowProblem[]): string | null {
  if (refPattern.test(text)) return text;
  problems.push({ file, row, column, reason: "must be 1-100 letters, digits or . : _ -" });
  return null;
}

function duplicateCheck(file: string, column: string, problems: RowProblem[]) {
  const seen = new Map<string, number>();
  return (row: number, value: string) => {
    const first = seen.get(value);
    if (first !== undefined) problems.push({ file, row, column, reason: `${value} appears again (first on row ${first})` });
    else seen.set(value, row);
  };
}

export function validateRows(
  file: string,
  kind: ImportKind,
  rows: readonly RawRow[],
  options: { currency: string; today: string },
): {
  problems: RowProblem[];
  borrowers: BorrowerRow[];
  contacts: ContactRow[];
  loans: LoanRow[];
  payments: PaymentRow[];
  cardTransactions: CardTransactionRow[];
} {
  const problems = checkColumns(file, kind, rows);
  const result = {
    problems,
    borrowers: [] as BorrowerRow[],
    contacts: [] as ContactRow[],
    loans: [] as LoanRow[],
    payments: [] as PaymentRow[],
    cardTransactions: [] as CardTransactionRow[],
  };
  if (problems.length > 0) return result;
  if (rows.length > ROWS_MAX) {
    problems.push({ file, row: 0, column: "", reason: `at most ${ROWS_MAX} rows per file (found ${rows.length})` });
    return result;
  }
  const seenKey = duplicateCheck(file, kind === "payments" || kind === "card_transactions" ? "idempotencyKey" : "externalRef", problems);
  for (const { row, values } of rows) {
    const before = problems.length;
    if (kind === "borrowers") {
      const input: BorrowerInput = {
        externalRef: values.externalRef ?? "",
        name: values.name ?? "",
        nationalId: values.nationalId ?? "",
        phone: values.phone ?? "",
        address: values.address ?? null,
        email: values.email ?? null,
      };
      if (values.locale === "en" || values.locale === "zh-CN") input.locale = values.locale;
      else if (values.locale) problems.push({ file, row, column: "locale", reason: "locale must be zh-CN or en" });
      const checked = validateBorrower(input, options.today);
      if (!checked.ok) problems.push({ file, row, column: checked.problem.field, reason: checked.problem.message });
      if (problems.length === before) {
        seenKey(row, input.externalRef);
        result.borrowers.push({ row, input });
      }
    } else if (kind === "contacts") {
      const preAgreed = (values.preAgreed ?? "false").toLowerCase();
      if (!["true", "false", "1", "0", "yes", "no"].includes(preAgreed))
        problems.push({ file, row, column: "preAgreed", reason: "preAgreed must be true or false" });
      const input: ContactInput = {
        kind: values.kind ?? "",
        phone: values.phone ?? "",
        name: values.name ?? null,
        relationship: values.relationship ?? null,
        isPreAgreed: ["true", "1", "yes"].includes(preAgreed),
      };
      const checked = validateContact(input);
      if (!checked.ok)
        problems.push({ file, row, column: checked.problem.field === "isPreAgreed" ? "preAgreed" : checked.problem.field, reason: checked.problem.message });
      const borrowerRef = ref(file, row, "borrowerRef", values.borrowerRef ?? "", problems);
      if (problems.length === before && borrowerRef) result.contacts.push({ row, borrowerRef, input });
    } else if (kind === "loans") {
      const externalRef = ref(file, row, "externalRef", values.externalRef ?? "", problems);
      const borrowerRef = ref(file, row, "borrowerRef", values.borrowerRef ?? "", problems);
      const productCode = ref(file, row, "productCode", values.productCode ?? "", problems);
      const principalMinor = amount(file, row, "principal", values.principal ?? "", options.currency, problems);
      if (principalMinor === 0n) problems.push({ file, row, column: "principal", reason: "principal must be greater than 0" });
      const openedOn = date(file, row, "openedOn", values.openedOn ?? "", options.today, problems);
      if (problems.length === before && externalRef && borrowerRef && productCode && principalMinor !== null && openedOn) {
        seenKey(row, externalRef);
        result.loans.push({ row, externalRef, borrowerRef, productCode, principalMinor, openedOn });
      }
    } else if (kind === "card_transactions") {
      const idempotencyKey = ref(file, row, "idempotencyKey", values.idempotencyKey ?? "", problems);
      const accountRef = ref(file, row, "accountRef", values.accountRef ?? "", problems);
      const amountMinor = amount(file, row, "amount", values.amount ?? "", options.currency, problems);
      if (amountMinor === 0n) problems.push({ file, row, column: "amount", reason: "amount must be greater than 0" });
      const postedOn = date(file, row, "postedOn", values.postedOn ?? "", options.today, problems);
      if (problems.length === before && idempotencyKey && accountRef && amountMinor !== null && postedOn) {
        seenKey(row, idempotencyKey);
        result.cardTransactions.push({ row, idempotencyKey, accountRef, amountMinor, postedOn, description: values.description ?? null });
      }
    } else {
      const idempotencyKey = ref(file, row, "idempotencyKey", values.idempotencyKey ?? "", problems);
      const loanRef = ref(file, row, "loanRef", values.loanRef ?? "", problems);
      const amountMinor = amount(file, row, "amount", values.amount ?? "", options.currency, problems);
      if (amountMinor === 0n) problems.push({ file, row, column: "amount", reason: "amount must be greater than 0" });
      const receivedOn = date(file, row, "receivedOn", values.receivedOn ?? "", options.today, problems);
      if (problems.length === before && idempotencyKey && loanRef && amountMinor !== null && receivedOn) {
        seenKey(row, idempotencyKey);
        result.payments.push({ row, idempotencyKey, loanRef, amountMinor, receivedOn, source: values.source ?? "import" });
      }
    }
  }
  return result;
}
