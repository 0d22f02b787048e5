// A borrower's other contacts: a guarantor, emergency contacts (with relationship and whether
// they were pre-agreed — the compliance rules depend on both), other numbers of their own.
import { randomUUID } from "node:crypto";
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import { AppError } from "../../platform/errors.js";
import { blindIndex, maskFor } from "../../platform/privacy/index.js";
import type { ContactProblem, ValidContact } from "./domain/contact-input.js";

export type ContactOutcome = { outcome: "inserted"; id: string } | { outcome: "unchanged"; id: string } | { outcome: "conflict"; id: string; message: string };

/** Adds a contact once: the same phone for the same borrower again is unchanged, or a conflict if it says otherwise. */
export async function addContact(
  context: AppContext,
  executor: Executor,
  lenderId: string,
  borrowerId: string,
  contact: ValidContact,
  source: "import" | "agent" | "borrower" | "system",
): Promise<ContactOutcome> {
  const phoneIndex = blindIndex(context.privacy.blindIndexKey, "phone", contact.phone);
  const existing = await executor
    .selectFrom("borrower_contacts")
    .select(["id", "kind", "relationship", "is_pre_agreed"])
    .where("borrower_id", "=", borrowerId)
    .where("phone_index", "=", phoneIndex)
    .executeTakeFirst();
  if (existing) {
    const same = existing.kind === contact.kind && existing.relationship === contact.relationship && existing.is_pre_agreed === contact.isPreAgreed;
    return same
      ? { outcome: "unchanged", id: existing.id }
      : { outcome: "conflict", id: existing.id, message: "this phone is already a contact of the borrower with other details" };
  }
  const id = randomUUID();
  const { cipher } = context.privacy;
  await executor
    .insertInto("borrower_contacts")
    .values({
      id,
      lender_id: lenderId,
      borrower_id: borrowerId,
      kind: contact.kind,
      relationship: contact.relationship,
      name_enc: contact.name ? cipher.encrypt(contact.name, `contact:${id}:name`) : null,
      phone_enc: cipher.encrypt(contact.phone, `contact:${id}:phone`),
      phone_index: phoneIndex,
      phone_masked: maskFor("phone", contact.phone),
      is_pre_agreed: contact.isPreAgreed,
      source,
      created_at: context.clock.now(),
    })
    .execute();
  return { outcome: "inserted", id };
}

export function contactError(problem: ContactProblem): AppError {
  return new AppError(problem.field === "phone" ? "INVALID_PHONE" : "VALIDATION_FAILED", problem.message, { field: problem.field });
}
