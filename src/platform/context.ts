// The platform services a module's shell receives: built once at boot, passed down explicitly.
import type { Clock } from "./clock.js";
import type { Config } from "./config.js";
import type { ChangeFeed, Database } from "./db/index.js";
import type { Logger } from "./logger.js";
import { FieldCipher, ShownValues } from "./privacy/index.js";

export interface Privacy {
  cipher: FieldCipher;
  blindIndexKey: Buffer;
  /** Names and masked values that lists show, remembered by ciphertext (never full identifiers). */
  shown: ShownValues;
}

export interface AppContext {
  config: Config;
  database: Database;
  clock: Clock;
  logger: Logger;
  privacy: Privacy;
  /** What other writers changed, for data kept between requests (migration 0023). */
  changes: ChangeFeed;
}

export function createPrivacy(config: Config): Privacy {
  const cipher = new FieldCipher(config.DUECARE_PII_KEYS);
  return { cipher, blindIndexKey: config.DUECARE_BLIND_INDEX_KEY, shown: new ShownValues(cipher) };
}
