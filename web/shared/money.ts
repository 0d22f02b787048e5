// Money on screen. Amounts arrive as strings — minor units ("123456" fen) or a decimal in the
// currency ("1234.56") — and are formatted, compared and parsed with strings and bigint, never a
// JS number, so what the user reads is exactly what the server holds.

const minorDigitsByCurrency: Record<string, number> = { CNY: 2, USD: 2, HKD: 2, EUR: 2, JPY: 0, KRW: 0 };
const symbols: Record<string, string> = { CNY: "¥", USD: "$", HKD: "HK$", EUR: "€", JPY: "JP¥", KRW: "₩" };
/** Enough for any real balance, and short enough that a typo of many digits is refused. */
const wholeDigitsMax = 15;

/** Decimal places of the currency's minor unit (2 when the currency is not known here). */
export function minorDigitsOf(currency: string): number {
  return minorDigitsByCurrency[currency] ?? 2;
}

function prefixOf(currency: string): string {
  return symbols[currency] ?? `${currency} `;
}

function groupThousands(whole: string): string {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** 123456n or "123456" CNY → "¥1,234.56"; "-5" → "-¥0.05". */
export function formatMinor(amountMinor: string | bigint, currency = "CNY"): string {
  const value = typeof amountMinor === "bigint" ? amountMinor : BigInt(amountMinor);
  const digits = minorDigitsOf(currency);
  const negative = value < 0n;
  const absolute = negative ? -value : value;
  const scale = 10n ** BigInt(digits);
  const whole = groupThousands((absolute / scale).toString());
  const fraction = digits === 0 ? "" : `.${(absolute % scale).toString().padStart(digits, "0")}`;
  return `${negative ? "-" : ""}${prefixOf(currency)}${whole}${fraction}`;
}

/** "1234.5" CNY → "¥1,234.50": a decimal string as the server presents it, grouped and padded. */
export function formatDecimal(amount: string, currency = "CNY"): string {
  const minor = parseDecimalToMinor(amount, currency);
  return minor === null ? amount : formatMinor(minor, currency);
}

/** Orders two minor-unit strings for a table sorter. */
export function compareMinor(left: string, right: string): number {
  const difference = BigInt(left) - BigInt(right);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/**
 * What a user typed ("500", "1,200.5", "¥80.00") in minor units, or null when it is not an
 * amount of this currency: more decimals than the currency has is refused, never rounded.
 */
export function parseDecimalToMinor(text: string, currency = "CNY"): bigint | null {
  const digits = minorDigitsOf(currency);
  const cleaned = text
    .trim()
    .replace(/^(?:HK\$|JP¥|[¥$€₩])/, "")
    .replaceAll(",", "")
    .trim();
  const match = /^(-)?(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return null;
  const [, sign, whole = "0", fraction = ""] = match;
  if (whole.replace(/^0+/, "").length > wholeDigitsMax || fraction.length > digits) return null;
  const minor = BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, "0") || "0");
  return sign ? -minor : minor;
}
