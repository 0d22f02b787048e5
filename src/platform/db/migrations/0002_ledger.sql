-- The loan book and its append-only double-entry ledger.
-- Products gain their money terms; a loan keeps its contracted schedule; payments carry an
-- idempotency key and a hash of their payload; journal entries and postings are never updated
-- or deleted, and every entry's postings sum to zero (checked when the transaction commits).

alter table products add column terms jsonb not null default '{}'::jsonb;

alter table loan_accounts add column annual_rate numeric(9,6);
alter table loan_accounts add column term_months integer;
alter table loan_accounts add column repayment_method text;
alter table loan_accounts add column ledger_synced_on date;

create table loan_installments (
  loan_id uuid not null references loan_accounts(id),
  number integer not null check (number > 0),
  due_date date not null,
  principal_minor bigint not null check (principal_minor >= 0),
  interest_minor bigint not null check (interest_minor >= 0),
  primary key (loan_id, number)
);

create table payments (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  loan_id uuid not null references loan_accounts(id),
  idempotency_key text not null,
  payload_hash char(64) not null,
  amount_minor bigint not null check (amount_minor > 0),
  currency char(3) not null,
  received_on date not null,
  source text not null,
  recorded_at timestamptz not null,
  unique (lender_id, idempotency_key)
);
create index payments_loan on payments (loan_id, received_on);

-- A returned payment: one row per payment, never removed. The payment row itself is unchanged.
create table payment_reversals (
  payment_id uuid primary key references payments(id),
  reason_code text not null,
  note text,
  reversed_on date not null,
  recorded_at timestamptz not null,
  actor_id text
);

create table journal_entries (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  loan_id uuid not null references loan_accounts(id),
  event_key text not null,
  kind text not null check (kind in ('disbursement','interest_due','accrual','payment','credit_applied','reversal')),
  effective_on date not null,
  recorded_at timestamptz not null,
  reverses_entry_id uuid references journal_entries(id),
  reason_code text,
  payment_id uuid references payments(id),
  check ((kind = 'reversal') = (reverses_entry_id is not null)),
  check (kind <> 'reversal' or reason_code is not null)
);
create index journal_entries_loan on journal_entries (loan_id, effective_on);
-- An entry is reversed at most once.
create unique index journal_entries_reversed_once on journal_entries (reverses_entry_id) where reverses_entry_id is not null;

create table postings (
  id bigint generated always as identity primary key,
  entry_id uuid not null references journal_entries(id),
  account text not null check (account in (
    'receivable:principal','receivable:interest','receivable:penalty','receivable:fee',
    'cash','funding','income:interest','income:penalty','income:fee','suspense','waiver','write_off')),
  installment_number integer,
  amount_minor bigint not null check (amount_minor <> 0),
  currency char(3) not null
);
create index postings_entry on postings (entry_id);

create function refuse_ledger_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = 'P0001';
end;
$$;
create trigger journal_entries_append_only before update or delete or truncate on journal_entries
  for each statement execute function refuse_ledger_change();
create trigger postings_append_only before update or delete or truncate on postings
  for each statement execute function refuse_ledger_change();
create trigger payments_append_only before update or delete or truncate on payments
  for each statement execute function refuse_ledger_change();
create trigger payment_reversals_append_only before update or delete or truncate on payment_reversals
  for each statement execute function refuse_ledger_change();

-- Every journal entry balances: checked at commit, once all of its postings are in.
create function check_entry_balanced() returns trigger language plpgsql as $$
declare
  total numeric;
  currencies integer;
begin
  select coalesce(sum(amount_minor), 0), count(distinct currency) into total, currencies
    from postings where entry_id = new.entry_id;
  if total <> 0 then
    raise exception 'journal entry % does not balance (postings sum to %)', new.entry_id, total using errcode = 'P0002';
  end if;
  if currencies > 1 then
    raise exception 'journal entry % mixes currencies', new.entry_id using errcode = 'P0002';
  end if;
  return null;
end;
$$;
create constraint trigger postings_balanced after insert on postings
  deferrable initially deferred for each row execute function check_entry_balanced();
