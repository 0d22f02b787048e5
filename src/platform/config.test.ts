import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ConfigError, loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("gives working defaults for a development start", () => {
    const config = loadConfig({});
    assert.equal(config.PORT, 3000);
    assert.equal(config.HOST, "127.0.0.1");
    assert.equal(config.DATA_DIR, "./data");
    assert.equal(config.DATABASE_URL, undefined);
    assert.equal(config.DUECARE_PII_KEYS[0]?.key.length, 32);
  });

  it("honours PORT, HOST, DATA_DIR and DATABASE_URL", () => {
    const config = loadConfig({ PORT: "8080", HOST: "0.0.0.0", DATA_DIR: "/srv/duecare", DATABASE_URL: "postgres://u@db/duecare" });
    assert.deepEqual([config.PORT, config.HOST, config.DATA_DIR, config.DATABASE_URL], [8080, "0.0.0.0", "/srv/duecare", "postgres://u@db/duecare"]);
  });

  it("names the variable and what was expected when a value is bad", () => {
    assert.throws(
      () => loadConfig({ PORT: "eighty" }),
      (error: Error) => error instanceof ConfigError && /^PORT: /.test(error.message),
    );
    assert.throws(() => loadConfig({ DATABASE_URL: "mysql://x" }), /DATABASE_URL: expected a postgres:\/\/ URL$/);
    assert.throws(() => loadConfig({ DUECARE_PII_KEYS: "k1:c2hvcnQ=" }), /DUECARE_PII_KEYS: expected id:base64 of 32 bytes/);
    assert.throws(() => loadConfig({ LOG_LEVEL: "loud" }), /LOG_LEVEL: /);
  });

  it("refuses development keys in production", () => {
    assert.throws(() => loadConfig({ NODE_ENV: "production" }), /DUECARE_PII_KEYS: required in production/);
  });

  it("reads an optional JSON file, with the environment winning", () => {
    const directory = mkdtempSync(join(tmpdir(), "duecare-config-"));
    const file = join(directory, "duecare.json");
    writeFileSync(file, JSON.stringify({ PORT: 4100, HOST: "10.0.0.5" }));
    const config = loadConfig({ DUECARE_CONFIG: file, HOST: "127.0.0.2" });
    assert.equal(config.PORT, 4100);
    assert.equal(config.HOST, "127.0.0.2");
    assert.throws(() => loadConfig({ DUECARE_CONFIG: join(directory, "missing.json") }), /DUECARE_CONFIG: cannot read/);
  });
});
