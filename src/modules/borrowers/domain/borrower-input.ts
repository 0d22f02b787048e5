// Validates a new borrower's identity data before anything is stored. Each problem names the
// field; the first problem stops the registration so nothing half-valid is written.
import { normalizeEmail, validateEmail, validateMainlandMobile, validateNationalId } from "../../../platform/privacy/index.js";

export interface BorrowerInput {
  externalRef: string;
  name: string;
  nationalId: string;
  phone: string;
  address?: string | null;
  email?: string | null;
  locale?: "zh-CN" | "en";
  timeZone?: string;
}

export interface ValidBorrower {
  externalRef: string;
  name: string;
  nationalId: string;
  birthDate: string;
  phone: string;
  address: string | null;
  email: string | null;
  locale: "zh-CN" | "en";
  timeZone: string;
}

export type BorrowerProblem = { field: keyof BorrowerInput; code: "INVALID_NATIONAL_ID" | "INVALID_PHONE" | "VALIDATION_FAILED"; message: string };

export function validateBorrower(input: BorrowerInput, today: string): { ok: true; value: ValidBorrower } | { ok: false; problem: BorrowerProblem } {
  const externalRef = input.externalRef.trim();
  if (!/^[\w.:-]{1,64}$/.test(externalRef)) {
    return { ok: false, problem: { field: "externalRef", code: "VALIDATION_FAILED", message: "externalRef must be 1-64 letters, digits or . : _ -" } };
  }
  const name = input.name.trim();
  if (name.length === 0 || name.length > 100) {
    return { ok: false, problem: { field: "name", code: "VALIDATION_FAILED", message: "name must be 1-100 characters" } };
  }
  const nationalId = validateNationalId(input.nationalId, today);
  if (!nationalId.ok) return { ok: false, problem: { field: "nationalId", code: "INVALID_NATIONAL_ID", message: nationalId.reason } };
  const phone = validateMainlandMobile(input.phone);
  if (!phone.ok) return { ok: false, problem: { field: "phone", code: "INVALID_PHONE", message: phone.reason } };
  let email: string | null = null;
  if (input.email) {
    email = normalizeEmail(input.email);
    if (!validateEmail(email))
      return { ok: false, problem: { field: "email", code: "VALIDATION_FAILED", message: `email ${JSON.stringify(input.email)} is not an e-mail address` } };
  }
  const address = input.address?.trim() || null;
  if (address && address.length > 300) {
    return { ok: false, problem: { field: "address", code: "VALIDATION_FAILED", message: "address must be at most 300 characters" } };
  }
  return {
    ok: true,
    value: {
      externalRef,
      name,
      nationalId: nationalId.value,
      birthDate: nationalId.birthDate,
      phone: phone.value,
      address,
      email,
      locale: input.locale ?? "zh-CN",
      timeZone: input.timeZone ?? "Asia/Shanghai",
    },
  };
}
