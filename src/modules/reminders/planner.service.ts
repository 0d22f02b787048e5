// The reminder planner (提醒计划): after a lender's daily close, the day's contacts. Each open
// account goes to the first active strategy whose segment takes it, to its variant (champion /
// challenger by a stable hash), and to the cadence steps that fall on it today; each message
// step passes the contact gateway in batches (allow, defer to the next allowed time, or skip
// with the reasons stored) and is stored with its idempotency key and queued for dispatch in
// the same transaction. Agent steps become callback tasks on the case.
//
// A run walks the book by loan id and records after each batch where it got to, so a run that
// stopped (a crash, kill -9) resumes there; a completed day returns its totals unchanged.
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { appendAudit } from "../../platform/audit/index.js";
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import { AppError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import { addDays, compareDates, type PlainDate } from "../../platform/plain-date.js";
import { CONTACT_BATCH_MAX, type ContactBatchStats, type ContactRequestInput, decideContactsInBatch, emptyContactBatchStats } from "../compliance/index.js";
import { loadActiveStrategies, type Strategy } from "../strategies/index.js";
import { type ApprovedTemplate, approvedTemplatesOf } from "../templates/index.js";
import type { DispatchQueue } from "./dispatch.queue.js";
import { horizonEnd, type PlannedContact, planContacts, preDueHorizonDays, refusalsOf } from "./domain/reminder-plan.js";
import { insertEscalations, insertMessages, loadAccountBatch, type MessageRow } from "./reminders.repository.js";

export const PLAN_BATCH_ACCOUNTS = 5_000;
const PLAN_BATCHES_IN_FLIGHT = 2;
/** Messages per dispatch job: a job is a unit of retry, so small enough that a retry repeats little. */
export const DISPATCH_JOB_MESSAGES = 50;

export interface PlanOptions {
  lenderId: string;
  date: PlainDate;
  /** Decide and count, store nothing. */
  dryRun?: boolean;
  queue?: DispatchQueue;
  batchAccounts?: number;
  onProgress?: (accountsRead: number) => void;
}

/** Per strategy, variant, step and channel: what the gateway decided. */
export interface SegmentLine {
  strategyCode: string;
  variantCode: string;
  stepKey: string;
  channel: string;
  planned: number;
  deferred: number;
  skipped: number;
  /** Rules that refused or deferred, with counts. */
  reasons: Record<string, number>;
}

export interface PlanTotals {
  accountsRead: number;
  contactsPlanned: number;
  allowed: number;
  deferred: number;
  skipped: number;
  escalations: number;
  noTemplate: number;
  segments: SegmentLine[];
  gateway: ContactBatchStats;
  /** Waiting for account batches, storing message rows, inserting dispatch jobs (ms, summed). */
  steps: { readMs: number; messagesMs: number; jobsMs: number };
  ms: number;
}

export interface PlanResult {
  runId: string | null;
  lenderId: string;
  date: PlainDate;
  dryRun: boolean;
  alreadyPlanned: boolean;
  totals: PlanTotals;
}

function emptyTotals(): PlanTotals {
  return {
    accountsRead: 0,
    contactsPlanned: 0,
    allowed: 0,
    deferred: 0,
    skipped: 0,
    escalations: 0,
    noTemplate: 0,
    segments: [],
    gateway: emptyContactBatchStats(),
    steps: { readMs: 0, messagesMs: 0, jobsMs: 0 },
    ms: 0,
  };
}

type TemplateIndex = Map<string, ApprovedTemplate>;

/** The approved template a step sends in the borrower's language, or in the other one when only that exists. */
function templateFor(index: TemplateIndex, code: string, channel: string, language: "zh-CN" | "en"): ApprovedTemplate | undefined {
  return index.get(`${code}/${channel}/${language}`) ?? index.get(`${code}/${channel}/${language === "en" ? "zh-CN" : "en"}`);
}

async function startRun(
  context: AppContext,
  lenderId: string,
  date: PlainDate,
): Promise<{ id: string; resumeAfter: string | null; completed: PlanTotals | null }> {
  const { db } = context.database;
  await sql`insert into reminder_runs (id, lender_id, business_date, status, started_at) values (${uuidv7()}, ${lenderId}, ${date}, 'running', ${context.clock.now()})
    on conflict (lender_id, business_date) do nothing`.execute(db);
  const run = await db.selectFrom("reminder_runs").selectAll().where("lender_id", "=", lenderId).where("business_date", "=", date).executeTakeFirstOrThrow();
  return { id: run.id, resumeAfter: run.resume_after, completed: run.status === "completed" ? (run.totals as PlanTotals) : null };
}

/**
 * Plans the contacts of `date` for one lender. The lender must have closed the day before: DPD,
 * buckets and broken promises are the close's.
 */
export async function planReminders(context: AppContext, options: PlanOptions): Promise<PlanResult> {
  const started = performance.now();
  const { db } = context.database;
  const { lenderId, date } = options;
  const dryRun = options.dryRun === true;
  const lender = await db.selectFrom("lenders").select(["id", "closed_through"]).where("id", "=", lenderId).executeTakeFirst();
  if (!lender) throw new AppError("NOT_FOUND", `lender ${lenderId} not found`, { field: "lender" });
  const dayBefore = addDays(date, -1);
  if (!lender.closed_through || compareDates(lender.closed_through, dayBefore) < 0) {
    throw new AppError("CONFLICT", `date: close ${dayBefore} before planning the contacts of ${date} (closed through ${lender.closed_through ?? "none"})`, {
      field: "date",
    });
  }
  const run = dryRun ? { id: null, resumeAfter: null, completed: null } : await startRun(context, lenderId, date);
  if (run.completed) return { runId: run.id, lenderId, date, dryRun, alreadyPlanned: true, totals: run.completed };
  if (!dryRun && !options.queue) throw new Error("assertion failed: planning without a dispatch queue");

  const strategies = await loadActiveStrategies(db, lenderId);
  const templates: TemplateIndex = new Map();
  for (const template of await approvedTemplatesOf(db, lenderId)) templates.set(`${template.code}/${template.channel}/${template.language}`, template);
  const horizon = preDueHorizonDays(strategies);
  const withReasons = strategies.some((strategy) => (strategy.segment.overdueReasons?.length ?? 0) > 0);

  const totals = emptyTotals();
  const segments = new Map<string, SegmentLine>();
  const heard = new Set<string>();
  const limit = options.batchAccounts ?? PLAN_BATCH_ACCOUNTS;
  const readAfter = (after: string | null) => {
    const read = loadAccountBatch(db, {
      lenderId,
      day: date,
      horizonEnd: horizon >= 0 ? horizonEnd(date, horizon) : null,
      afterLoanId: after,
      limit,
      withReasons,
    });
    // Read ahead while the batch before is stored; a failure surfaces when the batch is awaited.
    read.catch(() => undefined);
    return read;
  };
  let next = readAfter(run.resumeAfter);
  // Two batches at a time: one in the gateway's reads and writes while the other is decided.
  let previousCommit: Promise<void> = Promise.resolve();
  const inFlight: Promise<void>[] = [];
  for (let batch = 0; batch < 100_000; batch += 1) {
    const waited = performance.now();
    const accounts = await next;
    totals.steps.readMs += performance.now() - waited;
    if (accounts.length === 0) break;
    totals.accountsRead += accounts.length;
    const lastLoanId = (accounts[accounts.length - 1] as { loanId: string }).loanId;
    const isLast = accounts.length < limit;
    if (!isLast) next = readAfter(lastLoanId);
    const contacts = planContacts(strategies, accounts, date, heard, context.clock.now().getTime());
    const before = previousCommit;
    const work = db.transaction().execute(async (trx) => {
      await planBatch(context, trx, { lenderId, date, runId: run.id, dryRun, queue: options.queue, templates, contacts, totals, segments });
      // Commit in order, so the point a stopped run resumes from never passes a batch not stored.
      await before;
      if (run.id) await trx.updateTable("reminder_runs").set({ resume_after: lastLoanId }).where("id", "=", run.id).execute();
    });
    previousCommit = work.then(() => undefined);
    previousCommit.catch(() => undefined);
    inFlight.push(work);
    if (inFlight.length >= PLAN_BATCHES_IN_FLIGHT) await inFlight.shift();
    options.onProgress?.(totals.accountsRead);
    if (isLast) break;
  }
  await Promise.all(inFlight);
  totals.segments = [...segments.values()].sort(
    (left, right) =>
      left.strategyCode.localeCompare(right.strategyCode) || left.variantCode.localeCompare(right.variantCode) || left.stepKey.localeCompare(right.stepKey),
  );
  totals.ms = Math.round(performance.now() - started);
  if (run.id) {
    await db.transaction().execute(async (trx) => {
      // A resumed run counts only what it planned itself; the day's full figures come from the messages.
      const stored = await dayCounts(trx, run.id as string);
      const finalTotals = { ...totals, ...stored };
      await trx
        .updateTable("reminder_runs")
        .set({ status: "completed", finished_at: context.clock.now(), totals: JSON.stringify(finalTotals) })
        .where("id", "=", run.id as string)
        .execute();
      await appendAudit(
        trx,
        {
          actorType: "system",
          action: "reminders.planned",
          targetType: "reminder_run",
          targetId: run.id,
          details: {
            lenderId,
            date,
            contactsPlanned: finalTotals.contactsPlanned,
            allowed: finalTotals.allowed,
            deferred: finalTotals.deferred,
            skipped: finalTotals.skipped,
          },
        },
        context.clock.now(),
      );
      Object.assign(totals, stored);
    });
  }
  return { runId: run.id, lenderId, date, dryRun, alreadyPlanned: false, totals };
}

async function dayCounts(executor: Executor, runId: string): Promise<Pick<PlanTotals, "contactsPlanned" | "allowed" | "deferred" | "skipped">> {
  const rows = await executor
    .selectFrom("reminder_messages")
    .select(["decision", (eb) => eb.fn.countAll<string>().as("count")])
    .where("run_id", "=", runId)
    .groupBy("decision")
    .execute();
  const count = (decisions: string[]) => rows.filter((row) => decisions.includes(row.decision ?? "")).reduce((sum, row) => sum + Number(row.count), 0);
  const allowed = count(["allow", "warn"]);
  const deferred = count(["defer"]);
  const skipped = count(["block"]) + rows.filter((row) => row.decision === null).reduce((sum, row) => sum + Number(row.count), 0);
  return { contactsPlanned: allowed + deferred + skipped, allowed, deferred, skipped };
}

interface BatchInput {
  lenderId: string;
  date: PlainDate;
  runId: string | null;
  dryRun: boolean;
  queue: DispatchQueue | undefined;
  templates: TemplateIndex;
  contacts: readonly PlannedContact[];
  totals: PlanTotals;
  segments: Map<string, SegmentLine>;
}

function segmentLine(segments: Map<string, SegmentLine>, contact: PlannedContact): SegmentLine {
  const key = `${contact.strategy.code}/${contact.variant.code}/${contact.step.key}`;
  let line = segments.get(key);
  if (!line) {
    line = {
      strategyCode: contact.strategy.code,
      variantCode: contact.variant.code,
      stepKey: contact.step.key,
      channel: contact.step.channel,
      planned: 0,
      deferred: 0,
      skipped: 0,
      reasons: {},
    };
    segments.set(key, line);
  }
  return line;
}

async function planBatch(context: AppContext, trx: Executor, input: BatchInput): Promise<void> {
  const { totals } = input;
  const now = context.clock.now();
  const escalations: { id: string; caseId: string; dueAt: string; note: string }[] = [];
  const messages: { contact: PlannedContact; template: ApprovedTemplate }[] = [];
  for (const contact of input.contacts) {
    if (contact.step.channel === "agent") {
      if (contact.caseId) {
        segmentLine(input.segments, contact).planned += 1;
        escalations.push({
          id: randomUUID(),
          caseId: contact.caseId,
          dueAt: contact.scheduledAt.toISOString(),
          note: `strategy ${contact.strategy.code} · ${contact.step.key}`,
        });
      }
      continue;
    }
    const template = templateFor(input.templates, contact.step.templateCode ?? "", contact.step.channel, contact.language);
    if (!template) {
      // Activation checked the template; one withdrawn since is skipped, and says so.
      totals.noTemplate += 1;
      segmentLine(input.segments, contact).skipped += 1;
      continue;
    }
    messages.push({ contact, template });
  }
  const requests: ContactRequestInput[] = messages.map(({ contact, template }) => ({
    borrowerId: contact.borrowerId,
    contactId: null,
    channel: contact.step.channel as "sms" | "email" | "voice_robot",
    contentClass: template.contentClass,
    text: null,
    loanId: contact.loanId,
    at: contact.scheduledAt,
    templateVersionId: template.versionId,
  }));
  const rows: MessageRow[] = [];
  for (let start = 0; start < requests.length; start += CONTACT_BATCH_MAX) {
    const slice = requests.slice(start, start + CONTACT_BATCH_MAX);
    const decisions = await decideContactsInBatch(context, trx, input.lenderId, slice, { store: !input.dryRun, stats: totals.gateway });
    decisions.forEach((decision, offset) => {
      const { contact, template } = messages[start + offset] as (typeof messages)[number];
      const line = segmentLine(input.segments, contact);
      const refusals = refusalsOf(decision.reasons);
      // A defer with no next allowed time (never, under these facts) is a refusal.
      const outcome =
        decision.decision === "allow" || decision.decision === "warn"
          ? "planned"
          : decision.decision === "defer" && decision.nextAllowedAt
            ? "deferred"
            : "skipped";
      line[outcome] += 1;
      totals[outcome === "planned" ? "allowed" : outcome] += 1;
      totals.contactsPlanned += 1;
      for (const reason of refusals) line.reasons[reason.rule] = (line.reasons[reason.rule] ?? 0) + 1;
      rows.push({
        id: uuidv7(),
        borrower_id: contact.borrowerId,
        loan_id: contact.loanId,
        case_id: contact.caseId,
        strategy_id: contact.strategy.id,
        strategy_version: contact.strategy.version,
        variant_code: contact.variant.code,
        step_key: contact.step.key,
        channel: contact.step.channel as "sms" | "email" | "voice_robot",
        template_version_id: template.versionId,
        content_class: template.contentClass,
        language: template.language,
        idempotency_key: contact.idempotencyKey,
        scheduled_at: outcome === "deferred" ? (decision.nextAllowedAt as string) : contact.scheduledAt.toISOString(),
        decision_id: decision.decisionId,
        decision: decision.decision,
        reasons: outcome === "planned" ? null : refusals,
        status: outcome === "skipped" ? "skipped" : "planned",
        status_reason: outcome === "skipped" ? (refusals[0]?.rule ?? "gateway") : null,
      });
    });
  }
  totals.escalations += escalations.length;
  if (input.dryRun || input.runId === null) return;
  let started = performance.now();
  const inserted = await insertMessages(trx, { lenderId: input.lenderId, runId: input.runId, day: input.date, now, rows });
  await insertEscalations(trx, escalations, now);
  totals.steps.messagesMs += performance.now() - started;
  const due = rows.filter((row) => row.status === "planned" && inserted.has(row.id)).sort((left, right) => left.scheduled_at.localeCompare(right.scheduled_at));
  const batches: { messageIds: string[]; startAfter: Date }[] = [];
  for (let start = 0; start < due.length; start += DISPATCH_JOB_MESSAGES) {
    const chunk = due.slice(start, start + DISPATCH_JOB_MESSAGES);
    batches.push({ messageIds: chunk.map((row) => row.id), startAfter: new Date((chunk[0] as MessageRow).scheduled_at) });
  }
  started = performance.now();
  await (input.queue as DispatchQueue).enqueue(trx, batches);
  totals.steps.jobsMs += performance.now() - started;
}

export type { Strategy };
