// Contact details on the case page: an agent adds a phone or an address with its source, marks
// it verified or invalid with a reason, records a refusal; every change leaves a history row and
// an audit event; nothing is stored in plaintext; the caller's data scope decides whose details
// they may change; bad input names the field and changes nothing. The case page shows it all,
// and the suggested script in the borrower's own numbers.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createApp } from "../../app.js";
import type { App } from "../../platform/http/index.js";
import { parseMinor } from "../../platform/money.js";
import { insertLender, TEST_PASSWORD, testNationalId } from "../../platform/testing/fixtures.js";
import { TestClient } from "../../platform/testing/http-client.js";
import { createTestContext, type TestContext } from "../../platform/testing/test-context.js";
import { formatScriptAmount, openCases } from "../cases/index.js";
import { closeThrough } from "../close/index.js";
import { addStaffUser } from "../identity/index.js";
import { addProduct, openLoan } from "../loans/index.js";
import { registerBorrower } from "./index.js";

let context: TestContext;
let app: App;
let lenderId = "";
/** mine: agent1's case with an overdue loan; theirs: agent2's; agency: the agency agent's. */
const borrower = { mine: "", theirs: "", agency: "" };
let loanId = "";
const system = { actorType: "system" as const, actorId: null };
const homeAddress = "北京市朝阳区建国路88号院3号楼1201";

before(async () => {
  context = await createTestContext({ now: "2026-11-23T02:00:00Z" });
  const fixture = await insertLender(context);
  lenderId = fixture.lenderId;
  await context.database.db.transaction().execute(async (trx) => {
    const staff: Record<string, string> = {};
    for (const [username, roles, agency] of [
      ["agent1", ["agent"], null],
      ["agent2", ["agent"], null],
      ["agency1", ["agent"], fixture.agencyId],
      ["agencylead", ["supervisor"], fixture.agencyId],
      ["lead", ["supervisor"], null],
      ["quality", ["compliance"], null],
    ] as const) {
      staff[username] = (
        await addStaffUser(context, trx, { lenderId, agencyId: agency, username, displayName: username, password: TEST_PASSWORD, roles: [...roles] }, system)
      ).id;
    }
    const productId = await addProduct(context, trx, {
      lenderId,
      code: "EP6",
      name: "六期等额本金",
      nameEn: "6-month equal principal",
      repaymentMethod: "equal_principal",
      termMonths: 6,
      annualRate: "18",
      currency: "CNY",
      terms: {},
    });
    for (const [index, key] of (["mine", "theirs", "agency"] as const).entries()) {
      borrower[key] = await registerBorrower(
        context,
        trx,
        lenderId,
        { externalRef: `CD${index}`, name: `李小${"一二三"[index]}`, nationalId: testNationalId(index + 20), phone: `1370013700${index}` },
        system,
      );
    }
    loanId = await openLoan(
      context,
      trx,
      { lenderId, borrowerId: borrower.mine, productId, externalRef: "CD-L1", principalMinor: 600_000n, openedOn: "2026-09-15" },
      system,
    );
    await openCases(context, trx, [
      { lenderId, borrowerId: borrower.mine, agencyId: null, assignedAgentId: staff.agent1 ?? null, status: "new", openedOn: "2026-10-16" },
      { lenderId, borrowerId: borrower.theirs, agencyId: null, assignedAgentId: staff.agent2 ?? null, status: "new", openedOn: "2026-10-16" },
      { lenderId, borrowerId: borrower.agency, agencyId: fixture.agencyId, assignedAgentId: staff.agency1 ?? null, status: "new", openedOn: "2026-10-16" },
    ]);
  });
  await closeThrough(context, lenderId, "2026-11-22");
  ({ app } = await createApp(context, { logger: false }));
});

after(async () => {
  await app?.close();
  await context?.close();
});

async function signIn(username: string): Promise<TestClient> {
  const client = new TestClient(app);
  assert.equal((await client.login(username, TEST_PASSWORD)).status, 200);
  return client;
}

async function counts() {
  const { db } = context.database;
  const count = async (table: "borrower_contacts" | "borrower_addresses" | "contact_detail_changes" | "audit_log") =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    contacts: await count("borrower_contacts"),
    addresses: await count("borrower_addresses"),
    changes: await count("contact_detail_changes"),
    audit: await count("audit_log"),
  };
}

/** JSON of stored rows (their sequences are bigints), to look for plaintext in them. */
function json(value: unknown): string {
  return JSON.stringify(value, (_key, item) => (typeof item === "bigint" ? item.toString() : item));
}

async function history(targetId: string) {
  return context.database.db.selectFrom("contact_detail_changes").selectAll().where("target_id", "=", targetId).orderBy("sequence").execute();
}

async function caseIdOf(borrowerId: string): Promise<string> {
  return (await context.database.db.selectFrom("collection_cases").select("id").where("borrower_id", "=", borrowerId).executeTakeFirstOrThrow()).id;
}

let emergencyId = "";
let addressId = "";

describe("contacts", () => {
  it("adds an emergency contact with relationship, pre-agreement and source, recorded in the history and the audit log", async () => {
    const agent = await signIn("agent1");
    const added = await agent.post(`/api/borrowers/${borrower.mine}/contacts`, {
      kind: "emergency",
      phone: "139 0013 9000",
      name: "李母",
      relationship: "parent",
      isPreAgreed: true,
      source: "borrower",
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const { contact } = added.body;
    emergencyId = contact.id;
    assert.equal(contact.phoneMasked, "139****9000");
    assert.deepEqual(
      [contact.kind, contact.relationship, contact.isPreAgreed, contact.source, contact.verification, contact.invalidReason],
      ["emergency", "parent", true, "borrower", "unverified", null],
    );
    const [change, ...rest] = await history(emergencyId);
    assert.equal(rest.length, 0);
    assert.equal(change?.action, "added");
    assert.equal(change?.borrower_id, borrower.mine);
    assert.deepEqual(((change?.changes ?? {}) as Record<string, unknown>).phone, { from: null, to: "139****9000" });
    assert.deepEqual(((change?.changes ?? {}) as Record<string, unknown>).source, { from: null, to: "borrower" });
    const audit = await context.database.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "contact.added")
      .where("target_id", "=", emergencyId)
      .execute();
    assert.equal(audit.length, 1);

    // The same phone with the same details again changes nothing.
    const before = await counts();
    const again = await agent.post(`/api/borrowers/${borrower.mine}/contacts`, {
      kind: "emergency",
      phone: "13900139000",
      relationship: "parent",
      isPreAgreed: true,
    });
    assert.equal(again.status, 200);
    assert.equal(again.body.contact.id, emergencyId);
    assert.deepEqual(await counts(), before);
    // The same phone saying something else is a conflict naming the field.
    const conflicting = await agent.post(`/api/borrowers/${borrower.mine}/contacts`, { kind: "guarantor", phone: "13900139000" });
    assert.equal(conflicting.status, 409);
    assert.equal(conflicting.body.error.details.field, "phone");
    assert.deepEqual(await counts(), before);
  });

  it("stores no phone or name in plaintext", async () => {
    const row = await context.database.db.selectFrom("borrower_contacts").selectAll().where("id", "=", emergencyId).executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    assert.ok(!stored.includes("13900139000"), stored);
    assert.ok(!stored.includes("李母"));
    assert.match(row.phone_enc, /^v1\./);
    const changes = json(await history(emergencyId));
    assert.ok(!changes.includes("13900139000") && !changes.includes("李母"));
  });

  it("marks a contact verified, then invalid with a reason, then refused — each change from what to what, by whom", async () => {
    const agent = await signIn("agent1");
    const verified = await agent.patch(`/api/borrower-contacts/${emergencyId}`, { verification: "verified" });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.contact.verification, "verified");

    const invalid = await agent.patch(`/api/borrower-contacts/${emergencyId}`, { verification: "invalid", invalidReason: "not_in_service", note: "空号提示" });
    assert.equal(invalid.status, 200);
    assert.deepEqual([invalid.body.contact.verification, invalid.body.contact.invalidReason], ["invalid", "not_in_service"]);

    const refused = await agent.patch(`/api/borrower-contacts/${emergencyId}`, { hasRefused: true });
    assert.equal(refused.body.contact.hasRefused, true);

    // Saying what is already so records nothing.
    const before = await counts();
    assert.equal((await agent.patch(`/api/borrower-contacts/${emergencyId}`, { hasRefused: true })).status, 200);
    assert.deepEqual(await counts(), before);

    const changes = (await history(emergencyId)).slice(1);
    assert.deepEqual(
      changes.map((change) => change.changes),
      [
        { verification: { from: "unverified", to: "verified" } },
        { verification: { from: "verified", to: "invalid" }, invalidReason: { from: null, to: "not_in_service" } },
        { hasRefused: { from: false, to: true } },
      ],
    );
    const agentId = (await context.database.db.selectFrom("staff_users").select("id").where("username", "=", "agent1").executeTakeFirstOrThrow()).id;
    assert.ok(changes.every((change) => change.actor_id === agentId && change.actor_type === "staff"));
    assert.equal(changes[1]?.note, "空号提示");
    assert.ok(changes.every((change) => change.recorded_at instanceof Date));

    const listed = await agent.get(`/api/borrowers/${borrower.mine}/contact-history`);
    assert.equal(listed.status, 200);
    assert.equal(listed.body.changes.length, 4);
    assert.equal(listed.body.changes[0].actor, "agent1");

    const audit = await context.database.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "contact.updated")
      .where("target_id", "=", emergencyId)
      .execute();
    assert.equal(audit.length, 3);

    // Marking it verified again clears the reason.
    const back = await agent.patch(`/api/borrower-contacts/${emergencyId}`, { verification: "verified" });
    assert.deepEqual([back.body.contact.verification, back.body.contact.invalidReason], ["verified", null]);
  });

  it("refuses bad input naming the field, and changes nothing", async () => {
    const agent = await signIn("agent1");
    const before = await counts();
    const cases: [string, unknown, string][] = [
      [`/api/borrowers/${borrower.mine}/contacts`, { kind: "cousin", phone: "13900139001" }, "kind"],
      [`/api/borrowers/${borrower.mine}/contacts`, { kind: "self", phone: "12345" }, "phone"],
      [`/api/borrowers/${borrower.mine}/contacts`, { kind: "emergency", phone: "13900139001" }, "relationship"],
      [`/api/borrowers/${borrower.mine}/contacts`, { kind: "self", phone: "13900139001", source: "neighbour" }, "source"],
      [`/api/borrowers/${borrower.mine}/addresses`, { kind: "office", address: homeAddress }, "kind"],
      [`/api/borrowers/${borrower.mine}/addresses`, { kind: "home", address: " 北京 " }, "address"],
      [`/api/borrowers/${borrower.mine}/addresses`, { kind: "home", address: homeAddress, source: "rumour" }, "source"],
    ];
    for (const [url, body, field] of cases) {
      const response = await agent.post(url, body);
      assert.equal(response.status, 400, `${url} ${JSON.stringify(body)}`);
      assert.equal(response.body.error.details.field, field, JSON.stringify(response.body));
    }
    const patches: [unknown, string][] = [
      [{ verification: "invalid" }, "invalidReason"],
      [{ verification: "invalid", invalidReason: "moved" }, "invalidReason"],
      [{ verification: "verified", invalidReason: "wrong_number" }, "invalidReason"],
      [{ verification: "maybe" }, "verification"],
      [{}, "verification"],
    ];
    for (const [body, field] of patches) {
      const response = await agent.patch(`/api/borrower-contacts/${emergencyId}`, body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(response.body.error.details.field, field, JSON.stringify(response.body));
    }
    const typed = await agent.patch(`/api/borrower-contacts/${emergencyId}`, { hasRefused: "yes" });
    assert.equal(typed.status, 400);
    assert.match(typed.body.error.message, /hasRefused/);
    assert.deepEqual(await counts(), before);
    const row = await context.database.db
      .selectFrom("borrower_contacts")
      .select(["verification", "invalid_reason"])
      .where("id", "=", emergencyId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { verification: "verified", invalid_reason: null });
  });

  it("refuses to append-only history an update or a delete", async () => {
    await assert.rejects(context.database.db.updateTable("contact_detail_changes").set({ note: "rewritten" }).execute(), /append-only/);
    await assert.rejects(context.database.db.deleteFrom("contact_detail_changes").execute(), /append-only/);
  });
});

describe("addresses", () => {
  it("adds a home address encrypted at rest and shown masked, then marks it invalid because the borrower moved", async () => {
    const agent = await signIn("agent1");
    const added = await agent.post(`/api/borrowers/${borrower.mine}/addresses`, { kind: "home", address: homeAddress, source: "agent" });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    addressId = added.body.address.id;
    assert.equal(added.body.address.address, "北京市朝阳区****");
    assert.deepEqual([added.body.address.source, added.body.address.verification], ["agent", "unverified"]);

    const row = await context.database.db.selectFrom("borrower_addresses").selectAll().where("id", "=", addressId).executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    assert.ok(!stored.includes("建国路") && !stored.includes("1201"), stored);
    assert.equal(context.privacy.cipher.decrypt(row.address_enc, `address:${addressId}:address`), homeAddress);
    assert.throws(() => context.privacy.cipher.decrypt(row.address_enc, `address:${emergencyId}:address`), /another field/);

    const again = await agent.post(`/api/borrowers/${borrower.mine}/addresses`, { kind: "home", address: `  ${homeAddress} ` });
    assert.equal(again.status, 200);
    assert.equal(again.body.address.id, addressId);

    const moved = await agent.patch(`/api/borrower-addresses/${addressId}`, { verification: "invalid", invalidReason: "moved" });
    assert.equal(moved.status, 200);
    assert.deepEqual([moved.body.address.verification, moved.body.address.invalidReason], ["invalid", "moved"]);
    const wrongReason = await agent.patch(`/api/borrower-addresses/${addressId}`, { verification: "invalid", invalidReason: "wrong_number" });
    assert.equal(wrongReason.body.error.details.field, "invalidReason");
    const refusal = await agent.patch(`/api/borrower-addresses/${addressId}`, { hasRefused: true });
    assert.equal(refusal.body.error.details.field, "hasRefused");

    const changes = await history(addressId);
    assert.deepEqual(
      changes.map((change) => [change.target_type, change.action]),
      [
        ["address", "added"],
        ["address", "updated"],
      ],
    );
    assert.ok(!json(changes).includes("建国路"));
    assert.deepEqual(((changes[1]?.changes ?? {}) as Record<string, unknown>).verification, { from: "unverified", to: "invalid" });
    assert.equal((await context.database.db.selectFrom("audit_log").select("sequence").where("target_id", "=", addressId).execute()).length, 2);
  });
});

describe("data scope", () => {
  it("lets an agent change only the details of borrowers whose case is assigned to them", async () => {
    const other = await signIn("agent2");
    const before = await counts();
    assert.equal((await other.post(`/api/borrowers/${borrower.mine}/contacts`, { kind: "self", phone: "13900139002" })).status, 404);
    assert.equal((await other.post(`/api/borrowers/${borrower.mine}/addresses`, { kind: "work", address: homeAddress })).status, 404);
    const patched = await other.patch(`/api/borrower-contacts/${emergencyId}`, { verification: "invalid", invalidReason: "wrong_number" });
    assert.equal(patched.status, 404);
    assert.equal(patched.body.error.code, "NOT_FOUND");
    assert.equal((await other.patch(`/api/borrower-addresses/${addressId}`, { verification: "verified" })).status, 404);
    assert.equal((await other.get(`/api/borrowers/${borrower.mine}/contact-history`)).status, 404);
    assert.deepEqual(await counts(), before);
    assert.equal((await other.post(`/api/borrowers/${borrower.theirs}/contacts`, { kind: "self", phone: "13900139002" })).status, 201);
  });

  it("keeps agency staff to their agency's borrowers, and lets a supervisor work the lender's", async () => {
    for (const username of ["agency1", "agencylead"]) {
      const agencyUser = await signIn(username);
      assert.equal((await agencyUser.post(`/api/borrowers/${borrower.mine}/contacts`, { kind: "self", phone: "13900139003" })).status, 404, username);
      assert.equal((await agencyUser.patch(`/api/borrower-contacts/${emergencyId}`, { hasRefused: false })).status, 404, username);
      const own = await agencyUser.post(`/api/borrowers/${borrower.agency}/addresses`, {
        kind: "mailing",
        address: `上海市浦东新区世纪大道${username.length}号`,
      });
      assert.equal(own.status, 201, username);
    }
    const lead = await signIn("lead");
    assert.equal((await lead.patch(`/api/borrower-addresses/${addressId}`, { verification: "verified" })).status, 200);
    // Compliance reviews but does not change contact details.
    assert.equal((await (await signIn("quality")).post(`/api/borrowers/${borrower.mine}/contacts`, { kind: "self", phone: "13900139004" })).status, 403);
  });
});

describe("the case page", () => {
  it("lists contacts with source and verification and addresses masked", async () => {
    const agent = await signIn("agent1");
    const detail = (await agent.get(`/api/cases/${await caseIdOf(borrower.mine)}`)).body;
    const contact = detail.contacts.find((item: { id: string }) => item.id === emergencyId);
    assert.deepEqual([contact.source, contact.verification, contact.phoneMasked], ["borrower", "verified", "139****9000"]);
    assert.deepEqual(
      detail.addresses.map((item: { id: string; address: string; verification: string }) => [item.id, item.address, item.verification]),
      [[addressId, "北京市朝阳区****", "verified"]],
    );
    assert.ok(!JSON.stringify(detail).includes("建国路"));
  });

  it("serves a suggested script in the borrower's own numbers", async () => {
    const agent = await signIn("agent1");
    const detail = (await agent.get(`/api/cases/${await caseIdOf(borrower.mine)}`)).body;
    const statement = (await agent.get(`/api/loans/${loanId}/statement`)).body;
    const script = detail.suggestedScript;
    assert.ok(script, "an overdue case has a script");
    assert.equal(script.language, "zh-CN");
    assert.equal(script.bucket, detail.accounts[0].bucket);
    assert.equal(script.reason, null);
    assert.match(script.opening, /测试消费金融/);
    const text = [
      script.opening,
      ...script.points.map((point: { text: string }) => point.text),
      ...script.offers.map((offer: { text: string }) => offer.text),
      script.closing,
    ].join("\n");
    const money = (decimal: string) => formatScriptAmount(parseMinor(decimal, "CNY"), "CNY", "zh-CN");
    assert.ok(
      text.includes(`逾期${detail.totals.daysPastDueMax}天，逾期金额为${formatScriptAmount(BigInt(detail.totals.overdueMinor), "CNY", "zh-CN")}`),
      text,
    );
    assert.ok(parseMinor(statement.penaltyPerDay, "CNY") > 0n, "the loan accrues penalty");
    assert.ok(text.includes(`罚息每天增加${money(statement.penaltyPerDay)}`), text);
    assert.ok(text.includes(`已产生罚息${money(statement.outstanding.penalty)}`), text);
    const nextDue = statement.installments.find((installment: { status: string }) => installment.status === "not_due" || installment.status === "due");
    assert.ok(text.includes(nextDue.dueDate), text);
    assert.deepEqual(
      script.offers.map((offer: { key: string }) => offer.key),
      ["promise_to_pay", "installment_plan"],
    );
    // A borrower with nothing overdue gets no script.
    const lead = await signIn("lead");
    assert.equal((await lead.get(`/api/cases/${await caseIdOf(borrower.theirs)}`)).body.suggestedScript, null);
  });
});
