// SQL in, gateway inputs out: the lender's pack settings, the people a contact concerns, the
// restrictions, preferences, consents and contact history the rules read, and the decisions and
// attempts the gateway writes.
import { sql } from "kysely";
import type { Executor } from "../../platform/db/index.js";
import type { ContactChannel, ContactPersonRole, ContactRestrictionKind } from "../../platform/db/schema.js";
import type { PackOverrides } from "./domain/index.js";

/** How long back the rules look: 7-in-7 and the conversation rule need 7 days, reachability a few more. */
export const HISTORY_DAYS = 14;
/** History rows the rules read of one borrower at most. */
export const HISTORY_ROWS_MAX = 2_000;

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

/** A contact's kind on file, as the role the rules know. */
export const roleOfKind = { self: "borrower", guarantor: "guarantor", emergency: "emergency_contact", other: "third_party", attorney: "attorney" } as const;
export type ContactKind = keyof typeof roleOfKind;

/** The borrower in person or, given one, a contact of theirs, as the rules see them. */
export function personOf(
  borrower: { borrowerId: string; lenderId: string; timeZone: string },
  contact: { id: string; kind: ContactKind; preAgreed: boolean; refused: boolean } | null = null,
): PersonRow {
  if (!contact) return { ...borrower, contactId: null, role: "borrower", preAgreed: true, refused: false };
  // A contact's own zone is unknown unless their preferences say: the borrower's is the best guess.
  return { ...borrower, contactId: contact.id, role: roleOfKind[contact.kind], preAgreed: contact.preAgreed, refused: contact.refused };
}

/** The borrower, and the contact when one is named; undefined when either is unknown. */
export async function loadPersons(executor: Executor, borrowerId: string, contactId: string | null): Promise<PersonRow[] | undefined> {
  const borrower = await executor.selectFrom("borrowers").select(["id", "lender_id", "time_zone"]).where("id", "=", borrowerId).executeTakeFirst();
  if (!borrower) return undefined;
  const self = { borrowerId, lenderId: borrower.lender_id, timeZone: borrower.time_zone };
  if (!contactId) return [personOf(self)];
  const contact = await executor
    .selectFrom("borrower_contacts")
    .select(["id", "kind", "is_pre_agreed", "has_refused"])
    .where("id", "=", contactId)
    .where("borrower_id", "=", borrowerId)
    .executeTakeFirst();
  if (!contact) return undefined;
  return [personOf(self), personOf(self, { id: contact.id, kind: contact.kind, preAgreed: contact.is_pre_agreed, refused: contact.has_refused })];
}

export interface PreferenceRow {
  contact_id: string | null;
  time_zones: string[];
  opt_outs: string[];
  inconvenient_times: unknown;
  agreed_schedule: unknown;
}

export interface ConsentRow {
  contact_id: string | null;
  channel: ContactChannel;
  given_at: Date;
  valid_from: Date;
  valid_until: Date | null;
  revoked_at: Date | null;
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

export interface ScenarioRows {
  lender: LenderRow | undefined;
  /** The borrower, and the contact when one is named; undefined when either is unknown. */
  persons: PersonRow[] | undefined;
  preferences: PreferenceRow[];
  restrictions: ContactRestrictionKind[];
  consents: ConsentRow[];
  history: HistoryRow[];
  trainedOn: string | null;
  /** The next instant after `at` when one of the borrower's restrictions starts or ends. */
  restrictionsChangeAt: Date | null;
}

/**
 * Everything one decision reads, in one round trip, each part as a JSON column: the lender's
 * settings, the persons (as loadPersons), their preferences, the restrictions in force at `at`,
 * consents, the contacts that happened (not the refused ones) from HISTORY_DAYS before `at` on
 * (at most HISTORY_ROWS_MAX, oldest first), and the agent's training date. As seven statements they cost
 * seven round trips on every preview and every contact.
 */
export async function loadScenarioRows(
  executor: Executor,
  input: { lenderId: string; borrowerId: string; contactId: string | null; at: Date; agentId: string | null },
): Promise<ScenarioRows> {
  const since = new Date(input.at.getTime() - HISTORY_DAYS * 86_400_000);
  const result = await sql<{
    lender: LenderRow | null;
    borrower: { id: string; lender_id: string; time_zone: string } | null;
    contact: { id: string; kind: ContactKind; is_pre_agreed: boolean; has_refused: boolean } | null;
    preferences: PreferenceRow[];
    restrictions: ContactRestrictionKind[];
    consents: (Omit<ConsentRow, "given_at" | "valid_from" | "valid_until" | "revoked_at"> & {
      given_at: string;
      valid_from: string;
      valid_until: string | null;
      revoked_at: string | null;
    })[];
    history: (Omit<HistoryRow, "at"> & { at: string })[];
    trained_on: string | null;
    restrictions_change_at: string | null;
  }>`
    select
      (select json_build_object('id', l.id, 'name', l.name, 'name_en', l.name_en, 'time_zone', l.time_zone, 'compliance_settings', l.compliance_settings)
         from lenders l where l.id = ${input.lenderId}) as lender,
      (select json_build_object('id', b.id, 'lender_id', b.lender_id, 'time_zone', b.time_zone)
         from borrowers b where b.id = ${input.borrowerId}) as borrower,
      (select json_build_object('id', c.id, 'kind', c.kind, 'is_pre_agreed', c.is_pre_agreed, 'has_refused', c.has_refused)
         from borrower_contacts c where c.id = ${input.contactId} and c.borrower_id = ${input.borrowerId}) as contact,
      (select coalesce(json_agg(json_build_object('contact_id', p.contact_id, 'time_zones', p.time_zones, 'opt_outs', p.opt_outs,
                'inconvenient_times', p.inconvenient_times, 'agreed_schedule', p.agreed_schedule)), '[]')
         from contact_preferences p where p.borrower_id = ${input.borrowerId}) as preferences,
      (select coalesce(json_agg(r.kind), '[]') from contact_restrictions r
         where r.borrower_id = ${input.borrowerId} and r.started_at <= ${input.at} and (r.ended_at is null or r.ended_at > ${input.at})) as restrictions,
      (select coalesce(json_agg(json_build_object('contact_id', k.contact_id, 'channel', k.channel, 'given_at', k.given_at, 'valid_from', k.valid_from,
                'valid_until', k.valid_until, 'revoked_at', k.revoked_at)), '[]')
         from contact_consents k where k.borrower_id = ${input.borrowerId}) as consents,
      (select coalesce(json_agg(json_build_object('contact_id', h.contact_id, 'channel', h.channel, 'direction', h.direction, 'at', h.at,
                'debt_ids', h.debt_ids, 'status', h.status, 'outcome', h.outcome, 'ended_by_consumer', h.ended_by_consumer) order by h.at), '[]')
         from (select * from contact_attempts a
               where a.borrower_id = ${input.borrowerId} and a.at >= ${since} and a.status in ('in_progress', 'sent', 'completed')
               order by a.at limit ${HISTORY_ROWS_MAX}) h) as history,
      (select u.training_completed_on from staff_users u where u.id = ${input.agentId}) as trained_on,
      (select min(t) from (select r.started_at as t from contact_restrictions r where r.borrower_id = ${input.borrowerId} and r.started_at > ${input.at}
                           union all
                           select r.ended_at from contact_restrictions r where r.borrower_id = ${input.borrowerId} and r.ended_at > ${input.at}) changes)
        as restrictions_change_at`.execute(executor);
  const row = result.rows[0];
  if (!row) throw new Error("the scenario query returned no row");
  const self = row.borrower && { borrowerId: input.borrowerId, lenderId: row.borrower.lender_id, timeZone: row.borrower.time_zone };
  const contact = row.contact && { id: row.contact.id, kind: row.contact.kind, preAgreed: row.contact.is_pre_agreed, refused: row.contact.has_refused };
  // Undefined when the borrower, or the contact named, is unknown.
  const unknown = !self || (input.contactId !== null && !contact);
  const persons = unknown ? undefined : contact ? [personOf(self), personOf(self, contact)] : [personOf(self)];
  const instant = (value: string) => new Date(value);
  return {
    lender: row.lender ?? undefined,
    persons,
    preferences: row.preferences,
    restrictions: row.restrictions,
    consents: row.consents.map((consent) => ({
      ...consent,
      given_at: instant(consent.given_at),
      valid_from: instant(consent.valid_from),
      valid_until: consent.valid_until === null ? null : instant(consent.valid_until),
      revoked_at: consent.revoked_at === null ? null : instant(consent.revoked_at),
    })),
    history: row.history.map((attempt) => ({ ...attempt, at: instant(attempt.at) })),
    trainedOn: row.trained_on,
    restrictionsChangeAt: row.restrictions_change_at === null ? null : instant(row.restrictions_change_at),
  };
}
