// Compliance use cases around the gateway: previewing a scenario, the lender's pack settings,
// the decisions compliance officers review, a borrower's contact timeline, and the restrictions,
// consents and preferences the rules read.
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { appendAudit } from "../../platform/audit/index.js";
import { type BorrowerRef, borrowerRef, type DataScope } from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import type { ContactChannel, ContactRestrictionKind } from "../../platform/db/schema.js";
import { AppError } from "../../platform/errors.js";
import { isBorrowerInScope } from "../borrowers/index.js";
import { type ComplianceSettings, complianceSettingsOf, loadLender } from "./compliance.repository.js";
import {
  type Attitude,
  type ContactDecision,
  checkContent,
  decideContact,
  isRightPartyPossible,
  type OverdueReasonCode,
  outcomeOfResult,
  parseScenario,
  type ResultCode,
  resolvePack,
  type ScenarioProblem,
} from "./domain/index.js";

export type PreviewResult = { ok: true; decision: ContactDecision } | { ok: false; errors: ScenarioProblem[] };

/** The scenario contract: the same JSON at the CLI and at POST /api/compliance/decisions/preview. */
export function previewScenario(input: unknown): PreviewResult {
  const parsed = parseScenario(input);
  if (!parsed.ok) return parsed;
  try {
    return { ok: true, decision: decideContact(parsed.scenario) };
  } catch (error) {
    // An override that loosens a statutory limit, or a pack not yet in effect at request.at.
    if (error instanceof AppError) {
      const details = (error.details ?? {}) as { parameter?: string | null };
      return { ok: false, errors: [{ path: details.parameter ? `overrides.${details.parameter}` : "pack", message: error.message }] };
    }
    throw error;
  }
}

/** The shape the contract prints: decision, reasons (rule, source, message, …), nextAllowedAt. */
export function presentDecision(decision: ContactDecision) {
  return {
    decision: decision.decision,
    reasons: decision.reasons,
    nextAllowedAt: decision.nextAllowedAt,
    pack: decision.pack,
  };
}

export async function getComplianceSettings(context: AppContext, lenderId: string): Promise<ComplianceSettings & { version: string }> {
  const lender = await loadLender(context.database.db, lenderId);
  if (!lender) throw new AppError("NOT_FOUND", `lender ${lenderId} not found`);
  const settings = complianceSettingsOf(lender.compliance_settings);
  return { ...settings, version: resolvePack(settings.pack, context.clock.now(), settings.overrides).version };
}

/** Changes the lender's pack settings; an override that loosens a statutory limit is refused by name. */
export async function updateComplianceSettings(context: AppContext, actor: { userId: string; lenderId: string }, settings: ComplianceSettings): Promise<void> {
  resolvePack(settings.pack, context.clock.now(), settings.overrides);
  await context.database.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("lenders")
      .set({ compliance_settings: JSON.stringify(settings) })
      .where("id", "=", actor.lenderId)
      .execute();
    await appendAudit(
      trx,
      {
        actorType: "staff",
        actorId: actor.userId,
        action: "compliance.settings_changed",
        targetType: "lender",
        targetId: actor.lenderId,
        details: { ...settings },
      },
      context.clock.now(),
    );
  });
}

export interface DecisionView {
  id: string;
  decidedAt: string;
  contactAt: string;
  borrowerId: string | null;
  borrowerRef: string | null;
  personRole: string;
  channel: string;
  contentClass: string;
  decision: string;
  reasons: unknown;
  nextAllowedAt: string | null;
  pack: string;
  requestedBy: string | null;
}

/** Decisions for review, newest first: by default the refused ones (block and defer). */
export async function listDecisions(
  context: AppContext,
  lenderId: string,
  filter: { decisions: readonly string[]; borrowerId?: string; limit: number },
): Promise<DecisionView[]> {
  let query = context.database.db
    .selectFrom("contact_decisions as d")
    .leftJoin("borrowers as b", "b.id", "d.borrower_id")
    .leftJoin("staff_users as u", "u.id", "d.requested_by")
    .select([
      "d.id",
      "d.decided_at",
      "d.contact_at",
      "d.borrower_id",
      "b.external_ref",
      "d.person_role",
      "d.channel",
      "d.content_class",
      "d.decision",
      "d.reasons",
      "d.next_allowed_at",
      "d.pack_id",
      "d.pack_version",
      "u.username",
    ])
    .where("d.lender_id", "=", lenderId)
    .where("d.decision", "in", filter.decisions as never[]);
  if (filter.borrowerId) query = query.where("d.borrower_id", "=", filter.borrowerId);
  const rows = await query.orderBy("d.decided_at", "desc").orderBy("d.id").limit(filter.limit).execute();
  return rows.map((row) => ({
    id: row.id,
    decidedAt: row.decided_at.toISOString(),
    contactAt: row.contact_at.toISOString(),
    borrowerId: row.borrower_id,
    borrowerRef: row.external_ref,
    personRole: row.person_role,
    channel: row.channel,
    contentClass: row.content_class,
    decision: row.decision,
    reasons: row.reasons,
    nextAllowedAt: row.next_allowed_at?.toISOString() ?? null,
    pack: `${row.pack_id}@${row.pack_version}`,
    requestedBy: row.username,
  }));
}

async function assertBorrowerInScope(executor: Executor, scope: DataScope, borrowerId: string): Promise<void> {
  if (!(await isBorrowerInScope(executor, scope, borrowerId))) throw new AppError("NOT_FOUND", `borrower ${borrowerId} not found`);
}

export interface AttemptView {
  id: string;
  at: string;
  channel: string;
  direction: string;
  personRole: string;
  contactId: string | null;
  status: string;
  outcome: string | null;
  decision: string | null;
  reasons: unknown;
  nextAllowedAt: string | null;
  agent: string | null;
  resultCode: string | null;
  rightPartyContact: boolean | null;
  overdueReason: string | null;
  attitude: string | null;
  note: string | null;
}

/** A borrower's contact timeline with the decision each attempt ran under. */
export async function listAttempts(context: AppContext, scope: DataScope, borrower: BorrowerRef, limit: number): Promise<AttemptView[]> {
  return (await listContactRecord(context, scope, borrower, limit)).attempts;
}

/** An attempt as the contact record's statement returns it (times as JSON text). */
interface AttemptRow {
  id: string;
  at: string;
  channel: string;
  direction: string;
  person_role: string;
  contact_id: string | null;
  status: string;
  outcome: string | null;
  decision: string | null;
  reasons: unknown;
  next_allowed_at: string | null;
  username: string | null;
  result_code: string | null;
  right_party_contact: boolean | null;
  overdue_reason: string | null;
  attitude: string | null;
  note_enc: string | null;
}

function presentAttempt(context: AppContext, row: AttemptRow): AttemptView {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    channel: row.channel,
    direction: row.direction,
    personRole: row.person_role,
    contactId: row.contact_id,
    status: row.status,
    outcome: row.outcome,
    decision: row.decision,
    reasons: row.reasons,
    nextAllowedAt: row.next_allowed_at === null ? null : new Date(row.next_allowed_at).toISOString(),
    agent: row.username,
    resultCode: row.result_code,
    rightPartyContact: row.right_party_contact,
    overdueReason: row.overdue_reason,
    attitude: row.attitude,
    note: row.note_enc ? context.privacy.cipher.decrypt(row.note_enc, `contact_attempt:${row.id}:note`) : null,
  };
}

/**
 * A borrower's last `limit` attempts with their decisions, and their restrictions, in one
 * statement: the case page's contact record. The scope is checked unless the borrower comes
 * checked.
 */
export async function listContactRecord(
  context: AppContext,
  scope: DataScope,
  borrower: BorrowerRef,
  limit: number,
): Promise<{ attempts: AttemptView[]; restrictions: RestrictionView[] }> {
  const { db } = context.database;
  const { borrowerId, checked } = borrowerRef(borrower);
  if (!checked) await assertBorrowerInScope(db, scope, borrowerId);
  const result = await sql<{
    attempts: AttemptRow[];
    restrictions: { id: string; kind: ContactRestrictionKind; started_at: string; ended_at: string | null; note: string | null }[];
  }>`
    select
      coalesce((
        select json_agg(json_build_object('id', a.id, 'at', a.at, 'channel', a.channel, 'direction', a.direction, 'person_role', a.person_role,
          'contact_id', a.contact_id, 'status', a.status, 'outcome', a.outcome, 'decision', d.decision, 'reasons', d.reasons,
          'next_allowed_at', d.next_allowed_at, 'username', u.username, 'result_code', a.result_code, 'right_party_contact', a.right_party_contact,
          'overdue_reason', a.overdue_reason, 'attitude', a.attitude, 'note_enc', a.note_enc) order by a.at desc, a.id)
        from (select * from contact_attempts where borrower_id = ${borrowerId} order by at desc, id limit ${limit}) a
        left join contact_decisions d on d.id = a.decision_id
        left join staff_users u on u.id = a.agent_id), '[]'::json) as attempts,
      coalesce((
        select json_agg(json_build_object('id', r.id, 'kind', r.kind, 'started_at', r.started_at, 'ended_at', r.ended_at, 'note', r.note)
                        order by r.started_at desc, r.id)
        from contact_restrictions r where r.borrower_id = ${borrowerId}), '[]'::json) as restrictions`.execute(db);
  const row = result.rows[0];
  return {
    attempts: (row?.attempts ?? []).map((attempt) => presentAttempt(context, attempt)),
    restrictions: (row?.restrictions ?? []).map((restriction) => ({
      id: restriction.id,
      kind: restriction.kind,
      startedAt: new Date(restriction.started_at).toISOString(),
      endedAt: restriction.ended_at === null ? null : new Date(restriction.ended_at).toISOString(),
      note: restriction.note,
    })),
  };
}

export interface ContactRecordInput {
  resultCode: ResultCode;
  rightPartyContact: boolean;
  overdueReason: OverdueReasonCode | null;
  attitude: Attitude | null;
  note: string | null;
}

/**
 * Logs how a call or visit went (催记): result code, right-party contact, the overdue reason and
 * the borrower's attitude, and a note. The note is content-checked (no threats, insults or
 * false statements even in the file) and stored encrypted. Later decisions count the outcome.
 */
export async function recordOutcome(
  context: AppContext,
  actor: { userId: string; lenderId: string; mayActForOthers: boolean },
  attemptId: string,
  record: ContactRecordInput,
): Promise<void> {
  if (record.rightPartyContact && !isRightPartyPossible(record.resultCode)) {
    throw new AppError("VALIDATION_FAILED", `rightPartyContact: nobody answered (${record.resultCode})`, { field: "rightPartyContact" });
  }
  await context.database.db.transaction().execute(async (trx) => {
    const attempt = await trx.selectFrom("contact_attempts").selectAll().where("id", "=", attemptId).forUpdate().executeTakeFirst();
    if (!attempt || attempt.lender_id !== actor.lenderId || (!actor.mayActForOthers && attempt.agent_id !== actor.userId)) {
      throw new AppError("NOT_FOUND", `contact attempt ${attemptId} not found`);
    }
    if (attempt.status !== "in_progress" && attempt.status !== "sent") {
      throw new AppError("CONFLICT", `contact attempt ${attemptId} is ${attempt.status}: it has no outcome to record`);
    }
    if (record.note) {
      const lender = await loadLender(trx, actor.lenderId);
      const settings = complianceSettingsOf(lender?.compliance_settings);
      const forbidden = checkContent(record.note, {
        pack: settings.pack as never,
        channel: attempt.channel,
        contentClass: "collection",
        role: "borrower",
        ...(lender ? { institutionName: lender.name } : {}),
      }).filter((finding) => finding.kind === "forbidden");
      if (forbidden.length > 0) {
        const first = forbidden[0] as (typeof forbidden)[number];
        throw new AppError("VALIDATION_FAILED", `note: ${first.messageEn}${first.span ? ` («${first.span.text}»)` : ""}`, {
          field: "note",
          findings: forbidden,
        });
      }
    }
    const { outcome, endedByConsumer } = outcomeOfResult(record.resultCode, record.rightPartyContact);
    const now = context.clock.now();
    await trx
      .updateTable("contact_attempts")
      .set({
        outcome,
        ended_by_consumer: endedByConsumer,
        status: "completed",
        result_code: record.resultCode,
        right_party_contact: record.rightPartyContact,
        overdue_reason: record.overdueReason,
        attitude: record.attitude,
        note_enc: record.note ? context.privacy.cipher.encrypt(record.note, `contact_attempt:${attemptId}:note`) : null,
        logged_at: now,
      })
      .where("id", "=", attemptId)
      .execute();
    await appendAudit(
      trx,
      {
        actorType: "staff",
        actorId: actor.userId,
        action: "contact.outcome_recorded",
        targetType: "contact_attempt",
        targetId: attemptId,
        details: { resultCode: record.resultCode, rightPartyContact: record.rightPartyContact, overdueReason: record.overdueReason, outcome },
      },
      now,
    );
  });
}

export interface RestrictionView {
  id: string;
  kind: ContactRestrictionKind;
  startedAt: string;
  endedAt: string | null;
  note: string | null;
}

export async function listRestrictions(context: AppContext, scope: DataScope, borrower: BorrowerRef): Promise<RestrictionView[]> {
  return (await listContactRecord(context, scope, borrower, 0)).restrictions;
}

/** Starts a restriction (a dispute, a cease request…); one of a kind is open at a time. */
export async function addRestriction(
  context: AppContext,
  actor: { userId: string; scope: DataScope },
  borrowerId: string,
  input: { kind: ContactRestrictionKind; note: string | null },
): Promise<string> {
  return context.database.db.transaction().execute(async (trx) => {
    await assertBorrowerInScope(trx, actor.scope, borrowerId);
    const borrower = await trx.selectFrom("borrowers").select("lender_id").where("id", "=", borrowerId).executeTakeFirstOrThrow();
    const open = await trx
      .selectFrom("contact_restrictions")
      .select("id")
      .where("borrower_id", "=", borrowerId)
      .where("kind", "=", input.kind)
      .where("ended_at", "is", null)
      .executeTakeFirst();
    if (open) throw new AppError("CONFLICT", `borrower ${borrowerId} already has an open ${input.kind}`, { restrictionId: open.id });
    const id = randomUUID();
    const now = context.clock.now();
    await trx
      .insertInto("contact_restrictions")
      .values({
        id,
        lender_id: borrower.lender_id,
        borrower_id: borrowerId,
        kind: input.kind,
        started_at: now,
        ended_at: null,
        note: input.note,
        recorded_by: actor.userId,
        ended_by: null,
      })
      .execute();
    await appendAudit(
      trx,
      { actorType: "staff", actorId: actor.userId, action: "contact.restriction_added", targetType: "borrower", targetId: borrowerId, details: input },
      now,
    );
    return id;
  });
}

export async function endRestriction(context: AppContext, actor: { userId: string; lenderId: string }, restrictionId: string): Promise<void> {
  await context.database.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("contact_restrictions").selectAll().where("id", "=", restrictionId).forUpdate().executeTakeFirst();
    if (!row || row.lender_id !== actor.lenderId) throw new AppError("NOT_FOUND", `restriction ${restrictionId} not found`);
    if (row.ended_at) throw new AppError("CONFLICT", `restriction ${restrictionId} already ended`);
    const now = context.clock.now();
    await trx.updateTable("contact_restrictions").set({ ended_at: now, ended_by: actor.userId }).where("id", "=", restrictionId).execute();
    await appendAudit(
      trx,
      {
        actorType: "staff",
        actorId: actor.userId,
        action: "contact.restriction_ended",
        targetType: "borrower",
        targetId: row.borrower_id,
        details: { restrictionId, kind: row.kind },
      },
      now,
    );
  });
}

/** Records a consent to be contacted on a channel for a period (US Reg F 1006.14(b)(3)(i)). */
export async function addConsent(
  context: AppContext,
  actor: { userId: string; scope: DataScope },
  borrowerId: string,
  input: { contactId: string | null; channel: ContactChannel; validFrom: Date; validUntil: Date | null },
): Promise<string> {
  return context.database.db.transaction().execute(async (trx) => {
    await assertBorrowerInScope(trx, actor.scope, borrowerId);
    const borrower = await trx.selectFrom("borrowers").select("lender_id").where("id", "=", borrowerId).executeTakeFirstOrThrow();
    if (input.validUntil && input.validUntil <= input.validFrom)
      throw new AppError("VALIDATION_FAILED", "validUntil must be after validFrom", { field: "validUntil" });
    const id = randomUUID();
    const now = context.clock.now();
    await trx
      .insertInto("contact_consents")
      .values({
        id,
        lender_id: borrower.lender_id,
        borrower_id: borrowerId,
        contact_id: input.contactId,
        channel: input.channel,
        given_at: now,
        valid_from: input.validFrom,
        valid_until: input.validUntil,
        revoked_at: null,
        recorded_by: actor.userId,
      })
      .execute();
    await appendAudit(
      trx,
      { actorType: "staff", actorId: actor.userId, action: "contact.consent_recorded", targetType: "borrower", targetId: borrowerId, details: input },
      now,
    );
    return id;
  });
}

/** A person's own terms: zones, opted-out channels, inconvenient times, an agreed schedule. */
export async function setPreferences(
  context: AppContext,
  actor: { userId: string; scope: DataScope },
  borrowerId: string,
  input: { contactId: string | null; timeZones: string[]; optOuts: string[]; inconvenientTimes: unknown[]; agreedSchedule: unknown[] | null },
): Promise<void> {
  await context.database.db.transaction().execute(async (trx) => {
    await assertBorrowerInScope(trx, actor.scope, borrowerId);
    const borrower = await trx.selectFrom("borrowers").select("lender_id").where("id", "=", borrowerId).executeTakeFirstOrThrow();
    const now = context.clock.now();
    let existing = trx.selectFrom("contact_preferences").select("id").where("borrower_id", "=", borrowerId);
    existing = input.contactId ? existing.where("contact_id", "=", input.contactId) : existing.where("contact_id", "is", null);
    const row = await existing.executeTakeFirst();
    const values = {
      time_zones: input.timeZones,
      opt_outs: input.optOuts,
      inconvenient_times: JSON.stringify(input.inconvenientTimes),
      agreed_schedule: input.agreedSchedule ? JSON.stringify(input.agreedSchedule) : null,
      updated_at: now,
    };
    if (row) await trx.updateTable("contact_preferences").set(values).where("id", "=", row.id).execute();
    else
      await trx
        .insertInto("contact_preferences")
        .values({ id: randomUUID(), lender_id: borrower.lender_id, borrower_id: borrowerId, contact_id: input.contactId, ...values })
        .execute();
    await appendAudit(
      trx,
      { actorType: "staff", actorId: actor.userId, action: "contact.preferences_set", targetType: "borrower", targetId: borrowerId, details: input },
      now,
    );
  });
}

/**
 * The borrower opted out of a channel themselves (a STOP / 退订 reply): the channel joins their
 * opt-outs, which every later decision reads. Repeating it changes nothing. Audited.
 */
export async function recordOptOut(
  context: AppContext,
  executor: Executor,
  input: { lenderId: string; borrowerId: string; channel: "sms" | "email" | "voice_robot" | "call"; source: string },
): Promise<boolean> {
  const now = context.clock.now();
  const row = await executor
    .selectFrom("contact_preferences")
    .select(["id", "opt_outs"])
    .where("borrower_id", "=", input.borrowerId)
    .where("contact_id", "is", null)
    .forUpdate()
    .executeTakeFirst();
  if (row?.opt_outs.includes(input.channel)) return false;
  if (row)
    await executor
      .updateTable("contact_preferences")
      .set({ opt_outs: [...row.opt_outs, input.channel], updated_at: now })
      .where("id", "=", row.id)
      .execute();
  else
    await executor
      .insertInto("contact_preferences")
      .values({
        id: randomUUID(),
        lender_id: input.lenderId,
        borrower_id: input.borrowerId,
        contact_id: null,
        time_zones: [],
        opt_outs: [input.channel],
        updated_at: now,
      })
      .execute();
  await appendAudit(
    executor,
    {
      actorType: "borrower",
      actorId: input.borrowerId,
      action: "contact.opted_out",
      targetType: "borrower",
      targetId: input.borrowerId,
      details: { channel: input.channel, source: input.source },
    },
    now,
  );
  return true;
}
