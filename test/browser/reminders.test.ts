// Reminders (提醒): the demo lender has never been closed, so the strategist's dry run is refused
// with the date to close; the admin closes yesterday; the strategist's dry run for today (the day
// after the close, the page's default) lists lines of the demo's strategies; the admin plans the
// day and sees the run with its messages in the progress table and the message list.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { demoDay, launchBrowser, type RunningServer, screenshotDirectory, signIn, startServer, waitForText } from "./harness.js";

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

async function openReminders(page: Page): Promise<void> {
  await page.getByTestId("menu-reminders").click();
  await page.waitForURL(/\/reminders$/);
}

/** The page sets a date input once its first request answers. */
async function waitForInputValue(page: Page, testId: string, expected: string): Promise<void> {
  const input = page.getByTestId(testId);
  const deadline = Date.now() + 10_000;
  while ((await input.inputValue()) !== expected) {
    if (Date.now() > deadline) assert.equal(await input.inputValue(), expected, `${testId}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits for the plan's result; a refusal on the page fails the test with what the user reads. */
async function planOutcome(page: Page, pattern: RegExp): Promise<void> {
  const result = page.getByTestId("reminders-plan-result");
  const refusal = page.getByTestId("reminders-plan-error");
  await result.or(refusal).first().waitFor({ timeout: 60_000 });
  if (await refusal.isVisible()) assert.fail(`the page shows: ${await refusal.innerText()}`);
  await waitForText(result, pattern);
}

/** A statistic's value as a number ("1,234" → 1234). */
async function statistic(page: Page, testId: string): Promise<number> {
  const text = await page.getByTestId(testId).locator(".ant-statistic-content").innerText();
  return Number(text.replace(/[^\d]/g, ""));
}

describe("reminders page", () => {
  it("lets a strategist dry-run the day after the close and an admin plan it and follow its messages", async () => {
    const yesterday = demoDay(-1);
    const today = demoDay();

    const strategistContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const strategist = await strategistContext.newPage();
    await signIn(strategist, server.baseUrl, "strategist");
    await openReminders(strategist);
    assert.equal(await strategist.getByTestId("reminders-plan").count(), 0, "a strategist may not plan, only dry-run");
    assert.equal(await strategist.getByTestId("reminders-replies").count(), 0, "a strategist does not review replies");
    await waitForText(strategist.getByTestId("reminders-runs"), /尚未计划过提醒/);

    // Nothing is closed yet: the refusal names the day to close.
    await strategist.getByTestId("reminders-plan-date").fill(today);
    await strategist.getByTestId("reminders-dry-run").click();
    const refusal = await waitForText(strategist.getByTestId("reminders-plan-error"), new RegExp(`前一日尚未日终.*${yesterday}`));
    assert.match(refusal, new RegExp(today));

    const adminContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const admin = await adminContext.newPage();
    await signIn(admin, server.baseUrl, "admin");
    await admin.getByTestId("menu-close").click();
    await admin.waitForURL(/\/close$/);
    await admin.getByTestId("close-date").fill(yesterday);
    await admin.getByTestId("close-run").click();
    await admin.getByTestId("close-closed-through").getByText(yesterday).waitFor({ timeout: 120_000 });

    // The page now proposes the day after the close.
    await strategist.reload();
    await strategist.getByTestId("side-menu").waitFor();
    await waitForInputValue(strategist, "reminders-plan-date", today);
    await strategist.getByTestId("reminders-dry-run").click();
    await planOutcome(strategist, new RegExp(`${today} 试运行结果（未保存）`));
    const segments = await waitForText(strategist.getByTestId("reminders-segments"), /pre-due|early-overdue/);
    assert.match(segments, /(pre-due|early-overdue)\s+(champion|sms-heavy)/, "a line names the strategy and its variant");
    assert.ok((await statistic(strategist, "reminders-total-accountsRead")) > 0, "the dry run read accounts");
    assert.ok((await statistic(strategist, "reminders-total-contactsPlanned")) > 0, "the dry run found contacts to plan");
    // A dry run stores nothing.
    await strategist.getByTestId("reminders-runs-refresh").click();
    await waitForText(strategist.getByTestId("reminders-runs"), /尚未计划过提醒/);
    await strategist.screenshot({ path: join(screenshotDirectory, "console-reminders-dry-run.png"), fullPage: true });
    await strategistContext.close();

    await openReminders(admin);
    assert.equal(await admin.getByTestId("reminders-dry-run").count(), 0, "an admin plans; the dry run is the strategist's");
    await admin.getByTestId("reminders-replies").waitFor();
    await waitForInputValue(admin, "reminders-plan-date", today);
    await admin.getByTestId("reminders-plan").click();
    await planOutcome(admin, new RegExp(`${today} 的提醒已计划并排队发送`));
    await waitForText(admin.getByTestId("reminders-segments"), /pre-due|early-overdue/);

    const run = admin.getByTestId("reminders-runs").locator("tr.ant-table-row").filter({ hasText: today });
    await waitForText(run, /已完成/);
    const plannedInRun = Number((await run.getByTestId("reminders-run-messages").innerText()).replace(/[^\d]/g, ""));
    assert.ok(plannedInRun > 0, "the day's run has messages");
    assert.match(await run.innerText(), /(计划|发送中|已发送|已送达|跳过) \d+/, "the progress shows counts by status");

    // Clicking the day lists its messages.
    await run.click();
    assert.equal(await admin.getByTestId("reminders-messages-date").inputValue(), today);
    const total = await waitForText(admin.getByTestId("reminders-messages-total"), /共 [1-9][\d,]* 条/);
    assert.equal(Number(total.replace(/[^\d]/g, "")), plannedInRun, "the list holds the run's messages");
    const rows = admin.getByTestId("reminders-messages").locator("tr.ant-table-row");
    await rows.first().waitFor();
    assert.ok((await rows.count()) > 0);
    assert.match(await rows.first().innerText(), /(pre-due|early-overdue) \/ \S+ \/ \S+/);

    // The champion/challenger report for the last 7 days has the day's lines.
    await admin.getByTestId("reminders-report-refresh").click();
    await waitForText(admin.getByTestId("reminders-report"), /pre-due|early-overdue/);
    await admin.screenshot({ path: join(screenshotDirectory, "console-reminders-admin.png"), fullPage: true });

    await admin.getByTestId("lang-switch").getByText("EN").click();
    await waitForText(admin.getByTestId("reminders-runs"), /Completed/);
    await admin.getByRole("button", { name: "Plan the day" }).waitFor();
    await adminContext.close();
  });
});
