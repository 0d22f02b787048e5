// The supervisor's team board (团队看板): one row per agent from the day's grouped figures, the
// load against capacity, and a totals row. Pure: the service brings the counts, this decides
// the rows, their order and the sums.

export interface BoardAgent {
  agentId: string;
  username: string;
  displayName: string;
  agencyId: string | null;
  isActive: boolean;
  capacity: number;
}

/** What one agent did and holds, as the grouped queries count it. */
export interface AgentFigures {
  openCases: number;
  heldCases: number;
  contactAttempts: number;
  connected: number;
  rightPartyContacts: number;
  promisesMade: number;
  promisesDue: number;
  promisedDueMinor: bigint;
  promisesKept: number;
  promisesBroken: number;
  paymentsRecovered: number;
  recoveredMinor: bigint;
}

export interface BoardRow extends BoardAgent, AgentFigures {
  /** Open cases over capacity, in whole percent (rounded half up); null when capacity is 0. */
  loadPercent: number | null;
}

export interface BoardTotals extends AgentFigures {
  agents: number;
  capacity: number;
  loadPercent: number | null;
}

export const emptyFigures: AgentFigures = {
  openCases: 0,
  heldCases: 0,
  contactAttempts: 0,
  connected: 0,
  rightPartyContacts: 0,
  promisesMade: 0,
  promisesDue: 0,
  promisedDueMinor: 0n,
  promisesKept: 0,
  promisesBroken: 0,
  paymentsRecovered: 0,
  recoveredMinor: 0n,
};

const countKeys = [
  "openCases",
  "heldCases",
  "contactAttempts",
  "connected",
  "rightPartyContacts",
  "promisesMade",
  "promisesDue",
  "promisesKept",
  "promisesBroken",
  "paymentsRecovered",
] as const;

/** Whole percent, rounded half up, of a count over a capacity; null when there is no capacity. */
export function loadPercentOf(openCases: number, capacity: number): number | null {
  if (!Number.isInteger(openCases) || openCases < 0) throw new Error(`openCases ${openCases} is not a count`);
  if (!Number.isInteger(capacity) || capacity < 0) throw new Error(`capacity ${capacity} is not a count`);
  if (capacity === 0) return null;
  return Math.floor((openCases * 200 + capacity) / (capacity * 2));
}

/**
 * The board's rows: every agent in scope, with zeros where a query found nothing, ordered by
 * load (the most loaded first, no capacity last), then name; and the totals over them.
 */
export function buildTeamBoard(
  agents: readonly BoardAgent[],
  figuresByAgent: ReadonlyMap<string, Partial<AgentFigures>>,
): { rows: BoardRow[]; totals: BoardTotals } {
  const rows: BoardRow[] = agents.map((agent) => {
    const figures: AgentFigures = { ...emptyFigures, ...figuresByAgent.get(agent.agentId) };
    return { ...agent, ...figures, loadPercent: loadPercentOf(figures.openCases, agent.capacity) };
  });
  rows.sort(
    (left, right) =>
      (right.loadPercent ?? -1) - (left.loadPercent ?? -1) || left.username.localeCompare(right.username) || left.agentId.localeCompare(right.agentId),
  );
  const totals: BoardTotals = { ...emptyFigures, agents: rows.length, capacity: 0, loadPercent: null };
  for (const row of rows) {
    for (const key of countKeys) totals[key] += row[key];
    totals.promisedDueMinor += row.promisedDueMinor;
    totals.recoveredMinor += row.recoveredMinor;
    totals.capacity += row.capacity;
  }
  totals.loadPercent = loadPercentOf(totals.openCases, totals.capacity);
  return { rows, totals };
}
