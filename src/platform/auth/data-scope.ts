// Applies a data scope to a query over a table that has lender, borrower, agency and
// assigned-agent columns (cases) or lender and borrower columns (accounts). One mechanism,
// so no module hand-writes its own "who may see this" filter.
import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import { sql } from "kysely";
import type { DataScope } from "./actor.js";

export interface ScopeColumns {
  lender: string;
  borrower: string;
  agency?: string;
  assignedAgent?: string;
}

/** A WHERE condition for the scope; tables without agency/agent columns deny those scopes. */
export function scopeCondition<DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, scope: DataScope, columns: ScopeColumns): Expression<SqlBool> {
  const column = (name: string) => sql.ref(name);
  switch (scope.kind) {
    case "none":
      return sql<SqlBool>`false`;
    case "lender":
      return sql<SqlBool>`${column(columns.lender)} = ${scope.lenderId}`;
    case "borrower":
      return sql<SqlBool>`${column(columns.lender)} = ${scope.lenderId} and ${column(columns.borrower)} = ${scope.borrowerId}`;
    case "agency":
      if (!columns.agency) return sql<SqlBool>`false`;
      return sql<SqlBool>`${column(columns.lender)} = ${scope.lenderId} and ${column(columns.agency)} = ${scope.agencyId}`;
    case "assigned":
      if (!columns.assignedAgent) return sql<SqlBool>`false`;
      return sql<SqlBool>`${column(columns.lender)} = ${scope.lenderId} and ${column(columns.assignedAgent)} = ${scope.agentId}`;
  }
  void eb;
}
