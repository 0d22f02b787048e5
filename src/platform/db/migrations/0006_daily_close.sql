-- The daily close (日终批量): each account's resumable state and next event date, runs cut into
-- partitions, the events a close emits, and cases that open and close with the book.

alter table lenders add column closed_through date;
alter table lenders add column close_settings jsonb not null default '{}'::jsonb;

-- One row per installment loan. `state` is the statement engine's snapshot at the end of
-- `state_on`; `facts` is the contract (schedule, principal, rate) so a close reads one row per
-- account. Only `next_event_on` is indexed among the columns a close rewrites: DPD, bucket and
-- amounts change daily and stay out of indexes so their updates stay cheap (HOT).
create table account_close_state (
  loan_id uuid primary key references loan_accounts(id),
  lender_id uuid not null references lenders(id),
  borrower_id uuid not null references borrowers(id),
  product_id uuid not null references products(id),
  facts jsonb not null,
  state jsonb not null,
  state_on date not null,
  next_event_on date,
  -- The day DPD counts from (the oldest unpaid installment's last day of grace): DPD on any day
  -- is that day minus this one, so it is right between closes without a write.
  overdue_since date,
  -- DPD as of the last close that touched the account (closed_on).
  dpd integer not null default 0,
  bucket text not null default 'M0',
  overdue_minor bigint not null default 0,
  outstanding_minor bigint not null default 0,
  status text not null default 'current' check (status in ('current','overdue','paid_off','written_off')),
  write_off_candidate boolean not null default false,
  closed_on date
) with (fillfactor = 80);
-- A partition's scan for due accounts filters its account-id range inside the index, so the
-- entries of other partitions (and the old versions the last close left) are skipped without
-- a visit to the table. loan_id never changes, so carrying it costs updates nothing more.
create index account_close_state_next_event on account_close_state (lender_id, next_event_on, loan_id);

-- Every close rewrites the rows of the accounts it touched, and the index on next_event_on keeps
-- an entry for each old version until vacuum removes it. Left to the default (a fifth of the
-- table dead before autovacuum starts), a close's index scan walks more dead entries every day.
-- Vacuum this table after a few thousand dead rows, without throttling.
alter table account_close_state set (
  autovacuum_vacuum_scale_factor = 0,
  autovacuum_vacuum_threshold = 5000,
  autovacuum_vacuum_cost_delay = 0,
  autovacuum_analyze_scale_factor = 0.05
);

create index account_close_state_borrower on account_close_state (borrower_id);

create table close_runs (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  business_date date not null,
  mode text not null check (mode in ('event_driven','full_scan')),
  status text not null check (status in ('running','completed')),
  partition_count integer not null check (partition_count > 0),
  started_at timestamptz not null,
  finished_at timestamptz,
  totals jsonb,
  unique (lender_id, business_date)
);

create table close_partitions (
  run_id uuid not null references close_runs(id),
  partition_no integer not null,
  range_start uuid not null,
  range_end uuid,
  status text not null check (status in ('pending','done')),
  accounts_touched integer,
  rows_written integer,
  counts jsonb,
  step_ms jsonb,
  finished_at timestamptz,
  primary key (run_id, partition_no)
);

-- The close's log, written only by the close in the transaction that makes the changes it
-- describes; per-row foreign keys here would cost more than the insert itself.
create table account_events (
  id bigint generated always as identity primary key,
  lender_id uuid not null,
  -- Null for a case's events, which belong to the borrower.
  loan_id uuid,
  borrower_id uuid not null,
  business_date date not null,
  kind text not null check (kind in ('became_overdue','bucket_changed','cured','paid_off','write_off_candidate','promise_broken','case_opened','case_closed')),
  details jsonb not null default '{}'::jsonb,
  run_id uuid
);
create index account_events_date on account_events (lender_id, business_date);

alter table collection_cases add column closed_on date;
alter table collection_cases add column close_reason text check (close_reason in ('cured','settled','written_off'));
-- At most one open case per borrower and lender: two partitions opening one never make two.
create unique index collection_cases_one_open on collection_cases (lender_id, borrower_id)
  where status not in ('resolved','closed');

-- Every statement that inserts postings leaves each entry it touches balanced: the ledger code
-- writes an entry's postings in one statement.
drop trigger postings_balanced on postings;
drop function check_entry_balanced();

-- The ledger's references are checked once per statement, not once per row. A foreign key is a
-- row trigger that looks up and share-locks the referenced row for every posting; the daily
-- close inserts tens of thousands of postings a day, so the same guarantees are kept by
-- statement-level checks over the inserted rows (an anti-join each), which also check more:
-- an entry's loan belongs to the entry's lender, and its payment to its loan. Ledger rows are
-- never deleted (the append-only triggers), and loans and payments have no delete path.
alter table postings drop constraint postings_entry_id_fkey;
alter table journal_entries drop constraint journal_entries_lender_id_fkey;
alter table journal_entries drop constraint journal_entries_loan_id_fkey;
alter table journal_entries drop constraint journal_entries_payment_id_fkey;

create function check_entries_balanced() returns trigger language plpgsql as $$
declare
  bad record;
begin
  select p.entry_id into bad from inserted p
    where not exists (select 1 from journal_entries e where e.id = p.entry_id) limit 1;
  if found then
    raise exception 'posting refers to journal entry %, which does not exist', bad.entry_id using errcode = '23503';
  end if;
  select entry_id, sum(amount_minor) as total, count(distinct currency) as currencies into bad
    from inserted group by entry_id
    having sum(amount_minor) <> 0 or count(distinct currency) > 1
    limit 1;
  if found then
    if bad.currencies > 1 then
      raise exception 'journal entry % mixes currencies', bad.entry_id using errcode = 'P0002';
    end if;
    raise exception 'journal entry % does not balance (postings sum to %)', bad.entry_id, bad.total using errcode = 'P0002';
  end if;
  return null;
end;
$$;

create function check_entry_references() returns trigger language plpgsql as $$
declare
  bad record;
begin
  select e.id, e.loan_id into bad from inserted e
    where not exists (select 1 from loan_accounts l where l.id = e.loan_id and l.lender_id = e.lender_id) limit 1;
  if found then
    raise exception 'journal entry % refers to loan %, which does not exist for its lender', bad.id, bad.loan_id using errcode = '23503';
  end if;
  select e.id, e.payment_id into bad from inserted e
    where e.payment_id is not null and not exists (select 1 from payments p where p.id = e.payment_id and p.loan_id = e.loan_id) limit 1;
  if found then
    raise exception 'journal entry % refers to payment %, which does not exist for its loan', bad.id, bad.payment_id using errcode = '23503';
  end if;
  return null;
end;
$$;
create trigger journal_entries_references after insert on journal_entries referencing new table as inserted
  for each statement execute function check_entry_references();

create trigger postings_balanced after insert on postings referencing new table as inserted
  for each statement execute function check_entries_balanced();
