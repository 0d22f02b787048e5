// Starts duecare the way a user does (`bin/duecare.js serve`, embedded database, demo data)
// on a free port with a fresh data folder, and launches Debian's Chromium through Playwright.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";

export const projectRoot = join(fileURLToPath(import.meta.url), "..", "..", "..");
export const DEMO_PASSWORD = "duecare-demo-2026";
export const screenshotDirectory = join(projectRoot, "test-results");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("Chromium not found: install it with `apt-get install -y chromium` or set CHROMIUM_PATH");
  }
}

export interface RunningServer {
  baseUrl: string;
  stop(): Promise<void>;
}

export async function startServer(): Promise<RunningServer> {
  const port = await freePort();
  const dataDirectory = mkdtempSync(join(tmpdir(), "duecare-browser-"));
  const output: string[] = [];
  // Always the embedded database, even when the shell has DATABASE_URL set.
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child: ChildProcess = spawn(process.execPath, [join(projectRoot, "bin", "duecare.js"), "serve", "--build-web-if-missing"], {
    cwd: projectRoot,
    env: { ...inherited, PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDirectory, LOG_LEVEL: "warn", DUECARE_SEED_DEMO: "true" },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: on Node < 22 bin/duecare.js re-runs itself under the pinned Node,
    // and stopping only the first process would leave the real server running.
    detached: true,
  });
  // "close": the output pipes are shut, so every process of the group has exited.
  const closed = new Promise((resolve) => child.once("close", resolve));
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output.join("")}`);
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not become healthy in 180 s:\n${output.join("")}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return {
    baseUrl,
    stop: async () => {
      const signalGroup = (signal: NodeJS.Signals) => {
        try {
          if (child.pid) process.kill(-child.pid, signal);
        } catch {
          // the group is gone already
        }
      };
      signalGroup("SIGTERM");
      const timer = setTimeout(() => signalGroup("SIGKILL"), 10_000);
      await closed;
      clearTimeout(timer);
      rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(screenshotDirectory, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A business date in the demo lender's zone (Asia/Shanghai), `offsetDays` from today there: the demo book is built around that today. */
export function demoDay(offsetDays = 0): string {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  const [year, month, day] = today.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + offsetDays)).toISOString().slice(0, 10);
}

/** Signs a demo staff user in on the console's login page and waits for the menu. */
export async function signIn(page: Page, baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByTestId("login-username").fill(username);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("side-menu").waitFor();
}

/** Waits until the element's text matches (pages re-render on their own, e.g. after a language switch or a reload). */
export async function waitForText(locator: Locator, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await locator.innerText().catch(() => "");
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`expected ${pattern} in ${JSON.stringify(text)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
