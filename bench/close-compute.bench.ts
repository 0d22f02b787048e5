// The close's computation alone: computePartition over one partition of the synthetic book's
// accounts due on its first day (the close benchmark's templates, each repeated, with the day's
// repayments), with no database. Reports the median time a round and per account, and ends with
// one JSON line. Run it on two builds to compare what a change to the engine, the codec or the
// documents costs, apart from the database and the machine's other load.
//   npm run bench:close-compute -- [--accounts 5000] [--rounds 40]
// A benchmark, not a test: it asserts nothing.
import { parseArgs } from "node:util";
import { computePartition, defaultClosePolicy, type PartitionInput } from "../src/modules/close/index.js";
import { encodeFacts } from "../src/modules/loans/index.js";
import type { PlainDate } from "../src/platform/plain-date.js";
import { buildTemplates } from "./loan-book.js";

const { values } = parseArgs({ options: { accounts: { type: "string", default: "5000" }, rounds: { type: "string", default: "40" } } });
const accountCount = Number(values.accounts);
const rounds = Number(values.rounds);
const FIRST: PlainDate = "2026-12-01";
const lenderId = "0193a2b4-0000-7000-8000-00000000000a";
const productIds = ["0193a2b4-0000-7000-8000-0000000000f0", "0193a2b4-0000-7000-8000-0000000000f1", "0193a2b4-0000-7000-8000-0000000000f2"];

const templates = buildTemplates({ first: FIRST, dayCount: 1 }).filter((template) => template.nextEventOn !== null && template.nextEventOn <= FIRST);
if (templates.length === 0) throw new Error("no template is due on the first day");
const input: PartitionInput = {
  lenderId,
  on: FIRST,
  policy: defaultClosePolicy,
  products: productIds.map((id) => ({ id, terms: {}, currency: "CNY" })),
  accounts: [],
  payments: [],
};
for (let index = 0; index < accountCount; index += 1) {
  const template = templates[index % templates.length] as (typeof templates)[number];
  const loanId = `0193a2b4-0000-7000-9000-${String(index).padStart(12, "0")}`;
  input.accounts.push({
    loan_id: loanId,
    borrower_id: `0193a2b4-0000-7000-a000-${String(index).padStart(12, "0")}`,
    product_id: productIds[template.productIndex] as string,
    facts: JSON.stringify(encodeFacts(template.facts)),
    state: JSON.stringify(template.state),
    dpd: template.dpd,
    bucket: template.bucket,
    status: template.status as PartitionInput["accounts"][number]["status"],
    write_off_candidate: false,
    xmin: "1",
  });
  for (const due of template.dues)
    if (due.on === FIRST)
      input.payments.push({
        id: `0193a2b4-0000-7000-b000-${String(index).padStart(12, "0")}`,
        loan_id: loanId,
        received_on: due.on,
        amount_minor: String(due.amountMinor),
        purpose: "regular",
      });
}

const times: number[] = [];
let output = computePartition(input);
for (let round = 0; round < rounds; round += 1) {
  const started = performance.now();
  output = computePartition(input);
  times.push(performance.now() - started);
}
times.sort((left, right) => left - right);
const median = times[Math.floor((times.length - 1) / 2)] as number;
process.stderr.write(
  `${input.accounts.length} accounts (${templates.length} templates due ${FIRST}), ${input.payments.length} payments; ` +
    `${output.entries.entries} entries, ${output.entries.rows} ledger rows; median ${median.toFixed(1)} ms a round\n`,
);
process.stdout.write(
  `${JSON.stringify({ accounts: input.accounts.length, payments: input.payments.length, rounds, medianRoundMs: Math.round(median * 10) / 10, microsPerAccount: Math.round((median / input.accounts.length) * 10_000) / 10 })}\n`,
);
