// Message templates and their versions in the database: SQL in, plain values out.
import type { Executor } from "../../platform/db/index.js";
import type { TemplateChannel, TemplatePurpose, VersionStatus } from "./domain/template-lifecycle.js";
import type { TemplateLanguage } from "./domain/template-variables.js";

/** A lender keeps a few dozen templates; a listing stops here. */
export const TEMPLATES_LIST_MAX = 500;
/** The versions listed per template, newest first. */
export const VERSIONS_LIST_MAX = 50;

export interface TemplateRow {
  id: string;
  lenderId: string;
  code: string;
  name: string;
  channel: TemplateChannel;
  language: TemplateLanguage;
  purpose: TemplatePurpose;
  contentClass: "collection" | "location_only" | "limited_content" | "plan_reminder";
  createdAt: Date;
  retiredAt: Date | null;
}

export interface VersionRow {
  id: string;
  templateId: string;
  version: number;
  body: string;
  subject: string | null;
  variables: string[];
  status: VersionStatus;
  createdBy: string;
  createdByName: string | null;
  createdAt: Date;
  submittedBy: string | null;
  submittedByName: string | null;
  submittedAt: Date | null;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  contentCheck: unknown;
}

function templateQuery(executor: Executor) {
  return executor
    .selectFrom("message_templates")
    .select(["id", "lender_id", "code", "name", "channel", "language", "purpose", "content_class", "created_at", "retired_at"]);
}

function toTemplate(row: Awaited<ReturnType<ReturnType<typeof templateQuery>["executeTakeFirstOrThrow"]>>): TemplateRow {
  return {
    id: row.id,
    lenderId: row.lender_id,
    code: row.code,
    name: row.name,
    channel: row.channel,
    language: row.language,
    purpose: row.purpose,
    contentClass: row.content_class,
    createdAt: row.created_at,
    retiredAt: row.retired_at,
  };
}

function versionQuery(executor: Executor) {
  return executor
    .selectFrom("message_template_versions as v")
    .leftJoin("staff_users as author", "author.id", "v.created_by")
    .leftJoin("staff_users as submitter", "submitter.id", "v.submitted_by")
    .leftJoin("staff_users as decider", "decider.id", "v.decided_by")
    .select([
      "v.id",
      "v.template_id",
      "v.version",
      "v.body",
      "v.subject",
      "v.variables",
      "v.status",
      "v.created_by",
      "author.username as created_by_name",
      "v.created_at",
      "v.submitted_by",
      "submitter.username as submitted_by_name",
      "v.submitted_at",
      "v.decided_by",
      "decider.username as decided_by_name",
      "v.decided_at",
      "v.decision_note",
      "v.content_check",
    ]);
}

function toVersion(row: Awaited<ReturnType<ReturnType<typeof versionQuery>["executeTakeFirstOrThrow"]>>): VersionRow {
  return {
    id: row.id,
    templateId: row.template_id,
    version: row.version,
    body: row.body,
    subject: row.subject,
    variables: row.variables,
    status: row.status,
    createdBy: row.created_by,
    createdByName: row.created_by_name,
    createdAt: row.created_at,
    submittedBy: row.submitted_by,
    submittedByName: row.submitted_by_name,
    submittedAt: row.submitted_at,
    decidedBy: row.decided_by,
    decidedByName: row.decided_by_name,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
    contentCheck: row.content_check,
  };
}

export async function findTemplate(executor: Executor, lenderId: string, templateId: string, options: { lock?: boolean } = {}): Promise<TemplateRow | null> {
  let query = templateQuery(executor).where("id", "=", templateId).where("lender_id", "=", lenderId);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toTemplate(row) : null;
}

export async function findTemplateByKey(
  executor: Executor,
  lenderId: string,
  key: { code: string; channel: TemplateChannel; language: TemplateLanguage },
): Promise<TemplateRow | null> {
  const row = await templateQuery(executor)
    .where("lender_id", "=", lenderId)
    .where("code", "=", key.code)
    .where("channel", "=", key.channel)
    .where("language", "=", key.language)
    .executeTakeFirst();
  return row ? toTemplate(row) : null;
}

export async function listTemplateRows(
  executor: Executor,
  lenderId: string,
  filter: { channel?: TemplateChannel; language?: TemplateLanguage },
): Promise<TemplateRow[]> {
  let query = templateQuery(executor).where("lender_id", "=", lenderId);
  if (filter.channel) query = query.where("channel", "=", filter.channel);
  if (filter.language) query = query.where("language", "=", filter.language);
  const rows = await query.orderBy("code").orderBy("channel").orderBy("language").limit(TEMPLATES_LIST_MAX).execute();
  return rows.map(toTemplate);
}

export async function listVersionRows(executor: Executor, templateIds: readonly string[]): Promise<VersionRow[]> {
  if (templateIds.length === 0) return [];
  const rows = await versionQuery(executor).where("v.template_id", "in", templateIds).orderBy("v.template_id").orderBy("v.version", "desc").execute();
  const kept = new Map<string, number>();
  return rows
    .filter((row) => {
      const count = kept.get(row.template_id) ?? 0;
      kept.set(row.template_id, count + 1);
      return count < VERSIONS_LIST_MAX;
    })
    .map(toVersion);
}

export async function findVersion(executor: Executor, templateId: string, versionId: string): Promise<VersionRow | null> {
  const row = await versionQuery(executor).where("v.template_id", "=", templateId).where("v.id", "=", versionId).executeTakeFirst();
  return row ? toVersion(row) : null;
}

export async function findVersionByStatus(executor: Executor, templateId: string, statuses: readonly VersionStatus[]): Promise<VersionRow | null> {
  const row = await versionQuery(executor)
    .where("v.template_id", "=", templateId)
    .where("v.status", "in", statuses)
    .orderBy("v.version", "desc")
    .executeTakeFirst();
  return row ? toVersion(row) : null;
}

export async function nextVersionNumber(executor: Executor, templateId: string): Promise<number> {
  const row = await executor
    .selectFrom("message_template_versions")
    .select((eb) => eb.fn.max("version").as("version"))
    .where("template_id", "=", templateId)
    .executeTakeFirst();
  return Number(row?.version ?? 0) + 1;
}

export async function insertTemplate(executor: Executor, row: TemplateRow & { createdBy: string }): Promise<void> {
  await executor
    .insertInto("message_templates")
    .values({
      id: row.id,
      lender_id: row.lenderId,
      code: row.code,
      name: row.name,
      channel: row.channel,
      language: row.language,
      purpose: row.purpose,
      content_class: row.contentClass,
      created_by: row.createdBy,
      created_at: row.createdAt,
    })
    .execute();
}

export async function insertVersion(
  executor: Executor,
  row: {
    id: string;
    templateId: string;
    version: number;
    body: string;
    subject: string | null;
    variables: string[];
    createdBy: string;
    createdAt: Date;
    contentCheck: unknown;
  },
): Promise<void> {
  await executor
    .insertInto("message_template_versions")
    .values({
      id: row.id,
      template_id: row.templateId,
      version: row.version,
      body: row.body,
      subject: row.subject,
      variables: row.variables,
      status: "draft",
      created_by: row.createdBy,
      created_at: row.createdAt,
      content_check: JSON.stringify(row.contentCheck),
    })
    .execute();
}

export async function setVersionStatus(
  executor: Executor,
  versionId: string,
  change: {
    status: VersionStatus;
    submittedBy?: string;
    submittedAt?: Date;
    decidedBy?: string;
    decidedAt?: Date;
    decisionNote?: string | null;
    contentCheck?: unknown;
  },
): Promise<void> {
  await executor
    .updateTable("message_template_versions")
    .set({
      status: change.status,
      ...(change.submittedBy ? { submitted_by: change.submittedBy, submitted_at: change.submittedAt } : {}),
      ...(change.decidedBy ? { decided_by: change.decidedBy, decided_at: change.decidedAt } : {}),
      ...(change.decisionNote !== undefined ? { decision_note: change.decisionNote } : {}),
      ...(change.contentCheck !== undefined ? { content_check: JSON.stringify(change.contentCheck) } : {}),
    })
    .where("id", "=", versionId)
    .execute();
}

export async function retireTemplateRow(executor: Executor, templateId: string, by: string, at: Date): Promise<void> {
  await executor.updateTable("message_templates").set({ retired_at: at, retired_by: by }).where("id", "=", templateId).execute();
}

export interface TemplateLender {
  name: string;
  nameEn: string;
  repaymentLink: string | null;
  currency: string;
  complianceSettings: unknown;
}

export async function lenderForTemplates(executor: Executor, lenderId: string): Promise<TemplateLender> {
  const row = await executor
    .selectFrom("lenders")
    .select(["name", "name_en", "repayment_link", "currency", "compliance_settings"])
    .where("id", "=", lenderId)
    .executeTakeFirstOrThrow();
  return { name: row.name, nameEn: row.name_en, repaymentLink: row.repayment_link, currency: row.currency, complianceSettings: row.compliance_settings };
}
