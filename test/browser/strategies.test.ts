// Reminder strategies: the strategist opens 策略, sees the demo's pre-due and early-overdue
// strategies with the challenger's share, drafts a strategy whose SMS step names no template and
// is told which field is wrong, fixes it, saves the draft and activates it.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Locator } from "playwright-core";
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

/** The input of a form control, whether the test id sits on the input or on its wrapper. */
function inputOf(control: Locator): Locator {
  return control.locator("xpath=descendant-or-self::input").first();
}

describe("reminder strategies", () => {
  it("lets a strategist draft a strategy, names a bad cadence field, and activates the fixed one", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signIn(page, server.baseUrl, "strategist");

    await page.getByTestId("menu-strategies").click();
    await page.waitForURL(/\/strategies$/);
    const table = page.getByTestId("strategies-table");
    await waitForText(table, /early-overdue/);
    const listed = await table.innerText();
    assert.match(listed, /pre-due/);
    assert.match(listed, /sms-heavy 30%/, "the challenger's share");
    assert.match(await page.getByTestId("strategy-status-early-overdue").innerText(), /启用中/);

    await page.getByTestId("strategies-new").click();
    await page.getByTestId("strategy-code").fill("m2-overdue");
    await page.getByTestId("strategy-name").fill("M2 逾期");
    await inputOf(page.getByTestId("strategy-priority")).fill("30");
    await page.getByTestId("strategy-buckets").click();
    await page.locator(".ant-select-item-option:visible").filter({ hasText: /^M2$/ }).click();
    await page.keyboard.press("Escape");
    await page.getByTestId("step-0-0-key").fill("dpd-31");
    await inputOf(page.getByTestId("step-0-0-day")).fill("31");
    // The SMS step has no template yet: the server names the field.
    await page.getByTestId("strategy-save").click();
    const error = await waitForText(page.getByTestId("strategy-error"), /variants\[0\]\.cadence\[0\]\.templateCode/);
    assert.match(error, /变体 1 · 步骤 1 · 模板代码/);

    await inputOf(page.getByTestId("step-0-0-template")).fill("overdue-m1");
    await page.keyboard.press("Escape");
    await page.getByTestId("strategy-save").click();
    await waitForText(table, /m2-overdue/);
    await waitForText(page.getByTestId("strategy-status-m2-overdue"), /草稿/);

    await page.getByTestId("strategy-activate-m2-overdue").click();
    await waitForText(page.getByTestId("strategy-status-m2-overdue"), /启用中 · v2/);
    const row = table.locator("tbody tr.ant-table-row").filter({ hasText: "m2-overdue" });
    assert.match(await row.innerText(), /账龄: M2/);
    await page.screenshot({ path: join(screenshotDirectory, "console-strategies.png") });
    await context.close();
  });
});
