import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeptValues } from "../../../platform/kept-values.js";
import { isPageCurrent, PAGE_MAX_AGE_MS, PAGES_MAX, type QueuePage } from "./queue-pages.js";

const t0 = Date.parse("2026-11-22T02:00:00Z");
const shanghaiToday = () => "2026-11-22";
const current =
  (nowMs: number, todayOf: (timeZone: string) => string) =>
  (page: QueuePage): boolean =>
    isPageCurrent(page, nowMs, todayOf);

function page(overrides: Partial<QueuePage> = {}): QueuePage {
  return {
    body: '{"cases":[]}',
    keys: ["a:agent1", "u:agent1", "c:case1", "b:borrower1"],
    today: "2026-11-22",
    timeZone: "Asia/Shanghai",
    computedAtMs: t0,
    refreshAtMs: t0 + 3_600_000,
    ...overrides,
  };
}

describe("queue pages kept between requests", () => {
  it("serves a page until a change arrives for its scope, a case or borrower on it, or its viewer", () => {
    for (const key of ["a:agent1", "c:case1", "b:borrower1", "u:agent1"]) {
      const pages = new KeptValues<QueuePage>(PAGES_MAX);
      pages.put("p", page());
      assert.ok(pages.get("p", current(t0 + 1_000, shanghaiToday)), `kept before ${key}`);
      pages.forget(["a:agent2", "c:case2", "b:borrower2"]);
      assert.ok(pages.get("p", current(t0 + 1_000, shanghaiToday)), `other keys leave it alone (${key})`);
      pages.forget([key]);
      assert.equal(pages.get("p", current(t0 + 1_000, shanghaiToday)), null, `gone after ${key}`);
      assert.equal(pages.size, 0);
    }
  });

  it("drops every page on 'all'", () => {
    const pages = new KeptValues<QueuePage>(PAGES_MAX);
    pages.put("p", page());
    pages.put("q", page({ keys: ["a:agent2"] }));
    pages.forget("all");
    assert.equal(pages.size, 0);
    pages.forget(["a:agent2"]);
  });

  it("ends a page when the first callback after it falls due, after a minute, or on the next business day", () => {
    const pages = new KeptValues<QueuePage>(PAGES_MAX);
    pages.put("p", page({ refreshAtMs: t0 + 30_000 }));
    assert.ok(pages.get("p", current(t0 + 29_999, shanghaiToday)));
    assert.equal(pages.get("p", current(t0 + 30_000, shanghaiToday)), null, "the callback is due");

    pages.put("p", page());
    assert.ok(pages.get("p", current(t0 + PAGE_MAX_AGE_MS - 1, shanghaiToday)));
    assert.equal(pages.get("p", current(t0 + PAGE_MAX_AGE_MS, shanghaiToday)), null, "a minute old");

    pages.put("p", page());
    assert.equal(
      pages.get(
        "p",
        current(t0 + 1_000, () => "2026-11-23"),
      ),
      null,
      "DPD moved with the day",
    );

    pages.put("p", page());
    assert.equal(pages.get("p", current(t0 - 1, shanghaiToday)), null, "a clock set back does not serve a page from its future");
  });

  it("keeps at most its limit, dropping the oldest", () => {
    const pages = new KeptValues<QueuePage>(2);
    pages.put("p1", page({ keys: ["a:1"] }));
    pages.put("p2", page({ keys: ["a:2"] }));
    pages.put("p3", page({ keys: ["a:3"] }));
    assert.equal(pages.size, 2);
    assert.equal(pages.get("p1", current(t0, shanghaiToday)), null);
    assert.ok(pages.get("p3", current(t0, shanghaiToday)));
    pages.forget(["a:2", "a:3"]);
    assert.equal(pages.size, 0);
  });

  it("replaces a page kept under the same id and forgets the old one's keys", () => {
    const pages = new KeptValues<QueuePage>(PAGES_MAX);
    pages.put("p", page({ keys: ["c:old"] }));
    pages.put("p", page({ keys: ["c:new"], body: "new" }));
    pages.forget(["c:old"]);
    assert.equal(pages.get("p", current(t0, shanghaiToday))?.body, "new");
  });
});
