// The daily close page (日终批量): an admin closes a business date and follows it to the end,
// a supervisor reads the history without the run button, an agent does not see the page.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
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

async function menuLabels(page: Page): Promise<string[]> {
  return page.getByTestId("side-menu").locator("li[role=menuitem]").allInnerTexts();
}

describe("daily close page", () => {
  it("lets an admin close a date, follow it to completion and read its partitions", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await signIn(page, server.baseUrl, "admin");
    assert.ok((await menuLabels(page)).includes("日终批量"), "the admin sees the daily close entry");
    await page.getByText("日终批量", { exact: true }).click();
    await page.waitForURL(/\/close$/);
    await page.getByTestId("close-closed-through").getByText("尚未执行日终").waitFor();

    // A refused request shows the server's message.
    await page.route("**/api/close/runs", (route) =>
      route.request().method() === "POST"
        ? route.fulfill({ status: 409, contentType: "application/json", body: JSON.stringify({ error: { code: "CONFLICT", message: "close is busy" } }) })
        : route.fallback(),
    );
    const date = demoDay(-1);
    await page.getByTestId("close-date").fill(date);
    await page.getByTestId("close-run").click();
    await page.getByTestId("close-error").getByText("close is busy").waitFor();
    await page.unrouteAll();

    await page.getByTestId("close-run").click();
    const row = page.getByTestId("close-runs-table").locator("tr.ant-table-row").filter({ hasText: date });
    await row.filter({ hasText: "已完成" }).waitFor({ timeout: 120_000 });
    await page.getByTestId("close-closed-through").getByText(date).waitFor();
    assert.equal(await page.getByTestId("close-error").count(), 0, "the earlier error is cleared");
    assert.match(await row.innerText(), /事件驱动/);

    await row.click();
    const partitions = page.getByTestId(`close-partitions-${date}`).locator("tr.ant-table-row");
    await partitions.first().waitFor();
    const count = await partitions.count();
    assert.ok(count >= 1, "the run has partitions");
    assert.deepEqual([...new Set(await partitions.locator("td:nth-child(3)").allInnerTexts())], ["已完成"], "every partition is done");
    await page.getByTestId(`close-partitions-${date}`).getByRole("columnheader", { name: "计算", exact: true }).waitFor();
    await page.screenshot({ path: join(screenshotDirectory, "console-close-admin.png") });

    await page.getByTestId("lang-switch").getByText("EN").click();
    await page.getByRole("button", { name: "Run close" }).waitFor();
    await page.getByTestId(`close-partitions-${date}`).getByRole("columnheader", { name: "Compute", exact: true }).waitFor();
    assert.match(await row.innerText(), /Completed/);
    await context.close();
  });

  it("shows a supervisor the history without the run button", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await signIn(page, server.baseUrl, "supervisor");
    await page.getByText("日终批量", { exact: true }).click();
    await page.getByTestId("close-runs-table").waitFor();
    await page.getByTestId("close-closed-through").waitFor();
    assert.equal(await page.getByTestId("close-run").count(), 0, "no run button without close:run");
    await context.close();
  });

  it("hides the daily close from an agent", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, server.baseUrl, "agent1");
    await page.getByTestId("user-menu").getByText("李催收 Agent Li").waitFor();
    const labels = await menuLabels(page);
    assert.ok(labels.includes("我的案件"), labels.join(", "));
    assert.ok(!labels.includes("日终批量"), `an agent must not see the daily close: ${labels.join(", ")}`);
    await page.goto(`${server.baseUrl}/close`);
    await page.getByTestId("side-menu").waitFor();
    assert.equal(new URL(page.url()).pathname, "/", "an agent typing /close lands on the home page");
    await context.close();
  });
});
