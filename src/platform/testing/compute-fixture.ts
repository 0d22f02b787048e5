// A module for the compute pool's tests: each input says what the thread should do.
export type FixtureInput = { kind: "sum"; amounts: string[] } | { kind: "fail"; message: string } | { kind: "exit"; code: number } | { kind: "thread" };

export async function work(input: FixtureInput): Promise<string | number> {
  if (input.kind === "sum") return String(input.amounts.reduce((total, amount) => total + BigInt(amount), 0n));
  if (input.kind === "fail") throw new Error(input.message);
  if (input.kind === "exit") process.exit(input.code);
  const { threadId } = await import("node:worker_threads");
  return threadId;
}
