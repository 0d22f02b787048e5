// Rule packs are versioned data: each version has an effective date (read in the pack's own
// zone), its parameters and its citations. resolvePack picks the version in effect at an instant
// and applies a lender's overrides, which may only tighten a statutory limit: an override that
// loosens one, names an unknown parameter or has the wrong type is rejected naming the parameter.
// Resolved packs are cached per version (and per overrides object), so the hot path does not
// re-validate the same lender settings for every contact.
import { AppError } from "../../../platform/errors.js";
import type { PlainDate } from "../../../platform/plain-date.js";
import { epochDayOfPlainDate, isTimeZone, startOfLocalDay } from "./local-time.js";
import { cnParameterDefinitions, defaultValuesOf, type ParameterDefinition, type ParameterValue, usParameterDefinitions } from "./pack-parameters.js";
import { nifaSourceOf, type RuleId, ruleCatalogue } from "./rule-catalogue.js";

export type RuleEngine = "cn" | "us-regf";

export interface RulePackVersion {
  id: string;
  engine: RuleEngine;
  version: string;
  /** First day the version applies, in the pack's zone. */
  effectiveFrom: PlainDate;
  /** The jurisdiction's zone: effective dates are read in it, and (cn) it is a person's zone when none is known. */
  timeZone: string;
  title: string;
  documents: readonly string[];
  parameters: readonly ParameterDefinition[];
  /** Citations that differ from the catalogue's (an earlier version cites an earlier document). */
  sources: Readonly<Partial<Record<RuleId, string>>>;
}

/** Pack id → its versions, oldest first. */
export type PackRegistry = Readonly<Record<string, readonly RulePackVersion[]>>;

/** Parameter name → value, for the pack being resolved. */
export type PackOverrides = Readonly<Record<string, ParameterValue>>;

export interface ResolvedPack {
  id: string;
  version: string;
  engine: RuleEngine;
  effectiveFrom: PlainDate;
  timeZone: string;
  values: Readonly<Record<string, ParameterValue>>;
  sources: ReadonlyMap<RuleId, string>;
}

export type RulePackProblem = "unknown_pack" | "not_in_effect" | "unknown_parameter" | "invalid_value" | "loosens_statutory_limit";

export class RulePackError extends AppError {
  override name = "RulePackError";
  constructor(
    readonly problem: RulePackProblem,
    readonly parameter: string | null,
    message: string,
  ) {
    super("VALIDATION_FAILED", message, { problem, parameter });
  }
}

const cnRuleIds = ruleCatalogue.filter((rule) => rule.pack === "cn-default").map((rule) => rule.id);

export const cnDefault2024: RulePackVersion = {
  id: "cn-default",
  engine: "cn",
  version: "2024.05",
  effectiveFrom: "2024-05-15",
  timeZone: "Asia/Shanghai",
  title: "China: NIFA post-loan collection guideline",
  documents: ["中国互联网金融协会《互联网金融贷后催收业务指引》(2024-05-15)"],
  parameters: cnParameterDefinitions,
  sources: Object.fromEntries(ruleCatalogue.filter((rule) => rule.pack === "cn-default").map((rule) => [rule.id, nifaSourceOf(rule.source)])) as Partial<
    Record<RuleId, string>
  >,
};

export const cnDefault2025: RulePackVersion = {
  id: "cn-default",
  engine: "cn",
  version: "2025.02",
  effectiveFrom: "2025-02-28",
  timeZone: "Asia/Shanghai",
  title: "China: GB/T 45251-2025 post-loan collection risk control guideline",
  documents: ["GB/T 45251-2025《互联网金融 个人网络消费信贷 贷后催收风控指引》(2025-02-28 发布并实施)"],
  parameters: cnParameterDefinitions,
  sources: {},
};

export const usRegF2021: RulePackVersion = {
  id: "us-regf",
  engine: "us-regf",
  version: "2021.11",
  effectiveFrom: "2021-11-30",
  timeZone: "America/New_York",
  title: "United States: Regulation F (12 CFR part 1006)",
  documents: ["12 CFR part 1006 (Regulation F), effective 2021-11-30", "15 U.S.C. 1692–1692p (FDCPA)"],
  parameters: usParameterDefinitions,
  sources: {},
};

export const defaultPackRegistry: PackRegistry = {
  "cn-default": [cnDefault2024, cnDefault2025],
  "us-regf": [usRegF2021],
};

export const engineRuleIds: Readonly<Record<RuleEngine, readonly RuleId[]>> = {
  cn: cnRuleIds,
  "us-regf": ruleCatalogue.filter((rule) => rule.pack === "us-regf").map((rule) => rule.id),
};

const effectiveFromMsCache = new WeakMap<RulePackVersion, number>();

function effectiveFromMsOf(version: RulePackVersion): number {
  let value = effectiveFromMsCache.get(version);
  if (value === undefined) {
    value = startOfLocalDay(version.timeZone, epochDayOfPlainDate(version.effectiveFrom));
    effectiveFromMsCache.set(version, value);
  }
  return value;
}

function instantMsOf(at: string | number | Date): number {
  const value = typeof at === "number" ? at : typeof at === "string" ? Date.parse(at) : at.getTime();
  if (!Number.isFinite(value)) throw new RulePackError("invalid_value", null, `not an instant: ${String(at)}`);
  return value;
}

/** The version of a pack in effect at an instant. */
export function packVersionAt(id: string, at: string | number | Date, packs: PackRegistry = defaultPackRegistry): RulePackVersion {
  const versions = Object.hasOwn(packs, id) ? packs[id] : undefined;
  if (!versions || versions.length === 0) {
    throw new RulePackError("unknown_pack", null, `unknown rule pack ${JSON.stringify(id)} (known: ${Object.keys(packs).join(", ")})`);
  }
  const atMs = instantMsOf(at);
  let found: RulePackVersion | null = null;
  for (const version of versions) if (effectiveFromMsOf(version) <= atMs) found = version;
  if (!found) {
    throw new RulePackError("not_in_effect", null, `no version of rule pack ${id} is in effect at ${new Date(atMs).toISOString()}`);
  }
  return found;
}

function describeValue(value: ParameterValue): string {
  return JSON.stringify(value);
}

function checkType(definition: ParameterDefinition, value: unknown): ParameterValue {
  const name = definition.name;
  const invalid = (message: string) => new RulePackError("invalid_value", name, `override ${name}: ${message}`);
  if (typeof definition.defaultValue === "number") {
    if (typeof value !== "number" || !Number.isInteger(value)) throw invalid("must be a whole number");
    if (definition.minimum !== null && value < definition.minimum) throw invalid(`must be at least ${definition.minimum}`);
    if (definition.maximum !== null && value > definition.maximum) throw invalid(`must be at most ${definition.maximum}`);
    return value;
  }
  if (typeof definition.defaultValue === "boolean") {
    if (typeof value !== "boolean") throw invalid("must be true or false");
    return value;
  }
  if (Array.isArray(definition.defaultValue)) {
    if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) throw invalid("must be a list of names");
    for (const item of value as string[]) {
      const isKnown = definition.items === "time_zone" ? isTimeZone(item) : definition.items === null || definition.items.includes(item);
      if (!isKnown) throw invalid(`${JSON.stringify(item)} is not one of the allowed values`);
    }
    return [...new Set(value as string[])];
  }
  if (typeof value !== "string") throw invalid("must be text");
  return value;
}

function isNoLooser(definition: ParameterDefinition, value: ParameterValue, baseline: ParameterValue): boolean {
  switch (definition.tighten) {
    case "lower":
      return (value as number) <= (baseline as number);
    case "higher":
      return (value as number) >= (baseline as number);
    case "true":
      return value === true || value === baseline;
    case "false":
      return value === false || value === baseline;
    case "subset":
      return (value as readonly string[]).every((item) => (baseline as readonly string[]).includes(item));
    case "superset":
      return (baseline as readonly string[]).every((item) => (value as readonly string[]).includes(item));
  }
}

function tighterOf(definition: ParameterDefinition, left: ParameterValue, right: ParameterValue): ParameterValue {
  switch (definition.tighten) {
    case "lower":
      return Math.min(left as number, right as number);
    case "higher":
      return Math.max(left as number, right as number);
    case "true":
      return (left as boolean) || (right as boolean);
    case "false":
      return (left as boolean) && (right as boolean);
    case "subset":
      return (left as readonly string[]).filter((item) => (right as readonly string[]).includes(item));
    case "superset":
      return [...new Set([...(left as readonly string[]), ...(right as readonly string[])])];
  }
}

function applyOverrides(version: RulePackVersion, overridesList: readonly PackOverrides[]): Record<string, ParameterValue> {
  const values = defaultValuesOf(version.parameters);
  const changed = new Set<string>();
  for (const overrides of overridesList) {
    for (const [name, raw] of Object.entries(overrides)) {
      const definition = version.parameters.find((item) => item.name === name);
      if (!definition) {
        throw new RulePackError("unknown_parameter", name, `rule pack ${version.id} ${version.version} has no parameter ${name}`);
      }
      const value = checkType(definition, raw);
      if (definition.isStatutory && !isNoLooser(definition, value, definition.defaultValue)) {
        throw new RulePackError(
          "loosens_statutory_limit",
          name,
          `override ${name} = ${describeValue(value)} loosens the statutory limit ${describeValue(definition.defaultValue)} of ${version.id} ${version.version}; an override may only tighten it`,
        );
      }
      // Two sources of overrides (the lender's and a scenario's) combine to the tighter of the two.
      values[name] = definition.isStatutory && changed.has(name) ? tighterOf(definition, values[name] as ParameterValue, value) : value;
      changed.add(name);
    }
  }
  const start = values["windowStartMinutes"];
  const end = values["windowEndMinutes"];
  if (typeof start === "number" && typeof end === "number" && start >= end) {
    throw new RulePackError("invalid_value", "windowEndMinutes", "override windowEndMinutes must be later than windowStartMinutes");
  }
  return values;
}

function buildResolved(version: RulePackVersion, values: Record<string, ParameterValue>): ResolvedPack {
  const sources = new Map<RuleId, string>();
  for (const rule of ruleCatalogue) {
    if (engineRuleIds[version.engine].includes(rule.id)) sources.set(rule.id, version.sources[rule.id] ?? rule.source);
  }
  return Object.freeze({
    id: version.id,
    version: version.version,
    engine: version.engine,
    effectiveFrom: version.effectiveFrom,
    timeZone: version.timeZone,
    values: Object.freeze(values),
    sources,
  });
}

const plainCache = new WeakMap<RulePackVersion, ResolvedPack>();
const overriddenCache = new WeakMap<RulePackVersion, WeakMap<PackOverrides, ResolvedPack>>();

function isEmpty(overrides: PackOverrides | undefined | null): boolean {
  if (!overrides) return true;
  for (const _ in overrides) return false;
  return true;
}

/** A pack version with overrides applied; cached when a single overrides object is reused. */
export function resolveVersion(version: RulePackVersion, overrides?: PackOverrides | readonly PackOverrides[] | null): ResolvedPack {
  const list = (Array.isArray(overrides) ? overrides : [overrides]).filter((item): item is PackOverrides => !isEmpty(item));
  if (list.length === 0) {
    let resolved = plainCache.get(version);
    if (!resolved) {
      resolved = buildResolved(version, applyOverrides(version, []));
      plainCache.set(version, resolved);
    }
    return resolved;
  }
  if (list.length === 1) {
    const only = list[0] as PackOverrides;
    let byOverrides = overriddenCache.get(version);
    if (!byOverrides) {
      byOverrides = new WeakMap();
      overriddenCache.set(version, byOverrides);
    }
    let resolved = byOverrides.get(only);
    if (!resolved) {
      resolved = buildResolved(version, applyOverrides(version, list));
      byOverrides.set(only, resolved);
    }
    return resolved;
  }
  return buildResolved(version, applyOverrides(version, list));
}

/**
 * The version of pack `id` in effect at `at`, with overrides applied. Throws RulePackError naming
 * the pack or the parameter when the pack is unknown or not yet in effect, or an override is
 * unknown, mistyped or loosens a statutory limit.
 */
export function resolvePack(
  id: string,
  at: string | number | Date,
  overrides?: PackOverrides | readonly PackOverrides[] | null,
  packs: PackRegistry = defaultPackRegistry,
): ResolvedPack {
  return resolveVersion(packVersionAt(id, at, packs), overrides);
}
