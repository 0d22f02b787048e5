// Borrower identities: stored encrypted with blind indexes, shown masked by role, revealed
// only with a reason that is audited in the same transaction as the read.
import { randomUUID } from "node:crypto";
import type { Selectable } from "kysely";
import { appendAudit } from "../../platform/audit/index.js";
import { type Actor, type BorrowerRef, borrowerRef, type DataScope, dataScopeOf, scopeCondition } from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import type { Executor, Schema } from "../../platform/db/index.js";
import { AppError } from "../../platform/errors.js";
import { blindIndex, maskName, maskPhone, type PiiField, presentPii, validateMainlandMobile, visibilityFor } from "../../platform/privacy/index.js";
import { type BorrowerInput, validateBorrower } from "./domain/borrower-input.js";

const fieldColumns = {
  name: "name_enc",
  national_id: "national_id_enc",
  phone: "phone_enc",
  address: "address_enc",
  email: "email_enc",
} as const;

function associatedData(borrowerId: string, field: PiiField): string {
  return `borrower:${borrowerId}:${field}`;
}

export async function registerBorrower(
  context: AppContext,
  executor: Executor,
  lenderId: string,
  input: BorrowerInput,
  audit: { actorType: "staff" | "system"; actorId: string | null; ip?: string | null },
): Promise<string> {
  const today = context.clock.now().toISOString().slice(0, 10);
  const checked = validateBorrower(input, today);
  if (!checked.ok) throw new AppError(checked.problem.code, checked.problem.message, { field: checked.problem.field });
  const borrower = checked.value;
  const { cipher, blindIndexKey } = context.privacy;
  const id = randomUUID();
  const nationalIdIndex = blindIndex(blindIndexKey, "national_id", borrower.nationalId);
  const existing = await executor
    .selectFrom("borrowers")
    .select("id")
    .where("lender_id", "=", lenderId)
    .where((eb) => eb.or([eb("national_id_index", "=", nationalIdIndex), eb("external_ref", "=", borrower.externalRef)]))
    .executeTakeFirst();
  if (existing) throw new AppError("CONFLICT", `a borrower with this national ID or externalRef ${borrower.externalRef} exists`, { borrowerId: existing.id });
  await executor
    .insertInto("borrowers")
    .values({
      id,
      lender_id: lenderId,
      external_ref: borrower.externalRef,
      name_enc: cipher.encrypt(borrower.name, associatedData(id, "name")),
      national_id_enc: cipher.encrypt(borrower.nationalId, associatedData(id, "national_id")),
      national_id_index: nationalIdIndex,
      phone_enc: cipher.encrypt(borrower.phone, associatedData(id, "phone")),
      phone_index: blindIndex(blindIndexKey, "phone", borrower.phone),
      address_enc: borrower.address ? cipher.encrypt(borrower.address, associatedData(id, "address")) : null,
      email_enc: borrower.email ? cipher.encrypt(borrower.email, associatedData(id, "email")) : null,
      email_index: borrower.email ? blindIndex(blindIndexKey, "email", borrower.email) : null,
      birth_date: borrower.birthDate,
      locale: borrower.locale,
      time_zone: borrower.timeZone,
      // The province (GB/T 2260) of a validated resident ID: its first two digits; case queues route on it.
      region_code: borrower.nationalId.slice(0, 2),
      created_at: context.clock.now(),
    })
    .execute();
  await appendAudit(
    executor,
    {
      actorType: audit.actorType,
      actorId: audit.actorId,
      action: "borrower.created",
      targetType: "borrower",
      targetId: id,
      ip: audit.ip ?? null,
      details: { externalRef: borrower.externalRef },
    },
    context.clock.now(),
  );
  return id;
}

/** Finds borrowers by phone through the blind index, without decrypting anything. */
export async function findBorrowersByPhone(context: AppContext, executor: Executor, phone: string): Promise<{ id: string; lenderId: string }[]> {
  const checked = validateMainlandMobile(phone);
  if (!checked.ok) throw new AppError("INVALID_PHONE", checked.reason, { field: "phone" });
  const rows = await executor
    .selectFrom("borrowers")
    .select(["id", "lender_id"])
    .where("phone_index", "=", blindIndex(context.privacy.blindIndexKey, "phone", checked.value))
    .orderBy("created_at")
    .limit(20)
    .execute();
  return rows.map((row) => ({ id: row.id, lenderId: row.lender_id }));
}

export async function isBorrowerInScope(executor: Executor, scope: DataScope, borrowerId: string): Promise<boolean> {
  switch (scope.kind) {
    case "none":
      return false;
    case "borrower":
      return scope.borrowerId === borrowerId;
    case "lender": {
      const row = await executor.selectFrom("borrowers").select("id").where("id", "=", borrowerId).where("lender_id", "=", scope.lenderId).executeTakeFirst();
      return row !== undefined;
    }
    case "agency":
    case "assigned": {
      const row = await executor
        .selectFrom("collection_cases")
        .select("id")
        .where("borrower_id", "=", borrowerId)
        .where((eb) => scopeCondition(eb, scope, { lender: "lender_id", borrower: "borrower_id", agency: "agency_id", assignedAgent: "assigned_agent_id" }))
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    }
  }
}

export interface BorrowerProfile {
  id: string;
  externalRef: string;
  name: string | null;
  nationalId: string | null;
  phone: string | null;
  address: string | null;
  email: string | null;
  birthDate: string | null;
  locale: string;
  timeZone: string;
}

function viewerRoles(actor: Actor) {
  if (actor.type === "staff") return actor.roles;
  if (actor.type === "borrower") return ["borrower" as const];
  return [];
}

/** The borrower as the actor may see them: full, masked or hidden per field and role. */
export async function getBorrowerProfile(context: AppContext, actor: Actor, borrower: BorrowerRef): Promise<BorrowerProfile> {
  const { db } = context.database;
  const { borrowerId, checked } = borrowerRef(borrower);
  if (!checked && !(await isBorrowerInScope(db, dataScopeOf(actor), borrowerId))) {
    throw new AppError("NOT_FOUND", `borrower ${borrowerId} not found`);
  }
  const row = await db.selectFrom("borrowers").selectAll().where("id", "=", borrowerId).executeTakeFirstOrThrow();
  return presentProfileRow(context, actor, row);
}

/** A borrower row as the actor may see it. */
export function presentProfileRow(
  context: AppContext,
  actor: Actor,
  row: Pick<
    Selectable<Schema["borrowers"]>,
    "id" | "external_ref" | "name_enc" | "national_id_enc" | "phone_enc" | "address_enc" | "email_enc" | "birth_date" | "locale" | "time_zone"
  >,
): BorrowerProfile {
  const roles = viewerRoles(actor);
  const present = (field: PiiField, ciphertext: string | null) =>
    ciphertext === null ? null : presentPii(roles, field, context.privacy.cipher.decrypt(ciphertext, associatedData(row.id, field)));
  return {
    id: row.id,
    externalRef: row.external_ref,
    name: present("name", row.name_enc),
    nationalId: present("national_id", row.national_id_enc),
    phone: present("phone", row.phone_enc),
    address: present("address", row.address_enc),
    email: present("email", row.email_enc),
    birthDate: actor.type === "borrower" ? row.birth_date : null,
    locale: row.locale,
    timeZone: row.time_zone,
  };
}

export interface ShownBorrower {
  name: string | null;
  phone: string | null;
  phoneMasked: string;
}

/** Decrypts several borrowers' names and phones as the given roles may see them (lists). */
export async function presentBorrowers(
  context: AppContext,
  executor: Executor,
  roles: Parameters<typeof presentPii>[0],
  borrowerIds: readonly string[],
): Promise<Map<string, ShownBorrower>> {
  if (borrowerIds.length === 0) return new Map();
  const rows = await executor
    .selectFrom("borrowers")
    .select(["id", "name_enc", "phone_enc"])
    .where("id", "in", [...borrowerIds])
    .execute();
  return new Map(rows.map((row) => [row.id, presentBorrowerRow(context, roles, row)]));
}

/**
 * A borrower's name and phone as the roles may see them, from the row's ciphertexts (for a list
 * that read them in its own query). Names and masked phones come from `privacy.shown`, so a
 * list shown again decrypts nothing; a phone a role sees in full is decrypted on each call.
 */
export function presentBorrowerRow(
  context: AppContext,
  roles: Parameters<typeof presentPii>[0],
  row: { id: string; name_enc: string; phone_enc: string },
): ShownBorrower {
  const { shown, cipher } = context.privacy;
  const nameVisibility = visibilityFor(roles, "name");
  const name =
    nameVisibility === "hidden"
      ? null
      : nameVisibility === "full"
        ? shown.shown(row.name_enc, associatedData(row.id, "name"), "name:full", (plaintext) => plaintext)
        : shown.shown(row.name_enc, associatedData(row.id, "name"), "name:masked", maskName);
  const phoneMasked = shown.shown(row.phone_enc, associatedData(row.id, "phone"), "phone:masked", maskPhone);
  const phoneVisibility = visibilityFor(roles, "phone");
  const phone =
    phoneVisibility === "hidden" ? null : phoneVisibility === "masked" ? phoneMasked : cipher.decrypt(row.phone_enc, associatedData(row.id, "phone"));
  return { name, phone, phoneMasked };
}

/** Shows one identifier in full, for a stated reason, and audits it in the same transaction. */
export async function revealBorrowerField(
  context: AppContext,
  actor: Actor,
  borrowerId: string,
  field: PiiField,
  reason: string,
  ip: string | null,
): Promise<string | null> {
  if (actor.type !== "staff") throw new AppError("FORBIDDEN", "only staff reveal identifiers");
  const trimmedReason = reason.trim();
  if (trimmedReason.length < 4) throw new AppError("VALIDATION_FAILED", "reason must say why (at least 4 characters)", { field: "reason" });
  return context.database.db.transaction().execute(async (trx) => {
    if (!(await isBorrowerInScope(trx, dataScopeOf(actor), borrowerId))) throw new AppError("NOT_FOUND", `borrower ${borrowerId} not found`);
    const row = await trx.selectFrom("borrowers").select(["id", fieldColumns[field]]).where("id", "=", borrowerId).executeTakeFirstOrThrow();
    const ciphertext = (row as Record<string, string | null>)[fieldColumns[field]] ?? null;
    await appendAudit(
      trx,
      {
        actorType: "staff",
        actorId: actor.userId,
        action: "pii.revealed",
        targetType: "borrower",
        targetId: borrowerId,
        reason: trimmedReason,
        details: { field },
        ip,
      },
      context.clock.now(),
    );
    return ciphertext === null ? null : context.privacy.cipher.decrypt(ciphertext, associatedData(borrowerId, field));
  });
}

export interface BorrowerReference {
  id: string;
  nationalIdIndex: string;
  phoneIndex: string;
}

/** Borrowers of a lender by their external reference (the lender's own id for them). */
export async function findBorrowersByExternalRef(executor: Executor, lenderId: string, refs: readonly string[]): Promise<Map<string, BorrowerReference>> {
  const found = new Map<string, BorrowerReference>();
  for (let index = 0; index < refs.length; index += 5_000) {
    const chunk = refs.slice(index, index + 5_000);
    if (chunk.length === 0) continue;
    const rows = await executor
      .selectFrom("borrowers")
      .select(["id", "external_ref", "national_id_index", "phone_index"])
      .where("lender_id", "=", lenderId)
      .where("external_ref", "in", chunk)
      .execute();
    for (const row of rows) found.set(row.external_ref, { id: row.id, nationalIdIndex: row.national_id_index, phoneIndex: row.phone_index });
  }
  return found;
}
