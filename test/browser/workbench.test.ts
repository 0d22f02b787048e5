// The agent workbench: an agent opens the first case of 我的案件, reads what is owed and why,
// reveals the phone with a reason, dials and logs a connected call (overdue reason: income drop)
// with a promise to pay, tries an SMS after 22:00 in the borrower's zone and sees the contact
// window's reason and the next allowed time, records a dispute and sees collection paused; an
// admin then finds the reveal in the audit log.
//
// The server runs on the real clock, so the contact window is made deterministic through the
// borrower's own time-zone preference (PUT /api/borrowers/:id/contact-preferences), which the
// gateway honours: first a zone where it is early afternoon now, later one where it is 22:xx.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
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

/** Picks an option of the antd Select with this test id by its exact label. */
/** Picks an option in an Ant Design select, and checks the select shows it (a click during the dropdown's animation can miss). */
async function choose(page: Page, testId: string, option: string) {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await page.getByTestId(testId).click();
    await page
      .locator(".ant-select-item-option:visible")
      .filter({ hasText: new RegExp(`^${option}$`) })
      .click();
    const shown = page
      .locator(".ant-select")
      .filter({ has: page.getByTestId(testId) })
      .first();
    const text =
      (await shown.innerText().catch(() => "")) ||
      (await page
        .getByTestId(testId)
        .innerText()
        .catch(() => ""));
    if (text.includes(option)) return;
    await page.keyboard.press("Escape");
  }
  assert.fail(`could not choose ${option} in ${testId}`);
}

/** A fixed-offset zone in which the wall clock shows `localHour` right now (Etc/GMT signs are inverted). */
function zoneWhereItIs(localHour: number): { zone: string; offsetHours: number } {
  let offsetHours = (((localHour - new Date().getUTCHours()) % 24) + 24) % 24;
  if (offsetHours > 11) offsetHours -= 24;
  const zone = offsetHours === 0 ? "Etc/UTC" : offsetHours > 0 ? `Etc/GMT-${offsetHours}` : `Etc/GMT+${-offsetHours}`;
  return { zone, offsetHours };
}

/** Sets the borrower's time zone through the API with the signed-in agent's session. */
async function setBorrowerZone(context: BrowserContext, page: Page, borrowerId: string, zone: string) {
  const csrf = (await context.cookies()).find((cookie) => cookie.name === "duecare_staff_csrf")?.value ?? "";
  const response = await page.request.put(`${server.baseUrl}/api/borrowers/${borrowerId}/contact-preferences`, {
    data: { timeZones: [zone] },
    headers: { "x-csrf-token": csrf },
  });
  assert.equal(response.status(), 204, await response.text());
}

/** "¥1,234.56" → 123456n */
function fen(text: string): bigint {
  const match = /(-)?¥([\d,]+)\.(\d{2})/.exec(text);
  assert.ok(match, `not an amount: ${text}`);
  const value = BigInt((match[2] as string).replaceAll(",", "") + match[3]);
  return match[1] ? -value : value;
}

describe("agent workbench", () => {
  it("works a case from the queue to a promise, a refused SMS and a dispute; the reveal is audited", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await signIn(page, server.baseUrl, "agent1");

    // The queue: the agent's own open cases, phones masked, amounts in yuan.
    await page.getByText("我的案件", { exact: true }).click();
    await page.waitForURL(/\/cases$/);
    const queue = page.getByTestId("case-queue");
    const rows = queue.locator("tbody tr.ant-table-row");
    await rows.first().waitFor();
    assert.ok((await rows.count()) >= 5, "the agent has cases");
    assert.deepEqual([...new Set(await queue.getByTestId("queue-agent").allInnerTexts())], ["李催收 Agent Li"], "only the agent's own cases");
    const phones = await queue.getByTestId("queue-phone").allInnerTexts();
    assert.ok(
      phones.every((phone) => /^1\d\d\*{4}\d{4}$/.test(phone)),
      `phones are masked: ${phones.join(", ")}`,
    );
    // Amounts are the last close's; before the demo book's first close they show as pending, never as ¥0.00.
    const amounts = await queue.getByTestId("queue-overdue").allInnerTexts();
    assert.ok(
      amounts.every((amount) => /^¥[\d,]+\.\d{2}$/.test(amount) || amount === "待日终"),
      amounts.join(", "),
    );
    assert.ok(!amounts.includes("¥0.00"), "no overdue case shows as owing nothing");
    await queue.getByRole("columnheader", { name: "待办" }).waitFor();
    await page.screenshot({ path: join(screenshotDirectory, "console-queue.png") });

    const borrowerName = await rows.first().getByTestId("queue-borrower").innerText();
    await rows.first().click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    const caseId = new URL(page.url()).pathname.split("/").pop() as string;
    assert.equal(await page.getByTestId("case-borrower-name").innerText(), borrowerName);

    // What is owed and why: a loan opens to its installments, each with its components.
    const accounts = page.getByTestId("case-accounts").getByTestId("account-row");
    await accounts.first().waitFor();
    const overdueDays = (await accounts.getByTestId("account-dpd").allInnerTexts()).map(Number);
    const overdueIndex = overdueDays.findIndex((days) => days > 0);
    assert.ok(overdueIndex >= 0, `a loan of the case is overdue: ${overdueDays.join(", ")}`);
    await accounts.nth(overdueIndex).click();
    const owed = page.getByTestId("owed-explanation").first();
    await owed.waitFor();
    assert.ok(fen(await owed.getByTestId("owed-overdue").innerText()) > 0n, "the loan is overdue");
    const installment = owed.getByTestId("owed-row").first();
    await installment.waitFor();
    assert.match(await installment.innerText(), /第 \d+ 期/);
    const parts = await Promise.all(
      ["principal", "interest", "penalty", "fee"].map(async (part) => fen(await installment.getByTestId(`owed-${part}`).innerText())),
    );
    const total = fen(await installment.getByTestId("owed-total").innerText());
    assert.ok(total > 0n, "something is owed on the installment");
    assert.equal(
      total,
      parts.reduce((sum, part) => sum + part, 0n),
      "the installment's total is its principal, interest, penalty and fees",
    );
    await owed.getByRole("columnheader", { name: "罚息" }).waitFor();

    // The phone is masked until revealed with a reason.
    const masked = await page.getByTestId("case-phone").innerText();
    assert.match(masked, /^1\d\d\*{4}\d{4}$/);
    await page.getByTestId("reveal-phone").click();
    assert.ok(await page.getByTestId("reveal-submit").isDisabled(), "no reveal without a reason");
    await page.getByTestId("reveal-reason").fill("借款人来电要求核对预留号码");
    await page.getByTestId("reveal-submit").click();
    const revealed = await page.getByTestId("revealed-phone").innerText();
    assert.match(revealed, /^1\d{10}$/);
    assert.equal(revealed.slice(0, 3), masked.slice(0, 3));
    assert.equal(revealed.slice(-4), masked.slice(-4));

    // Early afternoon in the borrower's zone: the gateway lets the call through.
    const detail = (await (await page.request.get(`${server.baseUrl}/api/cases/${caseId}`)).json()) as { borrower: { id: string } };
    const borrowerId = detail.borrower.id;
    await setBorrowerZone(context, page, borrowerId, zoneWhereItIs(13).zone);
    await page.getByTestId("case-refresh").click();
    const callDecision = page.getByTestId("call-decision");
    await callDecision.and(page.locator("[data-decision=allow], [data-decision=warn]")).waitFor();

    await page.getByTestId("action-call").click();
    await page.getByTestId("call-submit").waitFor();
    await choose(page, "call-result", "接通");
    await page.getByTestId("call-rpc").click();
    await choose(page, "call-reason", "收入下降");
    await page.getByTestId("call-note").fill("本人接听，称近期收入下降，愿意先还一部分。");
    await page.getByTestId("call-promise-amount").fill("500.00");
    const promiseDate = demoDay(3);
    await page.getByTestId("call-promise-date").fill(promiseDate);
    await page.getByTestId("call-submit").click();
    await page.getByTestId("call-submit").waitFor({ state: "detached" });

    const timeline = page.getByTestId("case-timeline");
    const logged = timeline.getByTestId("timeline-row").filter({ hasText: "收入下降" });
    await logged.waitFor();
    assert.match(await logged.innerText(), /接通/);
    assert.match(await logged.innerText(), /本人接听/);
    assert.match(await logged.innerText(), /允许|警示/);
    const promise = page.getByTestId("case-promises").getByTestId("promise-item").first();
    await promise.getByText("¥500.00", { exact: true }).first().waitFor();
    assert.match(await promise.innerText(), new RegExp(promiseDate));
    assert.match(await promise.innerText(), /待兑现/);
    await page.evaluate("window.scrollTo(0, 0)");
    await page.screenshot({ path: join(screenshotDirectory, "console-case.png") });
    await page.screenshot({ path: join(screenshotDirectory, "console-case-full.png"), fullPage: true });

    // 22:xx in the borrower's zone: the SMS is deferred by the contact window until 08:00 there.
    const night = zoneWhereItIs(22);
    await setBorrowerZone(context, page, borrowerId, night.zone);
    await page.getByTestId("case-refresh").click();
    const smsDecision = page.getByTestId("sms-decision");
    await smsDecision.and(page.locator("[data-decision=defer]")).waitFor();
    assert.equal(await smsDecision.innerText(), "延后");
    const smsReasons = page.getByTestId("sms-reasons");
    assert.match(await smsReasons.innerText(), /cn\.contact-window/);
    assert.match(await smsReasons.innerText(), /每日22:00至次日08:00/);
    // 08:00 in the borrower's zone, shown in Shanghai time (UTC+8).
    const nextHourShanghai = String((((8 - night.offsetHours + 8) % 24) + 24) % 24).padStart(2, "0");
    assert.match(await page.getByTestId("sms-next-allowed").innerText(), new RegExp(`${nextHourShanghai}:00`));

    await page.getByTestId("action-sms").click();
    assert.match(await page.getByTestId("sms-text").innerText(), /安信消费金融（演示）/, "the template names the institution");
    await page.getByTestId("sms-send").click();
    const smsResult = page.getByTestId("sms-result");
    await smsResult.waitFor();
    assert.match(await smsResult.innerText(), /延后/);
    assert.match(await smsResult.innerText(), /cn\.contact-window/);
    assert.match(await smsResult.innerText(), new RegExp(`${nextHourShanghai}:00`));
    await page.keyboard.press("Escape");
    await timeline.getByTestId("timeline-row").filter({ hasText: "短信" }).filter({ hasText: "已延后" }).first().waitFor();

    // A dispute recorded on the case pauses collection: the SMS is now blocked for that reason.
    await page.getByTestId("action-restriction").click();
    await page.getByTestId("restriction-note").fill("借款人对罚息金额有异议");
    await page.getByTestId("restriction-submit").click();
    await page.getByTestId("case-restrictions").getByText("争议处理中", { exact: true }).first().waitFor();
    await smsDecision.and(page.locator("[data-decision=block]")).waitFor();
    assert.equal(await smsDecision.innerText(), "拦截");
    await page.getByTestId("sms-reasons").locator('[data-rule="cn.pause.complaint-or-dispute"]').waitFor();
    assert.match(await page.getByTestId("sms-reasons").innerText(), /催收行为投诉或争议处理期间暂停催收/);
    assert.equal(await page.getByTestId("sms-next-allowed").innerText(), "待原因消除");
    await callDecision.and(page.locator("[data-decision=block]")).waitFor();

    // The same page in English.
    await page.getByTestId("lang-switch").getByText("EN").click();
    await waitForText(smsDecision, /^Blocked$/);
    await waitForText(page.getByTestId("sms-reasons"), /a dispute is open/);
    await waitForText(logged, /Income drop/);
    assert.match(await logged.innerText(), /Connected/);
    await page.getByRole("button", { name: "Send SMS" }).waitFor();
    await page.getByTestId("lang-switch").getByText("中文").click();

    // Back in the queue the case now carries the promise; the status filter narrows the queue to it.
    await page.getByTestId("case-back").first().click();
    await page.waitForURL(/\/cases$/);
    await rows.first().waitFor();
    const filtered = page.waitForResponse((response) => response.url().includes("/api/cases/queue") && response.url().includes("status=promised"));
    await choose(page, "queue-status-filter", "已承诺还款");
    await filtered;
    const row = queue.locator(`tr[data-case-id="${caseId}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /已承诺还款/);
    assert.match(await row.innerText(), new RegExp(`承诺 ${promiseDate} 还款`));
    assert.deepEqual([...new Set(await rows.locator("td:nth-child(5)").allInnerTexts())], ["已承诺还款"], "the filter keeps promised cases only");
    await context.close();

    // An admin finds the reveal, with its reason, in the audit log.
    const adminContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const adminPage = await adminContext.newPage();
    await signIn(adminPage, server.baseUrl, "admin");
    await adminPage.getByText("审计日志", { exact: true }).click();
    const reveal = adminPage.getByTestId("audit-table").locator("tr.ant-table-row").filter({ hasText: "pii.revealed" });
    await reveal.first().waitFor();
    assert.match(await reveal.first().innerText(), /借款人来电要求核对预留号码/);
    await adminContext.close();
  });

  it("schedules a callback in the lender's time zone, whatever zone the agent's computer is in", async () => {
    // The computer is in New York; the demo lender is in Shanghai (UTC+8, no summer time).
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, timezoneId: "America/New_York" });
    const page = await context.newPage();
    await signIn(page, server.baseUrl, "agent1");
    await page.getByText("我的案件", { exact: true }).click();
    const rows = page.getByTestId("case-queue").locator("tbody tr.ant-table-row");
    await rows.last().waitFor();
    await rows.last().click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    const caseId = new URL(page.url()).pathname.split("/").pop() as string;

    const shanghaiToday = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
    const [year, month, day] = shanghaiToday.split("-").map(Number) as [number, number, number];
    const tomorrow = new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
    await page.getByTestId("action-callback").click();
    assert.equal(await page.getByTestId("callback-at").inputValue(), `${tomorrow}T10:00`, "tomorrow at 10:00 in Shanghai");
    await page.getByTestId("callback-submit").click();
    await waitForText(page.getByTestId("callback-scheduled"), /10:00/);

    const detail = await page.request.get(`${server.baseUrl}/api/cases/${caseId}`);
    assert.equal(detail.status(), 200);
    const actions = ((await detail.json()) as { actions: { kind: string; dueAt: string; doneAt: string | null }[] }).actions;
    assert.ok(
      actions.some((action) => action.kind === "callback" && action.doneAt === null && action.dueAt === `${tomorrow}T02:00:00.000Z`),
      `a callback at 10:00 Shanghai time (02:00 UTC): ${JSON.stringify(actions)}`,
    );
    await context.close();
  });
});
