// Walks the whole route table: every route declares its access rule, only the intended routes
// are public, every protected route refuses an anonymous caller, errors have one shape, and a
// 500 leaks no stack trace.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { z } from "zod";
import { createApp } from "../../app.js";
import { AppError } from "../errors.js";
import { createTestContext, type TestContext } from "../testing/test-context.js";
import { buildServer } from "./server.js";

const expectedPublic = [
  "GET /health",
  "GET /metrics",
  "POST /api/auth/login",
  "POST /api/portal/auth/request-code",
  "POST /api/portal/auth/verify",
  "POST /api/webhooks/:provider",
];

let context: TestContext;
before(async () => {
  context = await createTestContext();
});
after(async () => {
  await context.close();
});

describe("route table", () => {
  it("gives every route an access rule and keeps the public ones to a known list", async () => {
    const { app, routes } = await createApp(context, { logger: false });
    assert.ok(routes.length >= 15, `expected the modules' routes, found ${routes.length}`);
    for (const route of routes) assert.ok(route.access, `${route.method} ${route.url} has no access rule`);
    const publicRoutes = routes
      .filter((route) => route.access === "public" && !route.url.startsWith("/docs") && route.url !== "/*" && route.method !== "HEAD")
      .map((route) => `${route.method} ${route.url}`)
      .sort();
    assert.deepEqual(publicRoutes, [...expectedPublic].sort());
    await app.close();
  });

  it("refuses every protected route to an anonymous caller with 401", async () => {
    const { app, routes } = await createApp(context, { logger: false });
    const protectedRoutes = routes.filter((route) => route.access !== "public" && route.method !== "HEAD");
    assert.ok(protectedRoutes.length >= 8);
    for (const route of protectedRoutes) {
      const url = route.url.replace(/:[A-Za-z]+/g, "00000000-0000-4000-8000-000000000000");
      const response = await app.inject({ method: route.method as "GET", url, payload: route.method === "GET" ? undefined : {} });
      assert.equal(response.statusCode, 401, `${route.method} ${route.url} answered ${response.statusCode}`);
      assert.equal(response.json().error.code, "UNAUTHENTICATED");
    }
    await app.close();
  });

  it("refuses to start with a route that declares no access rule", async () => {
    await assert.rejects(
      buildServer(context, [(app) => void app.get("/api/forgotten", async () => ({ ok: true }))], { logger: false }),
      /route GET \/api\/forgotten declares no access rule/,
    );
  });
});

describe("errors and platform routes", () => {
  it("answers /health with the database engine and /metrics in Prometheus format", async () => {
    const { app } = await createApp(context, { logger: false });
    const health = await app.inject({ method: "GET", url: "/health" });
    assert.equal(health.statusCode, 200);
    assert.deepEqual(health.json(), { status: "ok", database: context.database.engine });
    assert.ok(health.headers["x-request-id"], "every response carries a request id");
    assert.ok(health.headers["x-content-type-options"] === "nosniff", "security headers are set");
    const metrics = await app.inject({ method: "GET", url: "/metrics" });
    assert.match(metrics.body, /duecare_http_requests_total\{method="GET",route="\/health",status="200"\} 1/);
    await app.close();
  });

  it("serves the OpenAPI document at /docs with the modules' routes", async () => {
    const { app } = await createApp(context, { logger: false });
    const document = await app.inject({ method: "GET", url: "/docs/json" });
    assert.equal(document.statusCode, 200);
    const paths = Object.keys(document.json().paths);
    for (const path of ["/api/auth/login", "/api/portal/auth/verify", "/api/cases", "/api/borrowers/{borrowerId}/reveal"])
      assert.ok(paths.includes(path), `${path} documented`);
    const page = await app.inject({ method: "GET", url: "/docs/" });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /swagger/i);
    await app.close();
  });

  it("names the invalid fields in a validation error", async () => {
    const { app } = await createApp(context, { logger: false });
    const response = await app.inject({ method: "POST", url: "/api/auth/login", payload: { username: "" } });
    assert.equal(response.statusCode, 400);
    const { error } = response.json();
    assert.equal(error.code, "VALIDATION_FAILED");
    assert.match(error.message, /body\.username/);
    assert.match(error.message, /body\.password/);
    await app.close();
  });

  it("maps domain errors through the one table and hides 500 details", async () => {
    const { app } = await buildServer(
      context,
      [
        (scope) => {
          scope.get("/api/test/conflict", { config: { access: "public" } }, async () => {
            throw new AppError("IDEMPOTENCY_CONFLICT", "same key, other payload", { key: "k1" });
          });
          scope.get("/api/test/crash", { config: { access: "public" }, schema: { response: { 200: z.object({}) } } }, async () => {
            throw new Error("secret internal detail at /srv/app.ts:42");
          });
        },
      ],
      { logger: false },
    );
    const conflict = await app.inject({ method: "GET", url: "/api/test/conflict" });
    assert.equal(conflict.statusCode, 409);
    assert.deepEqual(conflict.json(), { error: { code: "IDEMPOTENCY_CONFLICT", message: "same key, other payload", details: { key: "k1" } } });
    const crash = await app.inject({ method: "GET", url: "/api/test/crash" });
    assert.equal(crash.statusCode, 500);
    assert.equal(crash.json().error.code, "INTERNAL");
    assert.doesNotMatch(crash.body, /secret internal detail|\.ts:\d+|at /);
    const missing = await app.inject({ method: "GET", url: "/api/nothing-here" });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, "NOT_FOUND");
    await app.close();
  });
});
