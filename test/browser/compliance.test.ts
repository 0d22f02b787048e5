// Compliance review (合规审查): a compliance officer reads the contacts the gateway refused in the
// demo book with their reasons, previews a scenario, checks a message's wording, in Chinese and
// in English; an agent does not see the page.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, type RunningServer, screenshotDirectory, signIn, startServer } from "./harness.js";

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

describe("compliance review page", () => {
  it("shows a compliance officer the refused demo contacts, a scenario preview and a content check", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await signIn(page, server.baseUrl, "compliance");
    assert.ok((await menuLabels(page)).includes("合规审查"), "the compliance officer sees the compliance review entry");
    await page.getByText("合规审查", { exact: true }).click();
    await page.waitForURL(/\/compliance$/);

    // The demo agent's SMS at 22:40 Shanghai time was deferred by the contact window until 08:00.
    const decisions = page.getByTestId("compliance-decisions");
    const deferredSms = decisions.locator("tr.ant-table-row").filter({ hasText: "短信" }).filter({ hasText: "延后" });
    await deferredSms.waitFor();
    assert.equal(await deferredSms.count(), 1, "one deferred SMS in the demo book");
    const smsText = await deferredSms.innerText();
    assert.match(smsText, /22:40/, "the contact time in Shanghai time");
    assert.match(smsText, /cn\.contact-window/);
    assert.match(smsText, /每日22:00至次日08:00/, "the reason, in Chinese");
    assert.match(smsText, /agent1/, "who asked");
    assert.match(await deferredSms.getByTestId("compliance-next-allowed").innerText(), /\d{2}:\d{2}/, "a next allowed time");
    assert.match(await deferredSms.getByTestId("compliance-next-allowed").innerText(), /08:00/);

    // The call to a borrower with an open dispute is blocked for good (until the dispute ends).
    const disputed = decisions.locator("tr.ant-table-row").filter({ hasText: "cn.pause.complaint-or-dispute" });
    await disputed.waitFor();
    assert.match(await disputed.innerText(), /拦截/);
    assert.equal(await disputed.getByTestId("compliance-next-allowed").innerText(), "待原因消除");

    // Only refused contacts are listed: the demo's allowed call is not.
    assert.equal(await decisions.locator("[data-decision=allow]").count(), 0);
    assert.ok((await decisions.locator("tr.ant-table-row").count()) >= 3, "the deferred SMS, the blocked SMS and the blocked call");
    await page.screenshot({ path: join(screenshotDirectory, "console-compliance-decisions.png") });

    // A row opens to the rule's legal source.
    await deferredSms.locator(".ant-table-row-expand-icon").click();
    await page
      .getByTestId("compliance-decision-details")
      .getByText(/GB\/T 45251-2025/)
      .waitFor();

    // The preview decides the sample scenario (a call at 22:30) without storing anything.
    await page.getByRole("tab", { name: "规则试算" }).click();
    assert.match(await page.getByTestId("compliance-preview-input").inputValue(), /22:30:00\+08:00/);
    await page.getByTestId("compliance-preview-run").click();
    const preview = page.getByTestId("compliance-preview-result");
    await preview.getByText("defer", { exact: true }).waitFor();
    await preview.getByText("延后", { exact: true }).waitFor();
    assert.match(await preview.innerText(), /每日22:00至次日08:00/);
    assert.match(await preview.getByTestId("compliance-next-allowed").innerText(), /08:00/);
    await page.screenshot({ path: join(screenshotDirectory, "console-compliance-preview.png") });

    // English: the same decision explained in English.
    await page.getByTestId("lang-switch").getByText("EN").click();
    await preview.getByText("Deferred", { exact: true }).waitFor();
    assert.match(await preview.innerText(), /No collection contact 22:00–08:00 in the contact's local time/);
    await page.getByRole("tab", { name: "Refused contacts" }).click();
    const deferredSmsEnglish = decisions.locator("tr.ant-table-row").filter({ hasText: "SMS" }).filter({ hasText: "Deferred" });
    await deferredSmsEnglish.waitFor();
    assert.match(await deferredSmsEnglish.innerText(), /No collection contact 22:00–08:00/, "the table's reasons follow the language");
    assert.equal(await disputed.getByTestId("compliance-next-allowed").innerText(), "Once the cause is resolved");

    // A bad scenario names the field.
    await page.getByRole("tab", { name: "Rule preview" }).click();
    const input = page.getByTestId("compliance-preview-input");
    await input.fill((await input.inputValue()).replace("2026-11-20T22:30:00+08:00", "tonight at half past ten"));
    await page.getByTestId("compliance-preview-run").click();
    await preview.getByTestId("compliance-preview-errors").getByText("request.at", { exact: true }).waitFor();

    // The content check marks a threat to tell the borrower's employer.
    await page.getByRole("tab", { name: "Content check" }).click();
    await page.getByTestId("compliance-content-input").fill("再不还钱就通知你单位领导，后果自负");
    await page.getByTestId("compliance-content-run").click();
    const content = page.getByTestId("compliance-content-result");
    await content.getByTestId("compliance-content-span").first().waitFor();
    assert.deepEqual(await content.getByTestId("compliance-content-span").allInnerTexts(), ["通知你单位", "后果自负"]);
    const falseConsequence = content.locator('[data-testid="compliance-finding"][data-rule="cn.content.false-consequence"]');
    assert.match(await falseConsequence.innerText(), /No false statements about consequences/);
    assert.match(await falseConsequence.innerText(), /通知你单位/);
    assert.equal(await content.locator('[data-testid="compliance-finding"][data-rule="cn.content.threat"]').count(), 1);
    assert.equal(await content.locator('[data-testid="compliance-finding"][data-rule="cn.content.institution-name"]').count(), 1, "the lender is not named");
    await page.screenshot({ path: join(screenshotDirectory, "console-compliance-content-check.png") });

    await page.getByTestId("compliance-content-input").fill("【安信消费金融（演示）】您的借款已逾期，请尽快还款或联系我们商量还款方案。");
    await page.getByTestId("compliance-content-run").click();
    await content.getByText("Passes: no forbidden expression, and nothing required is missing.").waitFor();
    await context.close();
  });

  it("shows times in the lender's zone that the session carries, not in Shanghai time", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    // The demo lender is in Shanghai; the session is told the lender is in Kolkata (UTC+5:30,
    // no summer time), 2 h 30 min behind, so every time on the page moves by that much.
    await page.route(/\/api\/auth\/me$/, async (route) => {
      const response = await route.fetch();
      if (!response.ok()) return route.fulfill({ response });
      const body = (await response.json()) as { user: { lenderTimeZone: string } };
      return route.fulfill({ response, json: { ...body, user: { ...body.user, lenderTimeZone: "Asia/Kolkata" } } });
    });
    await signIn(page, server.baseUrl, "compliance");
    await page.reload();
    await page.getByTestId("side-menu").waitFor();
    await page.getByText("合规审查", { exact: true }).click();
    await page.waitForURL(/\/compliance$/);

    // The SMS to a borrower in Shanghai at 22:40 there, deferred until 08:00 there: 20:10 and 05:30 in Kolkata.
    const deferredSms = page.getByTestId("compliance-decisions").locator("tr.ant-table-row").filter({ hasText: "短信" }).filter({ hasText: "延后" });
    await deferredSms.waitFor();
    const smsText = await deferredSms.innerText();
    assert.match(smsText, /\d{4}\/\d{2}\/\d{2} 20:10/, "the contact time, in the lender's zone");
    assert.match(smsText, /22:40 \(Asia\/Shanghai\)/, "the reason still quotes the contact's own local time");
    assert.match(await deferredSms.getByTestId("compliance-next-allowed").innerText(), /05:30/);
    await page.getByText("时间均按机构所在时区（Asia/Kolkata）显示").waitFor();

    // The sample scenario is a call at 22:30 in the lender's zone: still deferred, until 08:00 there.
    await page.getByRole("tab", { name: "规则试算" }).click();
    const input = await page.getByTestId("compliance-preview-input").inputValue();
    assert.match(input, /"at": "2026-11-20T22:30:00\+05:30"/);
    assert.match(input, /"timeZones": \[\s*"Asia\/Kolkata"\s*\]/);
    await page.getByTestId("compliance-preview-run").click();
    const preview = page.getByTestId("compliance-preview-result");
    await preview.getByText("延后", { exact: true }).waitFor();
    assert.match(await preview.getByTestId("compliance-next-allowed").innerText(), /2026\/11\/21 08:00/);
    await context.close();
  });

  it("hides the compliance review from an agent", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, server.baseUrl, "agent1");
    await page.getByTestId("user-menu").getByText("李催收 Agent Li").waitFor();
    const labels = await menuLabels(page);
    assert.ok(labels.includes("我的案件"), labels.join(", "));
    assert.ok(!labels.includes("合规审查"), `an agent must not see the compliance review: ${labels.join(", ")}`);
    await page.goto(`${server.baseUrl}/compliance`);
    await page.getByTestId("side-menu").waitFor();
    assert.equal(new URL(page.url()).pathname, "/", "an agent typing /compliance lands on the home page");
    await context.close();
  });
});
