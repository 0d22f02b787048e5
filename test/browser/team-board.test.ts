// The supervisor's team board (团队看板): the demo supervisor opens the board, sees every agent
// with their load and the day's figures (a payment received today shows as recovered, to the
// cent), opens agent1's cases, reassigns one to agent2 and sees both agents' counts change. An
// agent has no team board in the menu.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { demoDay, launchBrowser, type RunningServer, screenshotDirectory, signIn, startServer } from "./harness.js";

let server: RunningServer;
let browser: Browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const agentRow = (page: Page, username: string): Locator => page.locator(`tr[data-testid="team-board-row"][data-agent="${username}"]`);
const openCasesOf = async (page: Page, username: string) => Number(await agentRow(page, username).getAttribute("data-open-cases"));

/** A request with the signed-in session, as the console sends it. */
async function apiCall(context: BrowserContext, page: Page, method: "GET" | "POST", path: string, data?: unknown) {
  const csrf = (await context.cookies()).find((cookie) => cookie.name === "duecare_staff_csrf")?.value ?? "";
  const response = await page.request.fetch(`${server.baseUrl}${path}`, { method, data, headers: { "x-csrf-token": csrf } });
  assert.ok(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`);
  return response.json();
}

/** "¥1,234.56" → 123456n */
function fen(text: string): bigint {
  const match = /¥([\d,]+)\.(\d{2})/.exec(text);
  assert.ok(match, `not an amount: ${text}`);
  return BigInt((match[1] as string).replaceAll(",", "") + match[2]);
}

describe("team board", () => {
  it("shows the supervisor every agent's figures and moves a case from one agent to another", async () => {
    const agentContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const agentPage = await agentContext.newPage();
    await signIn(agentPage, server.baseUrl, "agent1");
    assert.equal(await agentPage.getByTestId("menu-teamBoard").count(), 0, "an agent has no team board");
    await agentContext.close();

    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await signIn(page, server.baseUrl, "supervisor");

    // A payment of 123.45 received today on one of agent1's cases, posted through the API.
    const board = await apiCall(context, page, "GET", "/api/reports/team-board");
    const agent1 = board.agents.find((agent: { username: string }) => agent.username === "agent1");
    const agent2 = board.agents.find((agent: { username: string }) => agent.username === "agent2");
    assert.ok(agent1 && agent2, "the demo's agents are on the board");
    const listed = (await apiCall(context, page, "GET", `/api/reports/team-board/cases?agentId=${agent1.agentId}`)).cases as { id: string; isHeld: boolean }[];
    const movable = listed.slice(0, 10).filter((item) => !item.isHeld);
    assert.ok(movable.length >= 2, "agent1 has cases to move");
    const [moved, paid] = movable as unknown as [{ id: string }, { id: string }];
    const paidCase = await apiCall(context, page, "GET", `/api/cases/${paid.id}`);
    await apiCall(context, page, "POST", `/api/loans/${paidCase.accounts[0].loanId}/payments`, {
      idempotencyKey: `team-board-browser-${paid.id}`,
      amount: "123.45",
      receivedOn: demoDay(),
      source: "browser-test",
    });

    await page.getByTestId("menu-teamBoard").click();
    await page.waitForURL(/\/team-board$/);
    await agentRow(page, "agent1").waitFor();
    for (const username of ["agent1", "agent2", "agency1"]) await agentRow(page, username).waitFor();
    const before1 = await openCasesOf(page, "agent1");
    const before2 = await openCasesOf(page, "agent2");
    assert.equal(before1, agent1.openCases);
    assert.ok(before1 > 0 && before2 > 0, "both agents hold cases");
    // The demo book has payments of its own today: the new one adds exactly 123.45.
    assert.equal(fen(await agentRow(page, "agent1").getByTestId("team-board-recovered").innerText()), BigInt(agent1.recoveredMinor) + 12_345n);
    const load = await agentRow(page, "agent1").getByTestId("team-board-load").getAttribute("data-load-percent");
    assert.equal(Number(load), agent1.loadPercent);
    await page.getByTestId("team-board-totals").waitFor();
    assert.equal(fen(await page.getByTestId("team-board-total-recovered").innerText()), BigInt(board.totals.recoveredMinor) + 12_345n);

    // agent1's cases: tick one, reassign it to agent2.
    await agentRow(page, "agent1").click();
    const cases = page.getByTestId("agent-cases");
    await cases.locator(`tr[data-case-id="${moved.id}"]`).waitFor();
    await cases.locator(`tr[data-case-id="${moved.id}"] .ant-checkbox-input`).check();
    await page.getByTestId("reassign-target").click();
    await page.locator(".ant-select-item-option:visible").filter({ hasText: "赵客服" }).click();
    await waitFor(async () => (await page.getByTestId("reassign-submit").isEnabled()) === true, "the reassign button");
    assert.match(await page.getByTestId("reassign-submit").innerText(), /1/);
    await page.getByTestId("reassign-submit").click();

    await waitFor(async () => (await openCasesOf(page, "agent1")) === before1 - 1, "agent1's open cases to drop by one");
    assert.equal(await openCasesOf(page, "agent2"), before2 + 1, "agent2 holds one more");
    await waitFor(async () => (await cases.locator(`tr[data-case-id="${moved.id}"]`).count()) === 0, "the moved case to leave agent1's list");
    const after = await apiCall(context, page, "GET", `/api/reports/team-board/cases?agentId=${agent2.agentId}`);
    assert.ok(
      after.cases.some((item: { id: string }) => item.id === moved.id),
      "the case is agent2's now",
    );
    await page.getByTestId("team-board-table").scrollIntoViewIfNeeded();
    await page.mouse.wheel(0, -2_000);
    await page.screenshot({ path: join(screenshotDirectory, "console-team-board.png") });
    await cases.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDirectory, "console-team-board-cases.png") });
    await context.close();
  });
});
