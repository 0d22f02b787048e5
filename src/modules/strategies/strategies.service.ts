// Strategy use cases: a strategist drafts a strategy (segment, variants with shares and
// cadences), changes it (every change bumps the version and the audit keeps the previous
// definition), activates it once every template its cadences send has an approved version, and
// retires it. Supervisors, compliance and admins read them. Bad input names its field and changes nothing.
import { randomUUID } from "node:crypto";
import { appendAudit } from "../../platform/audit/index.js";
import type { Actor } from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import { AppError } from "../../platform/errors.js";
import type { CadenceStep } from "./domain/cadence.js";
import { parseSegment, type Segment } from "./domain/segment.js";
import { parseVariants, type VariantDefinition } from "./domain/strategy.js";
import {
  approvedTemplateKeys,
  countStrategies,
  findStrategyIdByCode,
  findStrategyRow,
  insertStrategy,
  listStrategyRows,
  replaceVariants,
  STRATEGIES_MAX,
  type StrategyRow,
  type StrategyStatus,
  updateStrategyRow,
} from "./strategies.repository.js";

const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
type Staff = Extract<Actor, { type: "staff" }>;

export interface StrategyView {
  id: string;
  code: string;
  name: string;
  priority: number;
  status: StrategyStatus;
  version: number;
  segment: Segment;
  variants: { id: string; code: string; shareBasisPoints: number; cadence: CadenceStep[] }[];
  createdBy: string | null;
  createdAt: string;
  updatedBy: string | null;
  updatedAt: string;
}

export interface StrategyInput {
  name: string;
  priority: number;
  segment: unknown;
  variants: unknown;
}

interface Definition {
  name: string;
  priority: number;
  segment: Segment;
  variants: VariantDefinition[];
}

function lenderStaff(actor: Actor): Staff {
  if (actor.type !== "staff") throw new AppError("UNAUTHENTICATED", "sign in first");
  return actor;
}

/** Strategies are the lender's own: its strategists define them, not an agency's staff. */
function lenderStrategist(actor: Actor): Staff {
  const staff = lenderStaff(actor);
  if (staff.agencyId) throw new AppError("FORBIDDEN", "strategies are defined by the lender's own strategists");
  return staff;
}

function present(row: StrategyRow): StrategyView {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    priority: row.priority,
    status: row.status,
    version: row.version,
    segment: row.segment,
    variants: row.variants.map((variant) => ({ id: variant.id, code: variant.code, shareBasisPoints: variant.shareBasisPoints, cadence: variant.cadence })),
    createdBy: row.createdByName,
    createdAt: row.createdAt.toISOString(),
    updatedBy: row.updatedByName,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The definition as the audit log keeps it. */
function definitionOf(row: { name: string; priority: number; segment: Segment; variants: readonly VariantDefinition[]; version: number }) {
  return {
    name: row.name,
    priority: row.priority,
    segment: row.segment,
    variants: row.variants.map((variant) => ({ code: variant.code, shareBasisPoints: variant.shareBasisPoints, cadence: variant.cadence })),
    version: row.version,
  };
}

function checkedDefinition(input: StrategyInput): Definition {
  if (input.name.trim() === "") throw new AppError("VALIDATION_FAILED", "name must not be blank", { field: "name" });
  if (!Number.isInteger(input.priority) || input.priority < 0 || input.priority > 100_000)
    throw new AppError("VALIDATION_FAILED", "priority must be a whole number from 0 to 100000", { field: "priority" });
  return { name: input.name.trim(), priority: input.priority, segment: parseSegment(input.segment), variants: parseVariants(input.variants) };
}

/**
 * Every step that sends a template must name a template of the lender, of the step's channel,
 * not retired, with an approved version; otherwise VALIDATION_FAILED naming the step's field.
 */
async function checkTemplates(executor: Executor, lenderId: string, variants: readonly VariantDefinition[]): Promise<void> {
  const codes = [...new Set(variants.flatMap((variant) => variant.cadence.flatMap((step) => (step.templateCode ? [step.templateCode] : []))))];
  const approved = await approvedTemplateKeys(executor, lenderId, codes);
  for (const [variantIndex, variant] of variants.entries()) {
    for (const [stepIndex, step] of variant.cadence.entries()) {
      if (!step.templateCode || approved.has(`${step.channel}:${step.templateCode}`)) continue;
      const field = `variants[${variantIndex}].cadence[${stepIndex}].templateCode`;
      throw new AppError(
        "VALIDATION_FAILED",
        `${field}: there is no ${step.channel} template ${JSON.stringify(step.templateCode)} with an approved version (step ${step.key} of variant ${variant.code})`,
        { field },
      );
    }
  }
}

async function lockedStrategy(executor: Executor, staff: Staff, id: string): Promise<StrategyRow> {
  const row = await findStrategyRow(executor, staff.lenderId, id, { lock: true });
  if (!row) throw new AppError("NOT_FOUND", `strategy ${id} not found`);
  return row;
}

export async function listStrategies(context: AppContext, actor: Actor): Promise<StrategyView[]> {
  const staff = lenderStaff(actor);
  return (await listStrategyRows(context.database.db, staff.lenderId)).map(present);
}

export async function getStrategy(context: AppContext, actor: Actor, id: string): Promise<StrategyView> {
  const staff = lenderStaff(actor);
  const row = await findStrategyRow(context.database.db, staff.lenderId, id);
  if (!row) throw new AppError("NOT_FOUND", `strategy ${id} not found`);
  return present(row);
}

/** Drafts a strategy. A draft is not used until it is activated. */
export async function createStrategy(context: AppContext, actor: Actor, input: StrategyInput & { code: string }): Promise<StrategyView> {
  const staff = lenderStrategist(actor);
  if (!CODE.test(input.code))
    throw new AppError("VALIDATION_FAILED", `code ${JSON.stringify(input.code)} is not a strategy code (letters, digits, - and _)`, { field: "code" });
  const definition = checkedDefinition(input);
  return context.database.db.transaction().execute(async (trx) => {
    if (await findStrategyIdByCode(trx, staff.lenderId, input.code))
      throw new AppError("CONFLICT", `a strategy with code ${input.code} exists`, { field: "code" });
    if ((await countStrategies(trx, staff.lenderId)) >= STRATEGIES_MAX)
      throw new AppError("CONFLICT", `a lender may define at most ${STRATEGIES_MAX} strategies`);
    const id = randomUUID();
    const now = context.clock.now();
    await insertStrategy(trx, { id, lenderId: staff.lenderId, code: input.code, ...definition, by: staff.userId, at: now });
    await replaceVariants(
      trx,
      id,
      [],
      definition.variants.map((variant) => ({ ...variant, id: randomUUID() })),
    );
    await appendAudit(
      trx,
      {
        actorType: "staff",
        actorId: staff.userId,
        action: "strategy.created",
        targetType: "strategy",
        targetId: id,
        details: { code: input.code, ...definitionOf({ ...definition, version: 1 }) },
      },
      now,
    );
    return present((await findStrategyRow(trx, staff.lenderId, id)) as StrategyRow);
  });
}

/**
 * Replaces the name, priority, segment and variants, and bumps the version. A variant keeps its
 * id while its code stays. An active strategy stays active, so its templates are checked again.
 */
export async function updateStrategy(context: AppContext, actor: Actor, id: string, input: StrategyInput): Promise<StrategyView> {
  const staff = lenderStrategist(actor);
  const definition = checkedDefinition(input);
  return context.database.db.transaction().execute(async (trx) => {
    const previous = await lockedStrategy(trx, staff, id);
    if (previous.status === "retired") throw new AppError("CONFLICT", `strategy ${previous.code} is retired; it is kept for the record and not changed`);
    if (previous.status === "active") await checkTemplates(trx, staff.lenderId, definition.variants);
    const now = context.clock.now();
    const version = previous.version + 1;
    await updateStrategyRow(trx, id, { name: definition.name, priority: definition.priority, segment: definition.segment, version, by: staff.userId, at: now });
    await replaceVariants(
      trx,
      id,
      previous.variants,
      definition.variants.map((variant) => ({ ...variant, id: previous.variants.find((old) => old.code === variant.code)?.id ?? randomUUID() })),
    );
    await appendAudit(
      trx,
      {
        actorType: "staff",
        actorId: staff.userId,
        action: "strategy.updated",
        targetType: "strategy",
        targetId: id,
        details: { code: previous.code, previous: definitionOf(previous), current: definitionOf({ ...definition, version }) },
      },
      now,
    );
    return present((await findStrategyRow(trx, staff.lenderId, id)) as StrategyRow);
  });
}

async function changeStatus(context: AppContext, actor: Actor, id: string, to: "active" | "retired"): Promise<StrategyView> {
  const staff = lenderStrategist(actor);
  return context.database.db.transaction().execute(async (trx) => {
    const row = await lockedStrategy(trx, staff, id);
    if (to === "active" && row.status !== "draft") throw new AppError("CONFLICT", `strategy ${row.code} is ${row.status}; only a draft can be activated`);
    if (to === "retired" && row.status === "retired") throw new AppError("CONFLICT", `strategy ${row.code} is retired already`);
    if (to === "active") await checkTemplates(trx, staff.lenderId, row.variants);
    const now = context.clock.now();
    const version = row.version + 1;
    await updateStrategyRow(trx, id, { status: to, version, by: staff.userId, at: now });
    await appendAudit(
      trx,
      {
        actorType: "staff",
        actorId: staff.userId,
        action: to === "active" ? "strategy.activated" : "strategy.retired",
        targetType: "strategy",
        targetId: id,
        details: { code: row.code, from: row.status, version },
      },
      now,
    );
    return present((await findStrategyRow(trx, staff.lenderId, id)) as StrategyRow);
  });
}

/** Puts a draft to use at the next reminder plan; refused while a step's template has no approved version. */
export function activateStrategy(context: AppContext, actor: Actor, id: string): Promise<StrategyView> {
  return changeStatus(context, actor, id, "active");
}

/** Takes a strategy out of use for good; it stays for the record and for the reports by strategy. */
export function retireStrategy(context: AppContext, actor: Actor, id: string): Promise<StrategyView> {
  return changeStatus(context, actor, id, "retired");
}

/** For the demo and tests: a strategy created and activated in the caller's transaction, as the system. */
export async function seedActiveStrategy(
  context: AppContext,
  executor: Executor,
  input: StrategyInput & { code: string; lenderId: string; authorId: string },
): Promise<string> {
  const definition = checkedDefinition(input);
  await checkTemplates(executor, input.lenderId, definition.variants);
  const id = randomUUID();
  const now = context.clock.now();
  await insertStrategy(executor, { id, lenderId: input.lenderId, code: input.code, ...definition, by: input.authorId, at: now });
  await replaceVariants(
    executor,
    id,
    [],
    definition.variants.map((variant) => ({ ...variant, id: randomUUID() })),
  );
  await updateStrategyRow(executor, id, { status: "active", version: 1, by: input.authorId, at: now });
  await appendAudit(
    executor,
    {
      actorType: "system",
      action: "strategy.seeded",
      targetType: "strategy",
      targetId: id,
      details: { code: input.code, ...definitionOf({ ...definition, version: 1 }), authorId: input.authorId },
    },
    now,
  );
  return id;
}
