// HTTP baseline: latency of the platform's request path (session lookup, access rule, data
// scope, decryption of names and phones) on the demo book, in one process, over loopback.
//   npm run bench:http -- [--engine pglite|postgres] [--requests 2000] [--concurrency 8]
// Ends with one JSON line. A benchmark, not a test: it asserts nothing.
import { parseArgs } from "node:util";
import { createApp, createContext } from "../src/app.js";
import { seedDemo } from "../src/demo/demo-data.js";
import { loadConfig } from "../src/platform/config.js";
import { openDatabase } from "../src/platform/db/index.js";
import { createLogger } from "../src/platform/logger.js";
import { createServerDatabase } from "../src/platform/testing/test-context.js";

const { values } = parseArgs({
  options: {
    engine: { type: "string", default: "pglite" },
    requests: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "8" },
  },
});
const engine = values.engine === "postgres" ? "postgres" : "pglite";
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);

async function openBenchDatabase() {
  if (engine === "pglite") return { database: await openDatabase({ memory: true }), drop: async () => {} };
  const server = await createServerDatabase(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres", "duecare_bench");
  return { database: await openDatabase({ url: server.url }), drop: server.drop };
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

async function measure(label: string, send: () => Promise<Response>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next += 1;
        const begin = performance.now();
        const response = await send();
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`${label}: HTTP ${response.status}`);
        latencies.push(performance.now() - begin);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((left, right) => left - right);
  const result = {
    route: label,
    requests: latencies.length,
    perSecond: Math.round(latencies.length / seconds),
    latencyMsP50: +percentile(latencies, 0.5).toFixed(2),
    latencyMsP95: +percentile(latencies, 0.95).toFixed(2),
  };
  console.log(`${label.padEnd(28)} ${String(result.perSecond).padStart(6)} req/s  p50 ${result.latencyMsP50} ms  p95 ${result.latencyMsP95} ms`);
  return result;
}

const { database, drop } = await openBenchDatabase();
const config = loadConfig({ LOG_LEVEL: "silent" });
const context = await createContext(config, { database, logger: createLogger("silent") });
await seedDemo(context);
const { app } = await createApp(context, { logger: false });
await app.listen({ port: 0, host: "127.0.0.1" });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

const login = await fetch(`${base}/api/auth/login`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ username: "agent1", password: "duecare-demo-2026" }),
});
const cookie = (login.headers.getSetCookie() ?? []).map((value) => value.split(";")[0]).join("; ");

console.log(`duecare HTTP baseline on ${engine}: ${requests} requests per route, concurrency ${concurrency}`);
const results = [
  await measure("GET /health", () => fetch(`${base}/health`)),
  await measure("GET /api/auth/me (session)", () => fetch(`${base}/api/auth/me`, { headers: { cookie } })),
  await measure("GET /api/cases (agent scope)", () => fetch(`${base}/api/cases`, { headers: { cookie } })),
];
await app.close();
await context.database.close();
await drop();
console.log(JSON.stringify({ engine, requests, concurrency, results }));
