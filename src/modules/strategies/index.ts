// Reminder strategies (策略): segments → cadences, champion/challenger. The reminder planner loads
// the active strategies once per lender and, for each account, goes strategyFor → variantFor → stepsDue.
export { type CadenceStep, parseCadence } from "./domain/cadence.js";
export { type PlanningAccount, parseSegment, type Segment, segmentMatches } from "./domain/segment.js";
export { type Strategy, type StrategyVariant, stepsDue, strategyFor, variantFor } from "./domain/strategy.js";
export { loadActiveStrategies } from "./strategies.repository.js";
export { strategyRoutes } from "./strategies.routes.js";
export { type StrategyView, seedActiveStrategy } from "./strategies.service.js";
