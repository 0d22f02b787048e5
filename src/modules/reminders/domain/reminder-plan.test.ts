import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Strategy } from "../../strategies/index.js";
import { type AccountRow, idempotencyKeyOf, planContacts, planningAccountOf, preDueHorizonDays, retryDelayMs, scheduledInstant } from "./reminder-plan.js";

const preDue: Strategy = {
  id: "00000000-0000-4000-8000-000000000001",
  code: "pre-due",
  name: "Pre-due",
  priority: 10,
  version: 1,
  segment: { daysBeforeDueMin: 0, daysBeforeDueMax: 3 },
  variants: [
    {
      id: "v1",
      code: "champion",
      shareBasisPoints: 10_000,
      cadence: [
        { key: "d-3", anchor: "due", day: -3, channel: "sms", templateCode: "pre-due-d3", at: "10:00" },
        { key: "d0", anchor: "due", day: 0, channel: "sms", templateCode: "pre-due-d0", at: "09:00" },
      ],
    },
  ],
};
const early: Strategy = {
  id: "00000000-0000-4000-8000-000000000002",
  code: "early",
  name: "Early overdue",
  priority: 20,
  version: 3,
  segment: { buckets: ["M1"] },
  variants: [
    {
      id: "v2",
      code: "champion",
      shareBasisPoints: 10_000,
      cadence: [
        { key: "dpd-1", anchor: "dpd", day: 1, channel: "sms", templateCode: "overdue-m1", at: "10:00" },
        { key: "dpd-1-mail", anchor: "dpd", day: 1, channel: "email", templateCode: "overdue-mail", at: "10:30" },
        { key: "dpd-5", anchor: "dpd", day: 5, channel: "agent", at: "09:30" },
      ],
    },
  ],
};

function row(overrides: Partial<AccountRow>): AccountRow {
  return {
    loanId: "10000000-0000-4000-8000-000000000001",
    borrowerId: "20000000-0000-4000-8000-000000000001",
    caseId: null,
    bucket: "M0",
    overdueSince: null,
    overdueMinor: 0n,
    productCode: "cash",
    nextDueOn: null,
    timeZone: "Asia/Shanghai",
    locale: "zh-CN",
    overdueReason: null,
    score: null,
    ...overrides,
  };
}

describe("the reminder planner's core", () => {
  it("counts DPD from overdue_since and pre-due days from the next due date on the contact day", () => {
    assert.equal(planningAccountOf(row({ overdueSince: "2026-11-25", bucket: "M1" }), "2026-12-01").dpd, 6);
    assert.equal(planningAccountOf(row({ overdueSince: "2026-11-25" }), "2026-12-01").daysBeforeDue, null);
    assert.equal(planningAccountOf(row({ nextDueOn: "2026-12-04" }), "2026-12-01").daysBeforeDue, 3);
    assert.equal(planningAccountOf(row({}), "2026-12-01").daysBeforeDue, null);
  });

  it("schedules a step at its local time in the borrower's own zone", () => {
    assert.equal(scheduledInstant("2026-12-01", "10:00", "Asia/Shanghai").toISOString(), "2026-12-01T02:00:00.000Z");
    assert.equal(scheduledInstant("2026-07-01", "09:00", "America/New_York").toISOString(), "2026-07-01T13:00:00.000Z");
    assert.equal(scheduledInstant("2026-12-01", "09:00", "America/New_York").toISOString(), "2026-12-01T14:00:00.000Z");
    assert.throws(() => scheduledInstant("2026-12-01", "25:00", "Asia/Shanghai"), /not a time of day/);
  });

  it("plans the steps that fall today: D-3 before the due date, DPD 1 by SMS and e-mail, DPD 5 for an agent", () => {
    const heard = new Set<string>();
    const threeBefore = planContacts([preDue, early], [row({ nextDueOn: "2026-12-04" })], "2026-12-01", heard);
    assert.deepEqual(
      threeBefore.map((contact) => [contact.strategy.code, contact.step.key, contact.scheduledAt.toISOString()]),
      [["pre-due", "d-3", "2026-12-01T02:00:00.000Z"]],
    );
    const firstDay = planContacts(
      [preDue, early],
      [row({ loanId: "10000000-0000-4000-8000-000000000002", overdueSince: "2026-11-30", bucket: "M1" })],
      "2026-12-01",
      heard,
    );
    assert.deepEqual(
      firstDay.map((contact) => [contact.step.key, contact.step.channel]),
      [
        ["dpd-1", "sms"],
        ["dpd-1-mail", "email"],
      ],
    );
    const fifth = planContacts([preDue, early], [row({ overdueSince: "2026-11-26", bucket: "M1", caseId: "c1" })], "2026-12-01", new Set());
    assert.deepEqual(
      fifth.map((contact) => [contact.step.key, contact.step.channel]),
      [["dpd-5", "agent"]],
    );
    // Two days before the due date no step falls.
    assert.deepEqual(planContacts([preDue, early], [row({ nextDueOn: "2026-12-03" })], "2026-12-01", new Set()), []);
  });

  it("sends a step whose time has passed when the plan runs at once", () => {
    const late = planContacts([preDue], [row({ nextDueOn: "2026-12-04" })], "2026-12-01", new Set(), Date.parse("2026-12-01T05:30:00Z"));
    assert.equal(late[0]?.scheduledAt.toISOString(), "2026-12-01T05:30:00.000Z");
    const early = planContacts([preDue], [row({ nextDueOn: "2026-12-04" })], "2026-12-01", new Set(), Date.parse("2026-11-30T16:40:00Z"));
    assert.equal(early[0]?.scheduledAt.toISOString(), "2026-12-01T02:00:00.000Z");
  });

  it("tells a borrower with two loans once per step and channel, and keys each message by day, loan and step", () => {
    const heard = new Set<string>();
    const contacts = planContacts(
      [early],
      [
        row({ loanId: "10000000-0000-4000-8000-00000000000a", overdueSince: "2026-11-30", bucket: "M1" }),
        row({ loanId: "10000000-0000-4000-8000-00000000000b", overdueSince: "2026-11-30", bucket: "M1" }),
      ],
      "2026-12-01",
      heard,
    );
    assert.equal(contacts.length, 2);
    assert.ok(contacts.every((contact) => contact.loanId === "10000000-0000-4000-8000-00000000000a"));
    assert.equal(contacts[0]?.idempotencyKey, "rm:2026-12-01:10000000-0000-4000-8000-00000000000a:early:dpd-1");
    assert.equal(contacts[0]?.idempotencyKey, idempotencyKeyOf("2026-12-01", "10000000-0000-4000-8000-00000000000a", "early", "dpd-1"));
  });

  it("keeps a key at most 100 characters and distinct when the codes are long", () => {
    const long = idempotencyKeyOf("2026-12-01", "10000000-0000-4000-8000-00000000000a", "s".repeat(64), "a".repeat(32));
    const other = idempotencyKeyOf("2026-12-01", "10000000-0000-4000-8000-00000000000a", "s".repeat(64), `${"a".repeat(31)}b`);
    assert.ok(long.length <= 100);
    assert.notEqual(long, other);
    assert.match(long, /^[A-Za-z0-9:._-]+$/);
  });

  it("reads installments as far ahead as the earliest pre-due step", () => {
    assert.equal(preDueHorizonDays([preDue, early]), 3);
    assert.equal(preDueHorizonDays([early]), -1);
  });

  it("backs off 30 s, 2 min, 8 min … at most an hour, and never sooner than the provider asks", () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 9].map((attempt) => retryDelayMs(attempt)),
      [30_000, 120_000, 480_000, 1_920_000, 3_600_000, 3_600_000],
    );
    assert.equal(retryDelayMs(1, 90_000), 90_000);
  });
});
