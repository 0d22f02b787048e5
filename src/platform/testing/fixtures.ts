// Small fixed data for database tests: one lender, an agency, staff of each kind, borrowers
// with loans and cases. Built through the modules' own public functions.
import { randomUUID } from "node:crypto";
import type { AppContext } from "../context.js";
import { makeNationalId } from "../privacy/index.js";

export const TEST_PASSWORD = "correct-horse-42";

export interface Fixture {
  lenderId: string;
  agencyId: string;
}

/** Inserts a lender and an agency directly; modules add the rest through their services. */
export async function insertLender(context: AppContext): Promise<Fixture> {
  const lenderId = randomUUID();
  const agencyId = randomUUID();
  const now = context.clock.now();
  await context.database.db
    .insertInto("lenders")
    .values({ id: lenderId, code: `t${lenderId.slice(0, 6)}`, name: "测试消费金融", name_en: "Test Consumer Finance", created_at: now })
    .execute();
  await context.database.db.insertInto("agencies").values({ id: agencyId, lender_id: lenderId, name: "Test Agency", created_at: now }).execute();
  return { lenderId, agencyId };
}

export function testNationalId(sequence: number): string {
  return makeNationalId("110105", "1990-03-07", sequence);
}
