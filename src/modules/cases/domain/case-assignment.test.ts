import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { type AgentSlot, assignCases } from "./case-assignment.js";

const agent = (agentId: string, openCases: number, capacity = 10, agencyId: string | null = null): AgentSlot => ({ agentId, agencyId, openCases, capacity });
const inHouse = (caseId: string, previousAgentId: string | null = null) => ({ caseId, agencyId: null, previousAgentId });

describe("case assignment", () => {
  it("deals cases to the least-loaded agent in turn", () => {
    const result = assignCases(
      ["c1", "c2", "c3", "c4", "c5"].map((id) => inHouse(id)),
      [agent("a", 2), agent("b", 0), agent("c", 1)],
    );
    assert.deepEqual(
      result.assignments.map((item) => [item.caseId, item.agentId]),
      [
        ["c1", "b"],
        ["c2", "b"],
        ["c3", "c"],
        ["c4", "a"],
        ["c5", "b"],
      ],
    );
  });

  it("gives a returning borrower their previous agent while there is room, and never fills anyone past capacity", () => {
    const result = assignCases([inHouse("c1"), inHouse("c2", "a"), inHouse("c3", "a")], [agent("a", 0, 1), agent("b", 0, 1)]);
    assert.deepEqual(result.assignments, [
      { caseId: "c2", agentId: "a", reason: "returning_borrower" },
      { caseId: "c3", agentId: "b", reason: "automatic" },
    ]);
    assert.deepEqual(result.unassigned, ["c1"], "returning borrowers are placed first; the stranger waits for room");
  });

  it("keeps an agency's cases within the agency, and in-house cases in-house", () => {
    const result = assignCases([{ caseId: "c1", agencyId: "agency", previousAgentId: "a" }, inHouse("c2")], [agent("a", 0), agent("x", 5, 10, "agency")]);
    assert.deepEqual(
      result.assignments.map((item) => [item.caseId, item.agentId]),
      [
        ["c1", "x"],
        ["c2", "a"],
      ],
    );
  });

  it("assigns every case it can, fills nobody past capacity, and from an even start stays within one case", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 40 }),
        fc.boolean(),
        (loads, count, even) => {
          const agents = loads.map((load, index) => agent(`a${index}`, even ? 0 : load, 10));
          const result = assignCases(
            Array.from({ length: count }, (_, index) => inHouse(`c${index}`)),
            agents,
          );
          const room = agents.reduce((sum, slot) => sum + slot.capacity - slot.openCases, 0);
          assert.equal(result.assignments.length, Math.min(count, room));
          const after = agents.map((slot) => slot.openCases + result.assignments.filter((item) => item.agentId === slot.agentId).length);
          assert.ok(after.every((load) => load <= 10));
          if (even) assert.ok(Math.max(...after) - Math.min(...after) <= 1);
        },
      ),
    );
  });

  it("deals a queued case only to its queue's team, and a general-pool case to anyone", () => {
    const teamAgent = (agentId: string, teamId: string | null, openCases = 0): AgentSlot => ({ agentId, agencyId: null, openCases, capacity: 10, teamId });
    const result = assignCases(
      [
        { caseId: "m2", agencyId: null, previousAgentId: null, teamId: "late" },
        { caseId: "m2-returning", agencyId: null, previousAgentId: "early1", teamId: "late" },
        { caseId: "pool", agencyId: null, previousAgentId: null, teamId: null },
      ],
      [teamAgent("early1", "early"), teamAgent("late1", "late", 3)],
    );
    assert.deepEqual(
      result.assignments.map((item) => [item.caseId, item.agentId, item.reason]),
      [
        ["m2-returning", "late1", "automatic"],
        ["m2", "late1", "automatic"],
        ["pool", "early1", "automatic"],
      ],
      "the returning borrower's previous agent is not in the queue's team, so the team takes the case",
    );
    assert.deepEqual(assignCases([{ caseId: "m2", agencyId: null, previousAgentId: null, teamId: "nobody" }], [teamAgent("early1", "early")]).unassigned, [
      "m2",
    ]);
  });
});
