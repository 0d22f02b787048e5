export { CHANGES_CHANNEL, type ChangedKeys, ChangeFeed, type ChangeSubscriber } from "./change-feed.js";
export { unnestColumns } from "./column-text.js";
export {
  type Database,
  type DatabaseLocation,
  type Db,
  databaseLocationOf,
  type Engine,
  type Executor,
  type ListenHandlers,
  openDatabase,
  type Tx,
} from "./database.js";
export { listMigrations, type MigrationReport, migrate } from "./migrate.js";
export type * from "./schema.js";
