// SQL in, gateway inputs out, for a batch of contacts: the same facts compliance.repository.ts
// loads for one contact, read with one statement per table for the whole batch (every
// borrower's id in one array parameter), and the batch's decisions written with one statement.
// Instants come back as epoch milliseconds computed by the database, so no row is parsed as a
// date. The two big reads (persons, history) come back as one JSON document each, grouped by
// borrower in SQL: one JSON.parse instead of tens of thousands of driver rows a batch.
import { sql } from "kysely";
import type { Executor } from "../../platform/db/index.js";
import type { ContactChannel, ContactPersonRole, ContactRestrictionKind } from "../../platform/db/schema.js";
import { assert } from "../../platform/errors.js";
import { type ContactKind, HISTORY_ROWS_MAX, type PersonRow, type PreferenceRow, personOf } from "./compliance.repository.js";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

/**
 * A list of ids as PostgreSQL's array literal, sent as one text parameter and cast to uuid[]:
 * built once a batch, where the driver would serialise a 5,000-element array for every statement.
 */
export type UuidArray = string & { readonly isUuidArray: true };

export function uuidArrayOf(ids: readonly string[]): UuidArray {
  for (const id of ids) assert(isUuid(id), `not a uuid: ${JSON.stringify(id)}`);
  return `{${ids.join(",")}}` as UuidArray;
}

export interface BatchPersons {
  /** The borrower in person (contactId null). */
  borrower: PersonRow;
  /** The named contacts of the batch that belong to this borrower. */
  contacts: Map<string, PersonRow>;
}

type PersonTuple = [
  borrowerId: string,
  lenderId: string,
  timeZone: string,
  contactId: string | null,
  kind: ContactKind | null,
  isPreAgreed: boolean | null,
  hasRefused: boolean | null,
];

/** The borrowers, and each contact a request names when it is theirs; one statement. */
export async function loadBatchPersons(executor: Executor, borrowerIds: UuidArray, contactIds: UuidArray): Promise<Map<string, BatchPersons>> {
  const result = await sql<{ persons: PersonTuple[] | null }>`
    select json_agg(json_build_array(b.id, b.lender_id, b.time_zone, c.id, c.kind, c.is_pre_agreed, c.has_refused)) as persons
    from borrowers b
    left join borrower_contacts c on c.borrower_id = b.id and c.id = any(${contactIds}::uuid[])
    where b.id = any(${borrowerIds}::uuid[])`.execute(executor);
  const persons = new Map<string, BatchPersons>();
  for (const [borrowerId, lenderId, timeZone, contactId, kind, isPreAgreed, hasRefused] of result.rows[0]?.persons ?? []) {
    const self = { borrowerId, lenderId, timeZone };
    let entry = persons.get(borrowerId);
    if (!entry) {
      entry = { borrower: personOf(self), contacts: new Map() };
      persons.set(borrowerId, entry);
    }
    if (contactId === null || kind === null) continue;
    entry.contacts.set(contactId, personOf(self, { id: contactId, kind, preAgreed: isPreAgreed === true, refused: hasRefused === true }));
  }
  return persons;
}

export interface BatchPreferenceRow extends PreferenceRow {
  borrower_id: string;
}

export async function loadBatchPreferences(executor: Executor, borrowerIds: UuidArray): Promise<Map<string, BatchPreferenceRow[]>> {
  const result = await sql<BatchPreferenceRow>`
    select borrower_id, contact_id, time_zones, opt_outs, inconvenient_times, agreed_schedule
    from contact_preferences where borrower_id = any(${borrowerIds}::uuid[])`.execute(executor);
  return groupByBorrower(result.rows);
}

export interface BatchRestrictionRow {
  borrower_id: string;
  kind: ContactRestrictionKind;
  /** Rounded up to the millisecond: `started <= at` and `ended > at` then hold exactly as in SQL for a millisecond `at`. */
  started_ms: number;
  ended_ms: number | null;
}

/** Restrictions in force at some instant of [fromMs, toMs]; the service checks each request's own instant. */
export async function loadBatchRestrictions(
  executor: Executor,
  borrowerIds: UuidArray,
  fromMs: number,
  toMs: number,
): Promise<Map<string, BatchRestrictionRow[]>> {
  const result = await sql<BatchRestrictionRow>`
    select borrower_id, kind, ceil(extract(epoch from started_at) * 1000)::float8 as started_ms,
      ceil(extract(epoch from ended_at) * 1000)::float8 as ended_ms
    from contact_restrictions
    where borrower_id = any(${borrowerIds}::uuid[]) and started_at <= ${new Date(toMs)} and (ended_at is null or ended_at > ${new Date(fromMs)})`.execute(
    executor,
  );
  return groupByBorrower(result.rows);
}

export interface BatchConsentRow {
  borrower_id: string;
  contact_id: string | null;
  channel: ContactChannel;
  given_ms: number;
  valid_from_ms: number;
  valid_until_ms: number | null;
  revoked_ms: number | null;
}

const epochMs = (column: string) => sql.raw(`floor(extract(epoch from ${column}) * 1000)::float8`);

export async function loadBatchConsents(executor: Executor, borrowerIds: UuidArray): Promise<Map<string, BatchConsentRow[]>> {
  const result = await sql<BatchConsentRow>`
    select borrower_id, contact_id, channel, ${epochMs("given_at")} as given_ms, ${epochMs("valid_from")} as valid_from_ms,
      ${epochMs("valid_until")} as valid_until_ms, ${epochMs("revoked_at")} as revoked_ms
    from contact_consents where borrower_id = any(${borrowerIds}::uuid[])`.execute(executor);
  return groupByBorrower(result.rows);
}

/** One history row: [at (epoch ms, rounded down as a driver's Date is), channel, direction, contact (null: the borrower), outcome, ended by consumer, debts]. */
export type BatchHistoryTuple = [
  atMs: number,
  channel: ContactChannel,
  direction: "outbound" | "inbound",
  contactId: string | null,
  outcome: string | null,
  endedByConsumer: boolean,
  debtIds: string[] | null,
];

/**
 * Contacts that happened (not the refused ones) from each borrower's `fromMs` on, oldest first,
 * at most HISTORY_ROWS_MAX a borrower: one index range scan per borrower on
 * contact_attempts (borrower_id, at). Borrowers without history are absent.
 */
export async function loadBatchHistory(executor: Executor, borrowerIds: UuidArray, fromMs: readonly number[]): Promise<Map<string, BatchHistoryTuple[]>> {
  const result = await sql<{ history: [string, BatchHistoryTuple[]][] | null }>`
    select json_agg(json_build_array(b.borrower_id, a.items)) as history
    from unnest(${borrowerIds}::uuid[], ${`{${fromMs.join(",")}}`}::float8[]) as b(borrower_id, from_ms)
    cross join lateral (
      select json_agg(json_build_array(${epochMs("h.at")}::bigint, h.channel, h.direction, h.contact_id, h.outcome, h.ended_by_consumer, h.debt_ids)
        order by h.at) as items
      from (
        select at, channel, direction, contact_id, outcome, ended_by_consumer, debt_ids
        from contact_attempts
        where borrower_id = b.borrower_id and at >= to_timestamp(b.from_ms / 1000.0) and status in ('in_progress', 'sent', 'completed')
        order by at
        limit ${HISTORY_ROWS_MAX}
      ) h
    ) a
    where a.items is not null`.execute(executor);
  return new Map(result.rows[0]?.history ?? []);
}

function groupByBorrower<Row extends { borrower_id: string }>(rows: readonly Row[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const group = groups.get(row.borrower_id);
    if (group) group.push(row);
    else groups.set(row.borrower_id, [row]);
  }
  return groups;
}

export interface BatchDecisionRow {
  id: string;
  borrower_id: string;
  contact_id: string | null;
  person_role: ContactPersonRole;
  channel: ContactChannel;
  content_class: string;
  /** ISO instant. */
  contact_at: string;
  decision: string;
  reasons: unknown;
  next_allowed_at: string | null;
  pack_id: string;
  pack_version: string;
  inputs: unknown;
}

/**
 * A batch's decisions in one statement: the rows travel as one JSON document. Many decisions of a
 * batch give the same reasons word for word (the same rule on the same facts), so each distinct
 * list of reasons travels once and a row names it by position: the document PostgreSQL parses
 * is a fraction of the rows' size, and every row still stores its own reasons.
 */
export async function insertBatchDecisions(executor: Executor, lenderId: string, decidedAt: Date, rows: readonly BatchDecisionRow[]): Promise<void> {
  if (rows.length === 0) return;
  const reasonLists: string[] = [];
  const positionOf = new Map<string, number>();
  const compactRows = rows.map((row) => {
    const reasons = JSON.stringify(row.reasons);
    let position = positionOf.get(reasons);
    if (position === undefined) {
      position = reasonLists.length;
      reasonLists.push(reasons);
      positionOf.set(reasons, position);
    }
    return { ...row, reasons: position };
  });
  await sql`
    insert into contact_decisions (id, lender_id, borrower_id, contact_id, person_role, channel, content_class, contact_at, decided_at, decision,
      reasons, next_allowed_at, pack_id, pack_version, inputs, requested_by)
    select r.id, ${lenderId}::uuid, r.borrower_id, r.contact_id, r.person_role, r.channel, r.content_class, r.contact_at, ${decidedAt}::timestamptz,
      r.decision, ${`[${reasonLists.join(",")}]`}::jsonb -> r.reasons, r.next_allowed_at, r.pack_id, r.pack_version, r.inputs, null
    from json_to_recordset(${JSON.stringify(compactRows)}::json) as r(id uuid, borrower_id uuid, contact_id uuid, person_role text, channel text,
      content_class text, contact_at timestamptz, decision text, reasons integer, next_allowed_at timestamptz, pack_id text, pack_version text, inputs jsonb)`.execute(
    executor,
  );
}
