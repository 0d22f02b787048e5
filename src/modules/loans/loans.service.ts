// The loan book as far as the foundation needs it: products and loan accounts, read through
// the caller's data scope. Schedules, postings and the ledger arrive with the ledger capability.
import { randomUUID } from "node:crypto";
import { type DataScope, scopeCondition } from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import type { Executor, ProductsTable } from "../../platform/db/index.js";
import { AppError } from "../../platform/errors.js";
import { formatMinor } from "../../platform/money.js";
import { checkProductTerms, defaultTerms, type ProductTerms } from "./domain/product-terms.js";
import { encodeTerms } from "./domain/terms-codec.js";

export interface LoanAccountView {
  id: string;
  externalRef: string;
  productName: string;
  productNameEn: string;
  principal: string;
  currency: string;
  openedOn: string;
  status: string;
}

export async function listLoanAccounts(context: AppContext, scope: DataScope, limit = 100): Promise<LoanAccountView[]> {
  const rows = await context.database.db
    .selectFrom("loan_accounts")
    .innerJoin("products", "products.id", "loan_accounts.product_id")
    .select([
      "loan_accounts.id",
      "loan_accounts.external_ref",
      "loan_accounts.principal_minor",
      "loan_accounts.currency",
      "loan_accounts.opened_on",
      "loan_accounts.status",
      "products.name as product_name",
      "products.name_en as product_name_en",
    ])
    .where((eb) => scopeCondition(eb, scope, { lender: "loan_accounts.lender_id", borrower: "loan_accounts.borrower_id" }))
    .orderBy("loan_accounts.opened_on", "desc")
    .orderBy("loan_accounts.id")
    .limit(Math.min(Math.max(limit, 1), 500))
    .execute();
  return rows.map((row) => ({
    id: row.id,
    externalRef: row.external_ref,
    productName: row.product_name,
    productNameEn: row.product_name_en,
    principal: formatMinor(row.principal_minor, row.currency),
    currency: row.currency,
    openedOn: row.opened_on,
    status: row.status,
  }));
}

export interface NewProduct {
  lenderId: string;
  code: string;
  name: string;
  nameEn: string;
  repaymentMethod: ProductsTable["repayment_method"];
  termMonths: number;
  annualRate: string;
  currency: string;
  /** Money terms; the defaults follow the cn-default practice (0.05%/day penalty, 24% cap). */
  terms?: Partial<Omit<ProductTerms, "currency">>;
}

export async function addProduct(context: AppContext, executor: Executor, product: NewProduct): Promise<string> {
  const terms: ProductTerms = { ...defaultTerms, ...product.terms, currency: product.currency };
  const problem = checkProductTerms(terms, product.annualRate);
  if (problem) throw new AppError("VALIDATION_FAILED", `product ${product.code}: ${problem.field}: ${problem.message}`, { field: problem.field });
  const id = randomUUID();
  await executor
    .insertInto("products")
    .values({
      id,
      lender_id: product.lenderId,
      code: product.code,
      name: product.name,
      name_en: product.nameEn,
      repayment_method: product.repaymentMethod,
      term_months: product.termMonths,
      annual_rate: product.annualRate,
      currency: product.currency,
      terms: JSON.stringify(encodeTerms(terms)),
      created_at: context.clock.now(),
    })
    .execute();
  return id;
}
