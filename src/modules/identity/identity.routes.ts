import { z } from "zod";
import { AppError } from "../../platform/errors.js";
import { clearSessionCookies, type RouteModule, setSessionCookies } from "../../platform/http/index.js";
import { borrowerView, getStaffUser, loginStaff, logout, requestBorrowerCode, verifyBorrowerCode } from "./identity.service.js";

const staffUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
  locale: z.string(),
  /** The IANA zone of the user's lender: the console shows dates and times there. */
  lenderTimeZone: z.string(),
});
const borrower = z.object({ id: z.string(), name: z.string(), phoneMasked: z.string() });

export const identityRoutes: RouteModule = (app, context) => {
  app.post(
    "/api/auth/login",
    {
      config: { access: "public" },
      schema: {
        tags: ["identity"],
        summary: "Staff sign-in with username and password",
        body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }),
        response: { 200: z.object({ user: staffUser, csrfToken: z.string() }) },
      },
    },
    async (request, reply) => {
      const { user, session } = await loginStaff(context, request.body.username, request.body.password, request.ip);
      setSessionCookies(context, reply, "staff", session.token, session.csrfToken, session.expiresAt);
      return { user, csrfToken: session.csrfToken };
    },
  );

  app.post("/api/auth/logout", { config: { access: "staff" }, schema: { tags: ["identity"], summary: "Staff sign-out" } }, async (request, reply) => {
    if (request.actor.type === "staff") await logout(context, request.session.tokenHash, { type: "staff", id: request.actor.userId }, request.ip);
    clearSessionCookies(reply, "staff");
    return reply.code(204).send();
  });

  app.get(
    "/api/auth/me",
    {
      config: { access: "staff" },
      schema: { tags: ["identity"], summary: "The signed-in staff user", response: { 200: z.object({ user: staffUser, csrfToken: z.string() }) } },
    },
    async (request) => {
      if (request.actor.type !== "staff" || !request.session.csrfToken) throw new AppError("UNAUTHENTICATED", "sign in first");
      return { user: await getStaffUser(context, request.actor.userId), csrfToken: request.session.csrfToken };
    },
  );

  app.post(
    "/api/portal/auth/request-code",
    {
      config: { access: "public" },
      schema: {
        tags: ["portal"],
        summary: "Send a 6-digit sign-in code to a borrower's phone",
        body: z.object({ phone: z.string().min(1).max(32) }),
        response: { 200: z.object({ sent: z.literal(true), expiresInSeconds: z.number() }) },
      },
    },
    async (request) => {
      const { expiresInSeconds } = await requestBorrowerCode(context, request.body.phone, request.ip);
      return { sent: true as const, expiresInSeconds };
    },
  );

  app.post(
    "/api/portal/auth/verify",
    {
      config: { access: "public" },
      schema: {
        tags: ["portal"],
        summary: "Sign a borrower in with phone and code",
        body: z.object({ phone: z.string().min(1).max(32), code: z.string().min(1).max(12) }),
        response: { 200: z.object({ borrower, csrfToken: z.string() }) },
      },
    },
    async (request, reply) => {
      const result = await verifyBorrowerCode(context, request.body.phone, request.body.code, request.ip);
      setSessionCookies(context, reply, "borrower", result.session.token, result.session.csrfToken, result.session.expiresAt);
      return { borrower: result.borrower, csrfToken: result.session.csrfToken };
    },
  );

  app.get(
    "/api/portal/me",
    {
      config: { access: "borrower" },
      schema: { tags: ["portal"], summary: "The signed-in borrower", response: { 200: z.object({ borrower, csrfToken: z.string() }) } },
    },
    async (request) => {
      if (request.actor.type !== "borrower" || !request.session.csrfToken) throw new AppError("UNAUTHENTICATED", "sign in first");
      return { borrower: await borrowerView(context, request.actor.borrowerId, request.actor.lenderId), csrfToken: request.session.csrfToken };
    },
  );

  app.post(
    "/api/portal/auth/logout",
    { config: { access: "borrower" }, schema: { tags: ["portal"], summary: "Borrower sign-out" } },
    async (request, reply) => {
      if (request.actor.type === "borrower") await logout(context, request.session.tokenHash, { type: "borrower", id: request.actor.borrowerId }, request.ip);
      clearSessionCookies(reply, "borrower");
      return reply.code(204).send();
    },
  );
};
