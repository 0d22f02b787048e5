// Contact details an agent records: where a phone or address came from, whether it was verified
// or found invalid (and why), and whether the person refused contact. Pure: validation and the
// field-by-field difference a change makes, which the history stores.

export const detailSources = ["agent", "borrower"] as const;
export type DetailSource = (typeof detailSources)[number];
export const verifications = ["unverified", "verified", "invalid"] as const;
export type Verification = (typeof verifications)[number];
export const contactInvalidReasons = ["wrong_number", "not_in_service", "not_the_person", "other"] as const;
export const addressKinds = ["home", "work", "mailing"] as const;
export type AddressKind = (typeof addressKinds)[number];
export const addressInvalidReasons = ["not_found", "moved", "not_the_person", "other"] as const;

const addressLengthMin = 4;
const addressLengthMax = 300;
const noteLengthMax = 500;

export type DetailProblem = { field: string; message: string };
type Checked<T> = { ok: true; value: T } | { ok: false; problem: DetailProblem };

function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (values as readonly string[]).includes(value);
}

export function validateSource(source: string | undefined): Checked<DetailSource> {
  const value = source ?? "agent";
  if (!isOneOf(detailSources, value)) return { ok: false, problem: { field: "source", message: `source must be one of ${detailSources.join(", ")}` } };
  return { ok: true, value };
}

export interface AddressInput {
  kind: string;
  address: string;
  source?: string;
}

export interface ValidAddress {
  kind: AddressKind;
  address: string;
  source: DetailSource;
}

export function validateAddress(input: AddressInput): Checked<ValidAddress> {
  if (!isOneOf(addressKinds, input.kind)) return { ok: false, problem: { field: "kind", message: `kind must be one of ${addressKinds.join(", ")}` } };
  const address = input.address.trim().replace(/\s+/g, " ");
  // Control characters would corrupt letters and exports; a real address never has them.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse them
  if (/[\u0000-\u001f\u007f]/.test(address)) return { ok: false, problem: { field: "address", message: "address must not contain control characters" } };
  if ([...address].length < addressLengthMin || [...address].length > addressLengthMax) {
    return { ok: false, problem: { field: "address", message: `address must be ${addressLengthMin}-${addressLengthMax} characters` } };
  }
  const source = validateSource(input.source);
  if (!source.ok) return source;
  return { ok: true, value: { kind: input.kind, address, source: source.value } };
}

/** A change of verification state or refusal, as the agent asks for it. */
export interface DetailPatchInput {
  verification?: string;
  invalidReason?: string | null;
  hasRefused?: boolean;
  note?: string | null;
}

export interface DetailState {
  verification: Verification;
  invalidReason: string | null;
  hasRefused?: boolean;
}

export type FieldChange = { from: unknown; to: unknown };

/**
 * The state after the patch, checked against the current one: invalid needs a reason from the
 * kind's list, and a reason means invalid. `hasRefused` applies only where the kind has it.
 */
export function applyDetailPatch(
  current: DetailState,
  patch: DetailPatchInput,
  options: { invalidReasons: readonly string[]; hasRefusal: boolean },
): Checked<{ next: DetailState; changes: Record<string, FieldChange>; note: string | null }> {
  if (patch.verification === undefined && patch.invalidReason === undefined && patch.hasRefused === undefined) {
    return { ok: false, problem: { field: "verification", message: "say what changes: verification, invalidReason or hasRefused" } };
  }
  if (patch.verification !== undefined && !isOneOf(verifications, patch.verification)) {
    return { ok: false, problem: { field: "verification", message: `verification must be one of ${verifications.join(", ")}` } };
  }
  if (patch.hasRefused !== undefined && !options.hasRefusal) return { ok: false, problem: { field: "hasRefused", message: "an address has no refusal" } };
  const verification = (patch.verification as Verification | undefined) ?? current.verification;
  let invalidReason = patch.invalidReason === undefined ? current.invalidReason : patch.invalidReason;
  if (verification !== "invalid") {
    if (patch.invalidReason) return { ok: false, problem: { field: "invalidReason", message: "invalidReason is given only with verification invalid" } };
    invalidReason = null;
  } else if (!invalidReason || !options.invalidReasons.includes(invalidReason)) {
    return {
      ok: false,
      problem: { field: "invalidReason", message: `an invalid contact detail needs invalidReason, one of ${options.invalidReasons.join(", ")}` },
    };
  }
  const note = patch.note?.trim() || null;
  if (note && note.length > noteLengthMax) return { ok: false, problem: { field: "note", message: `note must be at most ${noteLengthMax} characters` } };
  const next: DetailState = { verification, invalidReason };
  if (options.hasRefusal) next.hasRefused = patch.hasRefused ?? current.hasRefused ?? false;
  const changes: Record<string, FieldChange> = {};
  for (const key of ["verification", "invalidReason", "hasRefused"] as const) {
    if (next[key] !== undefined && next[key] !== current[key]) changes[key] = { from: current[key] ?? null, to: next[key] };
  }
  return { ok: true, value: { next, changes, note } };
}
