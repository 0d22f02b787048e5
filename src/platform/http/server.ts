// The HTTP server: Fastify with zod schemas (which also produce the OpenAPI document at /docs),
// request ids, security headers, sessions, CSRF, one access rule per route, Prometheus
// metrics, and the built web apps. Modules add their routes through `RouteModule`s.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyCookie from "@fastify/cookie";
import fastifyHelmet from "@fastify/helmet";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { sql } from "kysely";
import { z } from "zod";
import { appendAudit } from "../audit/index.js";
import type { Actor } from "../auth/actor.js";
import { type Access, isAccess } from "../auth/permissions.js";
import { safeEqual } from "../auth/tokens.js";
import type { AppContext } from "../context.js";
import { KeptValues } from "../kept-values.js";
import { handleError, sendError } from "./errors.js";
import { createMetrics } from "./metrics.js";
import { CSRF_HEADER, type KeptSession, type ResolvedSession, resolveSession, SESSIONS_KEPT_MAX } from "./session.js";

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    actor: Actor;
    session: ResolvedSession;
  }
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;
export type RouteModule = (app: App, context: AppContext) => void | Promise<void>;

export interface RegisteredRoute {
  method: string;
  url: string;
  access: Access | undefined;
}

/** Routes that plugins register for themselves are public by design: the API docs and the web apps' files. */
const pluginRoutePrefixes = ["/docs"];
const STATIC_FILES_ROUTE = "/*";
const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

export interface ServerOptions {
  webDirectory?: string;
  logger?: boolean;
}

export async function buildServer(context: AppContext, modules: RouteModule[], options: ServerOptions = {}): Promise<{ app: App; routes: RegisteredRoute[] }> {
  const app = Fastify({
    loggerInstance: options.logger === false ? undefined : (context.logger as FastifyBaseLogger),
    genReqId: (request) => {
      const given = request.headers["x-request-id"];
      return typeof given === "string" && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: false,
    bodyLimit: 1_048_576,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);

  const routes: RegisteredRoute[] = [];
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    let access = route.config?.access;
    if (access === undefined && (route.url === STATIC_FILES_ROUTE || pluginRoutePrefixes.some((prefix) => route.url.startsWith(prefix)))) {
      access = "public";
      route.config = { ...route.config, access };
    }
    if (!isAccess(access)) {
      throw new Error(`route ${methods.join(",")} ${route.url} declares no access rule (config.access)`);
    }
    for (const method of methods) routes.push({ method, url: route.url, access });
  });

  const metrics = createMetrics();
  const keptSessions = new KeptValues<KeptSession>(SESSIONS_KEPT_MAX);
  const unsubscribe = await context.changes.subscribe((keys) => keptSessions.forget(keys));
  app.addHook("onClose", async () => unsubscribe());
  app.decorateRequest("actor", null as never);
  app.decorateRequest("session", null as never);
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  app.addHook("onResponse", async (request, reply) => {
    metrics.observe(request.method, request.routeOptions.url ?? "unmatched", reply.statusCode, reply.elapsedTime);
  });

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", "data:"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // Only behind HTTPS: on plain http://localhost it would send the pages' requests to https.
        upgradeInsecureRequests: context.config.DUECARE_SECURE_COOKIES ? [] : null,
      },
    },
    strictTransportSecurity: context.config.DUECARE_SECURE_COOKIES,
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: "duecare API", description: "Overdue customer service and lawful collection (逾期客服与合规催收)", version: "0.1.0" },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs", staticCSP: true });

  app.addHook("onRequest", async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (!access) return sendError(reply, 404, "NOT_FOUND", "not found");
    request.session = await resolveSession(context, request, access === "borrower" ? "borrower" : "staff", keptSessions);
    request.actor = request.session.actor;
    if (access === "public") return;
    if (access === "borrower" ? request.actor.type !== "borrower" : request.actor.type !== "staff") {
      return sendError(reply, 401, "UNAUTHENTICATED", "sign in first");
    }
    if (!safeMethods.has(request.method)) {
      const given = request.headers[CSRF_HEADER];
      if (typeof given !== "string" || !request.session.csrfToken || !safeEqual(given, request.session.csrfToken)) {
        return sendError(reply, 403, "CSRF_MISMATCH", `missing or wrong ${CSRF_HEADER} header`);
      }
    }
    if (access === "staff" || access === "borrower") return;
    if (request.actor.type === "staff" && !request.actor.permissions.includes(access)) {
      const actor = request.actor;
      await context.database.db.transaction().execute((trx) =>
        appendAudit(
          trx,
          {
            actorType: "staff",
            actorId: actor.userId,
            action: "permission.denied",
            targetType: "route",
            targetId: `${request.method} ${request.routeOptions.url}`,
            details: { permission: access, roles: actor.roles },
            ip: request.ip,
          },
          context.clock.now(),
        ),
      );
      return sendError(reply, 403, "FORBIDDEN", `this needs the permission ${access}`, { permission: access });
    }
  });

  // A request that may have changed something ends what is kept for its user at once (queue
  // pages, the session itself on sign-out), before the response leaves: the user's next read
  // shows their own write even if the database's notification of it is still on its way.
  app.addHook("onSend", async (request, _reply, payload) => {
    if (safeMethods.has(request.method)) return payload;
    if (request.actor?.type === "staff") context.changes.announce([`u:${request.actor.userId}`]);
    else if (request.actor?.type === "borrower") context.changes.announce([`p:${request.actor.borrowerId}`]);
    return payload;
  });

  app.get(
    "/health",
    {
      config: { access: "public" },
      schema: {
        tags: ["platform"],
        summary: "Liveness and database reachability",
        response: {
          200: z.object({ status: z.literal("ok"), database: z.enum(["pglite", "postgres"]) }),
          503: z.object({ status: z.literal("unavailable"), database: z.string() }),
        },
      },
    },
    async (_request, reply) => {
      try {
        await sql`select 1`.execute(context.database.db);
        return { status: "ok" as const, database: context.database.engine };
      } catch {
        return reply.code(503).send({ status: "unavailable" as const, database: context.database.engine });
      }
    },
  );
  app.get("/metrics", { config: { access: "public" }, schema: { hide: true } }, async (_request, reply) => {
    reply.header("content-type", metrics.contentType);
    return metrics.render();
  });

  for (const register of modules) await app.register(async (scope) => register(scope as unknown as App, context));

  const webDirectory = options.webDirectory;
  if (webDirectory && existsSync(join(webDirectory, "index.html"))) {
    await app.register(fastifyStatic, { root: webDirectory, prefix: "/", index: ["index.html"] });
  }
  app.setNotFoundHandler((request, reply) => {
    const isPage = request.method === "GET" && !request.url.startsWith("/api/") && (request.headers.accept ?? "").includes("text/html");
    if (isPage && webDirectory && existsSync(join(webDirectory, "index.html"))) {
      // Client-side routes of the two single-page apps.
      return request.url.startsWith("/portal") ? reply.sendFile("portal/index.html") : reply.sendFile("index.html");
    }
    return sendError(reply, 404, "NOT_FOUND", `no route ${request.method} ${request.url.split("?")[0]}`);
  });

  return { app: app as unknown as App, routes };
}
