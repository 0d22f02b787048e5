// Templates as the reminder planner and dispatcher use them: a lender's approved versions by
// code, channel and language, and rendering a version with one account's figures. A version's
// text never changes once written (migration 0017), so parsed versions are cached by id.
import type { Executor } from "../../platform/db/index.js";
import type { TemplateChannel, TemplatePurpose } from "./domain/template-lifecycle.js";
import { renderTemplate } from "./domain/template-render.js";
import { parseTemplate, type TemplatePart } from "./domain/template-syntax.js";
import type { TemplateLanguage, TemplateValues, VariableName } from "./domain/template-variables.js";

export interface ApprovedTemplate {
  templateId: string;
  code: string;
  channel: TemplateChannel;
  language: TemplateLanguage;
  purpose: TemplatePurpose;
  contentClass: "collection" | "location_only" | "limited_content" | "plan_reminder";
  versionId: string;
  /** The version is still the one in use and the template is not retired. */
  isInUse: boolean;
  body: string;
  subject: string | null;
}

const PARSED_CACHE_MAX = 1_000;
const parsedByVersion = new Map<string, { body: TemplatePart[]; subject: TemplatePart[] | null }>();

function selectVersions(executor: Executor) {
  return executor
    .selectFrom("message_template_versions as v")
    .innerJoin("message_templates as t", "t.id", "v.template_id")
    .select([
      "t.id as template_id",
      "t.code",
      "t.channel",
      "t.language",
      "t.purpose",
      "t.content_class",
      "t.retired_at",
      "v.id as version_id",
      "v.status",
      "v.body",
      "v.subject",
    ]);
}

type VersionRow = Awaited<ReturnType<ReturnType<typeof selectVersions>["execute"]>>[number];

function approvedOf(row: VersionRow): ApprovedTemplate {
  return {
    templateId: row.template_id,
    code: row.code,
    channel: row.channel,
    language: row.language,
    purpose: row.purpose,
    contentClass: row.content_class,
    versionId: row.version_id,
    isInUse: row.status === "approved" && row.retired_at === null,
    body: row.body,
    subject: row.subject,
  };
}

/** The versions in use of a lender's templates (approved, template not retired). */
export async function approvedTemplatesOf(executor: Executor, lenderId: string): Promise<ApprovedTemplate[]> {
  const rows = await selectVersions(executor)
    .where("t.lender_id", "=", lenderId)
    .where("v.status", "=", "approved")
    .where("t.retired_at", "is", null)
    .execute();
  return rows.map(approvedOf);
}

/** One version, approved or since superseded; null when there is no such version. */
export async function templateVersionById(executor: Executor, versionId: string): Promise<ApprovedTemplate | null> {
  const row = await selectVersions(executor).where("v.id", "=", versionId).executeTakeFirst();
  return row ? approvedOf(row) : null;
}

function partsOf(template: ApprovedTemplate): { body: TemplatePart[]; subject: TemplatePart[] | null } {
  const cached = parsedByVersion.get(template.versionId);
  if (cached) return cached;
  const body = parseTemplate(template.body);
  const subject = template.subject ? parseTemplate(template.subject) : null;
  // An approved version parsed when it was written; failing now is a broken invariant.
  if (!body.ok || (subject && !subject.ok)) throw new Error(`assertion failed: approved template version ${template.versionId} does not parse`);
  const parts = { body: body.parts, subject: subject?.ok ? subject.parts : null };
  if (parsedByVersion.size >= PARSED_CACHE_MAX) parsedByVersion.clear();
  parsedByVersion.set(template.versionId, parts);
  return parts;
}

export type RenderedMessage = { ok: true; text: string; subject: string | null } | { ok: false; missing: VariableName[] };

/** The version rendered with one account's own figures, or the variables it has no value for. */
export function renderApprovedTemplate(template: ApprovedTemplate, values: TemplateValues): RenderedMessage {
  const parts = partsOf(template);
  const body = renderTemplate(parts.body, values, template.language);
  const subject = parts.subject ? renderTemplate(parts.subject, values, template.language) : null;
  if (!body.ok || (subject && !subject.ok)) {
    return { ok: false, missing: [...new Set([...(body.ok ? [] : body.missing), ...(subject && !subject.ok ? subject.missing : [])])] };
  }
  return { ok: true, text: body.text, subject: subject?.ok ? subject.text : null };
}
