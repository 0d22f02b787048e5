import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { partitionRanges, plannedPartitions } from "./partitions.js";

describe("close partitions", () => {
  it("cuts the uuid space into adjacent ranges that cover it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), (count) => {
        const ranges = partitionRanges(count);
        assert.equal(ranges.length, count);
        assert.equal(ranges[0]?.start, "00000000-0000-0000-0000-000000000000");
        assert.equal(ranges.at(-1)?.end, null);
        for (let index = 1; index < count; index += 1) assert.equal(ranges[index]?.start, ranges[index - 1]?.end);
      }),
    );
  });

  it("gives a quiet day one partition and a busy day the lender's maximum", () => {
    const policy = { partitions: 8, accountsPerPartition: 5_000 };
    assert.equal(plannedPartitions(0, policy), 1);
    assert.equal(plannedPartitions(3_000, policy), 1);
    assert.equal(plannedPartitions(5_000, policy), 1);
    assert.equal(plannedPartitions(5_001, policy), 2);
    assert.equal(plannedPartitions(11_000, policy), 3);
    assert.equal(plannedPartitions(40_000, policy), 8);
    assert.equal(plannedPartitions(1_000_000, policy), 8);
  });
});
