// Agents keep a borrower's contact details current: add a phone (their own, a guarantor's, an
// emergency contact's) or an address with its source, mark one verified or invalid with a
// reason, record a refusal. Each change is checked against the caller's data scope (an agent:
// borrowers whose case is assigned to them; agency staff: their agency's), and writes a history
// row (who, when, from what to what, masked) and an audit event in the same transaction.
import { randomUUID } from "node:crypto";
import { type Selectable, sql } from "kysely";
import { appendAudit } from "../../platform/audit/index.js";
import { type Actor, type CheckedBorrower, dataScopeOf } from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import type { Executor, Schema } from "../../platform/db/index.js";
import { AppError } from "../../platform/errors.js";
import { type FieldCipher, maskFor, type PiiViewer, presentPii } from "../../platform/privacy/index.js";
import { type BorrowerProfile, isBorrowerInScope, presentProfileRow } from "./borrowers.service.js";
import { addContact, contactError } from "./contacts.service.js";
import {
  type AddressInput,
  addressInvalidReasons,
  applyDetailPatch,
  contactInvalidReasons,
  type DetailPatchInput,
  type DetailProblem,
  type DetailState,
  type FieldChange,
  type Verification,
  validateAddress,
  validateSource,
} from "./domain/contact-details.js";
import { type ContactInput, validateContact } from "./domain/contact-input.js";

/** A borrower keeps few addresses; the duplicate check decrypts them all, so they are bounded. */
const ADDRESSES_PER_BORROWER_MAX = 50;
const HISTORY_PAGE_MAX = 200;

export interface ContactView {
  id: string;
  kind: string;
  relationship: string | null;
  name: string | null;
  phoneMasked: string;
  isPreAgreed: boolean;
  hasRefused: boolean;
  source: string;
  verification: string;
  invalidReason: string | null;
  createdAt: string;
  updatedAt: string | null;
}

export interface AddressView {
  id: string;
  kind: string;
  /** As the viewer's role may see it (masked for agents); null when hidden. */
  address: string | null;
  source: string;
  verification: string;
  invalidReason: string | null;
  createdAt: string;
  updatedAt: string | null;
}

export interface ContactDetailChange {
  id: string;
  targetType: "contact" | "address";
  targetId: string;
  action: "added" | "updated";
  changes: Record<string, FieldChange>;
  actorType: string;
  actor: string | null;
  note: string | null;
  recordedAt: string;
}

type StaffActor = Extract<Actor, { type: "staff" }>;

function staffOf(actor: Actor): StaffActor {
  if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
  return actor;
}

function problemError(problem: DetailProblem): AppError {
  return new AppError("VALIDATION_FAILED", problem.message, { field: problem.field });
}

function addressData(id: string): string {
  return `address:${id}:address`;
}

function contactNameData(id: string): string {
  return `contact:${id}:name`;
}

/** The borrower's lender when the caller may work the borrower; otherwise not found. */
async function lenderOfBorrowerInScope(
  executor: Executor,
  actor: StaffActor,
  borrowerId: string,
  notFound = new AppError("NOT_FOUND", `borrower ${borrowerId} not found`),
): Promise<string> {
  if (!(await isBorrowerInScope(executor, dataScopeOf(actor), borrowerId))) throw notFound;
  const row = await executor.selectFrom("borrowers").select("lender_id").where("id", "=", borrowerId).executeTakeFirst();
  if (!row || row.lender_id !== actor.lenderId) throw notFound;
  return row.lender_id;
}

async function recordChange(
  context: AppContext,
  executor: Executor,
  actor: StaffActor,
  change: {
    lenderId: string;
    borrowerId: string;
    targetType: "contact" | "address";
    targetId: string;
    action: "added" | "updated";
    changes: Record<string, FieldChange>;
    note: string | null;
    ip: string | null;
  },
): Promise<void> {
  const now = context.clock.now();
  await executor
    .insertInto("contact_detail_changes")
    .values({
      id: randomUUID(),
      lender_id: change.lenderId,
      borrower_id: change.borrowerId,
      target_type: change.targetType,
      target_id: change.targetId,
      action: change.action,
      changes: JSON.stringify(change.changes),
      actor_type: "staff",
      actor_id: actor.userId,
      note: change.note,
      recorded_at: now,
    })
    .execute();
  await appendAudit(
    executor,
    {
      actorType: "staff",
      actorId: actor.userId,
      action: `${change.targetType}.${change.action}`,
      targetType: change.targetType === "contact" ? "borrower_contact" : "borrower_address",
      targetId: change.targetId,
      reason: change.note,
      details: { borrowerId: change.borrowerId, changes: change.changes },
      ip: change.ip,
    },
    now,
  );
}

// ——— reading ———

type ContactRow = Selectable<Schema["borrower_contacts"]>;
type AddressRow = Selectable<Schema["borrower_addresses"]>;

function presentContact(cipher: FieldCipher, roles: readonly PiiViewer[], row: ContactRow): ContactView {
  return {
    id: row.id,
    kind: row.kind,
    relationship: row.relationship,
    name: row.name_enc ? presentPii(roles, "name", cipher.decrypt(row.name_enc, contactNameData(row.id))) : null,
    phoneMasked: row.phone_masked,
    isPreAgreed: row.is_pre_agreed,
    hasRefused: row.has_refused,
    source: row.source,
    verification: row.verification,
    invalidReason: row.invalid_reason,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at?.toISOString() ?? null,
  };
}

function presentAddress(cipher: FieldCipher, roles: readonly PiiViewer[], row: AddressRow): AddressView {
  return {
    id: row.id,
    kind: row.kind,
    address: presentPii(roles, "address", cipher.decrypt(row.address_enc, addressData(row.id))),
    source: row.source,
    verification: row.verification,
    invalidReason: row.invalid_reason,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at?.toISOString() ?? null,
  };
}

/** A row that came back inside a JSON aggregate: its times are text there. */
function withTimes<T extends { created_at: Date; updated_at: Date | null }>(
  row: Omit<T, "created_at" | "updated_at"> & { created_at: string; updated_at: string | null },
): T {
  return { ...row, created_at: new Date(row.created_at), updated_at: row.updated_at === null ? null : new Date(row.updated_at) } as T;
}

type BorrowerFileRow = Pick<
  Selectable<Schema["borrowers"]>,
  "id" | "external_ref" | "name_enc" | "national_id_enc" | "phone_enc" | "address_enc" | "email_enc" | "birth_date" | "locale" | "time_zone"
> & { contacts: Parameters<typeof withTimes<ContactRow>>[0][]; addresses: Parameters<typeof withTimes<AddressRow>>[0][] };

/** A borrower's row with their contacts and addresses, in one statement. */
async function readBorrowerFile(executor: Executor, borrowerId: string): Promise<BorrowerFileRow | undefined> {
  const result = await sql<BorrowerFileRow>`
    select b.id, b.external_ref, b.name_enc, b.national_id_enc, b.phone_enc, b.address_enc, b.email_enc, b.birth_date, b.locale, b.time_zone,
      coalesce((select json_agg(c order by c.created_at, c.id) from borrower_contacts c where c.borrower_id = b.id), '[]'::json) as contacts,
      coalesce((select json_agg(a order by a.created_at, a.id) from (
        select * from borrower_addresses where borrower_id = b.id order by created_at, id limit ${ADDRESSES_PER_BORROWER_MAX}) a), '[]'::json) as addresses
    from borrowers b where b.id = ${borrowerId}`.execute(executor);
  return result.rows[0];
}

function presentDetails(
  cipher: FieldCipher,
  roles: readonly PiiViewer[],
  row: BorrowerFileRow | undefined,
): { contacts: ContactView[]; addresses: AddressView[] } {
  return {
    contacts: (row?.contacts ?? []).map((contact) => presentContact(cipher, roles, withTimes<ContactRow>(contact))),
    addresses: (row?.addresses ?? []).map((address) => presentAddress(cipher, roles, withTimes<AddressRow>(address))),
  };
}

/** Contacts (with source and verification) and addresses of a borrower, masked for the roles. */
export async function listContactDetails(
  context: AppContext,
  executor: Executor,
  roles: readonly PiiViewer[],
  borrowerId: string,
): Promise<{ contacts: ContactView[]; addresses: AddressView[] }> {
  return presentDetails(context.privacy.cipher, roles, await readBorrowerFile(executor, borrowerId));
}

export interface BorrowerFile {
  profile: BorrowerProfile;
  contacts: ContactView[];
  addresses: AddressView[];
}

/**
 * A borrower already found in the actor's scope, with their contacts and addresses, in one
 * statement: the borrower 360° of the case page, which reads it on every visit.
 */
export async function getBorrowerFile(context: AppContext, actor: Actor, borrower: CheckedBorrower): Promise<BorrowerFile> {
  if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
  const row = await readBorrowerFile(context.database.db, borrower.borrowerId);
  if (!row) throw new AppError("NOT_FOUND", `borrower ${borrower.borrowerId} not found`);
  return { profile: presentProfileRow(context, actor, row), ...presentDetails(context.privacy.cipher, actor.roles, row) };
}

export async function getContactDetails(context: AppContext, actor: Actor, borrowerId: string) {
  const staff = staffOf(actor);
  const { db } = context.database;
  await lenderOfBorrowerInScope(db, staff, borrowerId);
  return listContactDetails(context, db, staff.roles, borrowerId);
}

/** Every change to a borrower's contacts and addresses, newest first. */
export async function listContactDetailHistory(context: AppContext, actor: Actor, borrowerId: string): Promise<ContactDetailChange[]> {
  const staff = staffOf(actor);
  const { db } = context.database;
  await lenderOfBorrowerInScope(db, staff, borrowerId);
  const rows = await db
    .selectFrom("contact_detail_changes as h")
    .leftJoin("staff_users as u", (join) => join.on((eb) => eb(eb.cast("u.id", "text"), "=", eb.ref("h.actor_id"))))
    .select(["h.id", "h.target_type", "h.target_id", "h.action", "h.changes", "h.actor_type", "h.note", "h.recorded_at", "u.username"])
    .where("h.borrower_id", "=", borrowerId)
    .orderBy("h.sequence", "desc")
    .limit(HISTORY_PAGE_MAX)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    targetType: row.target_type,
    targetId: row.target_id,
    action: row.action,
    changes: (typeof row.changes === "string" ? JSON.parse(row.changes) : row.changes) as Record<string, FieldChange>,
    actorType: row.actor_type,
    actor: row.username ?? null,
    note: row.note,
    recordedAt: row.recorded_at.toISOString(),
  }));
}

// ——— contacts ———

export interface NewContactInput extends ContactInput {
  source?: string;
}

/** Adds a phone to a borrower; the same phone with the same details again changes nothing. */
export async function addBorrowerContact(
  context: AppContext,
  actor: Actor,
  borrowerId: string,
  input: NewContactInput,
  ip: string | null,
): Promise<{ contact: ContactView; created: boolean }> {
  const staff = staffOf(actor);
  const checked = validateContact(input);
  if (!checked.ok) throw contactError(checked.problem);
  const source = validateSource(input.source);
  if (!source.ok) throw problemError(source.problem);
  const contact = checked.value;
  return context.database.db.transaction().execute(async (trx) => {
    const lenderId = await lenderOfBorrowerInScope(trx, staff, borrowerId);
    const outcome = await addContact(context, trx, lenderId, borrowerId, contact, source.value);
    if (outcome.outcome === "conflict") throw new AppError("CONFLICT", outcome.message, { field: "phone", contactId: outcome.id });
    if (outcome.outcome === "inserted") {
      const added: Record<string, FieldChange> = {
        kind: { from: null, to: contact.kind },
        phone: { from: null, to: maskFor("phone", contact.phone) },
        source: { from: null, to: source.value },
        verification: { from: null, to: "unverified" },
      };
      if (contact.relationship) added.relationship = { from: null, to: contact.relationship };
      if (contact.isPreAgreed) added.isPreAgreed = { from: null, to: true };
      await recordChange(context, trx, staff, {
        lenderId,
        borrowerId,
        targetType: "contact",
        targetId: outcome.id,
        action: "added",
        changes: added,
        note: null,
        ip,
      });
    }
    const { contacts } = await listContactDetails(context, trx, staff.roles, borrowerId);
    const view = contacts.find((item) => item.id === outcome.id);
    if (!view) throw new Error(`assertion failed: contact ${outcome.id} was just stored`);
    return { contact: view, created: outcome.outcome === "inserted" };
  });
}

/** Marks a contact verified or invalid (with a reason), or records that they refused contact. */
export async function updateBorrowerContact(
  context: AppContext,
  actor: Actor,
  contactId: string,
  patch: DetailPatchInput,
  ip: string | null,
): Promise<ContactView> {
  const staff = staffOf(actor);
  return context.database.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("borrower_contacts")
      .select(["id", "borrower_id", "verification", "invalid_reason", "has_refused"])
      .where("id", "=", contactId)
      .forUpdate()
      .executeTakeFirst();
    const notFound = new AppError("NOT_FOUND", `contact ${contactId} not found`);
    if (!row) throw notFound;
    const lenderId = await lenderOfBorrowerInScope(trx, staff, row.borrower_id, notFound);
    const current: DetailState = { verification: row.verification as Verification, invalidReason: row.invalid_reason, hasRefused: row.has_refused };
    const applied = applyDetailPatch(current, patch, { invalidReasons: contactInvalidReasons, hasRefusal: true });
    if (!applied.ok) throw problemError(applied.problem);
    const { next, changes, note } = applied.value;
    if (Object.keys(changes).length > 0) {
      await trx
        .updateTable("borrower_contacts")
        .set({
          verification: next.verification,
          invalid_reason: next.invalidReason,
          has_refused: next.hasRefused ?? row.has_refused,
          updated_at: context.clock.now(),
        })
        .where("id", "=", contactId)
        .execute();
      await recordChange(context, trx, staff, {
        lenderId,
        borrowerId: row.borrower_id,
        targetType: "contact",
        targetId: contactId,
        action: "updated",
        changes,
        note,
        ip,
      });
    }
    const { contacts } = await listContactDetails(context, trx, staff.roles, row.borrower_id);
    const view = contacts.find((item) => item.id === contactId);
    if (!view) throw new Error(`assertion failed: contact ${contactId} exists`);
    return view;
  });
}

// ——— addresses ———

/** Adds an address (encrypted, bound to its row); the same kind and text again changes nothing. */
export async function addBorrowerAddress(
  context: AppContext,
  actor: Actor,
  borrowerId: string,
  input: AddressInput,
  ip: string | null,
): Promise<{ address: AddressView; created: boolean }> {
  const staff = staffOf(actor);
  const checked = validateAddress(input);
  if (!checked.ok) throw problemError(checked.problem);
  const address = checked.value;
  const { cipher } = context.privacy;
  return context.database.db.transaction().execute(async (trx) => {
    const lenderId = await lenderOfBorrowerInScope(trx, staff, borrowerId);
    const existing = await trx
      .selectFrom("borrower_addresses")
      .select(["id", "kind", "address_enc"])
      .where("borrower_id", "=", borrowerId)
      .orderBy("created_at")
      .limit(ADDRESSES_PER_BORROWER_MAX)
      .execute();
    if (existing.length >= ADDRESSES_PER_BORROWER_MAX) {
      throw new AppError("CONFLICT", `a borrower keeps at most ${ADDRESSES_PER_BORROWER_MAX} addresses`, { field: "address" });
    }
    const same = existing.find((row) => row.kind === address.kind && cipher.decrypt(row.address_enc, addressData(row.id)) === address.address);
    let id = same?.id;
    if (!id) {
      id = randomUUID();
      const masked = maskFor("address", address.address);
      await trx
        .insertInto("borrower_addresses")
        .values({
          id,
          lender_id: lenderId,
          borrower_id: borrowerId,
          kind: address.kind,
          address_enc: cipher.encrypt(address.address, addressData(id)),
          address_masked: masked,
          source: address.source,
          created_at: context.clock.now(),
        })
        .execute();
      await recordChange(context, trx, staff, {
        lenderId,
        borrowerId,
        targetType: "address",
        targetId: id,
        action: "added",
        changes: {
          kind: { from: null, to: address.kind },
          address: { from: null, to: masked },
          source: { from: null, to: address.source },
          verification: { from: null, to: "unverified" },
        },
        note: null,
        ip,
      });
    }
    const { addresses } = await listContactDetails(context, trx, staff.roles, borrowerId);
    const view = addresses.find((item) => item.id === id);
    if (!view) throw new Error(`assertion failed: address ${id} was just stored`);
    return { address: view, created: same === undefined };
  });
}

/** Marks an address verified or invalid (with a reason: not found, moved…). */
export async function updateBorrowerAddress(
  context: AppContext,
  actor: Actor,
  addressId: string,
  patch: DetailPatchInput,
  ip: string | null,
): Promise<AddressView> {
  const staff = staffOf(actor);
  return context.database.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("borrower_addresses")
      .select(["id", "borrower_id", "verification", "invalid_reason"])
      .where("id", "=", addressId)
      .forUpdate()
      .executeTakeFirst();
    const notFound = new AppError("NOT_FOUND", `address ${addressId} not found`);
    if (!row) throw notFound;
    const lenderId = await lenderOfBorrowerInScope(trx, staff, row.borrower_id, notFound);
    const current: DetailState = { verification: row.verification as Verification, invalidReason: row.invalid_reason };
    const applied = applyDetailPatch(current, patch, { invalidReasons: addressInvalidReasons, hasRefusal: false });
    if (!applied.ok) throw problemError(applied.problem);
    const { next, changes, note } = applied.value;
    if (Object.keys(changes).length > 0) {
      await trx
        .updateTable("borrower_addresses")
        .set({ verification: next.verification, invalid_reason: next.invalidReason, updated_at: context.clock.now() })
        .where("id", "=", addressId)
        .execute();
      await recordChange(context, trx, staff, {
        lenderId,
        borrowerId: row.borrower_id,
        targetType: "address",
        targetId: addressId,
        action: "updated",
        changes,
        note,
        ip,
      });
    }
    const { addresses } = await listContactDetails(context, trx, staff.roles, row.borrower_id);
    const view = addresses.find((item) => item.id === addressId);
    if (!view) throw new Error(`assertion failed: address ${addressId} exists`);
    return view;
  });
}
