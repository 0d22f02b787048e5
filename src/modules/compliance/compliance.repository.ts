// SQL in, gateway inputs out: the lender's pack settings, the people a contact concerns, the
// restrictions, preferences, consents and contact history the rules read, and the decisions and
// attempts the gateway writes.
import type { Executor } from "../../platform/db/index.js";
import type { ContactChannel, ContactPersonRole, ContactRestrictionKind } from "../../platform/db/schema.js";
import type { PackOverrides } from "./domain/index.js";

/** How long back the rules look: 7-in-7 and the conversation rule need 7 days, reachability a few more. */
export const HISTORY_DAYS = 14;

export interface ComplianceSettings {
  pack: string;
  overrides: PackOverrides;
  /** The lender collects its own debts: outside US Regulation F (a pack setting there). */
  firstPartyCreditor: boolean;
}

export const defaultComplianceSettings: ComplianceSettings = { pack: "cn-default", overrides: {}, firstPartyCreditor: false };

export function complianceSettingsOf(value: unknown): ComplianceSettings {
  const settings = (value ?? {}) as Partial<ComplianceSettings>;
  return {
    pack: typeof settings.pack === "string" && settings.pack.length > 0 ? settings.pack : defaultComplianceSettings.pack,
    overrides: settings.overrides && typeof settings.overrides === "object" ? settings.overrides : {},
    firstPartyCreditor: settings.firstPartyCreditor === true,
  };
}

export interface LenderRow {
  id: string;
  name: string;
  name_en: string;
  time_zone: string;
  compliance_settings: unknown;
}

export async function loadLender(executor: Executor, lenderId: string): Promise<LenderRow | undefined> {
  return executor.selectFrom("lenders").select(["id", "name", "name_en", "time_zone", "compliance_settings"]).where("id", "=", lenderId).executeTakeFirst();
}

export interface PersonRow {
  borrowerId: string;
  lenderId: string;
  /** null: the borrower in person. */
  contactId: string | null;
  role: ContactPersonRole;
  timeZone: string;
  preAgreed: boolean;
  refused: boolean;
}

const roleOfKind = { self: "borrower", guarantor: "guarantor", emergency: "emergency_contact", other: "third_party", attorney: "attorney" } as const;

/** The borrower, and the contact when one is named; undefined when either is unknown. */
export async function loadPersons(executor: Executor, borrowerId: string, contactId: string | null): Promise<PersonRow[] | undefined> {
  const borrower = await executor.selectFrom("borrowers").select(["id", "lender_id", "time_zone"]).where("id", "=", borrowerId).executeTakeFirst();
  if (!borrower) return undefined;
  const persons: PersonRow[] = [
    { borrowerId, lenderId: borrower.lender_id, contactId: null, role: "borrower", timeZone: borrower.time_zone, preAgreed: true, refused: false },
  ];
  if (contactId) {
    const contact = await executor
      .selectFrom("borrower_contacts")
      .select(["id", "kind", "is_pre_agreed", "has_refused"])
      .where("id", "=", contactId)
      .where("borrower_id", "=", borrowerId)
      .executeTakeFirst();
    if (!contact) return undefined;
    persons.push({
      borrowerId,
      lenderId: borrower.lender_id,
      contactId: contact.id,
      role: roleOfKind[contact.kind],
      // A contact's own zone is unknown unless their preferences say: the borrower's is the best guess.
      timeZone: borrower.time_zone,
      preAgreed: contact.is_pre_agreed,
      refused: contact.has_refused,
    });
  }
  return persons;
}

export interface PreferenceRow {
  contact_id: string | null;
  time_zones: string[];
  opt_outs: string[];
  inconvenient_times: unknown;
  agreed_schedule: unknown;
}

export async function loadPreferences(executor: Executor, borrowerId: string): Promise<PreferenceRow[]> {
  return executor
    .selectFrom("contact_preferences")
    .select(["contact_id", "time_zones", "opt_outs", "inconvenient_times", "agreed_schedule"])
    .where("borrower_id", "=", borrowerId)
    .execute();
}

/** Restrictions in force at `at`. */
export async function activeRestrictions(executor: Executor, borrowerId: string, at: Date): Promise<ContactRestrictionKind[]> {
  const rows = await executor
    .selectFrom("contact_restrictions")
    .select("kind")
    .where("borrower_id", "=", borrowerId)
    .where("started_at", "<=", at)
    .where((eb) => eb.or([eb("ended_at", "is", null), eb("ended_at", ">", at)]))
    .execute();
  return rows.map((row) => row.kind);
}

export interface ConsentRow {
  contact_id: string | null;
  channel: ContactChannel;
  given_at: Date;
  valid_from: Date;
  valid_until: Date | null;
  revoked_at: Date | null;
}

export async function loadConsents(executor: Executor, borrowerId: string): Promise<ConsentRow[]> {
  return executor
    .selectFrom("contact_consents")
    .select(["contact_id", "channel", "given_at", "valid_from", "valid_until", "revoked_at"])
    .where("borrower_id", "=", borrowerId)
    .execute();
}

export interface HistoryRow {
  contact_id: string | null;
  channel: ContactChannel;
  direction: "outbound" | "inbound";
  at: Date;
  debt_ids: string[] | null;
  status: string;
  outcome: string | null;
  ended_by_consumer: boolean;
}

/** Contacts that happened (not the refused ones) in the window before `at`, and any after it (scheduled). */
export async function loadHistory(executor: Executor, borrowerId: string, at: Date): Promise<HistoryRow[]> {
  return executor
    .selectFrom("contact_attempts")
    .select(["contact_id", "channel", "direction", "at", "debt_ids", "status", "outcome", "ended_by_consumer"])
    .where("borrower_id", "=", borrowerId)
    .where("at", ">=", new Date(at.getTime() - HISTORY_DAYS * 86_400_000))
    .where("status", "in", ["in_progress", "sent", "completed"])
    .orderBy("at")
    .limit(2_000)
    .execute();
}

export async function agentTrainedOn(executor: Executor, userId: string): Promise<string | null> {
  const row = await executor.selectFrom("staff_users").select("training_completed_on").where("id", "=", userId).executeTakeFirst();
  return row?.training_completed_on ?? null;
}
