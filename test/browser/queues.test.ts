// Case queues: a supervisor defines a queue by rule in 队列与团队, is told which field is wrong
// when an amount is not one, saves it, runs the assignment and sees the open cases it routed.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { launchBrowser, type RunningServer, screenshotDirectory, signIn, startServer, waitForText } from "./harness.js";

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

describe("case queues", () => {
  it("lets a supervisor define a queue, names a bad amount, and routes open cases to it", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await signIn(page, server.baseUrl, "supervisor");

    await page.getByText("队列与团队", { exact: true }).click();
    await page.waitForURL(/\/queues$/);
    await waitForText(page.getByTestId("queues-table"), /尚未定义队列/);

    await page.getByTestId("queues-new").click();
    await page.getByTestId("queue-code").fill("zh");
    await page.getByTestId("queue-name").fill("中文借款人");
    await page.getByTestId("queue-languages").click();
    await page
      .locator(".ant-select-item-option:visible")
      .filter({ hasText: /^中文$/ })
      .click();
    await page.keyboard.press("Escape");
    await page.getByTestId("queue-overdue-min").fill("12.3.4");
    await page.getByTestId("queue-save").click();
    await waitForText(page.getByTestId("queue-error"), /逾期金额下限（元）不是有效金额/);

    await page.getByTestId("queue-overdue-min").fill("");
    await page.getByTestId("queue-save").click();
    const table = page.getByTestId("queues-table");
    await waitForText(table, /中文借款人/);
    assert.match(await table.innerText(), /语言: zh-CN/);
    assert.match(await table.innerText(), /任意坐席/, "no team: any agent may take its cases");

    await page.getByTestId("queues-assign-now").click();
    const notice = await waitForText(page.locator(".ant-message"), /调整队列 \d+ 件/);
    const moved = Number(/调整队列 (\d+) 件/.exec(notice)?.[1]);
    assert.ok(moved > 0, `the demo's open cases of Chinese-speaking borrowers join the queue: ${notice}`);
    const row = table.locator("tbody tr.ant-table-row").filter({ hasText: "中文借款人" });
    await waitForText(row, new RegExp(`\\b${moved}\\b`));
    await page.screenshot({ path: join(screenshotDirectory, "console-queues.png") });
    await context.close();
  });
});
