-- The agent's queue sorts every open case in scope by what is due: callbacks, promises, DPD and
-- the amount overdue. Computing those for each case on every read (the borrower's accounts,
-- open actions, pending promise installments) cost tens of milliseconds per request for an agent
-- with a thousand cases. The keys are kept on the case instead, by statement-level triggers on
-- the tables they come from, so every writer — the daily close, a payment's ledger sync, an
-- agent's callback or promise, an import — keeps them current without knowing about the queue.
alter table collection_cases add column overdue_minor bigint not null default 0;
alter table collection_cases add column overdue_since date;
alter table collection_cases add column bucket text not null default 'M0';
alter table collection_cases add column next_action_at timestamptz;
alter table collection_cases add column promise_due_on date;

-- The account keys of the open cases of these borrowers: total overdue, the oldest overdue day
-- and the highest bucket across the borrower's accounts with the case's lender.
create function refresh_case_account_keys(borrower_ids uuid[]) returns void language sql as $$
  update collection_cases c set overdue_minor = agg.overdue_minor, overdue_since = agg.overdue_since, bucket = agg.bucket
  from (
    select l.lender_id, l.borrower_id, coalesce(sum(s.overdue_minor), 0)::bigint as overdue_minor, min(s.overdue_since) as overdue_since,
           coalesce(max(s.bucket), 'M0') as bucket
    from loan_accounts l join account_close_state s on s.loan_id = l.id
    where l.borrower_id = any(borrower_ids)
    group by l.lender_id, l.borrower_id
  ) agg
  where c.borrower_id = agg.borrower_id and c.lender_id = agg.lender_id
    and c.status not in ('resolved', 'closed')
    and (c.overdue_minor, c.overdue_since, c.bucket) is distinct from (agg.overdue_minor, agg.overdue_since, agg.bucket);
$$;

create function case_keys_from_accounts() returns trigger language plpgsql as $$
begin
  perform refresh_case_account_keys(array(select distinct borrower_id from changed));
  return null;
end;
$$;
create trigger account_close_state_case_keys_insert after insert on account_close_state referencing new table as changed
  for each statement execute function case_keys_from_accounts();
create trigger account_close_state_case_keys_update after update on account_close_state referencing new table as changed
  for each statement execute function case_keys_from_accounts();
-- A case opened after its accounts were written (by the close, an import, a test) starts with them.
create trigger collection_cases_keys_insert after insert on collection_cases referencing new table as changed
  for each statement execute function case_keys_from_accounts();

-- The earliest open callback or next action of these cases.
create function refresh_case_action_keys(case_ids uuid[]) returns void language sql as $$
  update collection_cases c set next_action_at = (select min(a.due_at) from case_actions a where a.case_id = c.id and a.done_at is null)
  where c.id = any(case_ids)
    and c.next_action_at is distinct from (select min(a.due_at) from case_actions a where a.case_id = c.id and a.done_at is null);
$$;
create function case_keys_from_actions() returns trigger language plpgsql as $$
begin
  perform refresh_case_action_keys(array(select distinct case_id from changed));
  return null;
end;
$$;
create trigger case_actions_case_keys_insert after insert on case_actions referencing new table as changed
  for each statement execute function case_keys_from_actions();
create trigger case_actions_case_keys_update after update on case_actions referencing new table as changed
  for each statement execute function case_keys_from_actions();

-- The earliest pending installment of the case's pending promises.
create function refresh_case_promise_keys(case_ids uuid[]) returns void language sql as $$
  update collection_cases c set promise_due_on = due.due_on
  from (
    select ids.case_id,
           (select min(i.due_on) from promises_to_pay p join promise_installments i on i.promise_id = p.id
             where p.case_id = ids.case_id and p.status = 'pending' and i.status = 'pending') as due_on
    from unnest(case_ids) as ids(case_id)
  ) due
  where c.id = due.case_id and c.promise_due_on is distinct from due.due_on;
$$;
create function case_keys_from_promises() returns trigger language plpgsql as $$
begin
  perform refresh_case_promise_keys(array(select distinct case_id from changed where case_id is not null));
  return null;
end;
$$;
create function case_keys_from_promise_installments() returns trigger language plpgsql as $$
begin
  perform refresh_case_promise_keys(array(
    select distinct p.case_id from changed i join promises_to_pay p on p.id = i.promise_id where p.case_id is not null));
  return null;
end;
$$;
create trigger promises_to_pay_case_keys_insert after insert on promises_to_pay referencing new table as changed
  for each statement execute function case_keys_from_promises();
create trigger promises_to_pay_case_keys_update after update on promises_to_pay referencing new table as changed
  for each statement execute function case_keys_from_promises();
create trigger promise_installments_case_keys_insert after insert on promise_installments referencing new table as changed
  for each statement execute function case_keys_from_promise_installments();
create trigger promise_installments_case_keys_update after update on promise_installments referencing new table as changed
  for each statement execute function case_keys_from_promise_installments();

-- What existed before: every open case computed once.
select refresh_case_account_keys(array(select distinct borrower_id from collection_cases where status not in ('resolved', 'closed')));
select refresh_case_action_keys(array(select distinct case_id from case_actions where done_at is null));
select refresh_case_promise_keys(array(select distinct case_id from promises_to_pay where status = 'pending' and case_id is not null));

-- An agent's open cases with their keys: the queue reads these rows and nothing else to order them.
create index collection_cases_agent_open on collection_cases (assigned_agent_id)
  include (status, next_action_at, promise_due_on, overdue_since, overdue_minor, bucket)
  where status not in ('resolved', 'closed');
