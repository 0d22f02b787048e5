-- The statement-level checks that the daily close pays for on every partition, made cheaper
-- without checking less.
--
-- 1. Queue keys. The daily close updates tens of thousands of account rows a day, and migration
-- 0018's trigger refreshed the queue keys of every borrower among them. Most are borrowers
-- paying on time, with no open case, whose overdue amount, overdue-since day and bucket did not
-- move. Measured on a 1,000,000-loan book, the trigger took 400 ms of a 1.1 s update of 35,000
-- accounts. Now the update trigger compares each row with its previous version and refreshes
-- only the borrowers whose keys moved, and the refresh aggregates only the borrowers with an
-- open case.

create or replace function refresh_case_account_keys(borrower_ids uuid[]) returns void language sql as $$
  update collection_cases c set overdue_minor = agg.overdue_minor, overdue_since = agg.overdue_since, bucket = agg.bucket
  from (
    select l.lender_id, l.borrower_id, coalesce(sum(s.overdue_minor), 0)::bigint as overdue_minor, min(s.overdue_since) as overdue_since,
           coalesce(max(s.bucket), 'M0') as bucket
    from loan_accounts l join account_close_state s on s.loan_id = l.id
    where l.borrower_id in (
      select o.borrower_id from collection_cases o where o.borrower_id = any(borrower_ids) and o.status not in ('resolved', 'closed'))
    group by l.lender_id, l.borrower_id
  ) agg
  where c.borrower_id = agg.borrower_id and c.lender_id = agg.lender_id
    and c.status not in ('resolved', 'closed')
    and (c.overdue_minor, c.overdue_since, c.bucket) is distinct from (agg.overdue_minor, agg.overdue_since, agg.bucket);
$$;

-- The rows whose keys moved are found with set differences, not a join of the two transition
-- tables: those have no index, and a nested loop over them (which the planner chose once its
-- cached plan had seen small ones) took 30 s for 37,000 accounts. EXCEPT hashes or sorts, and
-- treats nulls as equal, as "is distinct from" does. Both directions are taken so that a row
-- moved to another borrower refreshes both borrowers.
create function case_keys_from_account_changes() returns trigger language plpgsql as $$
begin
  perform refresh_case_account_keys(array(
    select distinct moved.borrower_id from (
      (select loan_id, borrower_id, overdue_minor, overdue_since, bucket from changed
       except select loan_id, borrower_id, overdue_minor, overdue_since, bucket from previous)
      union all
      (select loan_id, borrower_id, overdue_minor, overdue_since, bucket from previous
       except select loan_id, borrower_id, overdue_minor, overdue_since, bucket from changed)
    ) moved));
  return null;
end;
$$;

drop trigger account_close_state_case_keys_update on account_close_state;
create trigger account_close_state_case_keys_update after update on account_close_state referencing old table as previous new table as changed
  for each statement execute function case_keys_from_account_changes();

-- 2. Ledger references and balance (migration 0006). A close partition inserts about 8,000
-- entries and 20,000 postings; each check ran once per row. Now each runs once per distinct
-- key: per loan and per payment for entries, per entry for postings (existence, balance and
-- currency in one grouped pass; min <> max instead of count(distinct), which forced a sort).
-- Measured on a 1,000,000-loan book, the two triggers took a third of each insert's time.
create or replace function check_entries_balanced() returns trigger language plpgsql as $$
declare
  bad record;
begin
  select g.entry_id, g.total, g.currencies_differ, e.id is null as is_missing into bad
  from (
    select entry_id, sum(amount_minor) as total, min(currency) <> max(currency) as currencies_differ from inserted group by entry_id
  ) g
  left join journal_entries e on e.id = g.entry_id
  where e.id is null or g.total <> 0 or g.currencies_differ
  order by e.id is not null, g.entry_id
  limit 1;
  if found then
    if bad.is_missing then
      raise exception 'posting refers to journal entry %, which does not exist', bad.entry_id using errcode = '23503';
    end if;
    if bad.currencies_differ then
      raise exception 'journal entry % mixes currencies', bad.entry_id using errcode = 'P0002';
    end if;
    raise exception 'journal entry % does not balance (postings sum to %)', bad.entry_id, bad.total using errcode = 'P0002';
  end if;
  return null;
end;
$$;

create or replace function check_entry_references() returns trigger language plpgsql as $$
declare
  bad record;
  entry_id uuid;
begin
  select k.loan_id, k.lender_id into bad from (select distinct loan_id, lender_id from inserted) k
    where not exists (select 1 from loan_accounts l where l.id = k.loan_id and l.lender_id = k.lender_id) limit 1;
  if found then
    select e.id into entry_id from inserted e where e.loan_id = bad.loan_id and e.lender_id = bad.lender_id limit 1;
    raise exception 'journal entry % refers to loan %, which does not exist for its lender', entry_id, bad.loan_id using errcode = '23503';
  end if;
  select k.payment_id, k.loan_id into bad from (select distinct payment_id, loan_id from inserted where payment_id is not null) k
    where not exists (select 1 from payments p where p.id = k.payment_id and p.loan_id = k.loan_id) limit 1;
  if found then
    select e.id into entry_id from inserted e where e.payment_id = bad.payment_id and e.loan_id = bad.loan_id limit 1;
    raise exception 'journal entry % refers to payment %, which does not exist for its loan', entry_id, bad.payment_id using errcode = '23503';
  end if;
  return null;
end;
$$;
