import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { type BoardAgent, buildTeamBoard, loadPercentOf } from "./team-board.js";

const agent = (username: string, capacity: number): BoardAgent => ({
  agentId: `id-${username}`,
  username,
  displayName: username,
  agencyId: null,
  isActive: true,
  capacity,
});

describe("team board", () => {
  it("rounds the load half up and has none without capacity", () => {
    assert.deepEqual(
      [
        [0, 200],
        [1, 200],
        [3, 8],
        [1, 3],
        [2, 3],
        [250, 200],
        [5, 0],
      ].map(([open, capacity]) => loadPercentOf(open as number, capacity as number)),
      [0, 1, 38, 33, 67, 125, null],
    );
    assert.throws(() => loadPercentOf(-1, 10));
  });

  it("fills agents the queries did not find with zeros, orders by load and sums to the cent", () => {
    const board = buildTeamBoard(
      [agent("b", 10), agent("a", 10), agent("idle", 0), agent("c", 4)],
      new Map([
        ["id-a", { openCases: 5, contactAttempts: 3, connected: 2, rightPartyContacts: 1, recoveredMinor: 12_345n, paymentsRecovered: 1 }],
        ["id-b", { openCases: 5, promisesMade: 2, promisedDueMinor: 50_001n }],
        ["id-c", { openCases: 4, heldCases: 1, recoveredMinor: 99_999_999_999_999_999n, paymentsRecovered: 2 }],
      ]),
    );
    assert.deepEqual(
      board.rows.map((row) => [row.username, row.loadPercent, row.openCases]),
      [
        ["c", 100, 4],
        ["a", 50, 5],
        ["b", 50, 5],
        ["idle", null, 0],
      ],
    );
    assert.equal(board.rows[3]?.recoveredMinor, 0n);
    assert.equal(board.totals.agents, 4);
    assert.equal(board.totals.openCases, 14);
    assert.equal(board.totals.capacity, 24);
    assert.equal(board.totals.loadPercent, 58);
    assert.equal(board.totals.recoveredMinor, 100_000_000_000_012_344n, "bigint, beyond a double's exact range");
    assert.equal(board.totals.paymentsRecovered, 3);
    assert.equal(board.totals.promisedDueMinor, 50_001n);
  });

  it("totals are the sums of the rows, whatever the figures", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ capacity: fc.nat(500), openCases: fc.nat(600), recoveredMinor: fc.bigInt({ min: 0n, max: 10n ** 15n }) }), { maxLength: 30 }),
        (items) => {
          const agents = items.map((item, index) => agent(`u${index}`, item.capacity));
          const board = buildTeamBoard(
            agents,
            new Map(items.map((item, index) => [`id-u${index}`, { openCases: item.openCases, recoveredMinor: item.recoveredMinor }])),
          );
          assert.equal(board.rows.length, items.length);
          assert.equal(
            board.totals.recoveredMinor,
            items.reduce((sum, item) => sum + item.recoveredMinor, 0n),
          );
          assert.equal(
            board.totals.openCases,
            items.reduce((sum, item) => sum + item.openCases, 0),
          );
        },
      ),
    );
  });
});
