// Money is bigint minor units with its currency; never a JS number. This is the small part
// the foundation needs (formatting and parsing decimal strings); the ledger builds on it.

const minorDigitsByCurrency: Record<string, number> = { CNY: 2, USD: 2, HKD: 2, EUR: 2, JPY: 0, KRW: 0 };

export function minorDigits(currency: string): number {
  const digits = minorDigitsByCurrency[currency];
  if (digits === undefined) throw new Error(`unknown currency ${currency}`);
  return digits;
}

/** 1200000n CNY → "12000.00" */
export function formatMinor(amountMinor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  const negative = amountMinor < 0n;
  const absolute = negative ? -amountMinor : amountMinor;
  if (digits === 0) return `${negative ? "-" : ""}${absolute}`;
  const scale = 10n ** BigInt(digits);
  const whole = absolute / scale;
  const fraction = (absolute % scale).toString().padStart(digits, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/** "12000.5" CNY → 1200050n; more decimals than the currency has is an error, not a rounding. */
export function parseMinor(text: string, currency: string): bigint {
  const digits = minorDigits(currency);
  const match = /^(-)?(\d{1,15})(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new Error(`amount ${JSON.stringify(text)} is not a decimal number`);
  const [, sign, whole, fraction = ""] = match;
  if (fraction.length > digits) throw new Error(`amount ${text} has more than ${digits} decimals for ${currency}`);
  const minor = BigInt(whole as string) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, "0") || "0");
  return sign ? -minor : minor;
}
