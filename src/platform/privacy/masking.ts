// Masking of personal identifiers, and which role sees which field how.

export type PiiField = "name" | "national_id" | "phone" | "address" | "email";
export type StaffRole = "agent" | "supervisor" | "compliance" | "complaint_handler" | "strategist" | "admin";
export type PiiViewer = StaffRole | "borrower";
export type Visibility = "full" | "masked" | "hidden";

export function maskNationalId(value: string): string {
  if (value.length < 10) return "*".repeat(value.length);
  return `${value.slice(0, 6)}${"*".repeat(value.length - 10)}${value.slice(-4)}`;
}

export function maskPhone(value: string): string {
  if (value.length < 7) return "*".repeat(value.length);
  return `${value.slice(0, 3)}${"*".repeat(value.length - 7)}${value.slice(-4)}`;
}

export function maskName(value: string): string {
  const trimmed = value.trim();
  if (/^[\u3400-\u9fff·]+$/.test(trimmed)) {
    const characters = [...trimmed];
    return characters[0] + "*".repeat(Math.max(characters.length - 1, 1));
  }
  return trimmed
    .split(/\s+/)
    .map((word) => (word.length === 0 ? word : word[0] + "*".repeat(Math.max(word.length - 1, 1))))
    .join(" ");
}

export function maskEmail(value: string): string {
  const at = value.indexOf("@");
  if (at <= 0) return "*".repeat(value.length);
  return `${value[0]}${"*".repeat(Math.max(at - 1, 1))}${value.slice(at)}`;
}

export function maskAddress(value: string): string {
  const characters = [...value];
  return `${characters.slice(0, 6).join("")}****`;
}

export function maskFor(field: PiiField, value: string): string {
  switch (field) {
    case "name":
      return maskName(value);
    case "national_id":
      return maskNationalId(value);
    case "phone":
      return maskPhone(value);
    case "address":
      return maskAddress(value);
    case "email":
      return maskEmail(value);
  }
}

/**
 * Who sees what. Agents address the borrower by name, so they see it in full; every other
 * identifier is masked for staff, who reveal a full value with a stated reason (audited).
 * Strategists work on segments, not people: they see masked names and nothing else.
 */
const policy: Record<PiiViewer, Record<PiiField, Visibility>> = {
  borrower: { name: "full", national_id: "full", phone: "full", address: "full", email: "full" },
  agent: { name: "full", national_id: "masked", phone: "masked", address: "masked", email: "masked" },
  supervisor: { name: "full", national_id: "masked", phone: "masked", address: "masked", email: "masked" },
  complaint_handler: { name: "full", national_id: "masked", phone: "masked", address: "masked", email: "masked" },
  compliance: { name: "masked", national_id: "masked", phone: "masked", address: "masked", email: "masked" },
  admin: { name: "masked", national_id: "masked", phone: "masked", address: "masked", email: "masked" },
  strategist: { name: "masked", national_id: "hidden", phone: "hidden", address: "hidden", email: "hidden" },
};

const openness: Record<Visibility, number> = { hidden: 0, masked: 1, full: 2 };

export function visiblePii(viewer: PiiViewer, field: PiiField): Visibility {
  return policy[viewer][field];
}

/** How the most permissive of the viewer's roles sees a field. */
export function visibilityFor(viewers: readonly PiiViewer[], field: PiiField): Visibility {
  let best: Visibility = "hidden";
  for (const viewer of viewers) {
    const visibility = visiblePii(viewer, field);
    if (openness[visibility] > openness[best]) best = visibility;
  }
  return best;
}

/** The value as the most permissive of the viewer's roles may see it; null when hidden. */
export function presentPii(viewers: readonly PiiViewer[], field: PiiField, value: string): string | null {
  const best = visibilityFor(viewers, field);
  if (best === "full") return value;
  if (best === "masked") return maskFor(field, value);
  return null;
}
