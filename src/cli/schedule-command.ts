// `duecare schedule`: a repayment schedule from the command line. Its JSON output is a
// contract other tools depend on: an array of { number, dueDate, principal, interest, payment,
// remainingPrincipal } with amounts as decimal strings.
import { buildSchedule, checkTerms, type Installment, type ScheduleMethod, scheduleTotals } from "../modules/loans/index.js";
import { formatMinor, parseMinor } from "../platform/money.js";

export const cliMethods: Record<string, ScheduleMethod> = {
  "equal-installment": "equal_installment",
  "equal-principal": "equal_principal",
  "interest-first": "interest_first",
  bullet: "bullet",
};

const optionOfField: Record<string, string> = {
  principalMinor: "--principal",
  annualRatePercent: "--annual-rate",
  months: "--months",
  method: "--method",
  startDate: "--start",
};

export interface ScheduleOptions {
  principal: string;
  annualRate: string;
  months: string;
  method: string;
  start: string;
  currency: string;
  json?: boolean;
}

export class ScheduleInputError extends Error {}

export function renderSchedule(options: ScheduleOptions): string {
  const method = cliMethods[options.method];
  if (!method) throw new ScheduleInputError(`--method ${JSON.stringify(options.method)}: expected one of ${Object.keys(cliMethods).join(", ")}`);
  if (!/^[A-Z]{3}$/.test(options.currency)) throw new ScheduleInputError(`--currency ${JSON.stringify(options.currency)}: expected a 3-letter ISO 4217 code`);
  let principalMinor: bigint;
  try {
    principalMinor = parseMinor(options.principal, options.currency);
  } catch (error) {
    throw new ScheduleInputError(`--principal: ${(error as Error).message}`);
  }
  if (!/^\d+$/.test(options.months)) throw new ScheduleInputError(`--months ${JSON.stringify(options.months)}: expected a whole number of months`);
  const terms = { principalMinor, annualRatePercent: options.annualRate, months: Number(options.months), method, startDate: options.start };
  const problem = checkTerms(terms);
  if (problem) throw new ScheduleInputError(`${optionOfField[problem.field] ?? problem.field}: ${problem.message}`);
  const schedule = buildSchedule(terms);
  const money = (amount: bigint) => formatMinor(amount, options.currency);
  if (options.json) {
    return JSON.stringify(
      schedule.map((installment) => ({
        number: installment.number,
        dueDate: installment.dueDate,
        principal: money(installment.principalMinor),
        interest: money(installment.interestMinor),
        payment: money(installment.paymentMinor),
        remainingPrincipal: money(installment.remainingPrincipalMinor),
      })),
      null,
      2,
    );
  }
  return renderTable(schedule, money, options);
}

function renderTable(schedule: readonly Installment[], money: (amount: bigint) => string, options: ScheduleOptions): string {
  const totals = scheduleTotals(schedule);
  const header = ["#", "due date", "principal", "interest", "payment", "remaining"];
  const rows = schedule.map((installment) => [
    String(installment.number),
    installment.dueDate,
    money(installment.principalMinor),
    money(installment.interestMinor),
    money(installment.paymentMinor),
    money(installment.remainingPrincipalMinor),
  ]);
  const totalRow = ["total", "", money(totals.principalMinor), money(totals.interestMinor), money(totals.paymentMinor), ""];
  const widths = header.map((title, column) => Math.max(title.length, ...[...rows, totalRow].map((cells) => (cells[column] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column < 2 ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return [
    `${options.method} schedule: ${options.principal} ${options.currency} at ${options.annualRate}% a year over ${options.months} months from ${options.start}`,
    "",
    line(header),
    rule,
    ...rows.map(line),
    rule,
    line(totalRow),
  ].join("\n");
}
