// Statement engine throughput: how fast "what is owed and why" is computed for a loan, and how
// fast its ledger events are planned — the per-account cost behind every API read and sync.
//   npm run bench:statement -- [--loans 2000] [--runs 5]
// Ends with one JSON line. A benchmark, not a test: it asserts nothing.
import { parseArgs } from "node:util";
import { planSync } from "../src/modules/ledger/index.js";
import {
  buildSchedule,
  buildStatement,
  defaultTerms,
  type LoanFacts,
  ledgerEventsOf,
  type PaymentFact,
  type ScheduleMethod,
} from "../src/modules/loans/index.js";
import { addDays } from "../src/platform/plain-date.js";

const { values } = parseArgs({ options: { loans: { type: "string", default: "2000" }, runs: { type: "string", default: "5" } } });
const loanCount = Number(values.loans);
const runs = Number(values.runs);

let seed = 7;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
}

const methods: ScheduleMethod[] = ["equal_installment", "equal_principal", "interest_first", "bullet"];
const book: { facts: LoanFacts; payments: PaymentFact[]; asOf: string }[] = [];
for (let index = 0; index < loanCount; index += 1) {
  const method = methods[index % methods.length] as ScheduleMethod;
  const months = [3, 6, 12, 24, 36][index % 5] as number;
  const principalMinor = BigInt(100_000 + Math.floor(random() * 5_000_000));
  const startDate = addDays("2025-01-01", Math.floor(random() * 300));
  const installments = buildSchedule({ principalMinor, annualRatePercent: "18", months, method, startDate });
  const paidCount = Math.floor(random() * (months + 1));
  const payments = installments.slice(0, paidCount).map((installment, number) => ({
    id: `p${index}-${number}`,
    receivedOn: addDays(installment.dueDate, Math.floor(random() * 10)),
    amountMinor: installment.paymentMinor,
  }));
  book.push({
    facts: { principalMinor, annualRatePercent: "18", startDate, installments, terms: { ...defaultTerms, lateFee: { kind: "fixed", amountMinor: 3_000n } } },
    payments,
    asOf: "2026-11-22",
  });
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const statementMs: number[] = [];
const ledgerMs: number[] = [];
let events = 0;
for (let run = 0; run < runs; run += 1) {
  let started = performance.now();
  const statements = book.map((loan) => buildStatement(loan.facts, loan.payments, loan.asOf));
  statementMs.push(performance.now() - started);
  started = performance.now();
  events = 0;
  for (const [index, loan] of book.entries()) {
    const plan = planSync([], ledgerEventsOf(loan.facts, statements[index] as ReturnType<typeof buildStatement>));
    events += plan.post.length;
  }
  ledgerMs.push(performance.now() - started);
}
const result = {
  loans: loanCount,
  runs,
  medianStatementsMs: Math.round(median(statementMs)),
  statementsPerSecond: Math.round(loanCount / (median(statementMs) / 1000)),
  medianLedgerPlanMs: Math.round(median(ledgerMs)),
  ledgerEventsPerLoan: Math.round(events / loanCount),
};
console.log(
  `statements for ${loanCount} loans: median ${result.medianStatementsMs} ms (${result.statementsPerSecond}/s); ledger plans: median ${result.medianLedgerPlanMs} ms, ${result.ledgerEventsPerLoan} events per loan`,
);
console.log(JSON.stringify(result));
