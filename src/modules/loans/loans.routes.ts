import { z } from "zod";
import { dataScopeOf } from "../../platform/auth/index.js";
import type { RouteModule } from "../../platform/http/index.js";
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
};
