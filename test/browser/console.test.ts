// Staff journeys in the console: sign in, a menu that follows the role, language switch,
// the cases an agent may see, a wrong password, sign out.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { DEMO_PASSWORD, launchBrowser, type RunningServer, screenshotDirectory, startServer } from "./harness.js";

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

async function signIn(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto(`${server.baseUrl}/`);
  await page.getByTestId("login-username").fill(username);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
}

async function menuLabels(page: Page): Promise<string[]> {
  await page.getByTestId("side-menu").waitFor();
  return page.getByTestId("side-menu").locator("li[role=menuitem]").allInnerTexts();
}

describe("staff console", () => {
  it("signs an admin in, shows the admin's menu, switches to English and signs out", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, "admin");
    await page.getByTestId("user-menu").getByText("系统管理员 Admin").waitFor();
    const chinese = await menuLabels(page);
    for (const label of ["工作台", "审计日志", "开发发件箱", "用户"]) assert.ok(chinese.includes(label), `menu has ${label}: ${chinese.join(", ")}`);
    await page.getByText("300", { exact: true }).waitFor(); // the demo lender's borrowers on the home page
    await page.getByTestId("lang-switch").getByText("EN").click();
    await page.getByText("Audit log", { exact: true }).waitFor();
    const english = await menuLabels(page);
    for (const label of ["Home", "Cases", "Audit log", "Dev outbox", "Users"]) assert.ok(english.includes(label), `menu has ${label}: ${english.join(", ")}`);
    await page.getByText("Borrowers", { exact: true }).waitFor();
    await page.screenshot({ path: join(screenshotDirectory, "console-home-admin.png") });
    await page.getByText("Audit log", { exact: true }).click();
    await page.getByTestId("audit-table").getByText("auth.login").first().waitFor();
    await page.getByTestId("logout").click();
    await page.getByTestId("login-submit").waitFor();
    await page.reload();
    await page.getByTestId("login-submit").waitFor();
    assert.equal(await page.getByTestId("user-menu").count(), 0, "still signed out after a reload");
    await context.close();
  });

  it("gives an agent their cases and no audit or user administration", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, "agent1");
    await page.getByTestId("user-menu").getByText("李催收 Agent Li").waitFor();
    const labels = await menuLabels(page);
    assert.ok(labels.includes("我的案件"), labels.join(", "));
    for (const hidden of ["审计日志", "用户", "开发发件箱"]) assert.ok(!labels.includes(hidden), `agent must not see ${hidden}`);
    await page.getByText("我的案件", { exact: true }).click();
    const rows = page.getByTestId("case-queue").locator("tbody tr.ant-table-row");
    await rows.first().waitFor();
    assert.ok((await rows.count()) >= 5, "the agent has cases");
    const agentColumn = await page.getByTestId("case-queue").getByTestId("queue-agent").allInnerTexts();
    assert.deepEqual([...new Set(agentColumn)], ["李催收 Agent Li"], "only the agent's own cases");
    const phones = await page.getByTestId("case-queue").getByTestId("queue-phone").allInnerTexts();
    assert.ok(
      phones.every((phone) => /^1\d\d\*{4}\d{4}$/.test(phone)),
      `phones are masked: ${phones.join(", ")}`,
    );
    await page.goto(`${server.baseUrl}/audit`);
    await page.getByTestId("side-menu").waitFor();
    assert.equal(new URL(page.url()).pathname, "/", "an agent typing /audit lands on the home page");
    await context.close();
  });

  it("tells a user who typed the wrong password", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, "supervisor", "not-the-password-1");
    const error = page.getByTestId("login-error");
    await error.waitFor();
    assert.match(await error.innerText(), /用户名或密码错误/);
    assert.match(await error.innerText(), /4/);
    await context.close();
  });
});
