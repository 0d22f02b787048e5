// Configuration, parsed once at boot from environment variables and an optional JSON file
// (DUECARE_CONFIG). A bad or missing value stops the process with one line naming it.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { channelConfigSchema } from "./channel-settings.js";

const keyring = z.string().transform((value, context) => {
  // "k1:base64key,k2:base64key" — the first key encrypts, every key decrypts.
  const keys: { id: string; key: Buffer }[] = [];
  for (const part of value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)) {
    const [id, encoded] = part.split(":");
    const key = encoded ? Buffer.from(encoded, "base64") : Buffer.alloc(0);
    if (!id || !/^[a-z0-9-]{1,16}$/i.test(id) || key.length !== 32) {
      context.addIssue({ code: "custom", message: "expected id:base64 of 32 bytes, comma separated" });
      return z.NEVER;
    }
    keys.push({ id, key });
  }
  if (keys.length === 0) {
    context.addIssue({ code: "custom", message: "expected at least one id:base64key" });
    return z.NEVER;
  }
  return keys;
});

const secret = z.string().transform((value, context) => {
  const key = Buffer.from(value, "base64");
  if (key.length < 32) {
    context.addIssue({ code: "custom", message: "expected base64 of at least 32 bytes" });
    return z.NEVER;
  }
  return key;
});

// Development keys: fine for the demo on an embedded database, refused in production.
const developmentKeyring = `dev1:${Buffer.alloc(32, 7).toString("base64")}`;
const developmentSecret = Buffer.alloc(32, 11).toString("base64");

export const configSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "expected a postgres:// URL")
    .optional(),
  /** Named prepared statements on PostgreSQL; off behind a pooler that does not keep them per client. */
  DATABASE_PREPARED_STATEMENTS: z
    .enum(["true", "false"])
    .default("true")
    .transform((value) => value === "true"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DUECARE_PII_KEYS: keyring.prefault(developmentKeyring),
  DUECARE_BLIND_INDEX_KEY: secret.prefault(developmentSecret),
  DUECARE_SESSION_SECRET: secret.prefault(developmentSecret),
  DUECARE_TIME_ZONE: z.string().min(1).default("Asia/Shanghai"),
  DUECARE_SEED_DEMO: z
    .enum(["true", "false"])
    .default("true")
    .transform((value) => value === "true"),
  DUECARE_LOGIN_ATTEMPTS_MAX: z.coerce.number().int().min(1).max(100).default(5),
  DUECARE_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  /** Local time (HH:MM, each lender's own time zone) at which the server closes yesterday; "off" for never. */
  DUECARE_CLOSE_AT: z
    .string()
    .regex(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, 'expected HH:MM (e.g. 00:30) or "off"')
    .default("off"),
  DUECARE_SECURE_COOKIES: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
  /** Reminder dispatch workers in each server process (0: this process sends nothing). */
  DUECARE_DISPATCH_WORKERS: z.coerce.number().int().min(0).max(64).default(2),
  /** How long a worker's claim on a message lasts before another may take it as in doubt. */
  DUECARE_DISPATCH_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(60),
  /** How long a dispatch job may run before the queue gives it to another worker. */
  DUECARE_DISPATCH_EXPIRE_SECONDS: z.coerce.number().int().min(2).max(3600).default(60),
  /** The first retry of a message a provider could not take waits this long; each next one four times longer (at most an hour). */
  DUECARE_DISPATCH_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  ...channelConfigSchema.shape,
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses configuration from env (and the file DUECARE_CONFIG names, env winning). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  let fileValues: Record<string, unknown> = {};
  const file = env.DUECARE_CONFIG;
  if (file) {
    try {
      fileValues = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError(`DUECARE_CONFIG: cannot read ${file} as JSON (${(error as Error).message})`);
    }
  }
  const merged: Record<string, unknown> = { ...fileValues };
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== "") merged[key] = value;
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join(".") ?? "config";
    throw new ConfigError(`${name}: ${issue?.message ?? "invalid value"}`);
  }
  const config = parsed.data;
  if (config.NODE_ENV === "production") {
    if (!env.DUECARE_PII_KEYS) throw new ConfigError("DUECARE_PII_KEYS: required in production (id:base64 of 32 bytes)");
    if (!env.DUECARE_BLIND_INDEX_KEY) throw new ConfigError("DUECARE_BLIND_INDEX_KEY: required in production (base64 of 32+ bytes)");
    if (!env.DUECARE_SESSION_SECRET) throw new ConfigError("DUECARE_SESSION_SECRET: required in production (base64 of 32+ bytes)");
  }
  return config;
}
