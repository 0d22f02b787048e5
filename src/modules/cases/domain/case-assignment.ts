// Case assignment (分案): who gets each unassigned case. Pure.
//
// A returning borrower goes back to the agent who had their last case, if that agent is still
// active, may work the case (same agency, or in-house for an in-house case) and has room.
// Every other case goes to the eligible agent with the fewest open cases (ties by agent id), so
// work is dealt round the team in turn and nobody is filled past their capacity. A case nobody
// can take stays unassigned for a supervisor. Eligible: the case's agency (or in-house), and the
// team of the case's queue when the queue has one (a case in the general pool may go to anyone).

export interface AgentSlot {
  agentId: string;
  /** null: in-house. An agency's agents take only that agency's cases. */
  agencyId: string | null;
  openCases: number;
  capacity: number;
  /** The agent's team; null: none. */
  teamId?: string | null;
}

export interface CaseToAssign {
  caseId: string;
  agencyId: string | null;
  /** The agent of the borrower's previous case, if any. */
  previousAgentId: string | null;
  /** The team of the case's queue; null or absent: any team. */
  teamId?: string | null;
}

function mayWork(agent: AgentSlot, item: CaseToAssign): boolean {
  return agent.agencyId === item.agencyId && (!item.teamId || agent.teamId === item.teamId);
}

export interface Assignment {
  caseId: string;
  agentId: string;
  reason: "automatic" | "returning_borrower";
}

export function assignCases(cases: readonly CaseToAssign[], agents: readonly AgentSlot[]): { assignments: Assignment[]; unassigned: string[] } {
  const load = new Map(agents.map((agent) => [agent.agentId, agent.openCases]));
  const byId = new Map(agents.map((agent) => [agent.agentId, agent]));
  const hasRoom = (agent: AgentSlot) => (load.get(agent.agentId) ?? 0) < agent.capacity;
  const assignments: Assignment[] = [];
  const unassigned: string[] = [];
  const take = (item: CaseToAssign, agent: AgentSlot, reason: Assignment["reason"]) => {
    load.set(agent.agentId, (load.get(agent.agentId) ?? 0) + 1);
    assignments.push({ caseId: item.caseId, agentId: agent.agentId, reason });
  };
  // Returning borrowers first, so their agent's room is not taken by strangers.
  const ordered = [...cases].sort((left, right) => Number(right.previousAgentId !== null) - Number(left.previousAgentId !== null));
  for (const item of ordered) {
    const previous = item.previousAgentId ? byId.get(item.previousAgentId) : undefined;
    if (previous && mayWork(previous, item) && hasRoom(previous)) {
      take(item, previous, "returning_borrower");
      continue;
    }
    let best: AgentSlot | undefined;
    for (const agent of agents) {
      if (!mayWork(agent, item) || !hasRoom(agent)) continue;
      const agentLoad = load.get(agent.agentId) ?? 0;
      const bestLoad = best ? (load.get(best.agentId) ?? 0) : Number.POSITIVE_INFINITY;
      if (agentLoad < bestLoad || (agentLoad === bestLoad && best && agent.agentId < best.agentId)) best = agent;
    }
    if (best) take(item, best, "automatic");
    else unassigned.push(item.caseId);
  }
  return { assignments, unassigned };
}
