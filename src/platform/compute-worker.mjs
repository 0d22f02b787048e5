// A compute pool's thread (compute-pool.ts): loads the TypeScript module named in workerData
// through tsx, then answers each message with the named export's result for it, one at a time.
import { parentPort, workerData } from "node:worker_threads";

const { register } = await import("tsx/esm/api");
register();
const loaded = await import(workerData.module);
const run = loaded[workerData.exportName];
if (typeof run !== "function") throw new Error(`${workerData.module} has no function ${workerData.exportName}`);

parentPort.postMessage({ ready: true });
parentPort.on("message", async (input) => {
  try {
    parentPort.postMessage({ ok: true, value: await run(input) });
  } catch (error) {
    parentPort.postMessage({
      ok: false,
      message: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
    });
  }
});
