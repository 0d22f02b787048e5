// Validation of identifiers: Chinese resident identity numbers (GB 11643-1999, ISO 7064
// MOD 11-2 check character), mainland mobile numbers and e-mail addresses. Each refusal says
// exactly what is wrong, for an error message that names the value's problem.

export type NationalIdResult = { ok: true; value: string; birthDate: string; gender: "male" | "female"; regionCode: string } | { ok: false; reason: string };

const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkCharacters = "10X98765432";
const provinceCodes = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91,
]);

export function nationalIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let index = 0; index < 17; index += 1) sum += Number(first17[index]) * (weights[index] as number);
  return checkCharacters[sum % 11] as string;
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function validateNationalId(input: string, today: string = new Date().toISOString().slice(0, 10)): NationalIdResult {
  const value = input.trim().toUpperCase();
  if (value.length !== 18) return { ok: false, reason: `national ID must be 18 characters (got ${value.length})` };
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, reason: "national ID must be 17 digits followed by a digit or X" };
  if (!provinceCodes.has(Number(value.slice(0, 2)))) return { ok: false, reason: `national ID region code ${value.slice(0, 6)} is not a valid province` };
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  if (!isRealDate(year, month, day)) return { ok: false, reason: `national ID birth date ${value.slice(6, 14)} is not a real date` };
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (birthDate < "1900-01-01") return { ok: false, reason: `national ID birth date ${birthDate} is before 1900` };
  if (birthDate > today) return { ok: false, reason: `national ID birth date ${birthDate} is in the future` };
  const expected = nationalIdCheckCharacter(value.slice(0, 17));
  if (value[17] !== expected) return { ok: false, reason: `national ID checksum does not match (expected ${expected} as the last character)` };
  return { ok: true, value, birthDate, gender: Number(value[16]) % 2 === 1 ? "male" : "female", regionCode: value.slice(0, 6) };
}

/** Builds a valid identity number (for demo data and tests). */
export function makeNationalId(regionCode: string, birthDate: string, sequence: number): string {
  if (!/^\d{6}$/.test(regionCode)) throw new Error(`region code ${regionCode} must be 6 digits`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) throw new Error(`birth date ${birthDate} must be YYYY-MM-DD`);
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) throw new Error(`sequence ${sequence} must be 0-999`);
  const first17 = `${regionCode}${birthDate.replaceAll("-", "")}${String(sequence).padStart(3, "0")}`;
  return first17 + nationalIdCheckCharacter(first17);
}

export type PhoneResult = { ok: true; value: string } | { ok: false; reason: string };

export function validateMainlandMobile(input: string): PhoneResult {
  let digits = input.trim().replace(/[\s-]/g, "");
  if (digits.startsWith("+86")) digits = digits.slice(3);
  else if (digits.startsWith("0086")) digits = digits.slice(4);
  else if (digits.startsWith("86") && digits.length === 13) digits = digits.slice(2);
  if (!/^\d+$/.test(digits)) return { ok: false, reason: `phone ${JSON.stringify(input)} must contain only digits, spaces, dashes and a +86 prefix` };
  if (digits.length !== 11) return { ok: false, reason: `phone ${JSON.stringify(input)} must be an 11-digit mainland mobile number` };
  if (!/^1[3-9]\d{9}$/.test(digits)) return { ok: false, reason: `phone ${JSON.stringify(input)} is not a mainland mobile number (13x-19x)` };
  return { ok: true, value: digits };
}

export function normalizeEmail(input: string): string {
  return input.trim().toLowerCase();
}

export function validateEmail(input: string): boolean {
  const value = normalizeEmail(input);
  return value.length <= 254 && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(value);
}

export function normalizeNationalId(input: string): string {
  return input.trim().toUpperCase();
}

export function normalizePhone(input: string): string | null {
  const result = validateMainlandMobile(input);
  return result.ok ? result.value : null;
}
