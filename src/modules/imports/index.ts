export { type ImportKind, importKinds, type RowProblem } from "./domain/import-rows.js";
export { importRoutes } from "./imports.routes.js";
export { ImportRejected, type ImportReport, type ImportRequest, lenderByCode, runImport } from "./imports.service.js";
