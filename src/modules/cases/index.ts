export { caseRoutes } from "./cases.routes.js";
export { type CaseListItem, type HomeSummary, homeSummary, listCases, type NewCase, openCases } from "./cases.service.js";
