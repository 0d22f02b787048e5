export { errorBodySchema, sendError } from "./errors.js";
export { type App, buildServer, type RegisteredRoute, type RouteModule } from "./server.js";
export { CSRF_HEADER, clearSessionCookies, csrfCookie, sessionCookie, setSessionCookies } from "./session.js";
