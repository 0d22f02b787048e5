// Recipients as providers want them. A phone arrives "E.164-ish" ("+8613800138000",
// "13800138000", "+86 138-0013-8000"); a bare 11-digit number starting with 1 is a mainland
// China mobile (the platform's home market), anything else needs its country code.

export interface Phone {
  /** E.164: "+" then the country code and the number, digits only. */
  e164: string;
  countryCode: "86" | null;
}

const chinaMobile = /^1[3-9]\d{9}$/;

/** The phone in E.164, or null when the text is not a phone number. */
export function parsePhone(text: string): Phone | null {
  const compact = text.trim().replace(/[\s()-]/g, "");
  if (chinaMobile.test(compact)) return { e164: `+86${compact}`, countryCode: "86" };
  const international = /^(?:\+|00)([1-9]\d{6,14})$/.exec(compact);
  if (!international) return null;
  const digits = international[1] as string;
  if (digits.startsWith("86")) return chinaMobile.test(digits.slice(2)) ? { e164: `+${digits}`, countryCode: "86" } : null;
  return { e164: `+${digits}`, countryCode: null };
}

// Deliberately plain: one @, no spaces or angle brackets (which would let a value inject headers
// or extra recipients), a dot in the domain. The mail server is the final judge.
const emailPattern = /^[^\s@<>(),;:"[\]\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function isEmailAddress(text: string): boolean {
  return text.length <= 254 && emailPattern.test(text);
}
