// Message template use cases: draft a template and new versions of it, submit, approve (four-eyes,
// with the compliance content check on the version rendered with sample values), reject, retire;
// preview with a case's own numbers or the sample values; and send an approved template to a
// case's borrower through the contact gateway, exactly like an agent's free-text message.
import { randomUUID } from "node:crypto";
import { appendAudit } from "../../platform/audit/index.js";
import type { Actor, Permission } from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import { AppError } from "../../platform/errors.js";
import { type CaseFigures, caseFiguresFor } from "../cases/index.js";
import {
  attemptContact,
  type ContentFinding,
  checkTemplate,
  complianceSettingsOf,
  recipientOf,
  requesterOf,
  resolvePack,
  type StoredDecision,
} from "../compliance/index.js";
import {
  channelProblem,
  decideApprover,
  decideReject,
  decideSubmit,
  defaultContentClass,
  type TemplateChannel,
  type TemplatePurpose,
  type Verdict,
} from "./domain/template-lifecycle.js";
import { type RenderedSegment, renderTemplate, sourceSpanOf } from "./domain/template-render.js";
import { parseTemplate, type SyntaxProblem, type TemplatePart } from "./domain/template-syntax.js";
import { sampleValues, type TemplateLanguage, type TemplateValues, type VariableName, variableCatalogue } from "./domain/template-variables.js";
import {
  findTemplate,
  findTemplateByKey,
  findVersion,
  findVersionByStatus,
  insertTemplate,
  insertVersion,
  lenderForTemplates,
  listTemplateRows,
  listVersionRows,
  nextVersionNumber,
  retireTemplateRow,
  setVersionStatus,
  type TemplateLender,
  type TemplateRow,
  type VersionRow,
} from "./templates.repository.js";

type ContentClass = TemplateRow["contentClass"];
type Staff = Extract<Actor, { type: "staff" }>;

/** A finding of the content check, with where it sits in the template the author wrote. */
export interface TemplateFinding extends ContentFinding {
  /** Where the span came from: the body or the e-mail subject, offsets into that field. */
  sourceSpan?: { field: "body" | "subject"; start: number; end: number };
}

export interface ContentCheckResult {
  pack: string;
  packVersion: string;
  passes: boolean;
  findings: TemplateFinding[];
  /** The text the check read: the subject (e-mail) and body rendered with sample values. */
  renderedText: string;
  checkedAt: string;
}

export interface VersionView {
  id: string;
  version: number;
  status: VersionRow["status"];
  body: string;
  subject: string | null;
  variables: string[];
  createdBy: string | null;
  createdAt: string;
  submittedBy: string | null;
  submittedAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  contentCheck: ContentCheckResult | null;
}

export interface TemplateView {
  id: string;
  code: string;
  name: string;
  channel: TemplateChannel;
  language: TemplateLanguage;
  purpose: TemplatePurpose;
  contentClass: ContentClass;
  createdAt: string;
  retiredAt: string | null;
  /** The approved version, which is what is sent; null when none is approved. */
  inUse: { versionId: string; version: number } | null;
  versions: VersionView[];
}

export interface NewTemplate {
  code: string;
  name: string;
  channel: TemplateChannel;
  language: TemplateLanguage;
  purpose: TemplatePurpose;
  contentClass?: ContentClass;
  body: string;
  subject: string | null;
}

const draftingPermissions: readonly Permission[] = ["rules:manage", "strategies:manage"];

function staffOf(actor: Actor): Staff {
  if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
  return actor;
}

function assertMayDraft(actor: Staff): void {
  if (!draftingPermissions.some((permission) => actor.permissions.includes(permission))) {
    throw new AppError("FORBIDDEN", "drafting templates needs the permission rules:manage or strategies:manage", { permission: "strategies:manage" });
  }
}

function assertVerdict(verdict: Verdict, details?: unknown): void {
  if (!verdict.ok) throw new AppError(verdict.code, verdict.message, details);
}

function presentVersion(row: VersionRow): VersionView {
  return {
    id: row.id,
    version: row.version,
    status: row.status,
    body: row.body,
    subject: row.subject,
    variables: row.variables,
    createdBy: row.createdByName,
    createdAt: row.createdAt.toISOString(),
    submittedBy: row.submittedByName,
    submittedAt: row.submittedAt?.toISOString() ?? null,
    decidedBy: row.decidedByName,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisionNote: row.decisionNote,
    contentCheck: (row.contentCheck as ContentCheckResult | null) ?? null,
  };
}

function presentTemplate(template: TemplateRow, versions: readonly VersionRow[]): TemplateView {
  const approved = versions.find((version) => version.status === "approved");
  return {
    id: template.id,
    code: template.code,
    name: template.name,
    channel: template.channel,
    language: template.language,
    purpose: template.purpose,
    contentClass: template.contentClass,
    createdAt: template.createdAt.toISOString(),
    retiredAt: template.retiredAt?.toISOString() ?? null,
    inUse: approved && !template.retiredAt ? { versionId: approved.id, version: approved.version } : null,
    versions: versions.map(presentVersion),
  };
}

/** The parts of a body and subject, or a validation error naming the field and each problem. */
function parseOrRefuse(
  channel: TemplateChannel,
  body: string,
  subject: string | null,
): { body: TemplatePart[]; subject: TemplatePart[] | null; variables: VariableName[] } {
  const problem = channelProblem(channel, body, subject);
  if (problem) throw new AppError("VALIDATION_FAILED", `${problem.field}: ${problem.message}`, { field: problem.field });
  const parsedBody = parseTemplate(body);
  if (!parsedBody.ok) throw syntaxError("body", parsedBody.problems);
  const parsedSubject = subject ? parseTemplate(subject) : null;
  if (parsedSubject && !parsedSubject.ok) throw syntaxError("subject", parsedSubject.problems);
  const variables = [...new Set([...(parsedSubject?.ok ? parsedSubject.variables : []), ...parsedBody.variables])];
  return { body: parsedBody.parts, subject: parsedSubject?.ok ? parsedSubject.parts : null, variables };
}

function syntaxError(field: "body" | "subject", problems: SyntaxProblem[]): AppError {
  return new AppError("VALIDATION_FAILED", `${field}: ${problems.map((problem) => problem.messageEn).join("; ")}`, { field, problems });
}

function institutionNameOf(lender: { name: string; nameEn: string }, language: TemplateLanguage): string {
  return language === "en" ? lender.nameEn : lender.name;
}

interface Rendered {
  text: string;
  subject: string | null;
  bodySegments: RenderedSegment[];
  subjectSegments: RenderedSegment[];
}

function renderOrMissing(
  parts: { body: TemplatePart[]; subject: TemplatePart[] | null },
  values: TemplateValues,
  language: TemplateLanguage,
): Rendered | VariableName[] {
  const body = renderTemplate(parts.body, values, language);
  const subject = parts.subject ? renderTemplate(parts.subject, values, language) : null;
  const missing = [...(subject && !subject.ok ? subject.missing : []), ...(body.ok ? [] : body.missing)];
  if (!body.ok || (subject && !subject.ok)) return [...new Set(missing)];
  return {
    text: body.text,
    subject: subject?.ok ? subject.text : null,
    bodySegments: body.segments,
    subjectSegments: subject?.ok ? subject.segments : [],
  };
}

interface CheckEnvironment {
  lender: TemplateLender;
  settings: { pack: string; version: string };
}

/** What a content check reads besides the text: the lender's names and its rule pack in effect now. */
export async function checkEnvironmentOf(context: AppContext, executor: Executor, lenderId: string): Promise<CheckEnvironment> {
  const lender = await lenderForTemplates(executor, lenderId);
  const settings = complianceSettingsOf(lender.complianceSettings);
  return { lender, settings: { pack: settings.pack, version: resolvePack(settings.pack, context.clock.now(), settings.overrides).version } };
}

/** The content check of the lender's rule pack over the version rendered with sample values. */
export function checkContentOf(
  context: AppContext,
  environment: CheckEnvironment,
  template: Pick<TemplateRow, "channel" | "language" | "contentClass">,
  parts: { body: TemplatePart[]; subject: TemplatePart[] | null },
): ContentCheckResult {
  const { lender, settings } = environment;
  const institutionName = institutionNameOf(lender, template.language);
  const values = sampleValues({ institutionName, repaymentLink: lender.repaymentLink, currency: lender.currency, language: template.language });
  const rendered = renderOrMissing(parts, values, template.language);
  if (Array.isArray(rendered)) throw new Error(`assertion failed: the sample values lack ${rendered.join(", ")}`);
  const subjectPrefix = rendered.subject === null ? "" : `${rendered.subject}\n`;
  const text = `${subjectPrefix}${rendered.text}`;
  const check = checkTemplate(text, {
    pack: settings.pack,
    at: context.clock.now(),
    channel: template.channel,
    contentClass: template.contentClass,
    role: "borrower",
    institutionName,
    locale: template.language,
  });
  const findings = check.findings.map((finding): TemplateFinding => {
    if (!finding.span) return finding;
    const inSubject = finding.span.start < subjectPrefix.length;
    const offset = inSubject ? 0 : subjectPrefix.length;
    const mapped = sourceSpanOf(inSubject ? rendered.subjectSegments : rendered.bodySegments, {
      start: finding.span.start - offset,
      end: finding.span.end - offset,
    });
    return mapped ? { ...finding, sourceSpan: { field: inSubject ? "subject" : "body", ...mapped } } : finding;
  });
  return {
    pack: settings.pack,
    packVersion: settings.version,
    passes: check.approvable,
    findings,
    renderedText: text,
    checkedAt: context.clock.now().toISOString(),
  };
}

async function audit(executor: Executor, context: AppContext, actor: Staff, action: string, templateId: string, details: Record<string, unknown>) {
  await appendAudit(
    executor,
    { actorType: "staff", actorId: actor.userId, action, targetType: "message_template", targetId: templateId, details },
    context.clock.now(),
  );
}

async function loadTemplate(executor: Executor, actor: Staff, templateId: string, lock = false): Promise<TemplateRow> {
  const template = await findTemplate(executor, actor.lenderId, templateId, { lock });
  if (!template) throw new AppError("NOT_FOUND", `template ${templateId} not found`);
  return template;
}

async function loadVersion(executor: Executor, templateId: string, versionId: string): Promise<VersionRow> {
  const version = await findVersion(executor, templateId, versionId);
  if (!version) throw new AppError("NOT_FOUND", `version ${versionId} of template ${templateId} not found`, { field: "versionId" });
  return version;
}

export async function listTemplates(
  context: AppContext,
  actorInput: Actor,
  filter: { channel?: TemplateChannel; language?: TemplateLanguage } = {},
): Promise<TemplateView[]> {
  const actor = staffOf(actorInput);
  assertMayDraft(actor);
  const { db } = context.database;
  const templates = await listTemplateRows(db, actor.lenderId, filter);
  const versions = await listVersionRows(
    db,
    templates.map((template) => template.id),
  );
  return templates.map((template) =>
    presentTemplate(
      template,
      versions.filter((version) => version.templateId === template.id),
    ),
  );
}

export async function getTemplate(context: AppContext, actorInput: Actor, templateId: string): Promise<TemplateView> {
  const actor = staffOf(actorInput);
  assertMayDraft(actor);
  const { db } = context.database;
  const template = await loadTemplate(db, actor, templateId);
  return presentTemplate(template, await listVersionRows(db, [templateId]));
}

/** A new template with its first version as a draft. */
export async function createTemplate(context: AppContext, actorInput: Actor, input: NewTemplate): Promise<TemplateView> {
  const actor = staffOf(actorInput);
  assertMayDraft(actor);
  const parts = parseOrRefuse(input.channel, input.body, input.subject);
  const contentClass = input.contentClass ?? defaultContentClass[input.purpose];
  const contentCheck = checkContentOf(
    context,
    await checkEnvironmentOf(context, context.database.db, actor.lenderId),
    { channel: input.channel, language: input.language, contentClass },
    parts,
  );
  const templateId = randomUUID();
  await context.database.db.transaction().execute(async (trx) => {
    if (await findTemplateByKey(trx, actor.lenderId, input)) {
      throw new AppError("CONFLICT", `a ${input.channel} template ${input.code} in ${input.language} exists already; add a version to it`, { field: "code" });
    }
    const now = context.clock.now();
    await insertTemplate(trx, {
      id: templateId,
      lenderId: actor.lenderId,
      code: input.code,
      name: input.name,
      channel: input.channel,
      language: input.language,
      purpose: input.purpose,
      contentClass,
      createdAt: now,
      retiredAt: null,
      createdBy: actor.userId,
    });
    const versionId = randomUUID();
    await insertVersion(trx, {
      id: versionId,
      templateId,
      version: 1,
      body: input.body,
      subject: input.subject,
      variables: parts.variables,
      createdBy: actor.userId,
      createdAt: now,
      contentCheck,
    });
    await audit(trx, context, actor, "template.created", templateId, {
      code: input.code,
      channel: input.channel,
      language: input.language,
      purpose: input.purpose,
      versionId,
      version: 1,
      contentCheckPasses: contentCheck.passes,
    });
  });
  return getTemplate(context, actor, templateId);
}

/**
 * A new draft version. A draft or pending version not yet decided is superseded by it; the
 * approved version stays in use until this one is approved.
 */
export async function addVersion(
  context: AppContext,
  actorInput: Actor,
  templateId: string,
  input: { body: string; subject: string | null },
): Promise<TemplateView> {
  const actor = staffOf(actorInput);
  assertMayDraft(actor);
  const environment = await checkEnvironmentOf(context, context.database.db, actor.lenderId);
  await context.database.db.transaction().execute(async (trx) => {
    const template = await loadTemplate(trx, actor, templateId, true);
    if (template.retiredAt) throw new AppError("CONFLICT", `template ${template.code} is retired`);
    const parts = parseOrRefuse(template.channel, input.body, input.subject);
    const contentCheck = checkContentOf(context, environment, template, parts);
    const open = await findVersionByStatus(trx, templateId, ["draft", "pending_approval"]);
    if (open) await setVersionStatus(trx, open.id, { status: "superseded" });
    const version = await nextVersionNumber(trx, templateId);
    const versionId = randomUUID();
    await insertVersion(trx, {
      id: versionId,
      templateId,
      version,
      body: input.body,
      subject: input.subject,
      variables: parts.variables,
      createdBy: actor.userId,
      createdAt: context.clock.now(),
      contentCheck,
    });
    await audit(trx, context, actor, "template.version_created", templateId, {
      versionId,
      version,
      supersedes: open ? { versionId: open.id, version: open.version, status: open.status } : null,
      contentCheckPasses: contentCheck.passes,
    });
  });
  return getTemplate(context, actor, templateId);
}

export async function submitVersion(context: AppContext, actorInput: Actor, templateId: string, versionId: string): Promise<TemplateView> {
  const actor = staffOf(actorInput);
  assertMayDraft(actor);
  await context.database.db.transaction().execute(async (trx) => {
    const template = await loadTemplate(trx, actor, templateId, true);
    if (template.retiredAt) throw new AppError("CONFLICT", `template ${template.code} is retired`);
    const version = await loadVersion(trx, templateId, versionId);
    assertVerdict(decideSubmit(version));
    const now = context.clock.now();
    await setVersionStatus(trx, versionId, { status: "pending_approval", submittedBy: actor.userId, submittedAt: now });
    await audit(trx, context, actor, "template.submitted", templateId, { versionId, version: version.version });
  });
  return getTemplate(context, actor, templateId);
}

/**
 * Approval by a compliance officer who neither wrote nor submitted the version, and only when the
 * content check passes now (the pack may have changed since the draft). A refusal for content is
 * recorded in the audit log and changes nothing else; its findings travel with the error.
 */
export async function approveVersion(context: AppContext, actorInput: Actor, templateId: string, versionId: string): Promise<TemplateView> {
  const actor = staffOf(actorInput);
  let refusal: { check: ContentCheckResult; version: number } | null = null;
  const environment = await checkEnvironmentOf(context, context.database.db, actor.lenderId);
  await context.database.db.transaction().execute(async (trx) => {
    const template = await loadTemplate(trx, actor, templateId, true);
    if (template.retiredAt) throw new AppError("CONFLICT", `template ${template.code} is retired`);
    const version = await loadVersion(trx, templateId, versionId);
    assertVerdict(decideApprover(version, actor.userId));
    const parts = parseOrRefuse(template.channel, version.body, version.subject);
    const check = checkContentOf(context, environment, template, parts);
    if (!check.passes) {
      refusal = { check, version: version.version };
      return;
    }
    const now = context.clock.now();
    const previous = await findVersionByStatus(trx, templateId, ["approved"]);
    if (previous) await setVersionStatus(trx, previous.id, { status: "superseded" });
    await setVersionStatus(trx, versionId, { status: "approved", decidedBy: actor.userId, decidedAt: now, contentCheck: check });
    await audit(trx, context, actor, "template.approved", templateId, {
      versionId,
      version: version.version,
      pack: `${check.pack}@${check.packVersion}`,
      supersedes: previous ? { versionId: previous.id, version: previous.version } : null,
    });
  });
  if (refusal) {
    const { check, version } = refusal as { check: ContentCheckResult; version: number };
    await context.database.db.transaction().execute((trx) =>
      audit(trx, context, actor, "template.approval_refused", templateId, {
        versionId,
        version,
        pack: `${check.pack}@${check.packVersion}`,
        findings: check.findings.map((finding) => ({ rule: finding.rule, kind: finding.kind, span: finding.span?.text ?? null })),
      }),
    );
    const summary = check.findings.map((finding) => finding.messageEn).join("; ");
    throw new AppError("CONFLICT", `the content check fails, so the version cannot be approved: ${summary}`, {
      reason: "content_check_failed",
      contentCheck: check,
    });
  }
  return getTemplate(context, actor, templateId);
}

export async function rejectVersion(context: AppContext, actorInput: Actor, templateId: string, versionId: string, note: string): Promise<TemplateView> {
  const actor = staffOf(actorInput);
  await context.database.db.transaction().execute(async (trx) => {
    await loadTemplate(trx, actor, templateId, true);
    const version = await loadVersion(trx, templateId, versionId);
    assertVerdict(decideReject(version));
    await setVersionStatus(trx, versionId, { status: "rejected", decidedBy: actor.userId, decidedAt: context.clock.now(), decisionNote: note });
    await audit(trx, context, actor, "template.rejected", templateId, { versionId, version: version.version, note });
  });
  return getTemplate(context, actor, templateId);
}

/** A retired template is sent no more; its approved version is retired and an open one superseded. */
export async function retireTemplate(context: AppContext, actorInput: Actor, templateId: string): Promise<TemplateView> {
  const actor = staffOf(actorInput);
  await context.database.db.transaction().execute(async (trx) => {
    const template = await loadTemplate(trx, actor, templateId, true);
    if (template.retiredAt) throw new AppError("CONFLICT", `template ${template.code} is retired already`);
    const approved = await findVersionByStatus(trx, templateId, ["approved"]);
    if (approved) await setVersionStatus(trx, approved.id, { status: "retired" });
    const open = await findVersionByStatus(trx, templateId, ["draft", "pending_approval"]);
    if (open) await setVersionStatus(trx, open.id, { status: "superseded" });
    await retireTemplateRow(trx, templateId, actor.userId, context.clock.now());
    await audit(trx, context, actor, "template.retired", templateId, { approvedVersionId: approved?.id ?? null });
  });
  return getTemplate(context, actor, templateId);
}

// ——— rendering with a case's own numbers ———

/** What each variable stands for on this case; a reminder before the due date names the next one. */
function valuesForCase(
  figures: CaseFigures,
  purpose: TemplatePurpose,
  lender: { name: string; nameEn: string; repaymentLink: string | null },
  language: TemplateLanguage,
): TemplateValues {
  const dueDate = purpose === "overdue" ? (figures.overdueSinceOn ?? figures.nextDueOn) : (figures.nextDueOn ?? figures.overdueSinceOn);
  return {
    borrowerName: figures.borrowerName,
    amountOverdue: { amountMinor: figures.overdueMinor, currency: figures.currency },
    daysOverdue: BigInt(figures.daysPastDue),
    penaltySoFar: { amountMinor: figures.penaltySoFarMinor, currency: figures.currency },
    dueDate,
    repaymentLink: lender.repaymentLink,
    institutionName: institutionNameOf(lender, language),
  };
}

function missingError(missing: readonly VariableName[], caseId: string | null): AppError {
  const names = missing.map((name) => `${name} (${variableCatalogue[name].labelEn})`).join(", ");
  return new AppError("CONFLICT", caseId ? `case ${caseId} has no value for ${names}` : `no value for ${names}`, { reason: "missing_values", missing });
}

export type PreviewResult =
  | { ok: true; text: string; subject: string | null; basedOn: "case" | "sample"; contentCheck: ContentCheckResult; variables: VariableName[] }
  | { ok: false; problems: (SyntaxProblem & { field: "body" | "subject" })[] };

/**
 * A rendering for the editor: the saved version (or the text being edited) with a case's own
 * numbers when a case in the caller's scope is named, else the sample values; with the content
 * check of the sample rendering, and syntax problems instead when the text does not parse.
 */
export async function previewTemplate(
  context: AppContext,
  actorInput: Actor,
  templateId: string,
  input: { versionId?: string; body?: string; subject?: string | null; caseId?: string },
): Promise<PreviewResult> {
  const actor = staffOf(actorInput);
  assertMayDraft(actor);
  const { db } = context.database;
  const template = await loadTemplate(db, actor, templateId);
  let body = input.body;
  let subject = input.subject ?? null;
  if (body === undefined) {
    const version = input.versionId
      ? await loadVersion(db, templateId, input.versionId)
      : await findVersionByStatus(db, templateId, ["draft", "pending_approval", "approved"]);
    if (!version) throw new AppError("NOT_FOUND", `template ${templateId} has no version to preview`, { field: "versionId" });
    body = version.body;
    subject = version.subject;
  }
  const parsedBody = parseTemplate(body);
  const parsedSubject = subject ? parseTemplate(subject) : null;
  const problems = [
    ...(parsedSubject && !parsedSubject.ok ? parsedSubject.problems.map((problem) => ({ ...problem, field: "subject" as const })) : []),
    ...(parsedBody.ok ? [] : parsedBody.problems.map((problem) => ({ ...problem, field: "body" as const }))),
  ];
  if (!parsedBody.ok || (parsedSubject && !parsedSubject.ok)) return { ok: false, problems };
  const parts = { body: parsedBody.parts, subject: parsedSubject?.ok ? parsedSubject.parts : null };
  const variables = [...new Set([...(parsedSubject?.ok ? parsedSubject.variables : []), ...parsedBody.variables])];
  const environment = await checkEnvironmentOf(context, context.database.db, actor.lenderId);
  const contentCheck = checkContentOf(context, environment, template, parts);
  const { lender } = environment;
  let values = sampleValues({
    institutionName: institutionNameOf(lender, template.language),
    repaymentLink: lender.repaymentLink,
    currency: lender.currency,
    language: template.language,
  });
  if (input.caseId) {
    if (!actor.permissions.includes("cases:read"))
      throw new AppError("FORBIDDEN", "previewing with a case needs the permission cases:read", { field: "caseId" });
    values = valuesForCase(await caseFiguresFor(context, actor, input.caseId), template.purpose, lender, template.language);
  }
  const rendered = renderOrMissing(parts, values, template.language);
  if (Array.isArray(rendered)) throw missingError(rendered, input.caseId ?? null);
  return { ok: true, text: rendered.text, subject: rendered.subject, basedOn: input.caseId ? "case" : "sample", contentCheck, variables };
}

export interface CaseTemplateOption {
  templateId: string;
  versionId: string;
  version: number;
  code: string;
  name: string;
  channel: TemplateChannel;
  language: TemplateLanguage;
  purpose: TemplatePurpose;
  /** The message as it would be sent on this case, or null with the variables the case lacks. */
  text: string | null;
  subject: string | null;
  missing: VariableName[];
}

/** The approved templates of a channel, each rendered with the case's own numbers: the agent's picker. */
export async function templatesForCase(context: AppContext, actorInput: Actor, caseId: string, channel: "sms" | "email"): Promise<CaseTemplateOption[]> {
  const actor = staffOf(actorInput);
  const { db } = context.database;
  const figures = await caseFiguresFor(context, actor, caseId);
  const lender = await lenderForTemplates(db, actor.lenderId);
  const templates = (await listTemplateRows(db, actor.lenderId, { channel })).filter((template) => !template.retiredAt);
  const options: CaseTemplateOption[] = [];
  for (const template of templates) {
    const approved = await findVersionByStatus(db, template.id, ["approved"]);
    if (!approved) continue;
    const parts = parseOrRefuse(template.channel, approved.body, approved.subject);
    const rendered = renderOrMissing(parts, valuesForCase(figures, template.purpose, lender, template.language), template.language);
    options.push({
      templateId: template.id,
      versionId: approved.id,
      version: approved.version,
      code: template.code,
      name: template.name,
      channel: template.channel,
      language: template.language,
      purpose: template.purpose,
      text: Array.isArray(rendered) ? null : rendered.text,
      subject: Array.isArray(rendered) ? null : rendered.subject,
      missing: Array.isArray(rendered) ? rendered : [],
    });
  }
  return options;
}

export interface TemplateSendResult {
  attemptId: string;
  status: "blocked" | "deferred" | "in_progress" | "sent";
  decision: StoredDecision;
  templateId: string;
  versionId: string;
  text: string;
}

/**
 * Sends a template's approved version to the case's borrower (or one of their contacts): rendered
 * with the case's own numbers, then through the gateway like any message — decided, stored, and
 * put in the outbox only when allowed. The attempt records the version it sent.
 */
export async function sendTemplateMessage(
  context: AppContext,
  actorInput: Actor,
  caseId: string,
  input: { templateId: string; versionId?: string; contactId: string | null },
): Promise<TemplateSendResult> {
  const actor = staffOf(actorInput);
  const { db } = context.database;
  const figures = await caseFiguresFor(context, actor, caseId);
  const template = await findTemplate(db, actor.lenderId, input.templateId);
  if (!template) throw new AppError("NOT_FOUND", `template ${input.templateId} not found`, { field: "templateId" });
  if (template.channel !== "sms" && template.channel !== "email") {
    throw new AppError("VALIDATION_FAILED", `templateId: a ${template.channel} template is not sent as a message`, { field: "templateId" });
  }
  if (template.retiredAt) throw new AppError("CONFLICT", `template ${template.code} is retired and cannot be sent`, { field: "templateId" });
  const approved = await findVersionByStatus(db, template.id, ["approved"]);
  if (!approved)
    throw new AppError("CONFLICT", `template ${template.code} has no approved version; only an approved template is sent`, { field: "templateId" });
  if (input.versionId && input.versionId !== approved.id) {
    throw new AppError("CONFLICT", `version ${input.versionId} is not the approved version of template ${template.code}; review the text again`, {
      field: "versionId",
      approvedVersionId: approved.id,
    });
  }
  const lender = await lenderForTemplates(db, actor.lenderId);
  const parts = parseOrRefuse(template.channel, approved.body, approved.subject);
  const rendered = renderOrMissing(parts, valuesForCase(figures, template.purpose, lender, template.language), template.language);
  if (Array.isArray(rendered)) throw missingError(rendered, caseId);
  // The e-mail's subject travels as its first line: the outbox keeps one text per message.
  const text = rendered.subject === null ? rendered.text : `${rendered.subject}\n${rendered.text}`;
  const channel = template.channel;
  const result = await db.transaction().execute(async (trx) => {
    if (input.contactId) {
      const contact = await trx
        .selectFrom("borrower_contacts")
        .select("id")
        .where("id", "=", input.contactId)
        .where("borrower_id", "=", figures.borrowerId)
        .executeTakeFirst();
      if (!contact) throw new AppError("NOT_FOUND", `contact ${input.contactId} of the case's borrower not found`, { field: "contactId" });
    }
    return attemptContact(
      context,
      trx,
      requesterOf(actor),
      {
        borrowerId: figures.borrowerId,
        contactId: input.contactId,
        channel,
        contentClass: template.contentClass,
        text,
        loanId: null,
        at: context.clock.now(),
        templateVersionId: approved.id,
      },
      () => recipientOf(context, trx, figures.borrowerId, input.contactId, channel),
    );
  });
  return { ...result, templateId: template.id, versionId: approved.id, text };
}

/**
 * A template drafted by one user and approved by another in one step, inside the caller's
 * transaction: for seeding a lender's starting set. The content check still decides; a template
 * that fails it is a programmer's error here.
 */
export async function seedApprovedTemplate(
  context: AppContext,
  executor: Executor,
  input: NewTemplate & { lenderId: string; authorId: string; approverId: string },
): Promise<{ templateId: string; versionId: string }> {
  const parts = parseOrRefuse(input.channel, input.body, input.subject);
  const contentClass = input.contentClass ?? defaultContentClass[input.purpose];
  const check = checkContentOf(
    context,
    await checkEnvironmentOf(context, executor, input.lenderId),
    { channel: input.channel, language: input.language, contentClass },
    parts,
  );
  if (!check.passes)
    throw new Error(`assertion failed: template ${input.code} fails the content check: ${check.findings.map((finding) => finding.messageEn).join("; ")}`);
  const now = context.clock.now();
  const templateId = randomUUID();
  const versionId = randomUUID();
  await insertTemplate(executor, {
    id: templateId,
    lenderId: input.lenderId,
    code: input.code,
    name: input.name,
    channel: input.channel,
    language: input.language,
    purpose: input.purpose,
    contentClass,
    createdAt: now,
    retiredAt: null,
    createdBy: input.authorId,
  });
  await insertVersion(executor, {
    id: versionId,
    templateId,
    version: 1,
    body: input.body,
    subject: input.subject,
    variables: parts.variables,
    createdBy: input.authorId,
    createdAt: now,
    contentCheck: check,
  });
  await setVersionStatus(executor, versionId, { status: "pending_approval", submittedBy: input.authorId, submittedAt: now });
  await setVersionStatus(executor, versionId, { status: "approved", decidedBy: input.approverId, decidedAt: now, contentCheck: check });
  await appendAudit(
    executor,
    {
      actorType: "system",
      action: "template.seeded",
      targetType: "message_template",
      targetId: templateId,
      details: { code: input.code, channel: input.channel, language: input.language, versionId, authorId: input.authorId, approverId: input.approverId },
    },
    now,
  );
  return { templateId, versionId };
}
