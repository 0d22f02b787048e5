export { outboxRoutes } from "./outbox.routes.js";
export { listOutbox, type OutboxEntryView, type OutboxMessage, putInOutbox } from "./outbox.service.js";
