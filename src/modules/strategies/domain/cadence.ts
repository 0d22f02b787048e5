// A cadence (触达节奏): the steps a variant of a strategy takes with an account — an SMS three days
// before the due date, a robot call on the third day past due, a callback task for an agent on
// the fifth. Pure: the validation of a cadence and the steps that fall on an account's day.
//
// Whether a step may be sent at its preferred time is not decided here: the contact gateway
// applies the lender's rule pack (hours, caps) to every message and defers what falls outside.
import { AppError } from "../../../platform/errors.js";
import type { PlanningAccount } from "./segment.js";

export const cadenceChannels = ["sms", "email", "voice_robot", "agent"] as const;
export type CadenceChannel = (typeof cadenceChannels)[number];
export const cadenceAnchors = ["due", "dpd"] as const;

const STEP_KEY = /^[a-z0-9-]{1,32}$/;
/** The message template codes of migration 0017. */
const TEMPLATE_CODE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A limit on the steps of one cadence. */
export const CADENCE_STEPS_MAX = 64;
const DUE_DAY_MIN = -30;
const DPD_DAY_MAX = 720;

export interface CadenceStep {
  /** Unique in the cadence, [a-z0-9-]{1,32}, e.g. "d-3", "dpd-1-sms". */
  key: string;
  /** "due": day is relative to the next due date (-3 = three days before, 0 = the due day); "dpd": day is the days past due. */
  anchor: "due" | "dpd";
  /** -30..0 for "due", 1..720 for "dpd". */
  day: number;
  /** "agent" escalates to the agent queue: a callback task for the case. */
  channel: CadenceChannel;
  /** Required for sms, email and voice_robot: the code of a message template of that channel. */
  templateCode?: string;
  /** The preferred local time "HH:MM" in the borrower's zone. */
  at: string;
}

const stepKeys = ["key", "anchor", "day", "channel", "templateCode", "at"];

function refuse(field: string, message: string): never {
  throw new AppError("VALIDATION_FAILED", `${field} ${message}`, { field });
}

function parseStep(input: unknown, field: string): CadenceStep {
  if (typeof input !== "object" || input === null || Array.isArray(input)) refuse(field, "must be a step {key, anchor, day, channel, templateCode, at}");
  for (const key of Object.keys(input)) if (!stepKeys.includes(key)) refuse(`${field}.${key}`, "is not a field of a cadence step");
  const source = input as Record<string, unknown>;
  const { key, anchor, day, channel, templateCode, at } = source;
  if (typeof key !== "string" || !STEP_KEY.test(key)) refuse(`${field}.key`, `${JSON.stringify(key)} is not a step key (1-32 of a-z, 0-9 and -)`);
  if (anchor !== "due" && anchor !== "dpd") refuse(`${field}.anchor`, `${JSON.stringify(anchor)} is not an anchor (due, dpd)`);
  const [dayMin, dayMax] = anchor === "due" ? [DUE_DAY_MIN, 0] : [1, DPD_DAY_MAX];
  if (typeof day !== "number" || !Number.isInteger(day) || day < dayMin || day > dayMax)
    refuse(
      `${field}.day`,
      `${JSON.stringify(day)} is not a day for anchor ${anchor} (a whole number from ${dayMin} to ${dayMax}${anchor === "due" ? ", days relative to the due date" : ", days past due"})`,
    );
  if (typeof channel !== "string" || !(cadenceChannels as readonly string[]).includes(channel))
    refuse(`${field}.channel`, `${JSON.stringify(channel)} is not a channel (${cadenceChannels.join(", ")})`);
  if (channel === "agent") {
    if (templateCode !== undefined) refuse(`${field}.templateCode`, "must be left out: an agent step makes a callback task and sends no template");
  } else if (typeof templateCode !== "string" || !TEMPLATE_CODE.test(templateCode)) {
    refuse(
      `${field}.templateCode`,
      `${templateCode === undefined ? "is required" : `${JSON.stringify(templateCode)} is not a template code`} for a ${channel} step`,
    );
  }
  if (typeof at !== "string" || !LOCAL_TIME.test(at)) refuse(`${field}.at`, `${JSON.stringify(at)} is not a local time "HH:MM" (00:00 to 23:59)`);
  return { key, anchor, day, channel: channel as CadenceChannel, ...(templateCode === undefined ? {} : { templateCode: templateCode as string }), at };
}

/**
 * Checks a cadence from a request or the database; throws VALIDATION_FAILED naming the field
 * ("cadence[2].templateCode", under `field` when the cadence sits in a larger input). An empty cadence is allowed: a hold-out variant that is not contacted.
 */
export function parseCadence(input: unknown, field = "cadence"): CadenceStep[] {
  if (!Array.isArray(input)) refuse(field, "must be a list of steps");
  if (input.length > CADENCE_STEPS_MAX) refuse(field, `has more than ${CADENCE_STEPS_MAX} steps`);
  const steps: CadenceStep[] = [];
  const seen = new Set<string>();
  for (const [index, item] of input.entries()) {
    const step = parseStep(item, `${field}[${index}]`);
    if (seen.has(step.key)) refuse(`${field}[${index}].key`, `${JSON.stringify(step.key)} is the key of an earlier step; keys are unique in a cadence`);
    seen.add(step.key);
    steps.push(step);
  }
  return steps;
}

/** The steps that fall on the account's day: "due" steps whose day is -daysBeforeDue, "dpd" steps whose day is the DPD. */
export function stepsOnDay(cadence: readonly CadenceStep[], account: PlanningAccount): CadenceStep[] {
  const due: CadenceStep[] = [];
  for (const step of cadence) {
    if (step.anchor === "due" ? account.daysBeforeDue !== null && step.day === -account.daysBeforeDue : step.day === account.dpd) due.push(step);
  }
  return due;
}
