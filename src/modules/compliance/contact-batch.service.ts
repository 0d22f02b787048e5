// The contact gateway for many contacts at once: a day's plan, the reminder planner. Each contact
// gets the decision decideAndStore would give it alone (same scenario, same engine, same lender
// pack and overrides), but the database is read once per table for the whole batch and the
// decisions are written with one statement. Scenarios are built straight from the rows, with
// instants as epoch milliseconds, instead of through ISO strings and normalizeScenario (persons
// still go through it, once per borrower, so their defaults cannot drift from the engine's).
// Each request sees the history from its own instant less HISTORY_DAYS, as loadScenarioRows reads
// it; only a borrower with more than 2,000 attempts in that window and several requests in one
// batch could see a different 2,000 than the single path would.
//
// A batch decision's stored `inputs` is a summary rather than the whole scenario, to keep a
// million rows a day small: { batch: true, debtId and text when the request has them,
// restrictions (the facts in force, when any), historyItems and consents (counts) }. The pack,
// channel, person and instant are the row's own columns; the history stays in
// contact_attempts, from which the scenario can be rebuilt.
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import type { ContactRestrictionKind } from "../../platform/db/schema.js";
import { AppError, assert } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import { complianceSettingsOf, HISTORY_DAYS, loadLender, type PersonRow } from "./compliance.repository.js";
import {
  type BatchConsentRow,
  type BatchDecisionRow,
  type BatchHistoryTuple,
  type BatchPersons,
  type BatchPreferenceRow,
  type BatchRestrictionRow,
  insertBatchDecisions,
  isUuid,
  loadBatchConsents,
  loadBatchHistory,
  loadBatchPersons,
  loadBatchPreferences,
  loadBatchRestrictions,
  uuidArrayOf,
} from "./contact-batch.repository.js";
import { type ContactRequestInput, outcomeOf, personInputOf } from "./contact-gateway.service.js";
import {
  type CallConsent,
  type ContactDecision,
  type ContactFacts,
  type ContactHistoryItem,
  type ContactPerson,
  type ContactScenario,
  decideContact,
  normalizeScenario,
  resolvePack,
} from "./domain/index.js";

/** Contacts in one call: enough to amortise the round trips, small enough to keep one batch's rows in memory. */
export const CONTACT_BATCH_MAX = 10_000;

const HISTORY_MS = HISTORY_DAYS * 86_400_000;

export interface BatchDecision extends ContactDecision {
  /** The stored decision's id; null when the batch was decided without storing. */
  decisionId: string | null;
}

/** Where a batch's time went; added to, so one object can sum a run of batches. */
export interface ContactBatchStats {
  batches: number;
  decisions: number;
  /** History items the engine saw, summed over the decisions. */
  historyItems: number;
  loadMs: number;
  decideMs: number;
  storeMs: number;
}

export function emptyContactBatchStats(): ContactBatchStats {
  return { batches: 0, decisions: 0, historyItems: 0, loadMs: 0, decideMs: 0, storeMs: 0 };
}

export interface ContactBatchOptions {
  /** Store every decision (one contact_decisions row each); default false. */
  store?: boolean;
  stats?: ContactBatchStats;
}

/** What the batch read, grouped by borrower and converted once for all of the borrower's requests. */
interface BatchFacts {
  persons: Map<string, BatchPersons>;
  preferences: Map<string, BatchPreferenceRow[]>;
  restrictions: Map<string, BatchRestrictionRow[]>;
  consents: Map<string, readonly CallConsent[]>;
  history: Map<string, readonly ContactHistoryItem[]>;
}

const noHistory: readonly ContactHistoryItem[] = [];
const noConsents: readonly CallConsent[] = [];

function historyOf(borrowerId: string, rows: readonly BatchHistoryTuple[]): readonly ContactHistoryItem[] {
  const items: ContactHistoryItem[] = [];
  for (const [atMs, channel, direction, contactId, outcome, endedByConsumer, debtIds] of rows) {
    items.push({
      atMs,
      channel,
      direction,
      personId: contactId ?? borrowerId,
      debtIds: debtIds && debtIds.length > 0 ? debtIds : null,
      outcome: outcomeOf({ channel, outcome }),
      endedByConsumer,
    });
  }
  return items;
}

function consentOf(row: BatchConsentRow): CallConsent {
  return {
    personId: row.contact_id ?? row.borrower_id,
    channel: row.channel,
    givenAtMs: row.given_ms,
    validFromMs: row.valid_from_ms,
    validUntilMs: row.valid_until_ms,
    revokedAtMs: row.revoked_ms,
    debtIds: null,
  };
}

async function loadBatchFacts(executor: Executor, requests: readonly ContactRequestInput[]): Promise<BatchFacts> {
  const fromMsByBorrower = new Map<string, number>();
  const contactIds = new Set<string>();
  let firstMs = Number.POSITIVE_INFINITY;
  let lastMs = Number.NEGATIVE_INFINITY;
  for (const request of requests) {
    const atMs = request.at.getTime();
    if (atMs < firstMs) firstMs = atMs;
    if (atMs > lastMs) lastMs = atMs;
    const fromMs = atMs - HISTORY_MS;
    const known = fromMsByBorrower.get(request.borrowerId);
    if (known === undefined || fromMs < known) fromMsByBorrower.set(request.borrowerId, fromMs);
    if (request.contactId) contactIds.add(request.contactId);
  }
  const borrowerIds = uuidArrayOf([...fromMsByBorrower.keys()]);
  const [persons, preferences, restrictions, consentRows, historyRows] = await Promise.all([
    loadBatchPersons(executor, borrowerIds, uuidArrayOf([...contactIds])),
    loadBatchPreferences(executor, borrowerIds),
    loadBatchRestrictions(executor, borrowerIds, firstMs, lastMs),
    loadBatchConsents(executor, borrowerIds),
    loadBatchHistory(executor, borrowerIds, [...fromMsByBorrower.values()]),
  ]);
  const consents = new Map<string, readonly CallConsent[]>();
  for (const [borrowerId, rows] of consentRows) consents.set(borrowerId, rows.map(consentOf));
  const history = new Map<string, readonly ContactHistoryItem[]>();
  for (const [borrowerId, rows] of historyRows) history.set(borrowerId, historyOf(borrowerId, rows));
  return { persons, preferences, restrictions, consents, history };
}

/** The borrower's history as loadScenarioRows reads it for one contact at atMs: from atMs − HISTORY_DAYS on, at most as many rows. */
function historyAt(items: readonly ContactHistoryItem[], atMs: number): readonly ContactHistoryItem[] {
  const fromMs = atMs - HISTORY_MS;
  let first = 0;
  while (first < items.length && (items[first] as ContactHistoryItem).atMs < fromMs) first += 1;
  return first === 0 ? items : items.slice(first);
}

function isInForce(row: BatchRestrictionRow, atMs: number): boolean {
  return row.started_ms <= atMs && (row.ended_ms === null || row.ended_ms > atMs);
}

interface LenderFacts {
  pack: string;
  firstPartyCreditor: boolean;
  institutionName: string;
}

function factsOf(lender: LenderFacts, inForce: ReadonlySet<ContactRestrictionKind>): ContactFacts {
  return {
    debtorReachable: null,
    complaintOpen: inForce.has("complaint_open"),
    disputeOpen: inForce.has("dispute_open"),
    ceaseRequested: inForce.has("cease_requested"),
    stopCalling: inForce.has("stop_calling"),
    planInGoodStanding: inForce.has("plan_in_good_standing"),
    attorneyRepresented: inForce.has("attorney_represented"),
    deceased: inForce.has("deceased"),
    firstPartyCreditor: lender.firstPartyCreditor,
    agentTrainedOn: null,
    institutionName: lender.institutionName,
  };
}

/** The facts at atMs; `unrestricted` (one object for the batch) when no restriction is in force, as for most borrowers. */
function factsAt(lender: LenderFacts, unrestricted: ContactFacts, restrictions: readonly BatchRestrictionRow[] | undefined, atMs: number): ContactFacts {
  if (!restrictions) return unrestricted;
  const inForce = new Set<ContactRestrictionKind>();
  for (const row of restrictions) if (isInForce(row, atMs)) inForce.add(row.kind);
  return inForce.size === 0 ? unrestricted : factsOf(lender, inForce);
}

/** The persons of a request, converted by the engine's own normalizer once per borrower and contact. */
function personsOf(facts: BatchFacts, lender: LenderFacts, request: ContactRequestInput, at: string): readonly ContactPerson[] {
  const entry = facts.persons.get(request.borrowerId) as BatchPersons;
  const rows: PersonRow[] = [entry.borrower];
  if (request.contactId) rows.push(entry.contacts.get(request.contactId) as PersonRow);
  const preferences = facts.preferences.get(request.borrowerId);
  const inputs = rows.map((row) =>
    personInputOf(
      row,
      preferences?.find((preference) => preference.contact_id === row.contactId),
    ),
  );
  const personId = request.contactId || request.borrowerId;
  return normalizeScenario({ pack: lender.pack, request: { at, channel: request.channel, personId }, persons: inputs }).persons;
}

function notFound(request: ContactRequestInput, index: number): AppError {
  const what = request.contactId ? `contact ${request.contactId} of borrower ${request.borrowerId}` : `borrower ${request.borrowerId}`;
  return new AppError("NOT_FOUND", `requests[${index}]: ${what} not found`, { field: `requests[${index}]` });
}

/** An id that is not a uuid names nobody: refused before any read. */
function checkIds(request: ContactRequestInput, index: number): void {
  if (!isUuid(request.borrowerId) || (request.contactId && !isUuid(request.contactId))) throw notFound(request, index);
}

function checkFound(facts: BatchFacts, lenderId: string, request: ContactRequestInput, index: number): void {
  const entry = facts.persons.get(request.borrowerId);
  const isFound = entry !== undefined && entry.borrower.lenderId === lenderId && (!request.contactId || entry.contacts.has(request.contactId));
  if (!isFound) throw notFound(request, index);
}

const restrictionFacts = ["complaintOpen", "disputeOpen", "ceaseRequested", "stopCalling", "planInGoodStanding", "attorneyRepresented", "deceased"] as const;

/** The stored `inputs` of a batch decision (see the file's head): what the row's own columns do not already say. */
function summaryOf(scenario: ContactScenario, unrestricted: ContactFacts): unknown {
  const { request, facts } = scenario;
  return {
    batch: true,
    ...(request.debtId ? { debtId: request.debtId } : {}),
    ...(request.text ? { text: request.text } : {}),
    ...(facts === unrestricted ? {} : { restrictions: restrictionFacts.filter((name) => facts[name]) }),
    historyItems: scenario.history.length,
    consents: scenario.consents.length,
  };
}

function scenarioOf(
  facts: BatchFacts,
  lender: LenderFacts,
  unrestricted: ContactFacts,
  request: ContactRequestInput,
  at: string,
  persons: readonly ContactPerson[],
): ContactScenario {
  const atMs = request.at.getTime();
  return {
    pack: lender.pack,
    request: {
      at,
      atMs,
      channel: request.channel,
      personId: request.contactId || request.borrowerId,
      debtId: request.loanId ? request.loanId : null,
      contentClass: request.contentClass,
      text: request.text ? request.text : null,
      agentId: null,
      locale: null,
    },
    persons,
    facts: factsAt(lender, unrestricted, facts.restrictions.get(request.borrowerId), atMs),
    history: historyAt(facts.history.get(request.borrowerId) ?? noHistory, atMs),
    consents: facts.consents.get(request.borrowerId) ?? noConsents,
    overrides: null,
  };
}

function rowOf(decision: BatchDecision, scenario: ContactScenario, request: ContactRequestInput, unrestricted: ContactFacts): BatchDecisionRow {
  const personId = scenario.request.personId;
  return {
    id: decision.decisionId as string,
    borrower_id: request.borrowerId,
    contact_id: request.contactId ? request.contactId : null,
    person_role: scenario.persons.find((person) => person.id === personId)?.role ?? "borrower",
    channel: request.channel,
    content_class: request.contentClass,
    contact_at: scenario.request.at,
    decision: decision.decision,
    reasons: decision.reasons,
    next_allowed_at: decision.nextAllowedAt,
    pack_id: decision.pack.id,
    pack_version: decision.pack.version,
    inputs: summaryOf(scenario, unrestricted),
  };
}

/**
 * Decides a batch of system contacts (no agent) for one lender, in request order, and with
 * `store` writes every decision. Every borrower and named contact must be the lender's: an
 * unknown one fails the whole batch, naming its index, before anything is written.
 */
export async function decideContactsInBatch(
  context: AppContext,
  executor: Executor,
  lenderId: string,
  requests: readonly ContactRequestInput[],
  options: ContactBatchOptions = {},
): Promise<BatchDecision[]> {
  assert(requests.length <= CONTACT_BATCH_MAX, `a contact batch holds at most ${CONTACT_BATCH_MAX} requests, not ${requests.length}`);
  if (requests.length === 0) return [];
  const stats = options.stats;
  let started = performance.now();
  const lenderRow = await loadLender(executor, lenderId);
  if (!lenderRow) throw new AppError("NOT_FOUND", `lender ${lenderId} not found`);
  const settings = complianceSettingsOf(lenderRow.compliance_settings);
  // Resolved once for the batch: an unknown pack or a loosening override fails before any read,
  // and the engine's cache (keyed by this overrides object) serves every decision after it.
  resolvePack(settings.pack, (requests[0] as ContactRequestInput).at, settings.overrides);
  const lender: LenderFacts = {
    pack: settings.pack,
    firstPartyCreditor: settings.firstPartyCreditor,
    institutionName: settings.pack.startsWith("us-") ? lenderRow.name_en : lenderRow.name,
  };
  requests.forEach(checkIds);
  const facts = await loadBatchFacts(executor, requests);
  requests.forEach((request, index) => {
    checkFound(facts, lenderId, request, index);
  });
  if (stats) stats.loadMs += performance.now() - started;

  started = performance.now();
  const unrestricted = factsOf(lender, new Set());
  const personsByKey = new Map<string, readonly ContactPerson[]>();
  const decideOptions = { overrides: settings.overrides };
  const decisions: BatchDecision[] = [];
  const rows: BatchDecisionRow[] = [];
  let historyItems = 0;
  for (const request of requests) {
    const at = request.at.toISOString();
    const key = request.contactId ? `${request.borrowerId}/${request.contactId}` : request.borrowerId;
    let persons = personsByKey.get(key);
    if (!persons) {
      persons = personsOf(facts, lender, request, at);
      personsByKey.set(key, persons);
    }
    const scenario = scenarioOf(facts, lender, unrestricted, request, at, persons);
    historyItems += scenario.history.length;
    const decision = decideContact(scenario, decideOptions) as BatchDecision;
    decision.decisionId = options.store ? uuidv7() : null;
    decisions.push(decision);
    if (decision.decisionId !== null) rows.push(rowOf(decision, scenario, request, unrestricted));
  }
  if (stats) {
    stats.decideMs += performance.now() - started;
    stats.batches += 1;
    stats.decisions += requests.length;
    stats.historyItems += historyItems;
  }

  if (rows.length > 0) {
    started = performance.now();
    await insertBatchDecisions(executor, lenderId, context.clock.now(), rows);
    if (stats) stats.storeMs += performance.now() - started;
  }
  return decisions;
}
