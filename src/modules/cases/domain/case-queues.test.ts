import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type CaseFacts, type CaseQueue, checkQueueCriteria, orderQueues, queueFor, storedCriteria } from "./case-queues.js";

const facts = (overrides: Partial<CaseFacts> = {}): CaseFacts => ({
  bucket: "M1",
  productCodes: ["CASH12"],
  overdueMinor: 150_000n,
  regionCode: "31",
  language: "zh-CN",
  score: null,
  ...overrides,
});
const criteriaOf = (input: unknown) => {
  const checked = checkQueueCriteria(input);
  assert.ok(checked.ok, checked.ok ? "" : checked.message);
  return checked.criteria;
};
const queue = (id: string, priority: number, criteria: unknown): CaseQueue => ({ id, code: id, priority, criteria: criteriaOf(criteria) });

describe("case queues", () => {
  it("routes a case to the first queue, by priority, whose every criterion holds", () => {
    const queues = orderQueues([
      queue("general-m1", 20, { buckets: ["M1"] }),
      queue("large-m1", 10, { buckets: ["M1"], overdueMinMinor: "1000000" }),
      queue("english", 5, { languages: ["en"] }),
      queue("late", 30, { buckets: ["M2", "M3", "M4", "M5", "M6", "M7+"] }),
    ]);
    assert.equal(queueFor(facts(), queues), "general-m1");
    assert.equal(queueFor(facts({ overdueMinor: 1_000_000n }), queues), "large-m1", "the amount bound is inclusive");
    assert.equal(queueFor(facts({ overdueMinor: 999_999n }), queues), "general-m1");
    assert.equal(queueFor(facts({ language: "en" }), queues), "english");
    assert.equal(queueFor(facts({ bucket: "M3" }), queues), "late");
    assert.equal(queueFor(facts({ bucket: "M0" }), queues), null, "no queue: the general pool");
  });

  it("matches products, regions and score bands; a case without a score matches no score band", () => {
    const queues = orderQueues([
      queue("card", 1, { productCodes: ["CARD"] }),
      queue("shanghai", 2, { regionCodes: ["31"] }),
      queue("high-score", 3, { scoreMin: 700, scoreMax: 1000 }),
    ]);
    assert.equal(queueFor(facts({ productCodes: ["CASH12", "CARD"] }), queues), "card", "any of the borrower's products");
    assert.equal(queueFor(facts(), queues), "shanghai");
    assert.equal(queueFor(facts({ regionCode: "44" }), queues), null);
    assert.equal(queueFor(facts({ regionCode: null }), queues), null, "an unknown region matches no region list");
    assert.equal(queueFor(facts({ regionCode: "44", score: 700 }), queues), "high-score");
    assert.equal(queueFor(facts({ regionCode: "44", score: 699 }), queues), null);
  });

  it("breaks a priority tie by code, whatever order the queues were stored in", () => {
    const queues = orderQueues([queue("b", 1, {}), queue("a", 1, {})]);
    assert.equal(queueFor(facts(), queues), "a");
  });

  it("names the field of every bad criterion", () => {
    for (const [input, field] of [
      [[], "criteria"],
      [{ bucket: ["M1"] }, "criteria.bucket"],
      [{ buckets: [] }, "criteria.buckets"],
      [{ buckets: ["M1", "M9"] }, "criteria.buckets[1]"],
      [{ regionCodes: ["310"] }, "criteria.regionCodes[0]"],
      [{ languages: ["fr"] }, "criteria.languages[0]"],
      [{ overdueMinMinor: 100 }, "criteria.overdueMinMinor"],
      [{ overdueMinMinor: "1.5" }, "criteria.overdueMinMinor"],
      [{ overdueMinMinor: "500", overdueMaxMinor: "100" }, "criteria.overdueMaxMinor"],
      [{ scoreMin: 1001 }, "criteria.scoreMin"],
      [{ scoreMin: 800, scoreMax: 700 }, "criteria.scoreMax"],
    ] as const) {
      const checked = checkQueueCriteria(input);
      assert.equal(checked.ok, false, JSON.stringify(input));
      if (!checked.ok) {
        assert.equal(checked.field, field, JSON.stringify(input));
        assert.ok(checked.message.includes(field), checked.message);
      }
    }
  });

  it("stores amounts as strings and reads them back exactly", () => {
    const criteria = criteriaOf({ overdueMinMinor: "900719925474099300", buckets: ["M2", "M2"] });
    assert.deepEqual(storedCriteria(criteria), { buckets: ["M2"], overdueMinMinor: "900719925474099300" });
    assert.deepEqual(criteriaOf(storedCriteria(criteria)), criteria);
  });
});
