// Renders a parsed template with values, in the template's language: money exact from bigint
// minor units ("1,234.56元" / "CNY 1,234.56"), dates as people write them ("2026年12月15日" /
// "15 December 2026"), integers as digits, text and links as given. The rendering keeps a map
// from the rendered text back to the template, so a content finding in the rendered text can
// be shown where the author wrote it.
import { formatMinor } from "../../../platform/money.js";
import type { TemplatePart } from "./template-syntax.js";
import { type Money, type TemplateLanguage, type TemplateValues, type VariableName, variableCatalogue } from "./template-variables.js";

export interface RenderedSegment {
  kind: "text" | "variable";
  /** The variable's name, for a variable segment. */
  name?: VariableName;
  renderedStart: number;
  renderedEnd: number;
  sourceStart: number;
  sourceEnd: number;
}

export type RenderResult = { ok: true; text: string; segments: RenderedSegment[] } | { ok: false; missing: VariableName[] };

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** 123456n CNY → "1,234.56元" (zh-CN) or "CNY 1,234.56" (en); exact at any size. */
export function formatMoney(money: Money, language: TemplateLanguage): string {
  const decimal = formatMinor(money.amountMinor, money.currency);
  const negative = decimal.startsWith("-");
  const [whole = "0", fraction] = (negative ? decimal.slice(1) : decimal).split(".");
  const grouped = `${negative ? "-" : ""}${groupThousands(whole)}${fraction === undefined ? "" : `.${fraction}`}`;
  if (language === "en") return `${money.currency} ${grouped}`;
  return money.currency === "CNY" ? `${grouped}元` : `${grouped} ${money.currency}`;
}

const monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** "2026-12-15" → "2026年12月15日" (zh-CN) or "15 December 2026" (en). */
export function formatDate(date: string, language: TemplateLanguage): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`assertion failed: date ${JSON.stringify(date)} is not YYYY-MM-DD`);
  const [, year, month, day] = match as unknown as [string, string, string, string];
  const monthNumber = Number(month);
  if (monthNumber < 1 || monthNumber > 12) throw new Error(`assertion failed: date ${date} has no month ${month}`);
  if (language === "en") return `${Number(day)} ${monthNames[monthNumber - 1]} ${year}`;
  return `${year}年${monthNumber}月${Number(day)}日`;
}

export function formatValue(name: VariableName, value: NonNullable<TemplateValues[VariableName]>, language: TemplateLanguage): string {
  const type = variableCatalogue[name].type;
  switch (type) {
    case "money":
      return formatMoney(value as Money, language);
    case "date":
      return formatDate(value as string, language);
    case "integer":
      return (value as bigint).toString();
    case "text":
    case "url":
      return value as string;
  }
}

/** The text with every variable replaced, or the variables that have no value for this case. */
export function renderTemplate(parts: readonly TemplatePart[], values: TemplateValues, language: TemplateLanguage): RenderResult {
  const missing = [...new Set(parts.flatMap((part) => (part.kind === "variable" && values[part.name] === null ? [part.name] : [])))];
  if (missing.length > 0) return { ok: false, missing };
  let text = "";
  const segments: RenderedSegment[] = [];
  for (const part of parts) {
    const piece = part.kind === "text" ? part.text : formatValue(part.name, values[part.name] as NonNullable<TemplateValues[VariableName]>, language);
    segments.push({
      kind: part.kind,
      ...(part.kind === "variable" ? { name: part.name } : {}),
      renderedStart: text.length,
      renderedEnd: text.length + piece.length,
      sourceStart: part.start,
      sourceEnd: part.end,
    });
    text += piece;
  }
  return { ok: true, text, segments };
}

/**
 * Where a span of the rendered text came from in the template: exact inside literal text; a span
 * touching a variable covers that whole placeholder. Null when the span is outside the text.
 */
export function sourceSpanOf(segments: readonly RenderedSegment[], span: { start: number; end: number }): { start: number; end: number } | null {
  const toSource = (offset: number, edge: "start" | "end"): number | null => {
    const segment = segments.find((item) =>
      edge === "start" ? offset >= item.renderedStart && offset < item.renderedEnd : offset > item.renderedStart && offset <= item.renderedEnd,
    );
    if (!segment) return null;
    if (segment.kind === "variable") return edge === "start" ? segment.sourceStart : segment.sourceEnd;
    return segment.sourceStart + (offset - segment.renderedStart);
  };
  const start = toSource(span.start, "start");
  const end = toSource(span.end, "end");
  return start === null || end === null ? null : { start, end };
}
