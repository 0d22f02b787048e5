#!/usr/bin/env node
// Entry point of the `duecare` command. TypeScript sources run through tsx's loader, so the
// server has no separate build step. duecare targets Node.js 22: when started by an older
// runtime (a machine with only Node 20), it re-runs itself under the pinned `node` dev
// dependency that `npm install` placed in node_modules.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const pinned = join(root, "node_modules", "node", "bin", "node");
  if (!existsSync(pinned)) {
    console.error(`duecare needs Node.js 22 or later (found ${process.versions.node}); run npm install first.`);
    process.exit(1);
  }
  const child = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(child.status ?? 1);
}

const { register } = await import("tsx/esm/api");
register();
const { main } = await import("../src/cli/main.ts");
await main(process.argv.slice(2));
