export { type Database, type DatabaseLocation, type Db, databaseLocationOf, type Engine, type Executor, openDatabase, type Tx } from "./database.js";
export { listMigrations, type MigrationReport, migrate } from "./migrate.js";
export type * from "./schema.js";
