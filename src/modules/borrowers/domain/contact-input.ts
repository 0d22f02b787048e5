// Validates a borrower's contact before it is stored; each problem names its field.
import { validateMainlandMobile } from "../../../platform/privacy/index.js";

export const contactKinds = ["self", "guarantor", "emergency", "other"] as const;
export const relationships = ["spouse", "parent", "child", "sibling", "relative", "friend", "colleague", "other"] as const;
export type ContactKind = (typeof contactKinds)[number];

export interface ContactInput {
  kind: string;
  name?: string | null;
  phone: string;
  relationship?: string | null;
  isPreAgreed?: boolean;
}

export interface ValidContact {
  kind: ContactKind;
  name: string | null;
  phone: string;
  relationship: string | null;
  isPreAgreed: boolean;
}

export type ContactProblem = { field: keyof ContactInput; message: string };

export function validateContact(input: ContactInput): { ok: true; value: ValidContact } | { ok: false; problem: ContactProblem } {
  if (!(contactKinds as readonly string[]).includes(input.kind))
    return { ok: false, problem: { field: "kind", message: `kind must be one of ${contactKinds.join(", ")}` } };
  const phone = validateMainlandMobile(input.phone);
  if (!phone.ok) return { ok: false, problem: { field: "phone", message: phone.reason } };
  const relationship = input.relationship?.trim() || null;
  if (relationship && !(relationships as readonly string[]).includes(relationship)) {
    return { ok: false, problem: { field: "relationship", message: `relationship must be one of ${relationships.join(", ")}` } };
  }
  if (input.kind === "emergency" && !relationship)
    return { ok: false, problem: { field: "relationship", message: "an emergency contact needs a relationship" } };
  const name = input.name?.trim() || null;
  if (name && name.length > 100) return { ok: false, problem: { field: "name", message: "name must be at most 100 characters" } };
  return { ok: true, value: { kind: input.kind as ContactKind, name, phone: phone.value, relationship, isPreAgreed: input.isPreAgreed ?? false } };
}
