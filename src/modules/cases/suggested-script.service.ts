// Gathers the borrower's own figures for the suggested script on the case page: the overdue
// amount and DPD the last close left (as the page shows them), the penalty built up and added
// today from each loan's statement, the next installment due, and the last overdue reason an
// agent recorded; then renders the script in the borrower's language.
import type { CheckedBorrower } from "../../platform/auth/index.js";
import type { AppContext } from "../../platform/context.js";
import type { AttemptView } from "../compliance/index.js";
import { loanStatementsOf } from "../loans/index.js";
import type { CaseAccount } from "./case-detail.service.js";
import { isScriptBucket, isScriptReason, type ScriptFacts, type SuggestedScript, scriptBucketOf, suggestScript } from "./domain/suggested-script.js";

/** A borrower rarely has more; the statement of each is replayed, so the work is bounded. */
const SCRIPT_ACCOUNTS_MAX = 20;

/**
 * The borrower's own figures over their overdue accounts (the currency of the worst one): what
 * the suggested script and message templates say. Null when nothing is overdue. The borrower
 * comes checked against the reader's scope; the statements are read in one statement.
 */
export async function borrowerFiguresOf(
  context: AppContext,
  borrower: CheckedBorrower,
  accounts: readonly CaseAccount[],
): Promise<{ facts: ScriptFacts; worst: CaseAccount } | null> {
  const overdue = accounts.filter((account) => account.daysPastDue > 0 && BigInt(account.overdueMinor) > 0n);
  const worst = overdue.reduce<CaseAccount | null>((found, account) => (found === null || account.daysPastDue > found.daysPastDue ? account : found), null);
  if (!worst) return null;
  const currency = worst.currency;
  const sameCurrency = overdue.filter((account) => account.currency === currency).slice(0, SCRIPT_ACCOUNTS_MAX);
  const facts: ScriptFacts = {
    currency,
    overdueMinor: sameCurrency.reduce((sum, account) => sum + BigInt(account.overdueMinor), 0n),
    daysPastDue: worst.daysPastDue,
    penaltySoFarMinor: 0n,
    penaltyPerDayMinor: 0n,
    nextDueOn: null,
  };
  const statements = await loanStatementsOf(
    context,
    context.database.db,
    borrower,
    sameCurrency.map((account) => account.loanId),
  );
  // A credit-card account has no installment statement; its figures stay out of the sums.
  for (const statement of statements.values()) {
    facts.penaltySoFarMinor += statement.outstanding.penalty;
    facts.penaltyPerDayMinor += statement.accruals
      .filter((accrual) => accrual.component === "penalty" && accrual.on === statement.asOf)
      .reduce((sum, accrual) => sum + accrual.amountMinor, 0n);
    for (const installment of statement.installments) {
      if (installment.status !== "not_due" && installment.status !== "due") continue;
      if (facts.nextDueOn === null || installment.dueDate < facts.nextDueOn) facts.nextDueOn = installment.dueDate;
    }
  }
  return { facts, worst };
}

/** The script for a case from the borrower's figures (borrowerFiguresOf); null when nothing is overdue. */
export function suggestedScriptForCase(
  figures: Awaited<ReturnType<typeof borrowerFiguresOf>>,
  input: { attempts: readonly AttemptView[]; borrowerName: string | null; locale: string; lender: { name: string; name_en: string } },
): SuggestedScript | null {
  if (!figures) return null;
  const { facts, worst } = figures;
  const { lender } = input;
  const language = input.locale === "en" ? "en" : "zh-CN";
  const lastReason = input.attempts.find((attempt) => attempt.overdueReason !== null)?.overdueReason ?? null;
  return suggestScript({
    bucket: isScriptBucket(worst.bucket) ? worst.bucket : scriptBucketOf(worst.daysPastDue),
    reason: isScriptReason(lastReason) ? lastReason : null,
    language,
    institutionName: language === "en" ? lender.name_en : lender.name,
    borrowerName: input.borrowerName,
    facts,
  });
}
