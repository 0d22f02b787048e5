import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TokenBucket } from "./rate-limiter.js";

describe("a provider's rate limit", () => {
  it("lets a second's worth through at once, then one every 1/rate seconds", () => {
    const bucket = new TokenBucket(4, 0);
    assert.deepEqual(
      [0, 0, 0, 0].map((now) => bucket.take(now)),
      [0, 0, 0, 0],
    );
    assert.equal(bucket.take(0), 250);
    assert.equal(bucket.take(250), 0);
    assert.equal(bucket.take(300), 200);
  });

  it("never holds more than a second's worth after a quiet spell", () => {
    const bucket = new TokenBucket(2, 0);
    bucket.take(0);
    bucket.take(0);
    const granted = [10_000, 10_000, 10_000].map((now) => bucket.take(now));
    assert.deepEqual(granted, [0, 0, 500]);
  });

  it("refuses a rate that is not positive", () => {
    assert.throws(() => new TokenBucket(0, 0), /positive/);
  });
});
