// Strategies and their variants in the database: SQL in, domain values out. Also reads (never
// writes) the message templates, to tell which template codes have an approved version.
import type { Executor } from "../../platform/db/index.js";
import { isAppError } from "../../platform/errors.js";
import { parseCadence } from "./domain/cadence.js";
import { parseSegment, type Segment } from "./domain/segment.js";
import { compareVariants, type Strategy, type StrategyVariant, type VariantDefinition } from "./domain/strategy.js";

/** A lender defines a few dozen strategies; a listing stops here. */
export const STRATEGIES_MAX = 200;

export type StrategyStatus = "draft" | "active" | "retired";

export interface StrategyRow extends Strategy {
  lenderId: string;
  status: StrategyStatus;
  createdBy: string;
  createdByName: string | null;
  createdAt: Date;
  updatedBy: string;
  updatedByName: string | null;
  updatedAt: Date;
}

/** Stored definitions were checked when written; one that no longer parses is a broken invariant, not bad input. */
function checkedStored<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isAppError(error)) throw new Error(`assertion failed: stored ${what} does not parse: ${error.message}`);
    throw error;
  }
}

async function variantsOf(executor: Executor, strategyIds: readonly string[]): Promise<Map<string, StrategyVariant[]>> {
  const byStrategy = new Map<string, StrategyVariant[]>();
  if (strategyIds.length === 0) return byStrategy;
  const rows = await executor
    .selectFrom("strategy_variants")
    .select(["id", "strategy_id", "code", "share_basis_points", "cadence"])
    .where("strategy_id", "in", strategyIds as string[])
    .execute();
  for (const row of rows) {
    const variants = byStrategy.get(row.strategy_id) ?? [];
    variants.push({
      id: row.id,
      code: row.code,
      shareBasisPoints: row.share_basis_points,
      cadence: checkedStored(`cadence of variant ${row.id}`, () => parseCadence(row.cadence)),
    });
    byStrategy.set(row.strategy_id, variants);
  }
  for (const variants of byStrategy.values()) variants.sort(compareVariants);
  return byStrategy;
}

function strategyQuery(executor: Executor) {
  return executor
    .selectFrom("strategies as s")
    .leftJoin("staff_users as creator", "creator.id", "s.created_by")
    .leftJoin("staff_users as updater", "updater.id", "s.updated_by")
    .select([
      "s.id",
      "s.lender_id",
      "s.code",
      "s.name",
      "s.priority",
      "s.segment",
      "s.status",
      "s.version",
      "s.created_by",
      "creator.username as created_by_name",
      "s.created_at",
      "s.updated_by",
      "updater.username as updated_by_name",
      "s.updated_at",
    ]);
}

type StrategyQueryRow = Awaited<ReturnType<ReturnType<typeof strategyQuery>["executeTakeFirstOrThrow"]>>;

function toRow(row: StrategyQueryRow, variants: StrategyVariant[]): StrategyRow {
  return {
    id: row.id,
    lenderId: row.lender_id,
    code: row.code,
    name: row.name,
    priority: row.priority,
    segment: checkedStored(`segment of strategy ${row.id}`, () => parseSegment(row.segment)),
    status: row.status,
    version: row.version,
    variants,
    createdBy: row.created_by,
    createdByName: row.created_by_name,
    createdAt: row.created_at,
    updatedBy: row.updated_by,
    updatedByName: row.updated_by_name,
    updatedAt: row.updated_at,
  };
}

/** The lender's strategies in the order they are tried (priority, then code), any status. */
export async function listStrategyRows(executor: Executor, lenderId: string): Promise<StrategyRow[]> {
  const rows = await strategyQuery(executor).where("s.lender_id", "=", lenderId).orderBy("s.priority").orderBy("s.code").limit(STRATEGIES_MAX).execute();
  const variants = await variantsOf(
    executor,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toRow(row, variants.get(row.id) ?? []));
}

export async function findStrategyRow(executor: Executor, lenderId: string, id: string, options: { lock?: boolean } = {}): Promise<StrategyRow | null> {
  if (options.lock) {
    // Lock the strategy itself (not the outer-joined staff rows), so concurrent changes queue up.
    const locked = await executor.selectFrom("strategies").select("id").where("id", "=", id).where("lender_id", "=", lenderId).forUpdate().executeTakeFirst();
    if (!locked) return null;
  }
  const row = await strategyQuery(executor).where("s.id", "=", id).where("s.lender_id", "=", lenderId).executeTakeFirst();
  if (!row) return null;
  return toRow(row, (await variantsOf(executor, [row.id])).get(row.id) ?? []);
}

/** Active strategies of a lender with their variants (champion first), sorted by priority then code. */
export async function loadActiveStrategies(executor: Executor, lenderId: string): Promise<Strategy[]> {
  const rows = await executor
    .selectFrom("strategies")
    .select(["id", "code", "name", "priority", "segment", "version"])
    .where("lender_id", "=", lenderId)
    .where("status", "=", "active")
    .orderBy("priority")
    .orderBy("code")
    .limit(STRATEGIES_MAX)
    .execute();
  const variants = await variantsOf(
    executor,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({
    id: row.id,
    code: row.code,
    name: row.name,
    priority: row.priority,
    segment: checkedStored(`segment of strategy ${row.id}`, () => parseSegment(row.segment)),
    variants: variants.get(row.id) ?? [],
    version: row.version,
  }));
}

export async function findStrategyIdByCode(executor: Executor, lenderId: string, code: string): Promise<string | null> {
  const row = await executor.selectFrom("strategies").select("id").where("lender_id", "=", lenderId).where("code", "=", code).executeTakeFirst();
  return row?.id ?? null;
}

export async function countStrategies(executor: Executor, lenderId: string): Promise<number> {
  const row = await executor
    .selectFrom("strategies")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("lender_id", "=", lenderId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function insertStrategy(
  executor: Executor,
  row: { id: string; lenderId: string; code: string; name: string; priority: number; segment: Segment; by: string; at: Date },
): Promise<void> {
  await executor
    .insertInto("strategies")
    .values({
      id: row.id,
      lender_id: row.lenderId,
      code: row.code,
      name: row.name,
      priority: row.priority,
      segment: JSON.stringify(row.segment),
      status: "draft",
      version: 1,
      created_by: row.by,
      created_at: row.at,
      updated_by: row.by,
      updated_at: row.at,
    })
    .execute();
}

/** Changes the definition or status and bumps the version. */
export async function updateStrategyRow(
  executor: Executor,
  id: string,
  change: { name?: string; priority?: number; segment?: Segment; status?: StrategyStatus; version: number; by: string; at: Date },
): Promise<void> {
  await executor
    .updateTable("strategies")
    .set({
      ...(change.name === undefined ? {} : { name: change.name }),
      ...(change.priority === undefined ? {} : { priority: change.priority }),
      ...(change.segment === undefined ? {} : { segment: JSON.stringify(change.segment) }),
      ...(change.status === undefined ? {} : { status: change.status }),
      version: change.version,
      updated_by: change.by,
      updated_at: change.at,
    })
    .where("id", "=", id)
    .execute();
}

/**
 * Makes the strategy's variants these: a variant keeps its id while its code stays (so results
 * by variant carry across versions), new codes get new rows, dropped codes are deleted. The
 * shares' constraint trigger checks the sum at commit.
 */
export async function replaceVariants(
  executor: Executor,
  strategyId: string,
  existing: readonly StrategyVariant[],
  variants: readonly (VariantDefinition & { id: string })[],
): Promise<void> {
  const kept = new Set(variants.map((variant) => variant.code));
  const dropped = existing.filter((variant) => !kept.has(variant.code)).map((variant) => variant.id);
  if (dropped.length > 0) await executor.deleteFrom("strategy_variants").where("id", "in", dropped).execute();
  for (const variant of variants) {
    const values = { share_basis_points: variant.shareBasisPoints, cadence: JSON.stringify(variant.cadence) };
    if (existing.some((old) => old.id === variant.id)) await executor.updateTable("strategy_variants").set(values).where("id", "=", variant.id).execute();
    else
      await executor
        .insertInto("strategy_variants")
        .values({ id: variant.id, strategy_id: strategyId, code: variant.code, ...values })
        .execute();
  }
}

/** "channel:code" of every template of the lender, among these codes, that is not retired and has an approved version. */
export async function approvedTemplateKeys(executor: Executor, lenderId: string, codes: readonly string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await executor
    .selectFrom("message_templates as t")
    .select(["t.code", "t.channel"])
    .where("t.lender_id", "=", lenderId)
    .where("t.code", "in", codes as string[])
    .where("t.retired_at", "is", null)
    .where((eb) =>
      eb.exists(eb.selectFrom("message_template_versions as v").select("v.id").whereRef("v.template_id", "=", "t.id").where("v.status", "=", "approved")),
    )
    .execute();
  return new Set(rows.map((row) => `${row.channel}:${row.code}`));
}
