// The demo lender that `npm start` seeds on first start: products, a few hundred borrowers
// with loans, cases spread over in-house agents and an outsourced agency, and one staff user
// per role. Deterministic, so screenshots and tests see the same book every time.
import { randomUUID } from "node:crypto";
import { registerBorrower } from "../modules/borrowers/index.js";
import { type NewCase, openCases } from "../modules/cases/index.js";
import { attemptContact } from "../modules/compliance/index.js";
import { addStaffUser } from "../modules/identity/index.js";
import { addProduct, loadLoan, openLoan, recordPayment, syncLoanLedger } from "../modules/loans/index.js";
import { seedActiveStrategy } from "../modules/strategies/index.js";
import { type NewTemplate, seedApprovedTemplate } from "../modules/templates/index.js";
import { appendAudit } from "../platform/audit/index.js";
import type { AppContext } from "../platform/context.js";
import type { Executor } from "../platform/db/index.js";
import { addDays, dateInZone } from "../platform/plain-date.js";
import { makeNationalId } from "../platform/privacy/index.js";

export const DEMO_PASSWORD = "duecare-demo-2026";
export const DEMO_BORROWER_PHONE = "13800138000";

export const demoStaff = [
  { username: "admin", displayName: "系统管理员 Admin", roles: ["admin"] },
  { username: "supervisor", displayName: "王组长 Supervisor Wang", roles: ["supervisor"] },
  { username: "agent1", displayName: "李催收 Agent Li", roles: ["agent"] },
  { username: "agent2", displayName: "赵客服 Agent Zhao", roles: ["agent"] },
  { username: "compliance", displayName: "孙合规 Compliance Sun", roles: ["compliance"] },
  { username: "complaints", displayName: "周投诉 Complaints Zhou", roles: ["complaint_handler"] },
  { username: "strategist", displayName: "吴策略 Strategist Wu", roles: ["strategist"] },
  { username: "agency1", displayName: "外包坐席 Agency agent", roles: ["agent"], agency: true },
] as const;

const surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"];
const givenNames = [
  "伟",
  "芳",
  "娜",
  "敏",
  "静",
  "丽",
  "强",
  "磊",
  "军",
  "洋",
  "勇",
  "艳",
  "杰",
  "娟",
  "涛",
  "明",
  "超",
  "秀英",
  "霞",
  "平",
  "刚",
  "桂英",
  "文",
  "晓东",
  "海燕",
];
// County codes ending in 99 are not assigned to people: the demo's ID numbers pass the GB 11643
// checksum yet are recognisably synthetic.
const regions = [
  { code: "110199", address: "北京市朝阳区建国路" },
  { code: "310199", address: "上海市浦东新区世纪大道" },
  { code: "440399", address: "广东省深圳市南山区科技园路" },
  { code: "330199", address: "浙江省杭州市西湖区文三路" },
  { code: "510199", address: "四川省成都市武侯区天府大道" },
  { code: "420199", address: "湖北省武汉市武昌区中南路" },
];

/** A small deterministic generator (mulberry32), so the demo book is the same on every machine. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

export interface DemoSeedReport {
  seeded: boolean;
  lenderId: string;
  borrowers: number;
  loanAccounts: number;
  cases: number;
  staff: number;
}

export async function isSeeded(context: AppContext): Promise<boolean> {
  const row = await context.database.db.selectFrom("lenders").select("id").limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function seedDemo(
  context: AppContext,
  options: { borrowers?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<DemoSeedReport> {
  const borrowerCount = options.borrowers ?? 300;
  const existing = await context.database.db.selectFrom("lenders").select("id").where("code", "=", "demo").executeTakeFirst();
  if (existing) return { seeded: false, lenderId: existing.id, borrowers: 0, loanAccounts: 0, cases: 0, staff: 0 };
  const random = createRandom(20261122);
  const now = context.clock.now();
  const system = { actorType: "system" as const, actorId: null };

  return context.database.db.transaction().execute(async (trx) => {
    const lenderId = randomUUID();
    await trx
      .insertInto("lenders")
      .values({
        id: lenderId,
        code: "demo",
        name: "安信消费金融（演示）",
        name_en: "Anxin Consumer Finance (demo)",
        time_zone: "Asia/Shanghai",
        currency: "CNY",
        created_at: now,
        // What a template's {{repaymentLink}} stands for: the borrower portal of a default `npm start`.
        repayment_link: "http://localhost:3000/portal",
      })
      .execute();
    const agencyId = randomUUID();
    await trx.insertInto("agencies").values({ id: agencyId, lender_id: lenderId, name: "恒信外包催收机构 Hengxin Agency", created_at: now }).execute();
    await appendAudit(trx, { ...system, action: "demo.seeded", targetType: "lender", targetId: lenderId, details: { borrowers: borrowerCount } }, now);

    const today = dateInZone(now, "Asia/Shanghai");
    // Trained two months ago: well inside cn.agent-training's 365 days whatever day the demo starts.
    const trainingCompletedOn = addDays(today, -60);
    const staffIds = new Map<string, string>();
    for (const member of demoStaff) {
      const user = await addStaffUser(
        context,
        trx,
        {
          lenderId,
          agencyId: "agency" in member ? agencyId : null,
          username: member.username,
          displayName: member.displayName,
          password: DEMO_PASSWORD,
          roles: [...member.roles],
          trainingCompletedOn,
        },
        system,
      );
      staffIds.set(member.username, user.id);
    }

    const products = [
      {
        code: "CASH-12",
        name: "随借随还现金贷",
        nameEn: "Cash loan",
        repaymentMethod: "equal_installment" as const,
        termMonths: 12,
        annualRate: "18.000000",
        terms: { lateFee: { kind: "fixed" as const, amountMinor: 3_000n } },
      },
      {
        code: "CONS-24",
        name: "消费分期",
        nameEn: "Consumer installment",
        repaymentMethod: "equal_principal" as const,
        termMonths: 24,
        annualRate: "12.000000",
        terms: { lateFee: { kind: "percent" as const, percent: "5", minMinor: 1_000n, maxMinor: 10_000n } },
      },
      {
        code: "BIZ-6",
        name: "小微经营贷",
        nameEn: "Small business loan",
        repaymentMethod: "interest_first" as const,
        termMonths: 6,
        annualRate: "9.600000",
        terms: { graceDays: 3 },
      },
      {
        code: "BRIDGE-3",
        name: "短期周转贷",
        nameEn: "Short bridge loan",
        repaymentMethod: "bullet" as const,
        termMonths: 3,
        annualRate: "7.200000",
        terms: { penalty: { base: "overdue_amount" as const, dailyRatePercent: "0.05", compounding: "simple" as const } },
      },
    ];
    const productIds: string[] = [];
    for (const product of products) productIds.push(await addProduct(context, trx, { ...product, lenderId, currency: "CNY" }));

    const cases: NewCase[] = [];
    const agents = [staffIds.get("agent1"), staffIds.get("agent2")];
    let loanCount = 0;
    for (let index = 0; index < borrowerCount; index += 1) {
      const region = pick(random, regions);
      const year = 1965 + Math.floor(random() * 36);
      const month = 1 + Math.floor(random() * 12);
      const day = 1 + Math.floor(random() * 28);
      const birthDate = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
      const phone = index === 0 ? DEMO_BORROWER_PHONE : `13${(800138000 + index * 7919).toString().slice(-9)}`;
      const borrowerId = await registerBorrower(
        context,
        trx,
        lenderId,
        {
          externalRef: `DEMO-B${String(index + 1).padStart(5, "0")}`,
          name: pick(random, surnames) + pick(random, givenNames),
          nationalId: makeNationalId(region.code, birthDate, index % 1000),
          phone,
          address: `${region.address}${1 + Math.floor(random() * 300)}号`,
          email: index % 3 === 0 ? `borrower${index + 1}@example.com` : null,
        },
        system,
      );
      const loans = random() < 0.25 ? 2 : 1;
      let isOverdue = false;
      for (let loan = 0; loan < loans; loan += 1) {
        // Two in five borrowers stop paying at some point; the rest pay each installment when due.
        const isDelinquent = index % 5 < 2 && loan === 0;
        const productIndex = index === 0 && loan === 0 ? 0 : Math.floor(random() * productIds.length);
        const product = products[productIndex] as (typeof products)[number];
        const installmentCount = product.repaymentMethod === "bullet" ? 1 : product.termMonths;
        const paidInstallments = isDelinquent ? Math.min(Math.floor(random() * 3), installmentCount - 1) : Number.MAX_SAFE_INTEGER;
        // A delinquent loan's first unpaid installment fell due 1-240 days ago, so every bucket has accounts.
        const monthsToFirstUnpaid = product.repaymentMethod === "bullet" ? product.termMonths : paidInstallments + 1;
        const openedOn = isDelinquent
          ? addDays(today, -(1 + Math.floor(random() * 240) + Math.ceil(monthsToFirstUnpaid * 30.5)))
          : addDays(today, -(20 + Math.floor(random() * 400)));
        const loanId = await openLoan(
          context,
          trx,
          {
            lenderId,
            borrowerId,
            productId: productIds[productIndex] as string,
            externalRef: `DEMO-L${String(index + 1).padStart(5, "0")}-${loan + 1}`,
            principalMinor: BigInt(1000 + Math.floor(random() * 49) * 1000) * 100n,
            openedOn,
          },
          system,
          { syncLedger: false },
        );
        loanCount += 1;
        const record = await loadLoan(trx, loanId);
        for (const installment of record.facts.installments) {
          if (installment.number > paidInstallments || installment.dueDate > today) break;
          await recordPayment(context, trx, {
            lenderId,
            loanId,
            idempotencyKey: `demo-${loanId}-${installment.number}`,
            amountMinor: installment.paymentMinor,
            currency: "CNY",
            receivedOn: installment.dueDate,
            source: "demo",
          });
        }
        const statement = await syncLoanLedger(context, trx, loanId, today, "opened");
        isOverdue ||= statement.daysPastDue > 0;
      }
      if (isOverdue) {
        const toAgency = cases.length % 5 === 4;
        cases.push({
          lenderId,
          borrowerId,
          agencyId: toAgency ? agencyId : null,
          assignedAgentId: toAgency ? (staffIds.get("agency1") ?? null) : (agents[cases.length % 2] ?? null),
          status: pick(random, ["new", "in_progress", "promised", "promise_broken"] as const),
          openedOn: addDays(today, -Math.floor(random() * 20)),
        });
      }
      options.onProgress?.(index + 1, borrowerCount);
    }
    await openCases(context, trx, cases);
    await seedMessageTemplates(context, trx, { lenderId, staffIds });
    await seedStrategies(context, trx, { lenderId, staffIds });
    await seedContactDecisions(context, trx, { lenderId, yesterday: addDays(today, -1), staffIds, cases });
    return { seeded: true, lenderId, borrowers: borrowerCount, loanAccounts: loanCount, cases: cases.length, staff: demoStaff.length };
  });
}

/**
 * Yesterday's contacts through the real gateway, so the compliance review has something to show:
 * an ordinary call (allowed), an SMS threatening to tell the borrower's employer (blocked), a
 * call to a borrower who disputes the debt (blocked) and an SMS after 22:00 (deferred). A book
 * too small to have the cases for one of them (`--borrowers 3`) goes without it.
 */
async function seedContactDecisions(
  context: AppContext,
  trx: Executor,
  demo: { lenderId: string; yesterday: string; staffIds: ReadonlyMap<string, string>; cases: readonly NewCase[] },
): Promise<void> {
  const { lenderId, yesterday } = demo;
  const staffId = (username: string) => {
    const id = demo.staffIds.get(username);
    if (!id) throw new Error(`demo staff user ${username} missing`);
    return id;
  };
  const borrowersOf = (username: string) => demo.cases.filter((item) => item.assignedAgentId === staffId(username)).map((item) => item.borrowerId);
  const [agent1First, agent1Second] = borrowersOf("agent1");
  const [agent2First, agent2Second] = borrowersOf("agent2");
  const shanghai = (time: string) => new Date(`${yesterday}T${time}:00+08:00`);
  const contact = (username: string, borrowerId: string, channel: "call" | "sms", time: string, text: string | null) =>
    attemptContact(
      context,
      trx,
      { kind: "staff", userId: staffId(username), lenderId },
      { borrowerId, contactId: null, channel, contentClass: "collection", text, loanId: null, at: shanghai(time) },
      null,
    );

  // The call went through; how it went is the agent's to log (催记), so it stays in progress.
  if (agent1Second) await contact("agent1", agent1Second, "call", "10:15", null);
  if (agent2Second) {
    await contact("agent2", agent2Second, "sms", "11:05", "【安信消费金融（演示）】您的借款已严重逾期，今天再不还款就通知你单位。");
  }
  if (agent2First) {
    await trx
      .insertInto("contact_restrictions")
      .values({
        id: randomUUID(),
        lender_id: lenderId,
        borrower_id: agent2First,
        kind: "dispute_open",
        started_at: shanghai("09:20"),
        ended_at: null,
        note: "借款人对罚息金额提出异议，待核实。The borrower disputes the penalty interest; under review.",
        recorded_by: staffId("complaints"),
      })
      .execute();
    await contact("agent2", agent2First, "call", "15:30", null);
  }
  if (agent1First) {
    await contact("agent1", agent1First, "sms", "22:40", "【安信消费金融（演示）】您的借款已逾期，请尽快还款或联系我们商量还款方案。");
  }
}

/** The approved templates (话术模板) a lender starts with: the M1 overdue reminder, D-3 before the due date and the due day, the plan reminder. */
export const demoTemplates: readonly NewTemplate[] = [
  {
    code: "overdue-m1",
    name: "M1 逾期提醒",
    channel: "sms",
    language: "zh-CN",
    purpose: "overdue",
    subject: null,
    body: "【{{institutionName}}】{{borrowerName}}您好，您的借款已逾期{{daysOverdue}}天，逾期金额{{amountOverdue}}，已产生罚息{{penaltySoFar}}。逾期信息可能影响您的个人征信，请尽快还款：{{repaymentLink}}；如有困难，可联系我们商量分期等还款方案。",
  },
  {
    code: "overdue-m1",
    name: "M1 overdue reminder",
    channel: "sms",
    language: "en",
    purpose: "overdue",
    subject: null,
    body: "{{institutionName}}: Dear {{borrowerName}}, your loan is {{daysOverdue}} days overdue. Amount overdue: {{amountOverdue}}; penalty interest so far: {{penaltySoFar}}. Late repayment may affect your credit record. Repay at {{repaymentLink}}, or contact us to agree an installment plan.",
  },
  {
    code: "pre-due-d3",
    name: "到期前 3 天提醒",
    channel: "sms",
    language: "zh-CN",
    purpose: "pre_due",
    subject: null,
    body: "【{{institutionName}}】{{borrowerName}}您好，温馨提醒：您的本期还款日为{{dueDate}}，请按时还款，避免产生罚息和逾期记录。还款入口：{{repaymentLink}}。如已还款，请忽略本短信。",
  },
  {
    code: "pre-due-d3",
    name: "Due in 3 days",
    channel: "sms",
    language: "en",
    purpose: "pre_due",
    subject: null,
    body: "{{institutionName}}: Dear {{borrowerName}}, a friendly reminder that your repayment is due on {{dueDate}}. Paying on time avoids penalty interest and an overdue record. Repay at {{repaymentLink}}. If you have already paid, please ignore this message.",
  },
  {
    code: "pre-due-today",
    name: "还款日当天提醒",
    channel: "sms",
    language: "zh-CN",
    purpose: "pre_due",
    subject: null,
    body: "【{{institutionName}}】{{borrowerName}}您好，今天（{{dueDate}}）是您的本期还款日，请于今日内还款，避免产生罚息和逾期记录。还款入口：{{repaymentLink}}。如已还款，请忽略本短信。",
  },
  {
    code: "pre-due-today",
    name: "Due today",
    channel: "sms",
    language: "en",
    purpose: "pre_due",
    subject: null,
    body: "{{institutionName}}: Dear {{borrowerName}}, your repayment is due today ({{dueDate}}). Paying today avoids penalty interest and an overdue record. Repay at {{repaymentLink}}. If you have already paid, please ignore this message.",
  },
  {
    code: "plan-reminder",
    name: "还款计划提醒",
    channel: "sms",
    language: "zh-CN",
    purpose: "plan_reminder",
    subject: null,
    body: "【{{institutionName}}】{{borrowerName}}您好，您的还款计划下一期将于{{dueDate}}到期，请按计划按时还款，保持计划正常履行。还款入口：{{repaymentLink}}。",
  },
  {
    code: "plan-reminder",
    name: "Repayment plan reminder",
    channel: "sms",
    language: "en",
    purpose: "plan_reminder",
    subject: null,
    body: "{{institutionName}}: Dear {{borrowerName}}, the next instalment of your repayment plan is due on {{dueDate}}. Paying it on time keeps your plan in good standing. Repay at {{repaymentLink}}.",
  },
];

/** Drafted by the strategist and approved by the compliance officer (four-eyes), as a lender would. */
async function seedMessageTemplates(context: AppContext, trx: Executor, demo: { lenderId: string; staffIds: ReadonlyMap<string, string> }): Promise<void> {
  const authorId = demo.staffIds.get("strategist");
  const approverId = demo.staffIds.get("compliance");
  if (!authorId || !approverId) throw new Error("demo staff users strategist and compliance missing");
  for (const template of demoTemplates) await seedApprovedTemplate(context, trx, { ...template, lenderId: demo.lenderId, authorId, approverId });
}

/**
 * The reminder strategies (策略) a lender starts with, drafted by the strategist and active: before
 * the due date (D-3, D-1, the due day) and early overdue (M1), whose champion escalates to an agent
 * on day 5 while a challenger with 30% of the accounts tries more SMS first. There is no approved
 * robot-call or e-mail template in the demo, so the early steps are SMS.
 */
async function seedStrategies(context: AppContext, trx: Executor, demo: { lenderId: string; staffIds: ReadonlyMap<string, string> }): Promise<void> {
  const authorId = demo.staffIds.get("strategist");
  if (!authorId) throw new Error("demo staff user strategist missing");
  const sms = (key: string, anchor: "due" | "dpd", day: number, templateCode: string, at: string) => ({ key, anchor, day, channel: "sms", templateCode, at });
  const agent = (key: string, day: number, at: string) => ({ key, anchor: "dpd", day, channel: "agent", at });
  await seedActiveStrategy(context, trx, {
    lenderId: demo.lenderId,
    authorId,
    code: "pre-due",
    name: "到期前提醒 Pre-due reminders",
    priority: 10,
    segment: { daysBeforeDueMin: 0, daysBeforeDueMax: 3 },
    variants: [
      {
        code: "champion",
        shareBasisPoints: 10_000,
        cadence: [sms("d-3", "due", -3, "pre-due-d3", "10:00"), sms("d-1", "due", -1, "pre-due-d3", "10:00"), sms("d0", "due", 0, "pre-due-today", "09:00")],
      },
    ],
  });
  await seedActiveStrategy(context, trx, {
    lenderId: demo.lenderId,
    authorId,
    code: "early-overdue",
    name: "M1 早期逾期 Early overdue",
    priority: 20,
    segment: { buckets: ["M1"] },
    variants: [
      {
        code: "champion",
        shareBasisPoints: 7_000,
        cadence: [sms("dpd-1", "dpd", 1, "overdue-m1", "10:00"), sms("dpd-3", "dpd", 3, "overdue-m1", "10:00"), agent("dpd-5", 5, "09:30")],
      },
      {
        code: "sms-heavy",
        shareBasisPoints: 3_000,
        cadence: [
          sms("dpd-1", "dpd", 1, "overdue-m1", "10:00"),
          sms("dpd-2", "dpd", 2, "overdue-m1", "10:00"),
          sms("dpd-3", "dpd", 3, "overdue-m1", "10:00"),
          sms("dpd-5", "dpd", 5, "overdue-m1", "10:00"),
          agent("dpd-7", 7, "09:30"),
        ],
      },
    ],
  });
}
