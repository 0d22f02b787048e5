// Reminders end to end on a small book: the dry run counts and stores nothing; the plan stores
// one message per contact under its gateway decision and queues it; planning the day again
// changes nothing; dispatch sends each message once to the development outbox with the
// borrower's own figures; a paid-off account's reminder is cancelled, and so is a pre-due one
// whose installment was paid early; signed webhooks mark a message delivered, and a STOP reply
// opts the borrower out of SMS and cancels what is waiting; a webhook with a bad signature
// changes nothing; the report splits champion and challenger.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { generateReminderBook, type ReminderBook } from "../../../bench/reminder-book.js";
import { createApp } from "../../app.js";
import type { App } from "../../platform/http/index.js";
import { createTestContext, type TestContext } from "../../platform/testing/test-context.js";
import { type ChannelAdapters, createAdapters, signedHeaders } from "../channels/index.js";
import { type DispatchQueue, PgBossDispatchQueue, TableDispatchQueue } from "./dispatch.queue.js";
import { createDispatcher, dispatchMessages } from "./dispatch.service.js";
import { planReminders } from "./planner.service.js";
import { insertEscalations } from "./reminders.repository.js";
import { putReminderInOutbox } from "./reminders.runtime.js";
import { variantReport } from "./reminders.service.js";

const SECRET = "webhook-secret-for-tests-0123456789";
let context: TestContext;
let app: App;
let book: ReminderBook;
let queue: DispatchQueue;
let pgBoss: PgBossDispatchQueue | null = null;
let adapters: ChannelAdapters;
let dryRunContacts = 0;

before(async () => {
  context = await createTestContext({ now: new Date().toISOString(), config: { DUECARE_SMS_HTTP_SECRET: SECRET, DUECARE_VOICE_HTTP_SECRET: SECRET } });
  book = await generateReminderBook(context, { loanCount: 240, localHour: 12, log: () => undefined });
  if (context.databaseUrl) {
    pgBoss = new PgBossDispatchQueue({ connectionString: context.databaseUrl, expireInSeconds: 30, retryLimit: 3 });
    await pgBoss.prepare(context);
    queue = pgBoss;
  } else queue = new TableDispatchQueue();
  adapters = createAdapters(context.config, { outbox: (message) => putReminderInOutbox(context, message) });
  ({ app } = await createApp(context, { logger: false }));
});

after(async () => {
  await app?.close();
  await pgBoss?.stop();
  await context?.close();
});

const countOf = async (table: "reminder_messages" | "development_outbox" | "contact_decisions") =>
  Number(
    (
      await context.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as("count"))
        .executeTakeFirstOrThrow()
    ).count,
  );

/** A provider's callback, signed with `secret`. */
function postWebhook(provider: string, body: string, secret: string) {
  return app.inject({
    method: "POST",
    url: `/api/webhooks/${provider}`,
    headers: { "content-type": "application/json", ...signedHeaders(secret, body, Date.now()) },
    payload: body,
  });
}

async function messageIds(status: string): Promise<string[]> {
  const rows = await context.database.db
    .selectFrom("reminder_messages")
    .select("id")
    .where("status", "=", status as never)
    .orderBy("id")
    .execute();
  return rows.map((row) => row.id);
}

describe("reminders", () => {
  it("a dry run says what each segment would send and why, and stores nothing", async () => {
    const decisionsBefore = await countOf("contact_decisions");
    const dry = await planReminders(context, { lenderId: book.lenderId, date: book.day, dryRun: true });
    assert.equal(dry.dryRun, true);
    assert.ok(dry.totals.contactsPlanned > 100, `planned ${dry.totals.contactsPlanned} of 240 accounts`);
    assert.equal(dry.totals.allowed + dry.totals.deferred + dry.totals.skipped, dry.totals.contactsPlanned);
    const preDue = dry.totals.segments.filter((line) => line.strategyCode === "pre-due");
    assert.deepEqual([...new Set(preDue.map((line) => line.variantCode))].sort(), ["champion", "email-first"]);
    assert.equal(await countOf("reminder_messages"), 0);
    assert.equal(await countOf("contact_decisions"), decisionsBefore);
    dryRunContacts = dry.totals.contactsPlanned;
  });

  it("refuses to plan a day whose eve is not closed, naming the date", async () => {
    await assert.rejects(planReminders(context, { lenderId: book.lenderId, date: "2099-01-02", queue }), /date: close 2099-01-01 before planning/);
  });

  it("a plan that stops part-way keeps what it stored and where it got to", async () => {
    let enqueued = 0;
    const failing: DispatchQueue = {
      enqueue: async (executor, batches) => {
        enqueued += 1;
        if (enqueued === 3) throw new Error("the queue went away");
        await queue.enqueue(executor, batches);
      },
    };
    await assert.rejects(planReminders(context, { lenderId: book.lenderId, date: book.day, queue: failing, batchAccounts: 40 }), /the queue went away/);
    const run = await context.database.db
      .selectFrom("reminder_runs")
      .select(["status", "resume_after"])
      .where("lender_id", "=", book.lenderId)
      .executeTakeFirstOrThrow();
    assert.equal(run.status, "running");
    assert.ok(run.resume_after, "the run records the last loan of the last batch it stored");
    const stored = await countOf("reminder_messages");
    assert.ok(stored > 0 && stored < dryRunContacts, `${stored} of ${dryRunContacts} stored before the stop`);
  });

  it("stores one message per contact under its decision, resuming a stopped plan, and planning the day again changes nothing", async () => {
    const first = await planReminders(context, { lenderId: book.lenderId, date: book.day, queue });
    assert.equal(first.totals.contactsPlanned, dryRunContacts, "the resumed plan ends with the day's every contact, once");
    assert.equal(first.alreadyPlanned, false);
    const stored = await countOf("reminder_messages");
    assert.equal(stored, first.totals.contactsPlanned);
    const undecided = await context.database.db.selectFrom("reminder_messages").select("id").where("decision_id", "is", null).execute();
    assert.equal(undecided.length, 0);
    const again = await planReminders(context, { lenderId: book.lenderId, date: book.day, queue });
    assert.equal(again.alreadyPlanned, true);
    assert.equal(again.totals.contactsPlanned, first.totals.contactsPlanned);
    assert.equal(await countOf("reminder_messages"), stored);
  });

  it("sends each message once, in the borrower's own figures, and cancels the reminder of a loan paid off since", async () => {
    const dispatcher = createDispatcher(context, adapters, queue, 60_000);
    const planned = await messageIds("planned");
    assert.ok(planned.length > 50);
    const paidOff = await context.database.db
      .selectFrom("reminder_messages")
      .select(["id", "loan_id"])
      .where("id", "=", planned[0] as string)
      .executeTakeFirstOrThrow();
    await context.database.db.updateTable("account_close_state").set({ status: "paid_off" }).where("loan_id", "=", paidOff.loan_id).execute();
    // A pre-due reminder whose borrower has since paid the installment early (held as credit).
    const prepaid = await context.database.db
      .selectFrom("reminder_messages as m")
      .innerJoin("message_template_versions as v", "v.id", "m.template_version_id")
      .innerJoin("message_templates as t", "t.id", "v.template_id")
      .select(["m.id", "m.loan_id"])
      .where("m.status", "=", "planned")
      .where("t.purpose", "=", "pre_due")
      .where("m.id", "<>", paidOff.id)
      .orderBy("m.id")
      .executeTakeFirstOrThrow();
    // The snapshot's credit (its second element) covers the next installment.
    await sql`update account_close_state set state = jsonb_set(state::jsonb, '{1}', '"999999999"')::json where loan_id = ${prepaid.loan_id}`.execute(
      context.database.db,
    );
    const counts = await dispatchMessages(dispatcher, planned);
    assert.equal(counts.cancelled, 2);
    const cancelledPrepaid = await context.database.db
      .selectFrom("reminder_messages")
      .select(["status", "status_reason"])
      .where("id", "=", prepaid.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(cancelledPrepaid, { status: "cancelled", status_reason: "prepaid" });
    const cancelled = await context.database.db
      .selectFrom("reminder_messages")
      .select(["status", "status_reason"])
      .where("id", "=", paidOff.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(cancelled, { status: "cancelled", status_reason: "paid_off" });
    const sent = await messageIds("sent");
    assert.equal(sent.length + (counts.cancelled ?? 0) + (counts.skipped ?? 0) + (counts.deferred ?? 0), planned.length);
    assert.equal(await countOf("development_outbox"), sent.length);

    // The overdue SMS states the amount, the days and the penalty of its own loan.
    const overdue = await context.database.db
      .selectFrom("reminder_messages as m")
      .innerJoin("account_close_state as s", "s.loan_id", "m.loan_id")
      .innerJoin("development_outbox as o", "o.idempotency_key", "m.idempotency_key")
      .select(["o.id", "o.body_enc", "s.overdue_since", "s.overdue_minor"])
      .where("m.status", "=", "sent")
      .where("s.overdue_since", "is not", null)
      .executeTakeFirstOrThrow();
    const body = context.privacy.cipher.decrypt(overdue.body_enc, `outbox:${overdue.id}:body`);
    const amount = BigInt(overdue.overdue_minor);
    assert.match(body, new RegExp(`${(amount / 100n).toLocaleString("en-US").replaceAll(",", ",?")}\\.${String(amount % 100n).padStart(2, "0")}`));
    assert.match(body, /逾期\d+天/);

    // Dispatching the same messages again sends nothing more.
    const again = await dispatchMessages(dispatcher, planned);
    assert.equal(again.done, planned.length);
    assert.equal(await countOf("development_outbox"), sent.length);
    const attempts = await context.database.db.selectFrom("contact_attempts").select("decision_id").where("lender_id", "=", book.lenderId).execute();
    assert.equal(attempts.length, sent.length);
  });

  it("marks a message delivered on a signed receipt, once, and refuses a bad signature without a change", async () => {
    const [messageId] = await messageIds("sent");
    const message = await context.database.db
      .selectFrom("reminder_messages")
      .select(["idempotency_key"])
      .where("id", "=", messageId as string)
      .executeTakeFirstOrThrow();
    const body = JSON.stringify({
      events: [{ id: "rcpt-1", type: "receipt", at: new Date().toISOString(), idempotencyKey: message.idempotency_key, status: "delivered" }],
    });
    const forged = await postWebhook("http-json", body, "another-secret-0123456789abcdef");
    assert.equal(forged.statusCode, 401);
    assert.equal(
      (
        await context.database.db
          .selectFrom("reminder_messages")
          .select("status")
          .where("id", "=", messageId as string)
          .executeTakeFirstOrThrow()
      ).status,
      "sent",
    );
    for (const expected of [
      { receipts: 1, duplicates: 0 },
      { receipts: 0, duplicates: 1 },
    ]) {
      const response = await postWebhook("http-json", body, SECRET);
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual({ receipts: response.json().receipts, duplicates: response.json().duplicates }, expected);
    }
    assert.equal(
      (
        await context.database.db
          .selectFrom("reminder_messages")
          .select("status")
          .where("id", "=", messageId as string)
          .executeTakeFirstOrThrow()
      ).status,
      "delivered",
    );
  });

  it("opts the borrower out of SMS on a STOP reply and cancels their SMS still waiting", async () => {
    // A borrower with an SMS still planned: put one back to planned as if it were for later today.
    const waiting = await context.database.db
      .selectFrom("reminder_messages as m")
      .innerJoin("borrowers as b", "b.id", "m.borrower_id")
      .select(["m.id", "m.borrower_id", "b.phone_enc"])
      .where("m.channel", "=", "sms")
      .where("m.status", "=", "sent")
      .orderBy("m.id", "desc")
      .executeTakeFirstOrThrow();
    await context.database.db.updateTable("reminder_messages").set({ status: "planned" }).where("id", "=", waiting.id).execute();
    const phone = context.privacy.cipher.decrypt(waiting.phone_enc, `borrower:${waiting.borrower_id}:phone`);
    const body = JSON.stringify({ events: [{ id: "reply-1", type: "reply", at: new Date().toISOString(), from: `+86${phone}`, text: "退订" }] });
    const response = await postWebhook("http-json", body, SECRET);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().stops, 1);
    const preference = await context.database.db
      .selectFrom("contact_preferences")
      .select("opt_outs")
      .where("borrower_id", "=", waiting.borrower_id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(preference.opt_outs, ["sms"]);
    const cancelled = await context.database.db
      .selectFrom("reminder_messages")
      .select(["status", "status_reason"])
      .where("id", "=", waiting.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(cancelled, { status: "cancelled", status_reason: "opted_out" });
  });

  it("turns a promise the borrower made to the voice robot into a promise to pay on their case", async () => {
    // A sent overdue reminder on a case, taken as the robot call it would be for a robot step.
    const call = await context.database.db
      .selectFrom("reminder_messages")
      .select(["id", "idempotency_key", "case_id", "decision_id"])
      .where("status", "=", "sent")
      .where("case_id", "is not", null)
      .orderBy("id")
      .executeTakeFirstOrThrow();
    await context.database.db.updateTable("reminder_messages").set({ channel: "voice_robot" }).where("id", "=", call.id).execute();
    await context.database.db
      .updateTable("contact_attempts")
      .set({ status: "in_progress", channel: "voice_robot" })
      .where("decision_id", "=", call.decision_id)
      .execute();
    const promiseDate = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const body = JSON.stringify({
      events: [
        {
          id: "robot-1",
          type: "robot_outcome",
          at: new Date().toISOString(),
          idempotencyKey: call.idempotency_key,
          outcome: "promise_to_pay",
          promiseAmountMinor: "150000",
          promiseDate,
        },
      ],
    });
    const response = await postWebhook("voice-http", body, SECRET);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().robotOutcomes, 1);
    const promise = await context.database.db
      .selectFrom("promises_to_pay as p")
      .innerJoin("promise_installments as i", "i.promise_id", "p.id")
      .select(["p.status", "p.recorded_by", "p.contact_attempt_id", "i.amount_minor", "i.due_on"])
      .where("p.case_id", "=", call.case_id as string)
      .executeTakeFirstOrThrow();
    assert.equal(promise.status, "pending");
    assert.equal(promise.recorded_by, null);
    assert.equal(BigInt(promise.amount_minor), 150_000n);
    assert.equal(promise.due_on, promiseDate);
    assert.ok(promise.contact_attempt_id, "the promise points at the robot call's attempt");
    const attempt = await context.database.db
      .selectFrom("contact_attempts")
      .select(["status", "outcome"])
      .where("decision_id", "=", call.decision_id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(attempt, { status: "completed", outcome: "connected" });
    const status = await context.database.db
      .selectFrom("collection_cases")
      .select("status")
      .where("id", "=", call.case_id as string)
      .executeTakeFirstOrThrow();
    assert.equal(status.status, "promised");
  });

  it("a webhook naming a bad field says which, and stores nothing", async () => {
    const body = JSON.stringify({ events: [{ id: "bad-1", type: "receipt", at: "yesterday", idempotencyKey: "k", status: "delivered" }] });
    const response = await postWebhook("http-json", body, SECRET);
    assert.equal(response.statusCode, 400);
    assert.match(response.json().error.message, /events\[0\]\.at/);
    const stored = await context.database.db.selectFrom("inbound_events").select("event_id").where("event_id", "=", "bad-1").execute();
    assert.equal(stored.length, 0);
  });

  it("escalates a case to its agent as a callback task, once per step", async () => {
    const found = await context.database.db
      .selectFrom("collection_cases")
      .select("id")
      .where("lender_id", "=", book.lenderId)
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const dueAt = new Date(Date.now() + 3_600_000).toISOString();
    const task = { caseId: found.id, dueAt, note: "strategy overdue-1 · dpd-5" };
    assert.equal(await insertEscalations(context.database.db, [{ id: randomUUID(), ...task }], new Date()), 1);
    assert.equal(await insertEscalations(context.database.db, [{ id: randomUUID(), ...task }], new Date()), 0);
    const callbacks = await context.database.db.selectFrom("case_actions").select(["kind", "due_at", "created_by"]).where("case_id", "=", found.id).execute();
    assert.deepEqual(
      callbacks.map((row) => [row.kind, row.due_at.toISOString(), row.created_by]),
      [["callback", dueAt, null]],
    );
    const keyed = await context.database.db.selectFrom("collection_cases").select("next_action_at").where("id", "=", found.id).executeTakeFirstOrThrow();
    assert.equal(keyed.next_action_at?.toISOString(), dueAt, "the agent's queue orders the case by the callback");
  });

  it("reports deliveries per strategy variant and template", async () => {
    const lines = await variantReport(context, book.lenderId, { from: book.day, to: book.day });
    const preDue = lines.filter((line) => line.strategyCode === "pre-due");
    assert.deepEqual(preDue.map((line) => `${line.variantCode}/${line.channel}`).sort(), ["champion/sms", "email-first/email"]);
    // The SMS with a delivery receipt and the robot call that connected.
    const delivered = lines.reduce((sum, line) => sum + line.delivered, 0);
    assert.equal(delivered, 2);
    assert.ok(lines.every((line) => line.planned >= line.sent + line.delivered + line.failed + line.skipped));
  });
});
