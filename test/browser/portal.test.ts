// Borrower journey on a phone-sized screen: ask for a code, read it where the development
// outbox keeps it (the admin's console), sign in, see one's own loans, sign out.
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

/** Reads the newest code from the Dev outbox page, as an admin would. */
async function readCodeFromOutbox(maskedPhone: RegExp): Promise<string> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/outbox`);
  await page.getByTestId("login-username").fill("admin");
  await page.getByTestId("login-password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("side-menu").waitFor();
  await page.goto(`${server.baseUrl}/outbox`);
  const firstRow = page.getByTestId("outbox-table").locator("tbody tr.ant-table-row").first();
  await firstRow.waitFor();
  const text = await firstRow.innerText();
  await context.close();
  const match = /\b(\d{6})\b/.exec(text);
  assert.ok(match, `the outbox row carries a code: ${text}`);
  assert.match(text, maskedPhone, "the recipient is shown masked");
  return match[1] as string;
}

async function openPortal(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/portal`);
  return page;
}

describe("borrower portal", () => {
  it("refuses a wrong code with a message the borrower can read", async () => {
    const page = await openPortal();
    // Another demo borrower than the next test's, since a phone gets one code a minute.
    await page.getByTestId("portal-phone").fill("13800145919");
    await page.getByTestId("portal-send-code").click();
    await page.getByText("验证码已发送，5 分钟内有效").waitFor();
    const code = await readCodeFromOutbox(/138\*{4}5919/);
    await page.getByTestId("portal-code").fill(code === "000000" ? "111111" : "000000");
    await page.getByTestId("portal-login").click();
    const error = page.getByTestId("portal-error");
    await error.waitFor();
    assert.match(await error.innerText(), /验证码不正确.*还可尝试 4 次/);
    await page.context().close();
  });

  it("signs a borrower in with phone and code and shows only their loans", async () => {
    const page = await openPortal();
    await page.getByTestId("portal-phone").fill("138 0013 8000");
    await page.getByTestId("portal-send-code").click();
    await page.getByText("验证码已发送，5 分钟内有效").waitFor();
    const code = await readCodeFromOutbox(/138\*{4}8000/);
    await page.getByTestId("portal-code").fill(code);
    await page.getByTestId("portal-login").click();
    await page.getByTestId("portal-greeting").waitFor();
    assert.equal(new URL(page.url()).pathname, "/portal/accounts", "signed in, the borrower is on their accounts page");
    const accounts = page.getByTestId("portal-accounts");
    await accounts.waitFor();
    const cards = await accounts.locator(".ant-card").count();
    assert.ok(cards >= 1, "at least one loan");
    const text = await accounts.innerText();
    assert.match(text, /¥\d{1,3}(,\d{3})*\.\d{2}/, "principal shown with currency");
    assert.match(text, /已逾期/, "the demo borrower's overdue loan is marked");
    const owed = page.getByTestId("portal-owed").first();
    assert.match(await owed.innerText(), /已逾期 \d+ 天，逾期应还 ¥[\d,]+\.\d{2}/);
    assert.match(await owed.innerText(), /每天新增罚息约 ¥\d+\.\d{2}/);
    await owed.getByTestId("portal-owed-why").click();
    assert.match(await owed.innerText(), /罚息：\d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2} 共 \d+ 天 × 0\.05%\/天 × ¥[\d,]+\.\d{2} = ¥[\d,]+\.\d{2}/);
    const width = await page.evaluate<number>("document.documentElement.scrollWidth");
    assert.ok(width <= 375, `no horizontal scrolling on a phone (page is ${width}px wide)`);
    await page.screenshot({ path: join(screenshotDirectory, "portal-accounts.png"), fullPage: true });
    await page.reload();
    await page.getByTestId("portal-accounts").waitFor(); // still signed in after a reload
    await page.getByTestId("portal-logout").click();
    await page.getByTestId("portal-send-code").waitFor();
    await page.goto(`${server.baseUrl}/portal/accounts`);
    await page.getByTestId("portal-send-code").waitFor();
    assert.match(new URL(page.url()).pathname, /^\/portal\/?$/, "signed out, /portal/accounts leads back to sign-in");
    await page.context().close();
  });
});
