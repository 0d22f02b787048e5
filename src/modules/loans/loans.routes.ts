import { z } from "zod";
import { dataScopeOf } from "../../platform/auth/index.js";
import { AppError } from "../../platform/errors.js";
import type { RouteModule } from "../../platform/http/index.js";
import { isBorrowerInScope } from "../borrowers/index.js";
import { listLoanAccounts } from "./loans.service.js";

const account = z.object({
  id: z.string(),
  externalRef: z.string(),
  productName: z.string(),
  productNameEn: z.string(),
  principal: z.string().describe("decimal string in the account's currency, e.g. 12000.00"),
  currency: z.string(),
  openedOn: z.string(),
  status: z.string(),
});

export const loanRoutes: RouteModule = (app, context) => {
  app.get(
    "/api/portal/accounts",
    {
      config: { access: "borrower" },
      schema: { tags: ["portal"], summary: "The signed-in borrower's own loan accounts", response: { 200: z.object({ accounts: z.array(account) }) } },
    },
    async (request) => ({ accounts: await listLoanAccounts(context, dataScopeOf(request.actor)) }),
  );

  app.get(
    "/api/borrowers/:borrowerId/loans",
    {
      config: { access: "borrowers:read" },
      schema: {
        tags: ["loans"],
        summary: "A borrower's loan accounts (within the caller's data scope)",
        params: z.object({ borrowerId: z.uuid() }),
        response: { 200: z.object({ accounts: z.array(account) }) },
      },
    },
    async (request) => {
      const scope = dataScopeOf(request.actor);
      if (!(await isBorrowerInScope(context.database.db, scope, request.params.borrowerId)) || scope.kind === "none" || scope.kind === "borrower") {
        throw new AppError("NOT_FOUND", `borrower ${request.params.borrowerId} not found`);
      }
      return { accounts: await listLoanAccounts(context, { kind: "borrower", lenderId: scope.lenderId, borrowerId: request.params.borrowerId }) };
    },
  );
};
