// Assembles duecare: configuration, database (migrated), platform services, and every
// module's routes. The CLI's `serve` and the tests both start from here.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { administrationRoutes } from "./modules/administration/index.js";
import { borrowerRoutes } from "./modules/borrowers/index.js";
import { caseQueueRoutes, caseRoutes } from "./modules/cases/index.js";
import { closeRoutes } from "./modules/close/index.js";
import { complianceRoutes } from "./modules/compliance/index.js";
import { identityRoutes } from "./modules/identity/index.js";
import { importRoutes } from "./modules/imports/index.js";
import { cardRoutes, loanBookRoutes, loanRoutes } from "./modules/loans/index.js";
import { outboxRoutes } from "./modules/outbox/index.js";
import { reminderRoutes, webhookRoutes } from "./modules/reminders/index.js";
import { strategyRoutes } from "./modules/strategies/index.js";
import { templateRoutes } from "./modules/templates/index.js";
import { type Clock, systemClock } from "./platform/clock.js";
import type { Config } from "./platform/config.js";
import { type AppContext, createPrivacy } from "./platform/context.js";
import { ChangeFeed, type Database, databaseLocationOf, migrate, openDatabase } from "./platform/db/index.js";
import { type App, buildServer, type RegisteredRoute, type RouteModule } from "./platform/http/index.js";
import { createLogger, type Logger } from "./platform/logger.js";

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
export const webDistDirectory = join(projectRoot, "web", "dist");

export const routeModules: RouteModule[] = [
  identityRoutes,
  borrowerRoutes,
  loanRoutes,
  cardRoutes,
  loanBookRoutes,
  caseRoutes,
  caseQueueRoutes,
  importRoutes,
  closeRoutes,
  complianceRoutes,
  templateRoutes,
  strategyRoutes,
  outboxRoutes,
  reminderRoutes,
  webhookRoutes,
  administrationRoutes,
];

export async function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase(databaseLocationOf(config));
}

export async function createContext(config: Config, options: { database?: Database; clock?: Clock; logger?: Logger } = {}): Promise<AppContext> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const database = options.database ?? (await openConfiguredDatabase(config));
  await migrate(database);
  return { config, database, clock: options.clock ?? systemClock, logger, privacy: createPrivacy(config), changes: new ChangeFeed(database) };
}

export async function createApp(
  context: AppContext,
  options: { webDirectory?: string; logger?: boolean } = {},
): Promise<{ app: App; routes: RegisteredRoute[] }> {
  return buildServer(context, routeModules, {
    webDirectory: options.webDirectory ?? webDistDirectory,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
}
