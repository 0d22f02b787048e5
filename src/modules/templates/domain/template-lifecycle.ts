// A template version's life: draft → pending_approval → approved | rejected; an approved version
// is superseded when a newer one is approved, and retired with its template. A version is never
// edited: changing a template makes a new draft, and the approved version stays in use until the
// new one is approved. Approval is four-eyes (the author and the submitter may not approve) and
// needs a passing content check. Pure: the service loads, asks here, stores.

export const templateChannels = ["sms", "email", "voice_robot", "letter"] as const;
export type TemplateChannel = (typeof templateChannels)[number];

export const templatePurposes = ["pre_due", "overdue", "plan_reminder", "service"] as const;
export type TemplatePurpose = (typeof templatePurposes)[number];

export const versionStatuses = ["draft", "pending_approval", "approved", "rejected", "superseded", "retired"] as const;
export type VersionStatus = (typeof versionStatuses)[number];

/** An SMS longer than this is split into too many parts for a reminder. */
export const SMS_LENGTH_MAX = 500;
export const SUBJECT_LENGTH_MAX = 200;

/** The content class the gateway and the content check read, by purpose, unless the author names one. */
export const defaultContentClass: Record<TemplatePurpose, "collection" | "plan_reminder"> = {
  pre_due: "collection",
  overdue: "collection",
  plan_reminder: "plan_reminder",
  service: "collection",
};

export interface VersionFacts {
  status: VersionStatus;
  createdBy: string;
  submittedBy: string | null;
}

export type Refusal = { ok: false; code: "CONFLICT" | "FORBIDDEN"; message: string };
export type Verdict = { ok: true } | Refusal;

const allowed: Verdict = { ok: true };
const conflict = (message: string): Refusal => ({ ok: false, code: "CONFLICT", message });

export function decideSubmit(version: VersionFacts): Verdict {
  return version.status === "draft" ? allowed : conflict(`only a draft can be submitted; this version is ${version.status}`);
}

/** Who may approve: not the author, not the submitter (four-eyes), and only a version awaiting approval. */
export function decideApprover(version: VersionFacts, approverId: string): Verdict {
  if (version.status !== "pending_approval") return conflict(`only a version pending approval can be approved; this version is ${version.status}`);
  if (version.createdBy === approverId || version.submittedBy === approverId) {
    return { ok: false, code: "FORBIDDEN", message: "four-eyes: the author or submitter of a version cannot approve it" };
  }
  return allowed;
}

export function decideReject(version: VersionFacts): Verdict {
  return version.status === "pending_approval" ? allowed : conflict(`only a version pending approval can be rejected; this version is ${version.status}`);
}

/** What a version's text must look like on its channel; null when it fits. */
export function channelProblem(channel: TemplateChannel, body: string, subject: string | null): { field: "body" | "subject"; message: string } | null {
  if (body.trim().length === 0) return { field: "body", message: "the body is empty" };
  if (channel === "email") {
    if (!subject || subject.trim().length === 0) return { field: "subject", message: "an e-mail template needs a subject" };
    if (subject.length > SUBJECT_LENGTH_MAX) return { field: "subject", message: `the subject is longer than ${SUBJECT_LENGTH_MAX} characters` };
  } else if (subject !== null && subject.length > 0) {
    return { field: "subject", message: `only an e-mail has a subject, not ${channel}` };
  }
  if (channel === "sms" && body.length > SMS_LENGTH_MAX) return { field: "body", message: `an SMS template is at most ${SMS_LENGTH_MAX} characters` };
  return null;
}
