// Message templates (话术模板): the strategist edits the demo's approved M1 reminder and slips a
// threat into it; the live preview marks it, and the compliance officer's approval is refused
// with the phrase highlighted while the approved version stays in use. The officer rejects it,
// the strategist fixes it, and the officer approves the fix (four-eyes: two people).
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

async function openTemplate(page: Page) {
  await page.getByTestId("menu-templates").click();
  await page.waitForURL(/\/templates$/);
  await page.getByTestId("template-row-overdue-m1-zh-CN").click();
  await page.getByTestId("template-detail").waitFor();
}

const bodyEditor = (page: Page) => page.locator('textarea[data-testid="template-body"], [data-testid="template-body"] textarea').first();

describe("templates page", () => {
  it("refuses to approve a version with a threat, highlighting it, and approves the fix by another person", async () => {
    const strategistContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const strategist = await strategistContext.newPage();
    await signIn(strategist, server.baseUrl, "strategist");
    await openTemplate(strategist);
    const rows = strategist.getByTestId("templates-table").locator("tr.ant-table-row");
    assert.ok((await rows.count()) >= 6, "the demo's approved templates are listed");
    assert.match(await strategist.getByTestId("template-versions").innerText(), /已审批/);

    const original = await bodyEditor(strategist).inputValue();
    assert.match(original, /\{\{institutionName\}\}/);
    await bodyEditor(strategist).fill(`${original}否则后果自负。`);
    // The live preview renders with the sample values and marks the threat before anyone submits.
    await strategist.getByTestId("template-preview-text-span").filter({ hasText: "后果自负" }).waitFor();
    await strategist.getByTestId("template-save").click();
    await strategist.getByTestId("template-version-2").waitFor();
    await strategist.getByTestId("template-version-2").getByTestId("template-submit").click();
    await strategist.getByTestId("template-version-2").getByText("待审批").waitFor();
    assert.equal(await strategist.getByTestId("template-approve").count(), 0, "a strategist cannot approve");

    const complianceContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const compliance = await complianceContext.newPage();
    await signIn(compliance, server.baseUrl, "compliance");
    await openTemplate(compliance);
    await compliance.getByTestId("template-version-2").getByTestId("template-approve").click();
    const refusal = compliance.getByTestId("template-refusal");
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /不能审批/);
    const marked = refusal.getByTestId("template-refusal-text-span");
    assert.equal(await marked.first().innerText(), "后果自负");
    assert.equal(await marked.first().getAttribute("data-rule"), "cn.content.threat");
    await refusal.locator('[data-testid="template-refusal-finding"][data-rule="cn.content.threat"]').waitFor();
    // Refused: version 2 still waits and version 1 is still the one in use.
    assert.match(await compliance.getByTestId("template-version-2").innerText(), /待审批/);
    assert.match(await compliance.getByTestId("template-version-1").innerText(), /已审批/);
    await compliance.screenshot({ path: join(screenshotDirectory, "templates-refused.png") });

    await compliance.getByTestId("template-version-2").getByTestId("template-reject").click();
    await compliance.getByTestId("template-reject-note").fill("含威胁用语「后果自负」，请删除。");
    await compliance.getByTestId("template-reject-confirm").click();
    await compliance.getByTestId("template-version-2").getByText("已驳回").waitFor();

    // The strategist fixes it; the compliance officer approves the fix.
    await strategist.reload();
    await openTemplate(strategist);
    await bodyEditor(strategist).fill(`${original}如已还款，请忽略本短信。`);
    await strategist.getByTestId("template-preview-check").and(strategist.locator("[data-passes=true]")).waitFor();
    await strategist.getByTestId("template-save").click();
    await strategist.getByTestId("template-version-3").getByTestId("template-submit").click();
    await strategist.getByTestId("template-version-3").getByText("待审批").waitFor();

    await compliance.reload();
    await openTemplate(compliance);
    await compliance.getByTestId("template-version-3").getByTestId("template-approve").click();
    await compliance.getByTestId("template-version-3").getByText("已审批").waitFor();
    assert.match(await compliance.getByTestId("template-version-1").innerText(), /已被取代/);
    assert.match(await compliance.getByTestId("template-row-overdue-m1-zh-CN").innerText(), /v3/);
    await compliance.screenshot({ path: join(screenshotDirectory, "templates.png") });

    // An agent does not see the page.
    const agentContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const agent = await agentContext.newPage();
    await signIn(agent, server.baseUrl, "agent1");
    assert.equal(await agent.getByTestId("menu-templates").count(), 0);
    await Promise.all([strategistContext.close(), complianceContext.close(), agentContext.close()]);
  });
});
