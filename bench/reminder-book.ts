// A loan book ready for reminders, for the reminders benchmark and the dispatch crash test: the
// synthetic book of loan-book.ts with real encrypted phones (and e-mail addresses), borrowers in
// a zone whose local time is `localHour` now (so the gateway's contact window is open whatever
// the hour the machine runs at), approved templates, and strategies whose cadences give nearly
// every open account one step on the day: pre-due steps D-30…D0 (SMS champion, e-mail
// challenger) and overdue steps for every DPD up to 380, all at the local time of `at`.
import { sql } from "kysely";
import { demoTemplates } from "../src/demo/demo-data.js";
import { addStaffUser } from "../src/modules/identity/index.js";
import { seedActiveStrategy } from "../src/modules/strategies/index.js";
import { type NewTemplate, seedApprovedTemplate } from "../src/modules/templates/index.js";
import type { AppContext } from "../src/platform/context.js";
import { addDays, dateInZone, type PlainDate } from "../src/platform/plain-date.js";
import { buildTemplates, generateBook } from "./loan-book.js";

export interface ReminderBook {
  lenderId: string;
  day: PlainDate;
  timeZone: string;
  at: string;
}

const emailTemplate: NewTemplate = {
  code: "pre-due-mail",
  name: "到期提醒邮件",
  channel: "email",
  language: "zh-CN",
  purpose: "pre_due",
  subject: "【{{institutionName}}】还款提醒 {{dueDate}}",
  body: "{{borrowerName}}您好：\n\n温馨提醒：您的本期还款日为{{dueDate}}，请按时还款，避免产生罚息和逾期记录。还款入口：{{repaymentLink}}。\n如已还款，请忽略本邮件。\n\n{{institutionName}}",
};

/** The Etc/GMT zone whose wall clock reads `localHour` at `now` (Etc/GMT-8 is UTC+8). */
export function zoneForLocalHour(now: Date, localHour: number): string {
  let offset = localHour - now.getUTCHours();
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  return offset === 0 ? "Etc/GMT" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`;
}

/** "HH:MM" on the zone's wall clock at the instant. */
export function localClockOf(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(instant);
}

function dpdStrategies(
  at: string,
): { code: string; dpdMin: number; dpdMax: number; steps: { key: string; anchor: "dpd"; day: number; channel: "sms"; templateCode: string; at: string }[] }[] {
  const strategies = [];
  for (let first = 1; first <= 380; first += 64) {
    const last = Math.min(first + 63, 380);
    const steps = [];
    for (let day = first; day <= last; day += 1)
      steps.push({ key: `dpd-${day}`, anchor: "dpd" as const, day, channel: "sms" as const, templateCode: "overdue-m1", at });
    strategies.push({ code: `overdue-${first}`, dpdMin: first, dpdMax: last, steps });
  }
  return strategies;
}

export async function generateReminderBook(
  context: AppContext,
  input: {
    loanCount: number;
    localHour: number;
    minutesBefore?: number;
    emailShare?: number;
    /** The pre-due challenger sends e-mail (default true); false: SMS only. */
    emailVariant?: boolean;
    /** Leave the day before the contact day to be closed (default: closed already). */
    closeFirst?: boolean;
    log: (line: string) => void;
  },
): Promise<ReminderBook> {
  const timeZone = zoneForLocalHour(context.clock.now(), input.localHour);
  const day = dateInZone(context.clock.now(), timeZone);
  const first = input.closeFirst ? addDays(day, -1) : day;
  const templates = buildTemplates({ first, dayCount: 1 });
  const lenderId = await generateBook(context, { loanCount: input.loanCount, first, dayCount: 1, log: input.log, privacy: context.privacy }, templates);
  const { db } = context.database;
  await sql`update borrowers set time_zone = ${timeZone} where lender_id = ${lenderId}`.execute(db);
  await sql`update lenders set repayment_link = 'https://pay.bench.example/p' where id = ${lenderId}`.execute(db);
  const emailShare = input.emailShare ?? 1;
  if (emailShare > 0) {
    const borrowers = await db.selectFrom("borrowers").select("id").where("lender_id", "=", lenderId).orderBy("id").execute();
    const picked = borrowers.filter((_row, index) => (index * 7919) % 1000 < emailShare * 1000);
    for (let start = 0; start < picked.length; start += 10_000) {
      const rows = picked.slice(start, start + 10_000).map((row, offset) => ({
        id: row.id,
        email: context.privacy.cipher.encrypt(`borrower${start + offset}@mail.bench.example`, `borrower:${row.id}:email`),
      }));
      await sql`update borrowers b set email_enc = r.email from json_to_recordset(${JSON.stringify(rows)}::json) as r(id uuid, email text) where b.id = r.id`.execute(
        db,
      );
    }
  }
  // The steps' time of day: just past, when the book is ready (generating a large one takes minutes).
  const at = localClockOf(new Date(context.clock.now().getTime() - (input.minutesBefore ?? 2) * 60_000), timeZone);
  const system = { actorType: "system" as const, actorId: null };
  const staff = await db.transaction().execute(async (trx) => {
    const ids: string[] = [];
    for (const [username, roles] of [
      ["strategist", ["strategist"]],
      ["compliance", ["compliance"]],
    ] as const) {
      const user = await addStaffUser(
        context,
        trx,
        {
          lenderId,
          username: `${username}-${lenderId.slice(0, 8)}`,
          displayName: username,
          password: "bench-password-42",
          roles: [...roles],
          trainingCompletedOn: "2026-01-01",
        },
        system,
      );
      ids.push(user.id);
    }
    return { strategistId: ids[0] as string, complianceId: ids[1] as string };
  });
  await db.transaction().execute(async (trx) => {
    const wanted = demoTemplates.filter((template) => template.language === "zh-CN" && (template.code === "overdue-m1" || template.code === "pre-due-d3"));
    for (const template of [...wanted, emailTemplate])
      await seedApprovedTemplate(context, trx, { ...template, lenderId, authorId: staff.strategistId, approverId: staff.complianceId });
    const preDueSteps = (channel: "sms" | "email", templateCode: string) =>
      Array.from({ length: 31 }, (_unused, index) => ({ key: `d-${30 - index}`, anchor: "due", day: index - 30, channel, templateCode, at }));
    await seedActiveStrategy(context, trx, {
      code: "pre-due",
      name: "到期前提醒 Pre-due",
      priority: 10,
      lenderId,
      authorId: staff.strategistId,
      segment: { daysBeforeDueMin: 0, daysBeforeDueMax: 30 },
      variants: [
        { code: "champion", shareBasisPoints: 6000, cadence: preDueSteps("sms", "pre-due-d3") },
        input.emailVariant === false
          ? { code: "sms-late", shareBasisPoints: 4000, cadence: preDueSteps("sms", "pre-due-d3") }
          : { code: "email-first", shareBasisPoints: 4000, cadence: preDueSteps("email", "pre-due-mail") },
      ],
    });
    for (const [index, strategy] of dpdStrategies(at).entries()) {
      await seedActiveStrategy(context, trx, {
        code: strategy.code,
        name: `逾期 ${strategy.dpdMin}–${strategy.dpdMax} 天`,
        priority: 20 + index,
        lenderId,
        authorId: staff.strategistId,
        segment: { dpdMin: strategy.dpdMin, dpdMax: strategy.dpdMax },
        variants: [{ code: "champion", shareBasisPoints: 10_000, cadence: strategy.steps }],
      });
    }
  });
  return { lenderId, day, timeZone, at };
}
