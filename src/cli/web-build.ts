// Builds the console and portal with Vite when the build is missing or older than its sources.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function newestSourceTime(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name === "node_modules") continue;
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function isWebBuildCurrent(projectRoot: string): boolean {
  const built = join(projectRoot, "web", "dist", "index.html");
  if (!existsSync(built) || !existsSync(join(projectRoot, "web", "dist", "portal", "index.html"))) return false;
  return statSync(built).mtimeMs >= newestSourceTime(join(projectRoot, "web"));
}

export function buildWeb(projectRoot: string): void {
  const vite = join(projectRoot, "node_modules", "vite", "bin", "vite.js");
  if (!existsSync(vite)) throw new Error("vite is not installed; run npm install first");
  process.stderr.write("Building the console and portal (first start only)…\n");
  const result = spawnSync(process.execPath, [vite, "build", "--config", join(projectRoot, "web", "vite.config.ts"), "--logLevel", "warn"], {
    cwd: projectRoot,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.status !== 0) throw new Error(`web build failed (vite exited with ${result.status ?? result.signal})`);
}
