// `duecare compliance check <scenario.json>`: the scenario contract other tools depend on, from
// the command line. It prints the decision as JSON and stores nothing, so it needs no database.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const root = join(fileURLToPath(import.meta.url), "..", "..");
let directory: string;

function check(scenario: unknown | string, input?: string) {
  const file = join(directory, `scenario-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof scenario === "string" ? scenario : JSON.stringify(scenario));
  const result = spawnSync(process.execPath, [join(root, "bin", "duecare.js"), "compliance", "check", input === undefined ? file : "-"], {
    cwd: root,
    env: { ...process.env, DATA_DIR: directory, LOG_LEVEL: "warn" },
    encoding: "utf8",
    timeout: 60_000,
    ...(input === undefined ? {} : { input }),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// The example: a US consumer in New York, a call about debt d1.
const scenario = {
  pack: "us-regf",
  request: { at: "2026-04-08T10:00:00-04:00", channel: "call", personId: "p1", debtId: "d1", contentClass: "collection" },
  persons: [
    {
      id: "p1",
      role: "borrower",
      timeZones: ["America/New_York"],
      preAgreed: true,
      refusedContact: false,
      optOuts: ["sms"],
      inconvenientTimes: [{ days: ["sat", "sun"], from: "00:00", to: "24:00" }],
    },
  ],
  facts: {
    debtorReachable: true,
    complaintOpen: false,
    disputeOpen: false,
    ceaseRequested: false,
    stopCalling: false,
    planInGoodStanding: false,
    attorneyRepresented: false,
    deceased: false,
    firstPartyCreditor: false,
    agentTrainedOn: "2026-01-05",
  },
  history: [{ at: "2026-04-01T10:00:00-04:00", channel: "call", direction: "outbound", personId: "p1", debtIds: ["d1"], outcome: "conversation" }],
  consents: [],
};

before(() => {
  directory = mkdtempSync(join(tmpdir(), "duecare-compliance-cli-"));
});
after(() => rmSync(directory, { recursive: true, force: true }));

describe("duecare compliance check", () => {
  it("prints the contract's decision: a conversation on 04-01 (day 1) leaves 04-08 free for a call", () => {
    const result = check(scenario);
    assert.equal(result.status, 0, result.stderr);
    const output = JSON.parse(result.stdout);
    assert.deepEqual(Object.keys(output).slice(0, 3), ["decision", "reasons", "nextAllowedAt"]);
    assert.equal(output.decision, "allow");
    assert.equal(output.nextAllowedAt, null);
  });

  it("defers a call on day 7 after the conversation to 08:00 New York time on day 8, and reads standard input", () => {
    const onDaySeven = { ...scenario, request: { ...scenario.request, at: "2026-04-07T10:00:00-04:00" } };
    const result = check("", JSON.stringify(onDaySeven));
    assert.equal(result.status, 0, result.stderr);
    const output = JSON.parse(result.stdout);
    assert.equal(output.decision, "defer");
    assert.equal(output.nextAllowedAt, "2026-04-08T12:00:00.000Z", "day 8 begins at midnight, but calls wait for 08:00 EDT");
    const reason = output.reasons.find((item: { rule: string }) => item.rule === "us.call-frequency.after-conversation");
    assert.ok(reason, "the after-conversation rule fired");
    assert.match(reason.source, /1006\.14/);
    assert.match(reason.messageZh, /[\u4e00-\u9fff]/);
  });

  it("names the bad field and exits non-zero", () => {
    const result = check({ ...scenario, request: { ...scenario.request, channel: "pigeon" } });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /request\.channel/);
    assert.equal(result.stdout, "");
    const notJson = check("{ not json");
    assert.equal(notJson.status, 1);
    assert.match(notJson.stderr, /is not JSON/);
  });
});
