// Exact decimal input and named rounding. Rates and percentages arrive as decimal strings
// ("4.9", "0.05") and become exact rationals of bigints; an amount is rounded to minor units in
// exactly one named place, with `divideRoundHalfUp`.

export interface Rational {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

// A book holds a handful of distinct rates, and the close parses each account's anew: the
// parsed values are remembered (they are immutable).
const parsed = new Map<string, Rational>();
const PARSED_MAX = 10_000;

/** "4.9" → 49/10; refuses anything that is not a plain decimal number. */
export function parseDecimal(text: string, name = "value"): Rational {
  const known = parsed.get(text);
  if (known) return known;
  const match = /^(-)?(\d{1,18})(?:\.(\d{1,18}))?$/.exec(text.trim());
  if (!match) throw new Error(`${name} ${JSON.stringify(text)} is not a decimal number`);
  const [, sign, whole, fraction = ""] = match;
  const denominator = 10n ** BigInt(fraction.length);
  const numerator = BigInt(`${whole}${fraction}`);
  const value = Object.freeze({ numerator: sign ? -numerator : numerator, denominator });
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(text, value);
  return value;
}

/** numerator / denominator rounded half away from zero to an integer (half-up for amounts ≥ 0). */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new Error("division by zero");
  if (denominator < 0n) return divideRoundHalfUp(-numerator, -denominator);
  const negative = numerator < 0n;
  const absolute = negative ? -numerator : numerator;
  const quotient = (absolute * 2n + denominator) / (denominator * 2n);
  return negative ? -quotient : quotient;
}

/** numerator / denominator rounded toward zero (truncation) — named, for the places that want it. */
export function divideTruncate(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new Error("division by zero");
  return numerator / denominator;
}

/** Formats a rational as a decimal string with `digits` decimals, rounded half-up. */
export function formatRational(value: Rational, digits: number): string {
  const scaled = divideRoundHalfUp(value.numerator * 10n ** BigInt(digits), value.denominator);
  const negative = scaled < 0n;
  const absolute = (negative ? -scaled : scaled).toString().padStart(digits + 1, "0");
  const text = digits === 0 ? absolute : `${absolute.slice(0, -digits)}.${absolute.slice(-digits)}`;
  return negative ? `-${text}` : text;
}
