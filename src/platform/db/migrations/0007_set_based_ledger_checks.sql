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

create or replace function check_entries_balanced() returns trigger language plpgsql as $$
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

-- Account events are the close's log, written only by the close in the transaction that makes
-- the changes they describe; per-row foreign keys there cost more than the insert itself.
alter table account_events drop constraint account_events_lender_id_fkey;
alter table account_events drop constraint account_events_loan_id_fkey;
alter table account_events drop constraint account_events_run_id_fkey;
