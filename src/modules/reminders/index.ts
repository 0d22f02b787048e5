// Reminders (提醒): the planner that turns strategies into a day's contacts after each close,
// the durable exactly-once dispatch through the channel adapters, and what comes back.
export { DISPATCH_QUEUE, type DispatchQueue, PgBossDispatchQueue, TableDispatchQueue } from "./dispatch.queue.js";
export { createDispatcher, type Dispatcher, dispatchMessages } from "./dispatch.service.js";
export { idempotencyKeyOf, scheduledInstant } from "./domain/reminder-plan.js";
export { applyInboundEvents, type InboundCounts } from "./inbound.service.js";
export { type PlanResult, type PlanTotals, planReminders, type SegmentLine } from "./planner.service.js";
export { reminderRoutes, webhookRoutes } from "./reminders.routes.js";
export { type RemindersRuntime, remindersRuntimeFor, stopReminders, verifyWebhook } from "./reminders.runtime.js";
export { listMessages, listReplies, listRuns, variantReport } from "./reminders.service.js";
