// The synthetic loan book shared by the benchmarks: three 12-month products, loans opened over
// the past 360 days on days 1–28 of a month (so the 29th to the 31st are days without due dates),
// 92% paying each installment on its due date and 8% that stopped paying after 1–5; accounts start
// from engine snapshots built once per template of product, opening day, amount and behaviour, with
// no journal history before the first day. Every overdue account's borrower has a case, as the
// close opens it. Borrowers carry placeholder ciphertext unless `privacy` is given, when each gets
// a name, national ID and phone encrypted and blind-indexed with the platform's privacy helpers.
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { defaultClosePolicy, nextEventOf } from "../src/modules/close/index.js";
import {
  addProduct,
  bucketOf,
  buildSchedule,
  defaultTerms,
  encodeFacts,
  encodeSnapshot,
  type LoanFacts,
  ledgerEventsWithPending,
  type PaymentFact,
  replayLoan,
  type ScheduleMethod,
} from "../src/modules/loans/index.js";
import type { AppContext, Privacy } from "../src/platform/context.js";
import { addDays, type PlainDate } from "../src/platform/plain-date.js";
import { blindIndex, makeNationalId } from "../src/platform/privacy/index.js";

export interface BookShape {
  loanCount: number;
  /** The first business day after the snapshots (they are taken as of the day before). */
  first: PlainDate;
  /** Days of repayments planned from `first` on (the close benchmark's days). */
  dayCount: number;
  log: (line: string) => void;
  /** Real encrypted identifiers for every borrower; placeholders without it. */
  privacy?: Privacy;
  /**
   * The order the loans are written in. "opened" (the default): by opening date, as a lender's
   * system creates them, so the loans due on one day sit together in the table as in a live
   * book. "scattered": in an order unrelated to their dates, every due account on its own page.
   */
  order?: "opened" | "scattered";
}

export interface Template {
  id: number;
  productIndex: number;
  facts: LoanFacts;
  state: unknown;
  stateOn: PlainDate;
  nextEventOn: PlainDate | null;
  dpd: number;
  bucket: string;
  status: string;
  overdueSince: PlainDate | null;
  dues: { on: PlainDate; amountMinor: bigint }[];
}

const OPEN_OFFSETS = 360;
const PRINCIPALS = [500_000n, 1_000_000n, 2_000_000n, 5_000_000n];
const CHUNK = 100_000;

export const bookProducts: { code: string; method: ScheduleMethod; rate: string }[] = [
  { code: "EP12", method: "equal_principal", rate: "18" },
  { code: "EI12", method: "equal_installment", rate: "12" },
  { code: "IF12", method: "interest_first", rate: "12" },
];

export function buildTemplates(shape: Pick<BookShape, "first" | "dayCount">): Template[] {
  const { first, dayCount } = shape;
  const templates: Template[] = [];
  const asOf = addDays(first, -1);
  const last = addDays(first, dayCount);
  for (let productIndex = 0; productIndex < bookProducts.length; productIndex += 1) {
    const product = bookProducts[productIndex] as (typeof bookProducts)[number];
    for (let offset = 1; offset <= OPEN_OFFSETS; offset += 1) {
      for (const principalMinor of PRINCIPALS) {
        for (const defaulter of [false, true]) {
          const startDate = addDays(first, -offset);
          // Due days 1–28 only, as many lenders set them: the 29th to the 31st have no due dates.
          if (Number(startDate.slice(8)) > 28) continue;
          const installments = buildSchedule({ principalMinor, annualRatePercent: product.rate, months: 12, method: product.method, startDate });
          const facts: LoanFacts = { principalMinor, annualRatePercent: product.rate, startDate, installments, terms: defaultTerms };
          const stopAt = defaulter ? 1 + (offset % 5) : Number.POSITIVE_INFINITY;
          const payments: PaymentFact[] = installments
            .filter((item) => item.number < stopAt && item.dueDate <= asOf)
            .map((item) => ({ id: `t${templates.length}-${item.number}`, receivedOn: item.dueDate, amountMinor: item.paymentMinor }));
          const run = replayLoan(facts, payments, asOf);
          const statement = run.statement(asOf);
          const { pending } = ledgerEventsWithPending(facts, statement);
          const snapshot = run.snapshot(pending);
          const dpd = run.isPaidOff ? 0 : run.daysPastDue();
          const status = run.isPaidOff ? "paid_off" : dpd > 0 ? "overdue" : "current";
          templates.push({
            id: templates.length,
            productIndex,
            facts,
            state: encodeSnapshot(snapshot),
            stateOn: snapshot.on,
            nextEventOn: status === "paid_off" ? null : nextEventOf(run, snapshot.on, dpd, pending.length > 0, defaultClosePolicy),
            dpd,
            bucket: bucketOf(dpd),
            status,
            overdueSince: dpd > 0 ? addDays(snapshot.on, -dpd) : null,
            dues: defaulter
              ? []
              : installments
                  .filter((item) => item.dueDate >= first && item.dueDate <= last)
                  .map((item) => ({ on: item.dueDate, amountMinor: item.paymentMinor })),
          });
        }
      }
    }
  }
  return templates;
}

const surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"];
const givenNames = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞"];
const regions = ["110101", "310104", "440305", "330106", "510107", "420106", "320102", "370202"];

/** Borrower i's identifiers, encrypted and blind-indexed as registration stores them. */
function encryptedBorrower(privacy: Privacy, index: number) {
  const id = randomUUID();
  const name = `${surnames[index % surnames.length]}${givenNames[Math.floor(index / surnames.length) % givenNames.length]}`;
  // Mixed-radix digits of i: region, birth year, month, day and sequence, unique up to 96 million borrowers.
  const region = regions[index % regions.length] as string;
  const byRegion = Math.floor(index / regions.length);
  const birthYear = 1965 + (byRegion % 36);
  const month = Math.floor(byRegion / 36) % 12;
  const day = Math.floor(byRegion / 432) % 28;
  const birthDate = `${birthYear}-${String(1 + month).padStart(2, "0")}-${String(1 + day).padStart(2, "0")}`;
  const nationalId = makeNationalId(region, birthDate, Math.floor(byRegion / 12_096) % 1_000);
  const phone = `13${String(index).padStart(9, "0")}`;
  const associated = (field: string) => `borrower:${id}:${field}`;
  return {
    id,
    ref: `B${index}`,
    name: privacy.cipher.encrypt(name, associated("name")),
    nid: privacy.cipher.encrypt(nationalId, associated("national_id")),
    nidx: blindIndex(privacy.blindIndexKey, "national_id", nationalId),
    phone: privacy.cipher.encrypt(phone, associated("phone")),
    pidx: blindIndex(privacy.blindIndexKey, "phone", phone),
  };
}

/**
 * Writes the book with bulk SQL: lender, products, borrowers, loans, close state, a case for every
 * overdue borrower, and `bench_templates`, `bench_template_dues` and `bench_loans` (loan → template)
 * for the benchmark's own use. Every paying template gets the same share of the loans, and 8% of
 * loans take its defaulting twin. In "opened" order loan i takes the paying templates in order of
 * opening date (i × templates / loans); "scattered", template (i × 7919) mod templates. Returns
 * the lender id.
 */
export async function generateBook(context: AppContext, shape: BookShape, templates: Template[]): Promise<string> {
  const { loanCount, first, log, privacy } = shape;
  const db = context.database.db;
  const lenderId = crypto.randomUUID();
  await db.insertInto("lenders").values({ id: lenderId, code: "bench", name: "基准", name_en: "Bench", created_at: new Date() }).execute();
  const productIds: string[] = [];
  for (const product of bookProducts) {
    productIds.push(
      await addProduct(context, db, {
        lenderId,
        code: product.code,
        name: product.code,
        nameEn: product.code,
        repaymentMethod: product.method,
        termMonths: 12,
        annualRate: product.rate,
        currency: "CNY",
        terms: {},
      }),
    );
  }
  await sql`create table bench_templates (id integer primary key, product_id uuid, facts json, state json, state_on date, next_event_on date,
    dpd integer, bucket text, status text, overdue_since date)`.execute(db);
  await sql`create table bench_template_dues (template_id integer, due_on date, amount_minor bigint)`.execute(db);
  for (let index = 0; index < templates.length; index += 500) {
    const rows = templates.slice(index, index + 500).map((template) => ({
      id: template.id,
      product_id: productIds[template.productIndex],
      facts: encodeFacts(template.facts),
      state: template.state,
      state_on: template.stateOn,
      next_event_on: template.nextEventOn,
      dpd: template.dpd,
      bucket: template.bucket,
      status: template.status,
      overdue_since: template.overdueSince,
    }));
    // json, not jsonb: the contract and snapshot keep the compact text the codec wrote.
    await sql`insert into bench_templates select * from json_to_recordset(${JSON.stringify(rows)}::json) as t(id integer, product_id uuid, facts json,
      state json, state_on date, next_event_on date, dpd integer, bucket text, status text, overdue_since date)`.execute(db);
    const dues = templates
      .slice(index, index + 500)
      .flatMap((template) => template.dues.map((due) => ({ t: template.id, d: due.on, a: String(due.amountMinor) })));
    if (dues.length > 0)
      await sql`insert into bench_template_dues select t, d, a from jsonb_to_recordset(${JSON.stringify(dues)}::jsonb) as x(t integer, d date, a bigint)`.execute(
        db,
      );
  }
  const templateCount = templates.length;
  const pairCount = templateCount / 2;
  // Templates come in pairs (paying, defaulting); a slot is a pair, numbered by opening date.
  await sql`create table bench_template_order as
    select (row_number() over (order by facts->>0, id) - 1)::integer as slot, id as template_id from bench_templates where id % 2 = 0`.execute(db);
  await sql`alter table bench_template_order add primary key (slot)`.execute(db);
  const pairOf =
    (shape.order ?? "opened") === "opened"
      ? sql`(select o.template_id from bench_template_order o where o.slot = (i::bigint * ${pairCount}) / ${loanCount})`
      : sql`(((i::bigint * 7919) % ${pairCount}) * 2)`;
  for (let from = 0; from < loanCount; from += CHUNK) {
    const to = Math.min(loanCount, from + CHUNK) - 1;
    const templateOf = sql`(${pairOf} + case when (i * 37) % 100 < 8 then 1 else 0 end)::integer`;
    if (privacy) {
      await sql`create temporary table bench_chunk (i integer, loan_id uuid, borrower_id uuid, template_id integer)`.execute(db);
      for (let part = from; part <= to; part += 10_000) {
        const rows = [];
        for (let index = part; index <= Math.min(to, part + 9_999); index += 1) rows.push(encryptedBorrower(privacy, index));
        const ids = rows.map((row, offset) => ({ i: part + offset, id: row.id }));
        await sql`insert into borrowers (id, lender_id, external_ref, name_enc, national_id_enc, national_id_index, phone_enc, phone_index, created_at)
          select id, ${lenderId}, ref, name, nid, nidx, phone, pidx, now()
          from json_to_recordset(${JSON.stringify(rows)}::json) as b(id uuid, ref text, name text, nid text, nidx text, phone text, pidx text)`.execute(db);
        await sql`insert into bench_chunk select i, gen_random_uuid(), id, ${templateOf}
          from json_to_recordset(${JSON.stringify(ids)}::json) as b(i integer, id uuid)`.execute(db);
      }
    } else {
      await sql`
        create temporary table bench_chunk as
        select i, gen_random_uuid() as loan_id, gen_random_uuid() as borrower_id, ${templateOf} as template_id
        from generate_series(${from}::integer, ${to}::integer) as i`.execute(db);
      await sql`insert into borrowers (id, lender_id, external_ref, name_enc, national_id_enc, national_id_index, phone_enc, phone_index, created_at)
        select borrower_id, ${lenderId}, 'B' || i, 'bench', 'bench', md5('n' || i) || md5('N' || i), 'bench', md5('p' || i) || md5('P' || i), now()
        from bench_chunk`.execute(db);
    }
    await sql`insert into loan_accounts (id, lender_id, borrower_id, product_id, external_ref, principal_minor, currency, opened_on, status, created_at)
      select c.loan_id, ${lenderId}, c.borrower_id, t.product_id, 'L' || c.i, (t.facts->>1)::bigint, 'CNY', (t.facts->>0)::date,
             case t.status when 'current' then 'active' else t.status end, now()
      from bench_chunk c join bench_templates t on t.id = c.template_id order by c.i`.execute(db);
    await sql`insert into account_close_state (loan_id, lender_id, borrower_id, product_id, facts, state, state_on, next_event_on, overdue_since, dpd, bucket, status, closed_on)
      select c.loan_id, ${lenderId}, c.borrower_id, t.product_id, t.facts, t.state, t.state_on, t.next_event_on, t.overdue_since, t.dpd, t.bucket, t.status, t.state_on
      from bench_chunk c join bench_templates t on t.id = c.template_id order by c.i`.execute(db);
    await sql`insert into collection_cases (id, lender_id, borrower_id, status, opened_on, created_at)
      select gen_random_uuid(), ${lenderId}, c.borrower_id, 'new', t.overdue_since + 1, now()
      from bench_chunk c join bench_templates t on t.id = c.template_id where t.status = 'overdue'`.execute(db);
    await sql`create table if not exists bench_loans (loan_id uuid, template_id integer)`.execute(db);
    await sql`insert into bench_loans select loan_id, template_id from bench_chunk`.execute(db);
    await sql`drop table bench_chunk`.execute(db);
    log(`  generated ${to + 1} / ${loanCount} loans`);
  }
  await sql`create index bench_loans_template on bench_loans (template_id)`.execute(db);
  await sql`analyze`.execute(db);
  await sql`update lenders set closed_through = ${addDays(first, -1)}::date where id = ${lenderId}`.execute(db);
  return lenderId;
}

/** The day's repayments from the paying loans, recorded as a bank file would be (not part of the close). */
export async function recordDayPayments(context: AppContext, lenderId: string, day: PlainDate): Promise<number> {
  const db = context.database.db;
  // As recordPayment does: each paid account's close state gets a new row version, also when it
  // is already due on the day (no close has reached the day, so nothing is synced here).
  const result = await sql<{ paid: string }>`
    with due as (
      select l.loan_id, d.amount_minor from bench_template_dues d join bench_loans l on l.template_id = d.template_id where d.due_on = ${day}::date
    ), paid as (
      insert into payments (id, lender_id, loan_id, idempotency_key, payload_hash, amount_minor, currency, received_on, source, recorded_at)
      select md5(loan_id::text || ${day})::uuid, ${lenderId}, loan_id, 'bench:' || loan_id || ':' || ${day}, repeat('0', 64), amount_minor, 'CNY', ${day}::date, 'bench', now()
      from due returning loan_id
    ), moved as (
      update account_close_state s set next_event_on = least(s.next_event_on, ${day}::date) from paid
      where s.loan_id = paid.loan_id
    )
    select count(*)::text as paid from paid`.execute(db);
  return Number(result.rows[0]?.paid ?? 0);
}
