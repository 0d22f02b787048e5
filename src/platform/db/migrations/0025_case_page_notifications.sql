-- Change notifications for what a case page shows (see migration 0023). A server keeps each
-- case page it computed until a key of the page arrives: `c:<case>` for the case itself (its
-- status, hold, agent), `b:<borrower>` for anything of its borrower (accounts and their close
-- state, installments, payments, contacts, addresses, restrictions, consents, contact
-- preferences, promises), `u:<agent>` for the viewing agent's training, and `*` for what many
-- pages show (a lender's names, zone or compliance settings, a product's names, a user's name).
-- A statement that rewrites more than 500 cases or close-state rows (a partition of the daily
-- close, an import) sends `d:<lender>` instead of a key per case or borrower: building and
-- sending thousands of keys would cost the close more than reading the pages again costs after it.

-- A case's own key, beside its scope's (the lender's for many cases).
create or replace function notify_case_changes() returns trigger language plpgsql as $$
declare
  many boolean := (select count(*) from changed_cases) > 500;
begin
  perform notify_changes(array(
    select distinct key from (
      select unnest(array[case when many then 'd:' || lender_id else 'c:' || id end, 'l:' || lender_id, 'a:' || assigned_agent_id,
                          'g:' || agency_id]) as key from changed_cases
    ) keys where key is not null order by key));
  return null;
end;
$$;

-- The close state: the borrowers of a few rows, the lender of many. A payment's own update of
-- the next event date sends its borrower again, in the transaction whose payment already sent
-- it: PostgreSQL folds the two into one.
create function notify_close_state_changes() returns trigger language plpgsql as $$
declare
  many boolean := (select count(*) from changed_rows) > 500;
begin
  perform notify_changes(array(select distinct case when many then 'd:' || lender_id else 'b:' || borrower_id end from changed_rows order by 1));
  return null;
end;
$$;

-- Triggers on each of `tables` for each of `events`, at statement level with the changed rows
-- as `changed_rows` (the old rows for a delete), calling `handler`.
create function create_change_triggers(tables text[], events text[], handler text) returns void language plpgsql as $$
declare
  target text;
  event text;
begin
  foreach target in array tables loop
    foreach event in array events loop
      execute format('create trigger %I after %s on %I referencing %s table as changed_rows for each statement execute function %I()',
                     target || '_notify_' || event, event, target, case event when 'delete' then 'old' else 'new' end, handler);
    end loop;
  end loop;
end;
$$;

-- Tables with a borrower column use notify_borrower_changes (migration 0023).
select create_change_triggers(array['borrower_contacts', 'borrower_addresses', 'contact_restrictions', 'contact_consents', 'contact_preferences'],
                              array['insert', 'update', 'delete'], 'notify_borrower_changes');
select create_change_triggers(array['promises_to_pay', 'loan_accounts'], array['insert', 'update'], 'notify_borrower_changes');
select create_change_triggers(array['contact_attempts'], array['delete'], 'notify_borrower_changes');
select create_change_triggers(array['account_close_state'], array['insert', 'update'], 'notify_close_state_changes');

-- Rows that reach their borrower through a loan, a payment or a promise.
create function notify_loan_row_changes() returns trigger language plpgsql as $$
begin
  perform notify_changes(array(
    select distinct 'b:' || l.borrower_id from (select distinct loan_id from changed_rows) r join loan_accounts l on l.id = r.loan_id order by 1));
  return null;
end;
$$;
select create_change_triggers(array['loan_installments'], array['insert', 'update', 'delete'], 'notify_loan_row_changes');
select create_change_triggers(array['payments'], array['insert', 'update'], 'notify_loan_row_changes');

create function notify_payment_reversal_changes() returns trigger language plpgsql as $$
begin
  perform notify_changes(array(
    select distinct 'b:' || l.borrower_id from changed_rows r join payments p on p.id = r.payment_id join loan_accounts l on l.id = p.loan_id order by 1));
  return null;
end;
$$;
select create_change_triggers(array['payment_reversals'], array['insert'], 'notify_payment_reversal_changes');

create function notify_promise_installment_changes() returns trigger language plpgsql as $$
begin
  perform notify_changes(array(
    select distinct 'b:' || p.borrower_id from (select distinct promise_id from changed_rows) r join promises_to_pay p on p.id = r.promise_id order by 1));
  return null;
end;
$$;
select create_change_triggers(array['promise_installments'], array['insert', 'update'], 'notify_promise_installment_changes');

-- What many pages show.
create function notify_everything() returns trigger language plpgsql as $$
begin
  perform pg_notify('duecare_changes', '*');
  return null;
end;
$$;
create trigger lenders_notify_shown after update on lenders
  for each row when ((old.name, old.name_en, old.time_zone, old.currency, old.compliance_settings::text)
                     is distinct from (new.name, new.name_en, new.time_zone, new.currency, new.compliance_settings::text))
  execute function notify_everything();
create trigger products_notify_shown after update on products
  for each row when ((old.name, old.name_en) is distinct from (new.name, new.name_en))
  execute function notify_everything();
-- Attempts and promises show who recorded them by username.
create trigger staff_users_notify_username after update of username on staff_users
  for each row when (old.username is distinct from new.username) execute function notify_everything();

-- The gateway's decision for an agent depends on the agent's training.
create trigger staff_users_notify_training after update of training_completed_on on staff_users
  for each row when (old.training_completed_on is distinct from new.training_completed_on) execute function notify_staff_access_change();
