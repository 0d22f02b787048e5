-- Promises to pay (承诺还款): an amount by a date, or several. The daily close checks each
-- installment on its date (after the lender's grace days) against the borrower's payments since
-- the promise was made, and marks it kept or broken.

create table promises_to_pay (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  borrower_id uuid not null references borrowers(id),
  case_id uuid references collection_cases(id),
  -- null: any of the borrower's loans counts toward it.
  loan_id uuid references loan_accounts(id),
  contact_attempt_id uuid references contact_attempts(id),
  -- The business date it was made: payments from this day on count.
  promised_on date not null,
  status text not null check (status in ('pending', 'kept', 'broken', 'cancelled')),
  recorded_by uuid references staff_users(id),
  created_at timestamptz not null,
  resolved_on date,
  cancel_reason text
);
create index promises_to_pay_borrower on promises_to_pay (borrower_id, created_at desc);
create index promises_to_pay_agent on promises_to_pay (recorded_by, promised_on);

create table promise_installments (
  promise_id uuid not null references promises_to_pay(id),
  installment_no smallint not null check (installment_no > 0),
  due_on date not null,
  amount_minor bigint not null check (amount_minor > 0),
  status text not null default 'pending' check (status in ('pending', 'kept', 'broken', 'cancelled')),
  -- What the borrower had paid toward the promise by the check, cumulative.
  paid_minor bigint,
  checked_on date,
  primary key (promise_id, installment_no)
);
-- The close finds the day's promise checks here: cost grows with the promises due, not the book.
create index promise_installments_due on promise_installments (due_on) where status = 'pending';

-- The close records kept promises as well as broken ones.
alter table account_events drop constraint account_events_kind_check;
alter table account_events add constraint account_events_kind_check
  check (kind in ('became_overdue', 'bucket_changed', 'cured', 'paid_off', 'write_off_candidate', 'promise_kept', 'promise_broken', 'case_opened', 'case_closed'));
