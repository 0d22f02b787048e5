// Request and response schemas of the team board routes, and the presenter that turns the
// board's bigint amounts into strings of minor units for JSON.
import { z } from "zod";
import type { AgentFigures } from "./domain/team-board.js";
import type { TeamBoard } from "./team-board.service.js";

const figures = {
  openCases: z.number(),
  heldCases: z.number(),
  contactAttempts: z.number(),
  connected: z.number(),
  rightPartyContacts: z.number(),
  promisesMade: z.number(),
  promisesDue: z.number(),
  promisedDueMinor: z.string().describe("minor units"),
  promisesKept: z.number(),
  promisesBroken: z.number(),
  paymentsRecovered: z.number(),
  recoveredMinor: z.string().describe("minor units"),
  loadPercent: z.number().nullable().describe("open cases over capacity, whole percent; null without capacity"),
};

export const teamBoardQuery = z.object({ date: z.string().optional().describe("business date YYYY-MM-DD; default today in the lender's zone") });

export const teamBoardResponse = z.object({
  date: z.string(),
  timeZone: z.string(),
  currency: z.string(),
  scope: z.object({ kind: z.enum(["lender", "agency"]), agencyId: z.string().nullable() }),
  agents: z.array(
    z.object({
      agentId: z.string(),
      username: z.string(),
      displayName: z.string(),
      agencyId: z.string().nullable(),
      isActive: z.boolean(),
      capacity: z.number(),
      ...figures,
    }),
  ),
  totals: z.object({ agents: z.number(), capacity: z.number(), ...figures }),
  unassignedCases: z.number(),
});

export const agentCasesQuery = z.object({
  agentId: z.union([z.uuid(), z.literal("unassigned")]).describe("an agent's id, or `unassigned` for the pool"),
});

export const agentCasesResponse = z.object({
  cases: z.array(
    z.object({
      id: z.string(),
      borrowerId: z.string(),
      borrowerName: z.string().nullable(),
      phoneMasked: z.string(),
      status: z.string(),
      openedOn: z.string(),
      holdUntil: z.string().nullable(),
      isHeld: z.boolean(),
      overdueMinor: z.string(),
      daysPastDueMax: z.number(),
      bucket: z.string(),
      lastContactAt: z.string().nullable(),
    }),
  ),
});

type Amounts<T extends AgentFigures> = Omit<T, "promisedDueMinor" | "recoveredMinor"> & { promisedDueMinor: string; recoveredMinor: string };

function presentAmounts<T extends AgentFigures>(row: T): Amounts<T> {
  return { ...row, promisedDueMinor: row.promisedDueMinor.toString(), recoveredMinor: row.recoveredMinor.toString() };
}

export function presentTeamBoard(board: TeamBoard): z.infer<typeof teamBoardResponse> {
  return { ...board, agents: board.agents.map(presentAmounts), totals: presentAmounts(board.totals) };
}
