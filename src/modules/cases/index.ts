export { assignOpenCases, holdCase, reassignCases } from "./assignment.service.js";
export { type CaseFigures, caseFiguresFor } from "./case-figures.service.js";
export { caseQueueRoutes } from "./case-queues.routes.js";
export { caseRoutes } from "./cases.routes.js";
export { type CaseListItem, type HomeSummary, homeSummary, listCases, type NewCase, openCases } from "./cases.service.js";
export { type AgentSlot, type Assignment, assignCases } from "./domain/case-assignment.js";
export {
  checkPromise,
  defaultPromisePolicy,
  type PromiseInstallment,
  type PromisePolicy,
  validatePromise,
} from "./domain/promise-to-pay.js";
export { formatScriptAmount, type SuggestedScript, suggestScript } from "./domain/suggested-script.js";
export {
  checkPromisesDue,
  listPromises,
  type PromiseCheckCounts,
  type PromiseKeptRate,
  type PromiseView,
  promiseKeptRates,
  recordPromise,
  recordSystemPromise,
} from "./promises.service.js";
