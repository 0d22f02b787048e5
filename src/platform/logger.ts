// pino logger; personal identifiers are redacted by path wherever they might be logged.
import { type Logger, pino } from "pino";

export type { Logger };

export const redactedPaths = [
  "req.headers.cookie",
  "req.headers.authorization",
  'req.headers["x-csrf-token"]',
  "*.password",
  "*.phone",
  "*.nationalId",
  "*.code",
];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: redactedPaths, censor: "[redacted]" } });
}
