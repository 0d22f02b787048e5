// The batch gateway gives every contact the decision the one-at-a-time gateway gives it — same
// decision, reasons and next allowed time — for borrowers with different histories,
// restrictions and preferences, under each pack; stores one row per decision; and refuses a
// batch naming an unknown borrower without storing anything.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { insertLender, testNationalId } from "../../platform/testing/fixtures.js";
import { createTestContext, type TestContext } from "../../platform/testing/test-context.js";
import { addContact, registerBorrower } from "../borrowers/index.js";
import { decideContactsInBatch, emptyContactBatchStats } from "./contact-batch.service.js";
import { type ContactRequestInput, decideAndStore, type StoredDecision } from "./contact-gateway.service.js";

let context: TestContext;
let lenderId = "";
const borrowers: Record<string, string> = {};
const contacts: Record<string, string> = {};
let placeholderDecisionId = "";
const system = { actorType: "system" as const, actorId: null };
// Asia/Shanghai is UTC+8.
const at = (shanghai: string) => new Date(`${shanghai}+08:00`);
const smsText = "【测试消费金融】您好，您的借款已逾期，请尽快还款。";

async function attempt(
  borrower: string,
  when: string,
  channel: "call" | "sms" | "voice_robot",
  outcome: string | null,
  options: { contact?: string; direction?: "inbound" | "outbound"; status?: string } = {},
) {
  const direction = options.direction ?? "outbound";
  await context.database.db
    .insertInto("contact_attempts")
    .values({
      id: crypto.randomUUID(),
      lender_id: lenderId,
      borrower_id: borrowers[borrower] as string,
      contact_id: options.contact ? (contacts[options.contact] as string) : null,
      person_role: options.contact ? "emergency_contact" : "borrower",
      channel,
      direction,
      content_class: "collection",
      decision_id: direction === "outbound" ? placeholderDecisionId : null,
      at: at(when),
      debt_ids: null,
      status: (options.status ?? (outcome === null ? "in_progress" : "completed")) as never,
      outcome: outcome as never,
      agent_id: null,
      created_at: at(when),
    })
    .execute();
}

async function restrict(borrower: string, kind: string, from: string, until: string | null = null) {
  await context.database.db
    .insertInto("contact_restrictions")
    .values({
      id: crypto.randomUUID(),
      lender_id: lenderId,
      borrower_id: borrowers[borrower] as string,
      kind: kind as never,
      started_at: at(from),
      ended_at: until ? at(until) : null,
      note: null,
      recorded_by: null,
      ended_by: null,
    })
    .execute();
}

before(async () => {
  context = await createTestContext({ now: "2026-11-23T02:00:00Z" });
  ({ lenderId } = await insertLender(context));
  const db = context.database.db;
  await db.transaction().execute(async (trx) => {
    for (const [index, name] of ["window", "capped", "disputed", "allowed", "preferring", "unreachable"].entries()) {
      borrowers[name] = await registerBorrower(
        context,
        trx,
        lenderId,
        { externalRef: `B-${name}`, name: "张三", nationalId: testNationalId(index + 1), phone: `1380013800${index}` },
        system,
      );
    }
    for (const name of ["capped", "unreachable"]) {
      const contact = await addContact(
        context,
        trx,
        lenderId,
        borrowers[name] as string,
        { kind: "emergency", name: "王五", phone: `1390013900${name.length}`, relationship: "sibling", isPreAgreed: true },
        "import",
      );
      contacts[name] = contact.id;
    }
  });
  placeholderDecisionId = crypto.randomUUID();
  await db
    .insertInto("contact_decisions")
    .values({
      id: placeholderDecisionId,
      lender_id: lenderId,
      borrower_id: null,
      contact_id: null,
      person_role: "borrower",
      channel: "call",
      content_class: "collection",
      contact_at: at("2026-11-01T10:00:00"),
      decided_at: at("2026-11-01T10:00:00"),
      decision: "allow",
      reasons: "[]",
      next_allowed_at: null,
      pack_id: "cn-default",
      pack_version: "2025.02",
      inputs: "{}",
      requested_by: null,
    })
    .execute();
  // capped: three connected calls this morning, a conversation yesterday, an SMS a week ago.
  for (const hour of ["10", "11", "12"]) await attempt("capped", `2026-11-23T${hour}:00:00`, "call", "connected");
  await attempt("capped", "2026-11-22T15:00:00", "call", "conversation");
  await attempt("capped", "2026-11-16T09:00:00", "sms", null, { status: "sent" });
  // In the 14-day history of the 09:00 request, not of the afternoon ones.
  await attempt("capped", "2026-11-09T10:00:00", "call", "no_answer");
  // A refused attempt is not history.
  await attempt("capped", "2026-11-23T09:30:00", "call", null, { status: "deferred" });
  // disputed: a dispute open since last week, and a complaint that ended before today.
  await restrict("disputed", "dispute_open", "2026-11-15T10:00:00");
  await restrict("disputed", "complaint_open", "2026-11-01T10:00:00", "2026-11-10T10:00:00");
  // Restrictions that begin or end between two requests of the same batch.
  await restrict("window", "complaint_open", "2026-11-20T10:00:00", "2026-11-23T12:00:00");
  await restrict("allowed", "dispute_open", "2026-11-23T10:07:00");
  // allowed: one call that reached nobody, one the borrower made, a call older than the window.
  await attempt("allowed", "2026-11-20T10:00:00", "call", "no_answer");
  await attempt("allowed", "2026-11-21T10:00:00", "call", "conversation", { direction: "inbound" });
  await attempt("allowed", "2026-11-01T10:00:00", "call", "connected");
  // preferring: lunch is inconvenient, SMS opted out, may be in Urumqi (UTC+6) too.
  await db
    .insertInto("contact_preferences")
    .values({
      id: crypto.randomUUID(),
      lender_id: lenderId,
      borrower_id: borrowers.preferring as string,
      contact_id: null,
      time_zones: ["Asia/Shanghai", "Asia/Urumqi"],
      opt_outs: ["sms"],
      inconvenient_times: JSON.stringify([{ from: "12:00", to: "14:00" }]),
      agreed_schedule: null,
      updated_at: at("2026-11-01T10:00:00"),
    } as never)
    .execute();
  await db
    .insertInto("contact_consents")
    .values({
      id: crypto.randomUUID(),
      lender_id: lenderId,
      borrower_id: borrowers.preferring as string,
      contact_id: null,
      channel: "call",
      given_at: at("2026-11-02T10:00:00"),
      valid_from: at("2026-11-02T10:00:00"),
      valid_until: null,
      revoked_at: null,
      recorded_by: null,
    })
    .execute();
  // unreachable: unanswered calls on each of the last days, nothing got through.
  for (const day of ["17", "18", "19", "20", "21", "22"]) {
    await attempt("unreachable", `2026-11-${day}T10:00:00`, "call", "no_answer");
    await attempt("unreachable", `2026-11-${day}T16:00:00`, "voice_robot", "not_connected");
  }
  await attempt("unreachable", "2026-11-23T08:30:00", "call", "voicemail");
  await attempt("unreachable", "2026-11-23T09:00:00", "call", "no_answer");
});

after(async () => {
  await context?.close();
});

function request(borrower: string, when: string, channel: ContactRequestInput["channel"], more: Partial<ContactRequestInput> = {}): ContactRequestInput {
  return {
    borrowerId: borrowers[borrower] as string,
    contactId: null,
    channel,
    contentClass: "collection",
    text: channel === "sms" ? smsText : null,
    loanId: null,
    at: at(when),
    ...more,
  };
}

function plan(): ContactRequestInput[] {
  return [
    request("window", "2026-11-23T22:30:00", "sms"),
    request("window", "2026-11-23T06:10:00", "call"),
    request("capped", "2026-11-23T14:00:00", "call"),
    request("capped", "2026-11-23T09:00:00", "call"),
    request("capped", "2026-11-23T15:00:00", "sms"),
    request("capped", "2026-11-23T15:00:00", "call", { contactId: contacts.capped as string, contentClass: "location_only" }),
    request("disputed", "2026-11-23T10:00:00", "call"),
    request("disputed", "2026-11-23T10:00:00", "sms", { contentClass: "plan_reminder" }),
    request("allowed", "2026-11-23T10:00:00", "sms"),
    request("allowed", "2026-11-23T10:05:00", "call", { loanId: crypto.randomUUID() }),
    request("allowed", "2026-11-23T10:10:00", "sms", { text: "【测试消费金融】再不还钱就通知你的家人和单位。" }),
    request("preferring", "2026-11-23T12:30:00", "call"),
    request("preferring", "2026-11-23T09:30:00", "sms"),
    request("preferring", "2026-11-23T21:30:00", "call"),
    request("unreachable", "2026-11-23T11:00:00", "call", { contactId: contacts.unreachable as string, contentClass: "location_only" }),
    request("unreachable", "2026-11-23T11:00:00", "call"),
  ];
}

async function setPack(settings: Record<string, unknown>) {
  await context.database.db
    .updateTable("lenders")
    .set({ compliance_settings: JSON.stringify(settings) } as never)
    .where("id", "=", lenderId)
    .execute();
}

async function compareWithSinglePath() {
  const requests = plan();
  const single: StoredDecision[] = [];
  for (const input of requests) single.push(await decideAndStore(context, context.database.db, { kind: "system", lenderId }, input));
  const stats = emptyContactBatchStats();
  const batch = await decideContactsInBatch(context, context.database.db, lenderId, requests, { store: true, stats });
  assert.equal(batch.length, requests.length);
  for (const [index, decision] of batch.entries()) {
    const expected = single[index] as (typeof single)[number];
    const label = `requests[${index}] (${requests[index]?.channel} at ${requests[index]?.at.toISOString()})`;
    assert.equal(decision.decision, expected.decision, label);
    assert.deepEqual(decision.reasons, expected.reasons, label);
    assert.equal(decision.nextAllowedAt, expected.nextAllowedAt, label);
    assert.deepEqual(decision.pack, expected.pack, label);
  }
  assert.equal(stats.decisions, requests.length);
  assert.ok(stats.historyItems > 0);
  const stored = await context.database.db
    .selectFrom("contact_decisions")
    .select(["id", "borrower_id", "contact_id", "person_role", "decision", "reasons", "next_allowed_at", "inputs", "requested_by"])
    .where(
      "id",
      "in",
      batch.map((decision) => decision.decisionId as string),
    )
    .execute();
  assert.equal(stored.length, requests.length, "one stored row per decision");
  const singleRows = await context.database.db
    .selectFrom("contact_decisions")
    .select(["id", "inputs"])
    .where(
      "id",
      "in",
      single.map((decision) => decision.decisionId),
    )
    .execute();
  for (const [index, decision] of batch.entries()) {
    const row = stored.find((candidate) => candidate.id === decision.decisionId);
    assert.ok(row, `requests[${index}] stored`);
    assert.equal(row.borrower_id, requests[index]?.borrowerId);
    assert.equal(row.contact_id, requests[index]?.contactId);
    assert.equal(row.person_role, requests[index]?.contactId ? "emergency_contact" : "borrower");
    assert.equal(row.decision, decision.decision);
    assert.deepEqual(row.reasons, JSON.parse(JSON.stringify(decision.reasons)));
    assert.equal(row.next_allowed_at?.toISOString() ?? null, decision.nextAllowedAt);
    assert.equal(row.requested_by, null);
    const summary = row.inputs as { batch: boolean; historyItems: number; consents: number };
    const scenario = singleRows.find((candidate) => candidate.id === single[index]?.decisionId)?.inputs as { history: unknown[]; consents: unknown[] };
    assert.equal(summary.batch, true);
    assert.equal(summary.historyItems, scenario.history.length, `requests[${index}]: the same history`);
    assert.equal(summary.consents, scenario.consents.length, `requests[${index}]: the same consents`);
  }
  return { batch, single };
}

describe("contact gateway in batches", () => {
  it("cn-default: the same decisions, reasons and next allowed times as one contact at a time, each stored", async () => {
    const { batch } = await compareWithSinglePath();
    const decisionOf = (index: number) => batch[index]?.decision;
    const rulesOf = (index: number) => batch[index]?.reasons.map((reason) => reason.rule) ?? [];
    assert.equal(decisionOf(0), "defer", "22:30 is outside the window");
    assert.equal(batch[0]?.nextAllowedAt, "2026-11-24T00:00:00.000Z", "08:00 the next morning in Shanghai");
    assert.equal(decisionOf(1), "block", "at 06:10 the complaint was still open");
    assert.equal(decisionOf(2), "defer", "the fourth connected call of the day");
    assert.ok(rulesOf(2).includes("cn.voice-daily-cap"));
    assert.equal(decisionOf(3), "warn", "at 09:00 the morning's calls had not happened yet (no agent: training unchecked)");
    assert.equal(decisionOf(5), "block", "the debtor was reached today, so not the emergency contact");
    assert.equal(decisionOf(6), "block");
    assert.ok(rulesOf(6).includes("cn.pause.complaint-or-dispute"));
    assert.equal(decisionOf(7), "allow", "a plan reminder goes out during a dispute");
    assert.equal(decisionOf(8), "allow");
    assert.equal(decisionOf(10), "block", "threatening to tell the family");
    assert.ok(rulesOf(10).includes("cn.pause.complaint-or-dispute"), "and the dispute opened at 10:07");
    assert.equal(decisionOf(11), "defer", "lunch is inconvenient");
    assert.equal(batch[11]?.nextAllowedAt, "2026-11-23T08:00:00.000Z", "16:00 in Shanghai: lunch in Urumqi (UTC+6) ends at 14:00 there");
    assert.notEqual(decisionOf(14), "block", "the debtor is unreachable: the pre-agreed emergency contact may be asked where they are");
  });

  it("applies the lender's tightened pack once for the whole batch", async () => {
    await setPack({ pack: "cn-default", overrides: { windowEndMinutes: 21 * 60 } });
    const { batch } = await compareWithSinglePath();
    assert.equal(batch[13]?.decision, "defer", "21:30 is outside the lender's narrower window");
  });

  it("us-regf: the same decisions as one contact at a time, consents and opt-outs included", async () => {
    await setPack({ pack: "us-regf", overrides: {} });
    const { batch } = await compareWithSinglePath();
    assert.ok(batch[12]?.reasons.some((reason) => reason.rule.startsWith("us.")));
    await setPack({});
  });

  it("decides without storing when asked to", async () => {
    const before = await context.database.db.selectFrom("contact_decisions").select("id").execute();
    const batch = await decideContactsInBatch(context, context.database.db, lenderId, plan());
    assert.ok(batch.every((decision) => decision.decisionId === null));
    const after = await context.database.db.selectFrom("contact_decisions").select("id").execute();
    assert.equal(after.length, before.length);
  });

  it("refuses a batch naming an unknown borrower or another borrower's contact, naming the request, and stores nothing", async () => {
    const before = await context.database.db.selectFrom("contact_decisions").select("id").execute();
    const unknown = [...plan(), request("allowed", "2026-11-23T10:00:00", "sms", { borrowerId: crypto.randomUUID() })];
    await assert.rejects(decideContactsInBatch(context, context.database.db, lenderId, unknown, { store: true }), /requests\[16\]: borrower .* not found/);
    const notAnId = [request("allowed", "2026-11-23T10:00:00", "sms", { borrowerId: "B-allowed" })];
    await assert.rejects(
      decideContactsInBatch(context, context.database.db, lenderId, notAnId, { store: true }),
      /requests\[0\]: borrower B-allowed not found/,
    );
    const foreignContact = [request("allowed", "2026-11-23T10:00:00", "call", { contactId: contacts.capped as string, contentClass: "location_only" })];
    await assert.rejects(decideContactsInBatch(context, context.database.db, lenderId, foreignContact, { store: true }), /requests\[0\]: contact .* not found/);
    const after = await context.database.db.selectFrom("contact_decisions").select("id").execute();
    assert.equal(after.length, before.length);
  });
});
