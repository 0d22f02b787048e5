// Imports from the lender's system: borrowers, contacts, loans and payments, as CSV or JSON.
// All or nothing: a file with any bad row changes nothing and the error lists every bad row.
// Re-importing the same rows changes nothing (rows already present with the same content count
// as unchanged; the same reference with other content is an error naming the row).
import { createHash, randomUUID } from "node:crypto";
import { appendAudit } from "../../platform/audit/index.js";
import type { AppContext } from "../../platform/context.js";
import type { Executor } from "../../platform/db/index.js";
import { AppError } from "../../platform/errors.js";
import { dateInZone } from "../../platform/plain-date.js";
import { blindIndex } from "../../platform/privacy/index.js";
import { addContact, findBorrowersByExternalRef, registerBorrower, validateBorrower, validateContact } from "../borrowers/index.js";
import {
  cardTransactionPayloadHash,
  findCardTransactionsByKey,
  findLoansByExternalRef,
  findPaymentsByKey,
  findProductsByCode,
  openLoan,
  paymentPayloadHash,
  recordCardTransaction,
  recordPayment,
  syncAccountLedger,
} from "../loans/index.js";
import { type ImportKind, importKinds, parseImportFile, type RowProblem, validateRows } from "./domain/import-rows.js";

export interface ImportRequest {
  lenderId: string;
  kind: string;
  fileName: string;
  format: "csv" | "json";
  content: string;
  actor: { actorType: "staff" | "system"; actorId: string | null };
}

export interface ImportReport {
  kind: ImportKind;
  fileName: string;
  rowsTotal: number;
  inserted: number;
  unchanged: number;
}

export class ImportRejected extends AppError {
  constructor(readonly problems: RowProblem[]) {
    const shown = problems.slice(0, 5).map((problem) => `${problem.file}:${problem.row}:${problem.column || "-"}: ${problem.reason}`);
    super("VALIDATION_FAILED", `${problems.length} problem(s), nothing imported — ${shown.join("; ")}${problems.length > 5 ? "; …" : ""}`, { problems });
  }
}

export async function runImport(context: AppContext, request: ImportRequest): Promise<ImportReport> {
  if (!(importKinds as readonly string[]).includes(request.kind))
    throw new AppError("VALIDATION_FAILED", `kind must be one of ${importKinds.join(", ")}`, { field: "kind" });
  const kind = request.kind as ImportKind;
  const file = request.fileName;
  const { db } = context.database;
  const lender = await db.selectFrom("lenders").select(["id", "currency", "time_zone"]).where("id", "=", request.lenderId).executeTakeFirst();
  if (!lender) throw new AppError("NOT_FOUND", `lender ${request.lenderId} not found`);
  const today = dateInZone(context.clock.now(), lender.time_zone);
  const parsed = parseImportFile(file, request.format, request.content);
  if (parsed.problems.length > 0) throw new ImportRejected(parsed.problems);
  const rows = validateRows(file, kind, parsed.rows, { currency: lender.currency, today });

  // Valid rows still go through the reference checks, so one attempt reports every problem;
  // any problem rolls the whole transaction back.
  return db.transaction().execute(async (trx) => {
    const problems: RowProblem[] = [...rows.problems];
    let inserted = 0;
    let unchanged = 0;
    const count = (outcome: "inserted" | "unchanged") => {
      if (outcome === "inserted") inserted += 1;
      else unchanged += 1;
    };
    if (kind === "borrowers") {
      const existing = await findBorrowersByExternalRef(
        trx,
        lender.id,
        rows.borrowers.map((row) => row.input.externalRef),
      );
      for (const row of rows.borrowers) {
        const found = existing.get(row.input.externalRef);
        if (found) {
          const valid = validateBorrower(row.input, today);
          const same =
            valid.ok &&
            found.nationalIdIndex === blindIndex(context.privacy.blindIndexKey, "national_id", valid.value.nationalId) &&
            found.phoneIndex === blindIndex(context.privacy.blindIndexKey, "phone", valid.value.phone);
          if (same) count("unchanged");
          else
            problems.push({ file, row: row.row, column: "externalRef", reason: `borrower ${row.input.externalRef} exists with another national ID or phone` });
          continue;
        }
        try {
          await registerBorrower(context, trx, lender.id, row.input, request.actor);
          count("inserted");
        } catch (error) {
          problems.push({
            file,
            row: row.row,
            column: ((error as AppError).details as { field?: string } | undefined)?.field ?? "",
            reason: (error as Error).message,
          });
        }
      }
    } else if (kind === "contacts") {
      const borrowers = await findBorrowersByExternalRef(
        trx,
        lender.id,
        rows.contacts.map((row) => row.borrowerRef),
      );
      for (const row of rows.contacts) {
        const borrower = borrowers.get(row.borrowerRef);
        const valid = validateContact(row.input);
        if (!borrower) {
          problems.push({ file, row: row.row, column: "borrowerRef", reason: `no borrower ${row.borrowerRef}` });
          continue;
        }
        if (!valid.ok) continue;
        const outcome = await addContact(context, trx, lender.id, borrower.id, valid.value, "import");
        if (outcome.outcome === "conflict") problems.push({ file, row: row.row, column: "phone", reason: outcome.message });
        else count(outcome.outcome);
      }
    } else if (kind === "loans") {
      const existing = await findLoansByExternalRef(
        trx,
        lender.id,
        rows.loans.map((row) => row.externalRef),
      );
      const borrowers = await findBorrowersByExternalRef(
        trx,
        lender.id,
        rows.loans.map((row) => row.borrowerRef),
      );
      const products = await findProductsByCode(trx, lender.id);
      for (const row of rows.loans) {
        const borrower = borrowers.get(row.borrowerRef);
        const product = products.get(row.productCode);
        if (!borrower) problems.push({ file, row: row.row, column: "borrowerRef", reason: `no borrower ${row.borrowerRef}` });
        if (!product) problems.push({ file, row: row.row, column: "productCode", reason: `no product ${row.productCode}` });
        if (!borrower || !product) continue;
        const found = existing.get(row.externalRef);
        if (found) {
          const same =
            found.borrowerId === borrower.id &&
            found.productId === product.id &&
            found.principalMinor === row.principalMinor &&
            found.openedOn === row.openedOn;
          if (same) count("unchanged");
          else problems.push({ file, row: row.row, column: "externalRef", reason: `loan ${row.externalRef} exists with other terms` });
          continue;
        }
        try {
          await openLoan(
            context,
            trx,
            {
              lenderId: lender.id,
              borrowerId: borrower.id,
              productId: product.id,
              externalRef: row.externalRef,
              principalMinor: row.principalMinor,
              openedOn: row.openedOn,
            },
            request.actor,
          );
          count("inserted");
        } catch (error) {
          problems.push({ file, row: row.row, column: "", reason: (error as Error).message });
        }
      }
    } else if (kind === "card_transactions") {
      const accounts = await findLoansByExternalRef(
        trx,
        lender.id,
        rows.cardTransactions.map((row) => row.accountRef),
      );
      const existing = await findCardTransactionsByKey(
        trx,
        lender.id,
        rows.cardTransactions.map((row) => row.idempotencyKey),
      );
      const touched = new Set<string>();
      for (const row of rows.cardTransactions) {
        const account = accounts.get(row.accountRef);
        if (!account?.isCard) {
          problems.push({
            file,
            row: row.row,
            column: "accountRef",
            reason: account ? `${row.accountRef} is not a credit-card account` : `no account ${row.accountRef}`,
          });
          continue;
        }
        if (row.postedOn <= account.openedOn) {
          problems.push({ file, row: row.row, column: "postedOn", reason: `${row.postedOn} must be after the account opened on ${account.openedOn}` });
          continue;
        }
        const found = existing.get(row.idempotencyKey);
        if (found) {
          if (found === cardTransactionPayloadHash(account.id, row.amountMinor, row.postedOn)) count("unchanged");
          else
            problems.push({
              file,
              row: row.row,
              column: "idempotencyKey",
              reason: `transaction ${row.idempotencyKey} was imported with another account, amount or date`,
            });
          continue;
        }
        await recordCardTransaction(context, trx, {
          lenderId: lender.id,
          loanId: account.id,
          idempotencyKey: row.idempotencyKey,
          amountMinor: row.amountMinor,
          postedOn: row.postedOn,
          description: row.description,
        });
        touched.add(account.id);
        count("inserted");
      }
      if (problems.length === 0) for (const loanId of touched) await syncAccountLedger(context, trx, loanId, today, "purchase_imported");
    } else {
      const loans = await findLoansByExternalRef(
        trx,
        lender.id,
        rows.payments.map((row) => row.loanRef),
      );
      const existing = await findPaymentsByKey(
        trx,
        lender.id,
        rows.payments.map((row) => row.idempotencyKey),
      );
      const touched = new Set<string>();
      for (const row of rows.payments) {
        const loan = loans.get(row.loanRef);
        if (!loan) {
          problems.push({ file, row: row.row, column: "loanRef", reason: `no loan ${row.loanRef}` });
          continue;
        }
        if (row.receivedOn < loan.openedOn) {
          problems.push({ file, row: row.row, column: "receivedOn", reason: `${row.receivedOn} is before the loan opened on ${loan.openedOn}` });
          continue;
        }
        const found = existing.get(row.idempotencyKey);
        if (found) {
          if (found.payloadHash === paymentPayloadHash(loan.id, row.amountMinor, loan.currency, row.receivedOn)) count("unchanged");
          else
            problems.push({
              file,
              row: row.row,
              column: "idempotencyKey",
              reason: `payment ${row.idempotencyKey} was imported with another loan, amount or date`,
            });
          continue;
        }
        await recordPayment(context, trx, {
          lenderId: lender.id,
          loanId: loan.id,
          idempotencyKey: row.idempotencyKey,
          amountMinor: row.amountMinor,
          currency: loan.currency,
          receivedOn: row.receivedOn,
          source: row.source,
        });
        touched.add(loan.id);
        count("inserted");
      }
      if (problems.length === 0) for (const loanId of touched) await syncAccountLedger(context, trx, loanId, today, "payment_imported");
    }
    if (problems.length > 0) throw new ImportRejected(problems.sort((left, right) => left.row - right.row));
    const rowsTotal = parsed.rows.length;
    await trx
      .insertInto("import_runs")
      .values({
        id: randomUUID(),
        lender_id: lender.id,
        kind,
        file_name: file,
        file_hash: hashOf(request.content),
        rows_total: rowsTotal,
        rows_inserted: inserted,
        rows_unchanged: unchanged,
        actor_id: request.actor.actorId,
        recorded_at: context.clock.now(),
      })
      .execute();
    await appendAudit(
      trx,
      { ...request.actor, action: "import.completed", targetType: "import", targetId: kind, details: { fileName: file, rowsTotal, inserted, unchanged } },
      context.clock.now(),
    );
    return { kind, fileName: file, rowsTotal, inserted, unchanged };
  });
}

function hashOf(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}

export async function lenderByCode(executor: Executor, code: string | undefined): Promise<{ id: string; code: string }> {
  const lenders = await executor.selectFrom("lenders").select(["id", "code"]).execute();
  const chosen = code ? lenders.find((row) => row.code === code) : lenders.length === 1 ? lenders[0] : undefined;
  if (!chosen) {
    throw new AppError(
      "VALIDATION_FAILED",
      lenders.length === 0
        ? "no lender exists yet: run `duecare lender add` or `duecare seed` first"
        : `--lender: ${code ? `no lender with code ${code}` : "required when there are several lenders"} (have: ${lenders.map((row) => row.code).join(", ")})`,
      { field: "lender" },
    );
  }
  return chosen;
}
