// A close in its own process, for the crash test: closes the lender's dates through argv[2] on
// the database named by DATABASE_URL or DATA_DIR, one partition after another, and exits 0.
import { createContext } from "../../../app.js";
import { loadConfig } from "../../../platform/config.js";
import { createLogger } from "../../../platform/logger.js";
import { closeThrough } from "../close.service.js";

const [through, lenderId] = process.argv.slice(2) as [string, string];
const context = await createContext(loadConfig(), { logger: createLogger("silent") });
await closeThrough(context, lenderId, through, { partitions: 8 });
await context.database.close();
