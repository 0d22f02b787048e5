// Finding a case by what a caller has at hand: a case or loan number, a borrower's reference, or
// a full phone or national ID number, matched through the blind index. Never by partial
// plaintext: identifiers are encrypted, and a prefix search would need them in the clear.
import type { Actor } from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import { AppError } from "../../platform/errors.js";
import { blindIndex, normalizeNationalId, normalizePhone } from "../../platform/privacy/index.js";
import { type CaseListItem, listCasesOfBorrowers } from "./cases.service.js";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const nationalIdPattern = /^\d{17}[\dX]$/;

export type SearchKind = "case" | "loan" | "phone" | "national_id" | "reference";

export async function searchCases(context: AppContext, actor: Actor, query: string): Promise<{ matchedBy: SearchKind; cases: CaseListItem[] }> {
  const text = query.trim();
  if (text.length < 3 || text.length > 64)
    throw new AppError("VALIDATION_FAILED", "q: search with a full case or loan number, reference, phone or ID number", { field: "q" });
  const { db } = context.database;
  const { blindIndexKey } = context.privacy;
  if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
  let matchedBy: SearchKind;
  let borrowerIds: string[];
  const phone = normalizePhone(text);
  const nationalId = normalizeNationalId(text);
  if (uuidPattern.test(text)) {
    const byCase = await db.selectFrom("collection_cases").select("borrower_id").where("id", "=", text).where("lender_id", "=", actor.lenderId).execute();
    const byLoan =
      byCase.length > 0
        ? []
        : await db.selectFrom("loan_accounts").select("borrower_id").where("id", "=", text).where("lender_id", "=", actor.lenderId).execute();
    matchedBy = byCase.length > 0 ? "case" : "loan";
    borrowerIds = [...byCase, ...byLoan].map((row) => row.borrower_id);
  } else if (phone) {
    matchedBy = "phone";
    const index = blindIndex(blindIndexKey, "phone", phone);
    const own = await db.selectFrom("borrowers").select("id").where("phone_index", "=", index).where("lender_id", "=", actor.lenderId).execute();
    const contacts = await db
      .selectFrom("borrower_contacts")
      .select("borrower_id")
      .where("phone_index", "=", index)
      .where("lender_id", "=", actor.lenderId)
      .execute();
    borrowerIds = [...own.map((row) => row.id), ...contacts.map((row) => row.borrower_id)];
  } else if (nationalIdPattern.test(nationalId)) {
    matchedBy = "national_id";
    const rows = await db
      .selectFrom("borrowers")
      .select("id")
      .where("national_id_index", "=", blindIndex(blindIndexKey, "national_id", nationalId))
      .where("lender_id", "=", actor.lenderId)
      .execute();
    borrowerIds = rows.map((row) => row.id);
  } else {
    const byLoan = await db
      .selectFrom("loan_accounts")
      .select("borrower_id")
      .where("external_ref", "=", text)
      .where("lender_id", "=", actor.lenderId)
      .execute();
    const byBorrower = await db.selectFrom("borrowers").select("id").where("external_ref", "=", text).where("lender_id", "=", actor.lenderId).execute();
    matchedBy = byLoan.length > 0 ? "loan" : "reference";
    borrowerIds = [...byLoan.map((row) => row.borrower_id), ...byBorrower.map((row) => row.id)];
  }
  return { matchedBy, cases: await listCasesOfBorrowers(context, actor, [...new Set(borrowerIds)]) };
}
