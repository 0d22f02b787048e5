// Template syntax: literal text with placeholders `{{variableName}}` (spaces inside the braces
// are allowed). Parsing names every problem with its position — offset (UTF-16, as JavaScript
// strings index), line and column, both from 1 — so the editor can point at it: an unknown
// variable, a name that is not a name, an empty or unclosed placeholder, a stray `}}`.
import { isVariableName, type VariableName, variableNames } from "./template-variables.js";

/** A template longer than this is refused before parsing: an SMS or letter is never this long. */
export const TEMPLATE_LENGTH_MAX = 4_000;

export type TemplatePart = { kind: "text"; text: string; start: number; end: number } | { kind: "variable"; name: VariableName; start: number; end: number };

export type SyntaxProblemCode = "unknown_variable" | "bad_name" | "empty_placeholder" | "unclosed_placeholder" | "stray_close" | "too_long";

export interface SyntaxProblem {
  code: SyntaxProblemCode;
  /** The offending text: the variable's name, or the braces. */
  text: string;
  start: number;
  end: number;
  line: number;
  column: number;
  messageZh: string;
  messageEn: string;
}

export type ParseResult = { ok: true; parts: TemplatePart[]; variables: VariableName[] } | { ok: false; problems: SyntaxProblem[] };

const namePattern = /^[A-Za-z][A-Za-z0-9_]*$/;
/** One template with more problems than this gets the first ones: enough to fix, bounded. */
const PROBLEMS_MAX = 50;

function positionOf(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = source.indexOf("\n"); index !== -1 && index < offset; index = source.indexOf("\n", index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function problem(source: string, code: SyntaxProblemCode, start: number, end: number, zh: string, en: string): SyntaxProblem {
  const { line, column } = positionOf(source, start);
  const where = { zh: `第${line}行第${column}列`, en: `line ${line}, column ${column}` };
  return { code, text: source.slice(start, end), start, end, line, column, messageZh: `${where.zh}：${zh}`, messageEn: `${where.en}: ${en}` };
}

function readPlaceholder(source: string, open: number, problems: SyntaxProblem[]): { part: TemplatePart | null; next: number } {
  const close = source.indexOf("}}", open + 2);
  const nextOpen = source.indexOf("{{", open + 2);
  if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
    problems.push(problem(source, "unclosed_placeholder", open, open + 2, "占位符「{{」没有对应的「}}」", 'the placeholder "{{" is not closed with "}}"'));
    return { part: null, next: open + 2 };
  }
  const inner = source.slice(open + 2, close);
  const name = inner.trim();
  const nameStart = open + 2 + inner.indexOf(name);
  const end = close + 2;
  if (name.length === 0) {
    problems.push(problem(source, "empty_placeholder", open, end, "占位符中没有变量名", "the placeholder has no variable name"));
  } else if (!namePattern.test(name)) {
    problems.push(
      problem(
        source,
        "bad_name",
        nameStart,
        nameStart + name.length,
        `「${name}」不是合法的变量名`,
        `"${name}" is not a variable name (letters and digits, starting with a letter)`,
      ),
    );
  } else if (!isVariableName(name)) {
    const known = variableNames.join(", ");
    problems.push(
      problem(
        source,
        "unknown_variable",
        nameStart,
        nameStart + name.length,
        `未知变量「${name}」，可用变量：${known}`,
        `unknown variable "${name}"; the variables are ${known}`,
      ),
    );
  } else {
    return { part: { kind: "variable", name, start: open, end }, next: end };
  }
  return { part: null, next: end };
}

/** Parses a template body or subject into literal text and variables, or every problem found. */
export function parseTemplate(source: string): ParseResult {
  if (source.length > TEMPLATE_LENGTH_MAX) {
    return {
      ok: false,
      problems: [
        problem(
          source,
          "too_long",
          TEMPLATE_LENGTH_MAX,
          source.length,
          `模板超过${TEMPLATE_LENGTH_MAX}个字符`,
          `the template is longer than ${TEMPLATE_LENGTH_MAX} characters`,
        ),
      ],
    };
  }
  const parts: TemplatePart[] = [];
  const problems: SyntaxProblem[] = [];
  let textStart = 0;
  let cursor = 0;
  const pushText = (end: number) => {
    if (end > textStart) parts.push({ kind: "text", text: source.slice(textStart, end), start: textStart, end });
  };
  while (cursor < source.length && problems.length < PROBLEMS_MAX) {
    const open = source.indexOf("{{", cursor);
    const strayClose = source.indexOf("}}", cursor);
    if (strayClose !== -1 && (open === -1 || strayClose < open)) {
      problems.push(problem(source, "stray_close", strayClose, strayClose + 2, "多余的「}}」，前面没有「{{」", 'a "}}" without an opening "{{"'));
      cursor = strayClose + 2;
      continue;
    }
    if (open === -1) break;
    pushText(open);
    const { part, next } = readPlaceholder(source, open, problems);
    if (part) parts.push(part);
    cursor = next;
    textStart = next;
  }
  if (problems.length > 0) return { ok: false, problems };
  pushText(source.length);
  const variables = [...new Set(parts.flatMap((part) => (part.kind === "variable" ? [part.name] : [])))];
  return { ok: true, parts, variables };
}
