// The figures a reminder states, from the account's close state at the moment it is sent (a
// payment after planning changes what the message says, or cancels it): the overdue amount,
// DPD, penalty interest so far (charged and not yet paid, plus accrued and not yet posted) and
// the due date it names — the oldest unpaid one when overdue, else the next one.
import { daysBetween, type PlainDate } from "../../../platform/plain-date.js";
import { decodeSnapshot, type EncodedFacts, type EncodedSnapshot, scheduleOf } from "../../loans/index.js";
import type { TemplateValues } from "../../templates/index.js";

export interface AccountFigures {
  overdueMinor: bigint;
  daysPastDue: number;
  penaltySoFarMinor: bigint;
  dueDate: PlainDate | null;
}

export function accountFiguresOf(input: {
  facts: EncodedFacts;
  state: EncodedSnapshot;
  overdueSince: PlainDate | null;
  overdueMinor: bigint;
  day: PlainDate;
}): AccountFigures {
  const state = decodeSnapshot(input.state);
  let penalty = 0n;
  for (const item of state.items) penalty += item.charged.penalty - item.paid.penalty;
  for (const accrual of state.pending) if (accrual.component === "penalty") penalty += accrual.amountMinor;
  const daysPastDue = input.overdueSince ? Math.max(0, daysBetween(input.overdueSince, input.day)) : 0;
  let dueDate: PlainDate | null = null;
  if (daysPastDue > 0) dueDate = input.overdueSince;
  else for (const { dueDate: due } of scheduleOf(input.facts)) if (due >= input.day && (dueDate === null || due < dueDate)) dueDate = due;
  return { overdueMinor: input.overdueMinor, daysPastDue, penaltySoFarMinor: penalty < 0n ? 0n : penalty, dueDate };
}

/**
 * Whether the borrower has already paid the next installment ahead of its due date: money paid
 * early is held as credit on the account and applied when the installment falls due, so credit
 * that covers the installment's principal and interest means there is nothing to remind about.
 */
export function isNextDuePrepaid(input: { facts: EncodedFacts; state: EncodedSnapshot; overdueSince: PlainDate | null; day: PlainDate }): boolean {
  if (input.overdueSince !== null && input.overdueSince < input.day) return false;
  let next: ReturnType<typeof scheduleOf>[number] | null = null;
  for (const installment of scheduleOf(input.facts))
    if (installment.dueDate >= input.day && (next === null || installment.dueDate < next.dueDate)) next = installment;
  if (next === null) return false;
  return decodeSnapshot(input.state).creditMinor >= next.principalMinor + next.interestMinor;
}

export function messageValuesOf(
  figures: AccountFigures,
  borrowerName: string | null,
  lender: { institutionName: string; repaymentLink: string | null; currency: string },
): TemplateValues {
  return {
    borrowerName,
    amountOverdue: { amountMinor: figures.overdueMinor, currency: lender.currency },
    daysOverdue: BigInt(figures.daysPastDue),
    penaltySoFar: { amountMinor: figures.penaltySoFarMinor, currency: lender.currency },
    dueDate: figures.dueDate,
    repaymentLink: lender.repaymentLink,
    institutionName: lender.institutionName,
  };
}
