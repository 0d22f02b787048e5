// The contact gateway in the running system: every agent action asks first and is stored with
// its decision; a refused attempt shows its reasons and next allowed time to the agent and to
// compliance officers; nothing reaches a channel without an allowing decision, used once.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { createApp } from "../../app.js";
import type { App } from "../../platform/http/index.js";
import { insertLender, TEST_PASSWORD, testNationalId } from "../../platform/testing/fixtures.js";
import { TestClient } from "../../platform/testing/http-client.js";
import { createTestContext, type TestContext } from "../../platform/testing/test-context.js";
import { addContact, registerBorrower } from "../borrowers/index.js";
import { addStaffUser } from "../identity/index.js";
import { putInOutbox } from "../outbox/index.js";
import { dispatchUnderDecision } from "./contact-gateway.service.js";

let context: TestContext;
let app: App;
let lenderId = "";
let borrowerId = "";
let otherBorrowerId = "";
let emergencyId = "";
const ids: Record<string, string> = {};
const system = { actorType: "system" as const, actorId: null };
// Asia/Shanghai is UTC+8: 02:00Z is 10:00 there.
const at = (shanghai: string) => new Date(`${shanghai}+08:00`);

before(async () => {
  context = await createTestContext({ now: "2026-11-23T02:00:00Z" });
  ({ lenderId } = await insertLender(context));
  await context.database.db.transaction().execute(async (trx) => {
    for (const [username, role] of [
      ["agent1", "agent"],
      ["agent2", "agent"],
      ["stale", "agent"],
      ["supervisor", "supervisor"],
      ["compliance", "compliance"],
    ] as const) {
      ids[username] = (await addStaffUser(context, trx, { lenderId, username, displayName: username, password: TEST_PASSWORD, roles: [role] }, system)).id;
    }
    borrowerId = await registerBorrower(
      context,
      trx,
      lenderId,
      { externalRef: "B1", name: "张三", nationalId: testNationalId(1), phone: "13800138000" },
      system,
    );
    otherBorrowerId = await registerBorrower(
      context,
      trx,
      lenderId,
      { externalRef: "B2", name: "李四", nationalId: testNationalId(2), phone: "13800138001" },
      system,
    );
    const contact = await addContact(
      context,
      trx,
      lenderId,
      borrowerId,
      { kind: "emergency", name: "王五", phone: "13900139000", relationship: "sibling", isPreAgreed: true },
      "import",
    );
    emergencyId = contact.id;
    for (const [username, trainedOn] of [
      ["agent1", "2026-06-01"],
      ["agent2", "2026-06-01"],
      ["supervisor", "2026-06-01"],
      ["stale", "2025-11-22"],
    ] as const) {
      await trx
        .updateTable("staff_users")
        .set({ training_completed_on: trainedOn })
        .where("id", "=", ids[username] as string)
        .execute();
    }
    await trx
      .insertInto("collection_cases")
      .values({
        id: crypto.randomUUID(),
        lender_id: lenderId,
        borrower_id: borrowerId,
        status: "new",
        opened_on: "2026-11-20",
        created_at: new Date(),
        assigned_agent_id: ids.agent1 as string,
      } as never)
      .execute();
    await trx
      .insertInto("collection_cases")
      .values({
        id: crypto.randomUUID(),
        lender_id: lenderId,
        borrower_id: otherBorrowerId,
        status: "new",
        opened_on: "2026-11-20",
        created_at: new Date(),
        assigned_agent_id: ids.stale as string,
      } as never)
      .execute();
  });
  ({ app } = await createApp(context, { logger: false }));
});

after(async () => {
  await app?.close();
  await context?.close();
});

async function signIn(username: string) {
  const client = new TestClient(app);
  assert.equal((await client.login(username, TEST_PASSWORD)).status, 200);
  return client;
}

const outboxCount = async () => Number((await sql<{ n: string }>`select count(*)::text as n from development_outbox`.execute(context.database.db)).rows[0]?.n);

describe("contact gateway", () => {
  it("cn.contact-window: defers an SMS at 22:30 to 08:00 the next morning, sends nothing, and shows compliance why", async () => {
    context.clock.set(at("2026-11-23T22:30:00"));
    const agent = await signIn("agent1");
    const before = await outboxCount();
    const response = await agent.post("/api/contact-attempts", { borrowerId, channel: "sms", text: "【测试消费金融】您好，您的借款已逾期，请尽快还款。" });
    assert.equal(response.status, 201);
    assert.equal(response.body.status, "deferred");
    assert.equal(response.body.decision, "defer");
    assert.equal(response.body.nextAllowedAt, "2026-11-24T00:00:00.000Z", "08:00 in Shanghai");
    assert.ok(response.body.reasons.some((reason: { rule: string }) => reason.rule === "cn.contact-window"));
    assert.equal(await outboxCount(), before, "nothing sent");

    const officer = await signIn("compliance");
    const review = await officer.get("/api/compliance/decisions");
    assert.equal(review.status, 200);
    const refused = review.body.decisions.find((decision: { id: string }) => decision.id === response.body.decisionId);
    assert.ok(refused, "the deferred decision is in the review list");
    assert.equal(refused.channel, "sms");
    assert.equal(refused.borrowerRef, "B1");
    assert.equal(refused.requestedBy, "agent1");
    assert.match(JSON.stringify(refused.reasons), /22:00/);
    const timeline = await agent.get(`/api/borrowers/${borrowerId}/contact-attempts`);
    assert.equal(timeline.body.attempts[0].status, "deferred");
    assert.equal(timeline.body.attempts[0].decision, "defer");
  });

  it("sends an allowed SMS at 10:00 under its decision, which is then used up", async () => {
    context.clock.set(at("2026-11-23T10:00:00"));
    const agent = await signIn("agent1");
    const before = await outboxCount();
    const response = await agent.post("/api/contact-attempts", { borrowerId, channel: "sms", text: "【测试消费金融】您好，您的借款已逾期，请尽快还款。" });
    assert.equal(response.status, 201);
    assert.equal(response.body.status, "sent");
    assert.equal(await outboxCount(), before + 1);
    const row = await context.database.db
      .selectFrom("development_outbox")
      .select(["decision_id", "recipient_masked"])
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    assert.equal(row.decision_id, response.body.decisionId);
    assert.equal(row.recipient_masked, "138****8000");
    await assert.rejects(
      context.database.db.transaction().execute((trx) =>
        dispatchUnderDecision(context, trx, response.body.decisionId, lenderId, {
          channel: "sms",
          recipient: "13800138000",
          recipientMasked: "x",
          purpose: "again",
          body: "again",
        }),
      ),
      /already used/,
    );
  });

  it("has no way to send without an allowing decision: the outbox, the table and the dispatcher all refuse", async () => {
    const { db } = context.database;
    await assert.rejects(
      db
        .transaction()
        .execute((trx) => putInOutbox(context, trx, { channel: "sms", recipient: "13800138000", recipientMasked: "x", purpose: "p", body: "b" } as never)),
      /gateway's decision/,
    );
    await assert.rejects(
      sql`insert into development_outbox (id, channel, recipient_enc, recipient_masked, purpose, body_enc, created_at)
          values (gen_random_uuid(), 'sms', 'x', 'x', 'p', 'b', now())`.execute(db),
      /development_outbox_decided/,
    );
    await assert.rejects(
      db
        .transaction()
        .execute((trx) =>
          dispatchUnderDecision(context, trx, crypto.randomUUID(), lenderId, { channel: "sms", recipient: "1", recipientMasked: "x", purpose: "p", body: "b" }),
        ),
      /no gateway decision/,
    );
    const deferred = await db.selectFrom("contact_decisions").select("id").where("decision", "=", "defer").executeTakeFirstOrThrow();
    await assert.rejects(
      db
        .transaction()
        .execute((trx) =>
          dispatchUnderDecision(context, trx, deferred.id, lenderId, { channel: "sms", recipient: "1", recipientMasked: "x", purpose: "p", body: "b" }),
        ),
      /decided defer/,
    );
  });

  it("cn.voice-daily-cap: after three connected calls today the fourth waits for tomorrow's window", async () => {
    const agent = await signIn("agent1");
    for (const hour of ["11", "12", "13"]) {
      context.clock.set(at(`2026-11-23T${hour}:00:00`));
      const call = await agent.post("/api/contact-attempts", { borrowerId, channel: "call" });
      assert.equal(call.body.status, "in_progress", `the ${hour}:00 call is dialled`);
      assert.equal((await agent.patch(`/api/contact-attempts/${call.body.attemptId}`, { resultCode: "connected", rightPartyContact: true })).status, 204);
    }
    context.clock.set(at("2026-11-23T14:00:00"));
    const fourth = await agent.post("/api/contact-attempts", { borrowerId, channel: "call" });
    assert.equal(fourth.body.status, "deferred");
    assert.ok(fourth.body.reasons.some((reason: { rule: string }) => reason.rule === "cn.voice-daily-cap"));
    assert.equal(fourth.body.nextAllowedAt, "2026-11-24T00:00:00.000Z");
  });

  it("logs a contact record (催记): result, right party, overdue reason, attitude and a content-checked note", async () => {
    context.clock.set(at("2026-11-23T15:00:00"));
    const agent = await signIn("agent1");
    const call = await agent.post("/api/contact-attempts", { borrowerId: otherBorrowerId, channel: "visit" });
    assert.equal(call.status, 404, "not agent1's case");
    const supervisor = await signIn("supervisor");
    const visit = await supervisor.post("/api/contact-attempts", { borrowerId: otherBorrowerId, channel: "visit" });
    assert.equal(visit.body.status, "in_progress");
    const threatening = await supervisor.patch(`/api/contact-attempts/${visit.body.attemptId}`, {
      resultCode: "connected",
      rightPartyContact: true,
      note: "告诉他再不还钱就去他单位闹",
    });
    assert.equal(threatening.status, 400);
    assert.match(threatening.body.error.message, /note/);
    const impossible = await supervisor.patch(`/api/contact-attempts/${visit.body.attemptId}`, { resultCode: "busy", rightPartyContact: true });
    assert.equal(impossible.status, 400);
    assert.match(impossible.body.error.message, /rightPartyContact/);
    const logged = await supervisor.patch(`/api/contact-attempts/${visit.body.attemptId}`, {
      resultCode: "connected",
      rightPartyContact: true,
      overdueReason: "income_drop",
      attitude: "cooperative",
      note: "本人称收入下降，愿意下周先还一部分。",
    });
    assert.equal(logged.status, 204);
    const timeline = await supervisor.get(`/api/borrowers/${otherBorrowerId}/contact-attempts`);
    const record = timeline.body.attempts.find((attempt: { id: string }) => attempt.id === visit.body.attemptId);
    assert.deepEqual(
      [record.status, record.resultCode, record.rightPartyContact, record.overdueReason, record.attitude, record.note],
      ["completed", "connected", true, "income_drop", "cooperative", "本人称收入下降，愿意下周先还一部分。"],
    );
    const stored = await context.database.db
      .selectFrom("contact_attempts")
      .select(["note_enc", "outcome"])
      .where("id", "=", visit.body.attemptId)
      .executeTakeFirstOrThrow();
    assert.ok(stored.note_enc && !stored.note_enc.includes("收入"), "the note is encrypted at rest");
    assert.equal(stored.outcome, "conversation");
  });

  it("cn.pause.complaint-or-dispute: an agent marks a dispute, which blocks collection until compliance ends it", async () => {
    context.clock.set(at("2026-11-24T10:00:00"));
    const agent = await signIn("agent1");
    const marked = await agent.post(`/api/borrowers/${borrowerId}/contact-restrictions`, { kind: "dispute_open", note: "借款人称金额有误" });
    assert.equal(marked.status, 201);
    const blocked = await agent.post("/api/contact-attempts", { borrowerId, channel: "call" });
    assert.equal(blocked.body.status, "blocked");
    assert.ok(blocked.body.reasons.some((reason: { rule: string }) => reason.rule === "cn.pause.complaint-or-dispute"));
    assert.equal((await agent.post(`/api/contact-restrictions/${marked.body.id}/end`, {})).status, 403, "an agent may not lift it");
    const officer = await signIn("compliance");
    assert.equal((await officer.post(`/api/contact-restrictions/${marked.body.id}/end`, {})).status, 204);
    const allowed = await agent.post("/api/contact-attempts", { borrowerId, channel: "call" });
    assert.equal(allowed.body.status, "in_progress");
  });

  it("cn.emergency-contact: an emergency contact only once the debtor is unreachable, and never about the debt", async () => {
    context.clock.set(at("2026-11-24T15:00:00"));
    const agent = await signIn("agent1");
    const early = await agent.post("/api/contact-attempts", { borrowerId, contactId: emergencyId, channel: "call", contentClass: "location_only" });
    assert.equal(early.body.decision, "block", "the debtor was reached today");
    assert.ok(early.body.reasons.some((reason: { rule: string }) => reason.rule === "cn.emergency-contact"));
    const aboutDebt = await agent.post("/api/contact-attempts", { borrowerId, contactId: emergencyId, channel: "call", contentClass: "collection" });
    assert.equal(aboutDebt.body.decision, "block");
  });

  it("cn.agent-training: an agent whose training is over 365 days old may not dial", async () => {
    context.clock.set(at("2026-11-24T10:00:00"));
    const stale = await signIn("stale");
    const call = await stale.post("/api/contact-attempts", { borrowerId: otherBorrowerId, channel: "call" });
    assert.equal(call.body.decision, "block");
    assert.ok(call.body.reasons.some((reason: { rule: string }) => reason.rule === "cn.agent-training"));
  });

  it("keeps an agent to their own cases", async () => {
    const agent = await signIn("agent2");
    const response = await agent.post("/api/contact-attempts", { borrowerId, channel: "call" });
    assert.equal(response.status, 404);
    const attempts = await context.database.db
      .selectFrom("contact_attempts")
      .select("id")
      .where("agent_id", "=", ids.agent2 as string)
      .execute();
    assert.equal(attempts.length, 0, "nothing stored");
  });

  it("refuses a message without text, naming the field, and stores nothing", async () => {
    const agent = await signIn("agent1");
    const before = (await context.database.db.selectFrom("contact_decisions").select("id").execute()).length;
    const response = await agent.post("/api/contact-attempts", { borrowerId, channel: "sms" });
    assert.equal(response.status, 400);
    assert.match(response.body.error.message, /text/);
    assert.equal((await context.database.db.selectFrom("contact_decisions").select("id").execute()).length, before);
  });

  it("lets compliance tighten the pack but not loosen it, naming the parameter", async () => {
    const officer = await signIn("compliance");
    const tighter = await officer.put("/api/compliance/settings", { pack: "cn-default", overrides: { windowEndMinutes: 21 * 60 } });
    assert.equal(tighter.status, 200);
    assert.equal(tighter.body.overrides.windowEndMinutes, 1260);
    const looser = await officer.put("/api/compliance/settings", { pack: "cn-default", overrides: { windowEndMinutes: 23 * 60 } });
    assert.equal(looser.status, 400);
    assert.match(looser.body.error.message, /windowEndMinutes/);
    context.clock.set(at("2026-11-25T21:30:00"));
    const agent = await signIn("agent1");
    const late = await agent.post("/api/contact-attempts", { borrowerId, channel: "call" });
    assert.equal(late.body.decision, "defer", "21:30 is outside the lender's narrower window");
    const officerLater = await signIn("compliance");
    assert.equal((await officerLater.put("/api/compliance/settings", { pack: "cn-default", overrides: {} })).status, 200);
  });

  it("previews the scenario contract and names a bad field", async () => {
    const agent = await signIn("agent1");
    const scenario = {
      pack: "us-regf",
      request: { at: "2026-04-08T07:59:00-04:00", channel: "call", personId: "p1", debtId: "d1", contentClass: "collection" },
      persons: [{ id: "p1", role: "borrower", timeZones: ["America/New_York"] }],
      facts: { agentTrainedOn: "2026-01-05" },
      history: [],
    };
    const early = await agent.post("/api/compliance/decisions/preview", scenario);
    assert.equal(early.status, 200);
    assert.equal(early.body.decision, "defer");
    assert.equal(early.body.nextAllowedAt, "2026-04-08T12:00:00.000Z", "08:00 in New York (EDT)");
    const onTime = await agent.post("/api/compliance/decisions/preview", { ...scenario, request: { ...scenario.request, at: "2026-04-08T08:00:00-04:00" } });
    assert.equal(onTime.body.decision, "allow");
    const bad = await agent.post("/api/compliance/decisions/preview", { ...scenario, persons: [{ id: "p1", timeZones: ["Mars/Olympus"] }] });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /persons\[0\]\.timeZones\[0\]/);
  });

  it("refuses to store a decision whose borrower, contact or requester is not the lender's, and stores none of the batch", async () => {
    const otherLender = await insertLender(context);
    const row = (overrides: Record<string, string | null>) => ({
      id: crypto.randomUUID(),
      lender_id: lenderId,
      borrower_id: borrowerId,
      contact_id: null as string | null,
      requested_by: null as string | null,
      ...overrides,
    });
    const insert = (rows: ReturnType<typeof row>[]) =>
      sql`insert into contact_decisions (id, lender_id, borrower_id, contact_id, person_role, channel, content_class, contact_at, decided_at,
            decision, reasons, pack_id, pack_version, inputs, requested_by)
          select r.id, r.lender_id, r.borrower_id, r.contact_id, 'borrower', 'sms', 'collection', now(), now(), 'allow', '[]', 'cn-default', '1', '{}', r.requested_by
          from json_to_recordset(${JSON.stringify(rows)}::json) as r(id uuid, lender_id uuid, borrower_id uuid, contact_id uuid, requested_by uuid)`.execute(
        context.database.db,
      );
    const count = async () => (await context.database.db.selectFrom("contact_decisions").select("id").execute()).length;
    const before = await count();
    for (const [bad, pattern] of [
      [row({ lender_id: otherLender.lenderId }), /borrower .* does not exist for its lender/],
      [row({ borrower_id: crypto.randomUUID() }), /borrower .* does not exist for its lender/],
      [row({ contact_id: emergencyId, borrower_id: otherBorrowerId }), /not a contact of its borrower/],
      [row({ requested_by: crypto.randomUUID() }), /not a staff user/],
      [row({ lender_id: crypto.randomUUID(), borrower_id: null }), /lender .* which does not exist/],
    ] as const) {
      await assert.rejects(insert([row({}), bad]), pattern);
    }
    assert.equal(await count(), before, "nothing of a refused batch is stored");
    await insert([row({ contact_id: emergencyId, requested_by: ids.agent1 as string })]);
    assert.equal(await count(), before + 1);
  });

  it("sends a borrower's sign-in code under a stored service decision", async () => {
    const before = await context.database.db.selectFrom("contact_decisions").select("id").where("content_class", "=", "service").execute();
    const portal = new TestClient(app);
    const response = await portal.post("/api/portal/auth/request-code", { phone: "13800138001" });
    assert.equal(response.status, 200);
    const after = await context.database.db.selectFrom("contact_decisions").select(["id", "used_at"]).where("content_class", "=", "service").execute();
    assert.equal(after.length, before.length + 1);
    const row = await context.database.db.selectFrom("development_outbox").select("decision_id").orderBy("created_at", "desc").executeTakeFirstOrThrow();
    assert.ok(after.some((decision) => decision.id === row.decision_id && decision.used_at !== null));
  });
});
