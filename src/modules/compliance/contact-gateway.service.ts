// The contact gateway in the running system. Every contact toward a person — an agent's call,
// SMS or visit, a reminder, a sign-in code — asks here first: the shell loads the facts, the
// history and the lender's rule pack, the pure engine decides, and the decision is stored with
// the inputs it used. A message is handed to a channel only under a stored decision that allows
// it, once (dispatchUnderDecision); the outbox refuses anything without one.
import { randomUUID } from "node:crypto";
import { appendAudit } from "../../platform/audit/index.js";
import type { Actor } from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import type { ContactChannel } from "../../platform/db/schema.js";
import { AppError } from "../../platform/errors.js";
import { maskFor } from "../../platform/privacy/index.js";
import { putInOutbox } from "../outbox/index.js";
import {
  type ComplianceSettings,
  complianceSettingsOf,
  HISTORY_DAYS,
  type HistoryRow,
  loadLender,
  loadPersons,
  loadScenarioRows,
  type PersonRow,
  type PreferenceRow,
  type ScenarioRows,
} from "./compliance.repository.js";
import {
  type Channel,
  type ContactDecision,
  type ContactOutcome,
  type ContentClass,
  decideContact,
  normalizeScenario,
  resolvePack,
  type ScenarioInput,
} from "./domain/index.js";

/** A decision is good for sending within this long after it was made; facts change. */
export const DECISION_VALID_MS = 15 * 60_000;

export interface ContactRequestInput {
  borrowerId: string;
  /** null: the borrower in person. */
  contactId: string | null;
  channel: Channel;
  contentClass: ContentClass;
  text: string | null;
  /** The loan the contact is about; null: all of the borrower's. */
  loanId: string | null;
  /** When the contact would happen: now, or a scheduled visit or letter. */
  at: Date;
  /** The approved template version a message was rendered from; recorded on the attempt. */
  templateVersionId?: string | null;
}

export interface StoredDecision extends ContactDecision {
  decisionId: string;
}

type Requester = { kind: "staff"; userId: string; lenderId: string } | { kind: "system"; lenderId: string };

export function requesterOf(actor: Actor, lenderId?: string): Requester {
  if (actor.type === "staff") return { kind: "staff", userId: actor.userId, lenderId: actor.lenderId };
  if (lenderId) return { kind: "system", lenderId };
  throw new AppError("UNAUTHENTICATED", "a contact needs a signed-in staff user or the system acting for a lender");
}

const personKey = (person: { contactId: string | null; borrowerId: string }) => person.contactId ?? person.borrowerId;

/** What the engine takes as a history item's outcome when the attempt has none recorded yet. */
export function outcomeOf(row: Pick<HistoryRow, "channel" | "outcome">): ContactOutcome {
  if (row.outcome) return row.outcome as ContactOutcome;
  // A call still in progress was placed: it counts as a call, not as a conversation. A message
  // that went out reached the person's device.
  return row.channel === "call" || row.channel === "voice_robot" ? "no_answer" : "connected";
}

/** A person as the scenario takes them: their own preferences (zones, opt-outs, times) over the defaults. */
export function personInputOf(person: PersonRow, preference: PreferenceRow | undefined): NonNullable<ScenarioInput["persons"]>[number] {
  return {
    id: personKey(person),
    role: person.role,
    timeZones: preference && preference.time_zones.length > 0 ? preference.time_zones : [person.timeZone],
    preAgreed: person.preAgreed,
    refusedContact: person.refused,
    optOuts: (preference?.opt_outs ?? []) as Channel[],
    inconvenientTimes: (preference?.inconvenient_times ?? []) as never[],
    ...(preference?.agreed_schedule ? { agreedSchedule: preference.agreed_schedule as never[] } : {}),
  };
}

/** The scenario the engine sees for a real contact, built from the database. */
export async function scenarioFor(context: AppContext, executor: Executor, requester: Requester, input: ContactRequestInput): Promise<ScenarioInput> {
  return (await loadScenario(context, executor, requester, input)).scenario;
}

/** The scenario and the lender's pack overrides, read once. */
async function loadScenario(
  _context: AppContext,
  executor: Executor,
  requester: Requester,
  input: ContactRequestInput,
): Promise<{ scenario: ScenarioInput; overrides: ComplianceSettings["overrides"]; rows: ScenarioRows }> {
  const rows = await loadScenarioRows(executor, {
    lenderId: requester.lenderId,
    borrowerId: input.borrowerId,
    contactId: input.contactId,
    at: input.at,
    agentId: requester.kind === "staff" ? requester.userId : null,
  });
  const { lender, persons, preferences, restrictions, consents, history } = rows;
  if (!lender) throw new AppError("NOT_FOUND", `lender ${requester.lenderId} not found`);
  if (!persons || persons[0]?.lenderId !== lender.id) {
    throw new AppError(
      "NOT_FOUND",
      input.contactId ? `contact ${input.contactId} of borrower ${input.borrowerId} not found` : `borrower ${input.borrowerId} not found`,
    );
  }
  const settings = complianceSettingsOf(lender.compliance_settings);
  const trainedOn = requester.kind === "staff" ? rows.trainedOn : null;
  const target = persons.find((person) => person.contactId === input.contactId) as PersonRow;
  const isRestricted = (kind: (typeof restrictions)[number]) => restrictions.includes(kind);
  const scenario: ScenarioInput = {
    pack: settings.pack,
    request: {
      at: input.at.toISOString(),
      channel: input.channel,
      personId: personKey(target),
      ...(input.loanId ? { debtId: input.loanId } : {}),
      contentClass: input.contentClass,
      ...(input.text ? { text: input.text } : {}),
      ...(requester.kind === "staff" ? { agentId: requester.userId } : {}),
    },
    persons: persons.map((person) =>
      personInputOf(
        person,
        preferences.find((row) => row.contact_id === person.contactId),
      ),
    ),
    facts: {
      complaintOpen: isRestricted("complaint_open"),
      disputeOpen: isRestricted("dispute_open"),
      ceaseRequested: isRestricted("cease_requested"),
      stopCalling: isRestricted("stop_calling"),
      planInGoodStanding: isRestricted("plan_in_good_standing"),
      attorneyRepresented: isRestricted("attorney_represented"),
      deceased: isRestricted("deceased"),
      firstPartyCreditor: settings.firstPartyCreditor,
      ...(trainedOn ? { agentTrainedOn: trainedOn } : {}),
      institutionName: settings.pack.startsWith("us-") ? lender.name_en : lender.name,
    },
    history: history.map((row) => ({
      at: row.at.toISOString(),
      channel: row.channel,
      direction: row.direction,
      personId: row.contact_id ?? input.borrowerId,
      ...(row.debt_ids ? { debtIds: row.debt_ids } : {}),
      outcome: outcomeOf(row),
      endedByConsumer: row.ended_by_consumer,
    })),
    consents: consents.map((row) => ({
      personId: row.contact_id ?? input.borrowerId,
      channel: row.channel,
      givenAt: row.given_at.toISOString(),
      validFrom: row.valid_from.toISOString(),
      ...(row.valid_until ? { validUntil: row.valid_until.toISOString() } : {}),
      ...(row.revoked_at ? { revokedAt: row.revoked_at.toISOString() } : {}),
    })),
  };
  return { scenario, overrides: settings.overrides, rows };
}

async function storeDecision(
  context: AppContext,
  executor: Executor,
  requester: Requester,
  input: ContactRequestInput,
  role: string,
  scenario: ScenarioInput,
  decision: ContactDecision,
): Promise<string> {
  const id = randomUUID();
  await executor
    .insertInto("contact_decisions")
    .values({
      id,
      lender_id: requester.lenderId,
      borrower_id: input.borrowerId,
      contact_id: input.contactId,
      person_role: role as never,
      channel: input.channel,
      content_class: input.contentClass,
      contact_at: input.at,
      decided_at: context.clock.now(),
      decision: decision.decision,
      reasons: JSON.stringify(decision.reasons),
      next_allowed_at: decision.nextAllowedAt ? new Date(decision.nextAllowedAt) : null,
      pack_id: decision.pack.id,
      pack_version: decision.pack.version,
      inputs: JSON.stringify(scenario),
      requested_by: requester.kind === "staff" ? requester.userId : null,
    })
    .execute();
  return id;
}

/**
 * What the gateway would decide for a contact now, without storing anything: for showing an
 * agent which buttons are live. Acting still needs decideAndStore.
 */
export async function previewContact(context: AppContext, executor: Executor, requester: Requester, input: ContactRequestInput): Promise<ContactDecision> {
  const { scenario, overrides } = await loadScenario(context, executor, requester, input);
  return decideContact(normalizeScenario(scenario), { overrides });
}

/**
 * A contact's scenario read for deciding it again at later instants with no read: it holds
 * while nothing of the borrower's changes (their contacts, preferences, restrictions,
 * consents, attempts: each notifies `b:<borrower>`) nor the agent's training (`u:<agent>`),
 * and until `validUntil`, when a restriction starts or ends or the oldest attempt in the
 * history window leaves it.
 */
export interface ChannelPreview {
  readonly scenario: ScenarioInput;
  readonly overrides: ComplianceSettings["overrides"];
  readonly validUntil: Date | null;
}

export async function prepareChannelPreview(
  context: AppContext,
  executor: Executor,
  requester: Requester,
  input: Omit<ContactRequestInput, "channel">,
  channel: Channel,
): Promise<ChannelPreview> {
  const { scenario, overrides, rows } = await loadScenario(context, executor, requester, { ...input, channel });
  const oldest = rows.history[0]?.at;
  const windowMoves = oldest ? new Date(oldest.getTime() + HISTORY_DAYS * 86_400_000) : null;
  const bounds = [windowMoves, rows.restrictionsChangeAt].filter((bound): bound is Date => bound !== null);
  const validUntil = bounds.length === 0 ? null : new Date(Math.min(...bounds.map((bound) => bound.getTime())));
  return { scenario, overrides, validUntil };
}

/** The decisions over `channels` for a prepared contact at `at` (pure; `at` before `validUntil`). */
export function decideChannelsAt<Requested extends Channel>(
  preview: ChannelPreview,
  at: Date,
  channels: readonly Requested[],
): Record<Requested, ContactDecision> {
  const decisions = {} as Record<Requested, ContactDecision>;
  const request = { ...preview.scenario.request, at: at.toISOString() };
  for (const channel of channels)
    decisions[channel] = decideContact(normalizeScenario({ ...preview.scenario, request: { ...request, channel } }), { overrides: preview.overrides });
  return decisions;
}

/** Decides a contact and stores the decision; the caller acts on it (or does not). */
export async function decideAndStore(context: AppContext, executor: Executor, requester: Requester, input: ContactRequestInput): Promise<StoredDecision> {
  const { scenario, overrides } = await loadScenario(context, executor, requester, input);
  const decision = decideContact(normalizeScenario(scenario), { overrides });
  const role = scenario.persons?.find((person) => person.id === scenario.request.personId)?.role ?? "borrower";
  const decisionId = await storeDecision(context, executor, requester, input, role, scenario, decision);
  return { ...decision, decisionId };
}

export interface OutboundMessage {
  channel: "sms" | "email";
  recipient: string;
  recipientMasked: string;
  purpose: string;
  body: string;
}

/**
 * Takes a stored decision for one send: it must be this lender's, allow (or warn) this channel,
 * be unused and fresh. Marks it used; a decision is used at most once.
 */
export async function takeDecision(context: AppContext, executor: Executor, decisionId: string, lenderId: string, channel: string): Promise<void> {
  const decision = await executor.selectFrom("contact_decisions").selectAll().where("id", "=", decisionId).forUpdate().executeTakeFirst();
  const refuse = (why: string) => {
    throw new AppError("CONTACT_NOT_ALLOWED", `not sent: ${why}`, { decisionId });
  };
  if (!decision || decision.lender_id !== lenderId) return refuse(`no gateway decision ${decisionId}`);
  if (decision.decision !== "allow" && decision.decision !== "warn") return refuse(`the gateway decided ${decision.decision}`);
  if (decision.channel !== channel) return refuse(`the decision is for ${decision.channel}, not ${channel}`);
  if (decision.used_at) return refuse("the decision was already used");
  const now = context.clock.now();
  if (Math.abs(now.getTime() - decision.contact_at.getTime()) > DECISION_VALID_MS) return refuse("the decision is stale; ask the gateway again");
  await executor.updateTable("contact_decisions").set({ used_at: now }).where("id", "=", decisionId).execute();
}

/**
 * Hands a message to its channel under a stored decision: the decision must allow (or warn),
 * be this lender's, for this channel, unused and recent. It is then marked used, so one decision
 * sends one message. Without such a decision nothing is sent.
 */
export async function dispatchUnderDecision(
  context: AppContext,
  executor: Executor,
  decisionId: string,
  lenderId: string,
  message: OutboundMessage,
): Promise<string> {
  await takeDecision(context, executor, decisionId, lenderId, message.channel);
  return putInOutbox(context, executor, { ...message, decisionId });
}

export interface AttemptResult {
  attemptId: string;
  status: "blocked" | "deferred" | "in_progress" | "sent";
  decision: StoredDecision;
}

const statusOf = (decision: ContactDecision["decision"]) => (decision === "block" ? "blocked" : decision === "defer" ? "deferred" : null);

/**
 * An agent's contact (click-to-dial, send an SMS, schedule a visit): decided, stored as an
 * attempt under its decision, and — for a message the gateway allows — sent. A refused attempt
 * is stored too, so compliance officers see what was asked and why it was refused.
 */
export async function attemptContact(
  context: AppContext,
  executor: Executor,
  requester: Requester,
  input: ContactRequestInput,
  recipient: (() => Promise<{ address: string; masked: string }>) | null,
): Promise<AttemptResult> {
  const decision = await decideAndStore(context, executor, requester, input);
  const refused = statusOf(decision.decision);
  const isMessage = input.channel === "sms" || input.channel === "email";
  let status: AttemptResult["status"] = refused ?? (isMessage ? "sent" : "in_progress");
  if (!refused && isMessage) {
    if (!recipient || !input.text) throw new AppError("VALIDATION_FAILED", "a message needs its text", { field: "text" });
    const to = await recipient();
    await dispatchUnderDecision(context, executor, decision.decisionId, requester.lenderId, {
      channel: input.channel as "sms" | "email",
      recipient: to.address,
      recipientMasked: to.masked,
      purpose: `contact:${input.contentClass}`,
      body: input.text,
    });
    status = "sent";
  }
  const attemptId = randomUUID();
  const person = (await loadPersons(executor, input.borrowerId, input.contactId))?.find((row) => row.contactId === input.contactId);
  await executor
    .insertInto("contact_attempts")
    .values({
      id: attemptId,
      lender_id: requester.lenderId,
      borrower_id: input.borrowerId,
      contact_id: input.contactId,
      person_role: person?.role ?? "borrower",
      channel: input.channel as ContactChannel,
      direction: "outbound",
      content_class: input.contentClass,
      decision_id: decision.decisionId,
      at: input.at,
      debt_ids: input.loanId ? [input.loanId] : null,
      status,
      outcome: null,
      agent_id: requester.kind === "staff" ? requester.userId : null,
      created_at: context.clock.now(),
      template_version_id: input.templateVersionId ?? null,
    })
    .execute();
  await appendAudit(
    executor,
    {
      actorType: requester.kind === "staff" ? "staff" : "system",
      actorId: requester.kind === "staff" ? requester.userId : null,
      action: `contact.${status}`,
      targetType: "borrower",
      targetId: input.borrowerId,
      details: {
        attemptId,
        decisionId: decision.decisionId,
        channel: input.channel,
        decision: decision.decision,
        rules: decision.reasons.map((reason) => reason.rule),
        ...(input.templateVersionId ? { templateVersionId: input.templateVersionId } : {}),
      },
    },
    context.clock.now(),
  );
  return { attemptId, status, decision };
}

/** The decrypted address a message goes to; it never leaves the server. */
export async function recipientOf(
  context: AppContext,
  executor: Executor,
  borrowerId: string,
  contactId: string | null,
  channel: string,
): Promise<{ address: string; masked: string }> {
  const { cipher } = context.privacy;
  if (contactId) {
    const contact = await executor.selectFrom("borrower_contacts").select(["id", "phone_enc"]).where("id", "=", contactId).executeTakeFirstOrThrow();
    if (channel !== "sms") throw new AppError("VALIDATION_FAILED", `contacts have no ${channel} address on file`, { field: "channel" });
    const phone = cipher.decrypt(contact.phone_enc, `contact:${contact.id}:phone`);
    return { address: phone, masked: maskFor("phone", phone) };
  }
  const borrower = await executor.selectFrom("borrowers").select(["id", "phone_enc", "email_enc"]).where("id", "=", borrowerId).executeTakeFirstOrThrow();
  if (channel === "email") {
    if (!borrower.email_enc) throw new AppError("VALIDATION_FAILED", "the borrower has no e-mail address on file", { field: "channel" });
    const email = cipher.decrypt(borrower.email_enc, `borrower:${borrower.id}:email`);
    return { address: email, masked: maskFor("email", email) };
  }
  const phone = cipher.decrypt(borrower.phone_enc, `borrower:${borrower.id}:phone`);
  return { address: phone, masked: maskFor("phone", phone) };
}

/** Validates a lender's pack settings: the pack exists and every override only tightens. */
export function checkComplianceSettings(settings: { pack: string; overrides: Record<string, unknown> }, at: Date): void {
  resolvePack(settings.pack, at.toISOString(), settings.overrides as never);
}

/**
 * A message the person asked for this minute (a sign-in code) is not a collection contact: no
 * window, cap or pause applies, but it still goes out only under a stored decision, which says so.
 */
export async function sendServiceMessage(
  context: AppContext,
  executor: Executor,
  target: { lenderId: string; borrowerId: string },
  message: OutboundMessage,
): Promise<string> {
  const lender = await loadLender(executor, target.lenderId);
  if (!lender) throw new AppError("NOT_FOUND", `lender ${target.lenderId} not found`);
  const settings = complianceSettingsOf(lender.compliance_settings);
  const now = context.clock.now();
  const pack = resolvePack(settings.pack, now);
  const id = randomUUID();
  const reason = {
    rule: "gateway.service-message",
    effect: "info",
    source: "duecare: a message the recipient requested (e.g. a sign-in code) is not a collection contact",
    message: "A message the recipient asked for just now, not a collection contact.",
    messageZh: "收件人刚刚自行请求的消息（如登录验证码），不属于催收联系。",
    messageEn: "A message the recipient asked for just now, not a collection contact.",
  };
  await executor
    .insertInto("contact_decisions")
    .values({
      id,
      lender_id: target.lenderId,
      borrower_id: target.borrowerId,
      contact_id: null,
      person_role: "borrower",
      channel: message.channel,
      content_class: "service",
      contact_at: now,
      decided_at: now,
      decision: "allow",
      reasons: JSON.stringify([reason]),
      next_allowed_at: null,
      pack_id: pack.id,
      pack_version: pack.version,
      inputs: JSON.stringify({ purpose: message.purpose }),
      requested_by: null,
    })
    .execute();
  return dispatchUnderDecision(context, executor, id, target.lenderId, message);
}
