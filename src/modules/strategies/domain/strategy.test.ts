import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { isAppError } from "../../../platform/errors.js";
import { type PlanningAccount, parseSegment } from "./segment.js";
import { parseVariants, type Strategy, type StrategyVariant, stepsDue, strategyFor, variantFor, variantPoint } from "./strategy.js";

const account = (overrides: Partial<PlanningAccount> = {}): PlanningAccount => ({
  loanId: "3b8f7c1e-5d2a-4c3b-9e7f-1a2b3c4d5e6f",
  bucket: "M1",
  dpd: 3,
  score: null,
  overdueReason: null,
  overdueMinor: 150_000n,
  productCode: "CASH-12",
  daysBeforeDue: null,
  ...overrides,
});

const variant = (code: string, shareBasisPoints: number, cadence: StrategyVariant["cadence"] = []): StrategyVariant => ({
  id: `variant-${code}`,
  code,
  shareBasisPoints,
  cadence,
});

const strategy = (id: string, priority: number, segment: unknown, variants: StrategyVariant[] = [variant("champion", 10_000)]): Strategy => ({
  id,
  code: id,
  name: id,
  priority,
  segment: parseSegment(segment),
  variants,
  version: 1,
});

function fieldOf(input: unknown): string {
  try {
    parseVariants(input);
  } catch (error) {
    assert.ok(isAppError(error) && error.code === "VALIDATION_FAILED", String(error));
    return (error.details as { field: string }).field;
  }
  throw new Error(`${JSON.stringify(input)} was accepted`);
}

/** Shares of 2..5 variants, whole basis points adding up to 10000. */
const sharesArbitrary = fc.uniqueArray(fc.integer({ min: 1, max: 9_999 }), { minLength: 1, maxLength: 4 }).map((cuts) => {
  const sorted = [...cuts].sort((left, right) => left - right);
  return [...sorted, 10_000].map((cut, index) => cut - (index === 0 ? 0 : (sorted[index - 1] as number)));
});

const variantsOf = (shares: readonly number[]) => shares.map((share, index) => variant(index === 0 ? "champion" : `challenger-${index}`, share));

describe("strategy choice", () => {
  const strategies = [
    strategy("pre-due", 10, { daysBeforeDueMin: 0, daysBeforeDueMax: 3 }),
    strategy("large-m1", 20, { buckets: ["M1"], overdueMinMinor: "1000000" }),
    strategy("early-overdue", 20, { buckets: ["M1"] }),
    strategy("everyone", 100, {}),
  ];

  it("takes the first strategy, in the order given, whose segment matches", () => {
    assert.equal(strategyFor(strategies, account({ bucket: "M0", dpd: 0, daysBeforeDue: 2 }))?.code, "pre-due");
    assert.equal(strategyFor(strategies, account({ overdueMinor: 1_000_000n }))?.code, "large-m1");
    assert.equal(strategyFor(strategies, account())?.code, "early-overdue");
    assert.equal(strategyFor(strategies, account({ bucket: "M4" }))?.code, "everyone");
    assert.equal(strategyFor(strategies.slice(0, 3), account({ bucket: "M4" })), null, "no strategy matches");
    assert.equal(strategyFor([], account()), null);
  });

  it("gives the steps of the variant's cadence that fall on the account's day", () => {
    const cadence: StrategyVariant["cadence"] = [
      { key: "dpd-1", anchor: "dpd", day: 1, channel: "sms", templateCode: "overdue-m1", at: "10:00" },
      { key: "dpd-3", anchor: "dpd", day: 3, channel: "sms", templateCode: "overdue-m1", at: "10:00" },
      { key: "d-3", anchor: "due", day: -3, channel: "sms", templateCode: "pre-due-d3", at: "10:00" },
    ];
    assert.deepEqual(
      stepsDue(variant("champion", 10_000, cadence), account({ dpd: 3 })).map((step) => step.key),
      ["dpd-3"],
    );
    assert.deepEqual(
      stepsDue(variant("champion", 10_000, cadence), account({ bucket: "M0", dpd: 0, daysBeforeDue: 3 })).map((step) => step.key),
      ["d-3"],
    );
  });
});

describe("variants", () => {
  it("checks the variants and names the field of each problem", () => {
    const steps = [{ key: "a", anchor: "dpd", day: 1, channel: "sms", templateCode: "overdue-m1", at: "10:00" }];
    assert.deepEqual(
      parseVariants([
        { code: "sms-heavy", shareBasisPoints: 3000, cadence: steps },
        { code: "champion", shareBasisPoints: 7000, cadence: [] },
      ]).map((item) => item.code),
      ["champion", "sms-heavy"],
      "the champion first",
    );
    for (const [input, field] of [
      [[], "variants"],
      [{}, "variants"],
      [[{ code: "b", shareBasisPoints: 10_000, cadence: [] }], "variants"],
      [[{ code: "champion", shareBasisPoints: 6000, cadence: [] }], "variants"],
      [[{ code: "champion", shareBasisPoints: 10_001, cadence: [] }], "variants[0].shareBasisPoints"],
      [[{ code: "champion", shareBasisPoints: 50.5, cadence: [] }], "variants[0].shareBasisPoints"],
      [[{ code: "Champion", shareBasisPoints: 10_000, cadence: [] }], "variants[0].code"],
      [
        [
          { code: "champion", shareBasisPoints: 5000, cadence: [] },
          { code: "champion", shareBasisPoints: 5000, cadence: [] },
        ],
        "variants[1].code",
      ],
      [[{ code: "champion", shareBasisPoints: 10_000, cadence: [], weight: 1 }], "variants[0].weight"],
      [
        [
          { code: "champion", shareBasisPoints: 5000, cadence: [] },
          { code: "b", shareBasisPoints: 5000, cadence: [...steps, { key: "b", anchor: "dpd", day: 3, channel: "email", at: "10:00" }] },
        ],
        "variants[1].cadence[1].templateCode",
      ],
    ] as const)
      assert.equal(fieldOf(input), field, JSON.stringify(input));
  });

  it("splits 5000/5000 within 1.5% either way over 100,000 random accounts", () => {
    fc.assert(
      fc.property(fc.uuid(), fc.integer(), (strategyId, seed) => {
        const split = strategy(strategyId, 1, {}, [variant("champion", 5000), variant("challenger", 5000)]);
        let champions = 0;
        for (const loanId of fc.sample(fc.uuid(), { numRuns: 100_000, seed })) if (variantFor(split, loanId).code === "champion") champions += 1;
        assert.ok(Math.abs(champions - 50_000) <= 1_500, `champion took ${champions} of 100,000`);
      }),
      { numRuns: 3 },
    );
  });

  it("gives the same account the same variant every time", () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), sharesArbitrary, (strategyId, loanId, shares) => {
        const first = variantFor(strategy(strategyId, 1, {}, variantsOf(shares)), loanId);
        // A fresh copy, the challengers listed first: the order they are stored in does not matter.
        const again = variantFor(strategy(strategyId, 1, {}, variantsOf(shares).reverse()), loanId);
        assert.equal(again.code, first.code);
      }),
    );
  });

  it("moves only the accounts across the boundary when the champion's share changes", () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.array(fc.uuid(), { minLength: 200, maxLength: 200 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (strategyId, loanIds, before, after) => {
          const old = strategy(strategyId, 1, {}, [variant("champion", before), variant("challenger", 10_000 - before)]);
          const changed = strategy(strategyId, 1, {}, [variant("champion", after), variant("challenger", 10_000 - after)]);
          for (const loanId of loanIds) {
            const point = variantPoint(strategyId, loanId);
            const isAcross = point >= Math.min(before, after) && point < Math.max(before, after);
            assert.equal(variantFor(old, loanId).code !== variantFor(changed, loanId).code, isAcross, `point ${point}, ${before} → ${after}`);
          }
        },
      ),
    );
  });

  it("moves accounts only between the two variants whose shares changed hands", () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.array(fc.uuid(), { minLength: 200, maxLength: 200 }),
        sharesArbitrary,
        fc.nat(),
        fc.integer(),
        (strategyId, loanIds, shares, pick, amount) => {
          if (shares.length < 2) return;
          const index = pick % (shares.length - 1);
          // Move some basis points between neighbours index and index + 1, either way.
          const moved = Math.max(-(shares[index] as number), Math.min(shares[index + 1] as number, amount % 10_001));
          const changedShares = shares.map((share, position) => (position === index ? share + moved : position === index + 1 ? share - moved : share));
          const old = strategy(strategyId, 1, {}, variantsOf(shares));
          const changed = strategy(strategyId, 1, {}, variantsOf(changedShares));
          const pair = new Set([variantsOf(shares)[index]?.code, variantsOf(shares)[index + 1]?.code]);
          for (const loanId of loanIds) {
            const from = variantFor(old, loanId).code;
            const to = variantFor(changed, loanId).code;
            if (from !== to) assert.ok(pair.has(from) && pair.has(to), `${from} → ${to} when only ${[...pair].join(" and ")} changed`);
          }
        },
      ),
    );
  });

  it("gives a variant with no share no account", () => {
    const split = strategy("s", 1, {}, [variant("champion", 10_000), variant("paused", 0)]);
    for (const loanId of fc.sample(fc.uuid(), { numRuns: 1_000, seed: 7 })) assert.equal(variantFor(split, loanId).code, "champion");
  });
});
