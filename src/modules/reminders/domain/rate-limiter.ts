// A token bucket per provider: at most `ratePerSecond` sends a second on average, bursts of
// one second's worth. Time is passed in, so the pure part is tested without waiting.
export class TokenBucket {
  private tokens: number;
  private updatedMs: number;

  constructor(
    private readonly ratePerSecond: number,
    nowMs: number,
  ) {
    if (!(ratePerSecond > 0)) throw new Error(`assertion failed: a rate must be positive, not ${ratePerSecond}`);
    this.tokens = ratePerSecond;
    this.updatedMs = nowMs;
  }

  /** Takes a token and returns 0, or returns how many milliseconds until one is there. */
  take(nowMs: number): number {
    const elapsed = Math.max(0, nowMs - this.updatedMs);
    this.tokens = Math.min(this.ratePerSecond, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    this.updatedMs = nowMs;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond);
  }
}

/** Waits for a token; the wait is bounded by one token's interval each round. */
export async function acquire(bucket: TokenBucket, now: () => number = Date.now): Promise<void> {
  for (let round = 0; round < 10_000; round += 1) {
    const waitMs = bucket.take(now());
    if (waitMs === 0) return;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
  throw new Error("assertion failed: no token after 10,000 rounds");
}
