-- Change notifications for what a case page shows (see migration 0023). A server keeps each
-- case page it computed until a key of the page arrives: `c:<case>` for the case itself (its
-- status, hold, agent), `b:<borrower>` for anything of its borrower (accounts and their close
-- state, installments, payments, contacts, addresses, restrictions, consents, contact
-- preferences, promises), `u:<agent>` for the viewing agent's training, and `*` for what many
-- pages show (a lender's names, zone or compliance settings, a product's names, a user's name).
-- A statement that rewrites more than 500 cases or close-state rows (a partition of the daily
-- close, an import) sends `d:<lender>` instead of a key per case or borrower: building and
-- sending thousands of keys would cost the close more than reading the pages again costs after it.

-- A case's own key, beside its scope's.
create or replace function notify_case_changes() returns trigger language plpgsql as $$
begin
  if (select count(*) from changed_cases) > 500 then
    perform notify_changes(array(
      select distinct key from (
        select unnest(array['d:' || lender_id, 'l:' || lender_id, 'a:' || assigned_agent_id, 'g:' || agency_id]) as key from changed_cases
      ) keys where key is not null order by key));
  else
    perform notify_changes(array(
      select distinct key from (
        select unnest(array['c:' || id, 'l:' || lender_id, 'a:' || assigned_agent_id, 'g:' || agency_id]) as key from changed_cases
      ) keys where key is not null order by key));
  end if;
  return null;
end;
$$;

-- Tables with a borrower column use notify_borrower_changes (migration 0023): inserts and
-- updates send the new rows' borrowers, deletes the old rows'.
create trigger borrower_contacts_notify_insert after insert on borrower_contacts referencing new table as changed_rows
  for each statement execute function notify_borrower_changes();
create trigger borrower_contacts_notify_update after update on borrower_contacts referencing new table as changed_rows
  for each statement execute function notify_borrower_changes();
create trigger borrower_contacts_notify_delete after delete on borrower_contacts referencing old table as changed_rows
  for each statement execute function notify_borrower_changes();

create trigger borrower_addresses_notify_insert after insert on borrower_addresses referencing new table as changed_rows
  for each statement execute function notify_borrower_changes();
create trigger borrower_addresses_notify_update after update on borrower_addresses referencing new table as changed_rows
  for each statement execute function notify_borrower_changes();
create trigger borrower_addresses_notify_delete after delete on borrower_addresses referencing old table as changed_rows
  for each statement execute function notify_borrower_changes();

create trigger contact_restrictions_notify_insert after insert on contact_restrictions referencing new table as changed_rows
  for each statement execute function notify_borrower_changes();
create trigger contact_restrictions_notify_update after update on contact_restrictions referencing new table as changed_rows
  for each statement execute function notify_borrower_changes();
create trigger contact_restrictions_notify_delete after delete on contact_restrictions referencing old table as changed_rows
  for each statement execute function notify_borrower_changes();

create trigger contact_consents_notify_insert after insert on contact_consents referencing new table as changed_rows
  for each statement execute function notify_borrower_changes();
create trigger contact_consents_notify_update after update on contact_consents referencing new table as changed_rows
  for each statement execute function notify_borrower_changes();
create trigger contact_consents_notify_delete after delete on contact_consents referencing old table as changed_rows
  for each statement execute function notify_borrower_changes();

create trigger contact_preferences_notify_insert after insert on contact_preferences referencing new table as changed_rows
  for each statement execute function notify_borrower_changes();
create trigger contact_preferences_notify_update after update on contact_preferences referencing new table as changed_rows
  for each statement execute function notify_borrower_changes();
create trigger contact_preferences_notify_delete after delete on contact_preferences referencing old table as changed_rows
  for each statement execute function notify_borrower_changes();

create trigger promises_to_pay_notify_insert after insert on promises_to_pay referencing new table as changed_rows
  for each statement execute function notify_borrower_changes();
create trigger promises_to_pay_notify_update after update on promises_to_pay referencing new table as changed_rows
  for each statement execute function notify_borrower_changes();

create trigger loan_accounts_notify_insert after insert on loan_accounts referencing new table as changed_rows
  for each statement execute function notify_borrower_changes();
create trigger loan_accounts_notify_update after update on loan_accounts referencing new table as changed_rows
  for each statement execute function notify_borrower_changes();

create trigger contact_attempts_notify_delete after delete on contact_attempts referencing old table as changed_rows
  for each statement execute function notify_borrower_changes();

-- The close state: the borrowers of a few rows, the lender of many. A payment's own update of
-- the next event date sends its borrower again, in the transaction whose payment already sent
-- it: PostgreSQL folds the two into one.
create function notify_close_state_changes() returns trigger language plpgsql as $$
begin
  if (select count(*) from changed_rows) > 500 then
    perform notify_changes(array(select distinct 'd:' || lender_id from changed_rows order by 1));
  else
    perform notify_changes(array(select distinct 'b:' || borrower_id from changed_rows order by 1));
  end if;
  return null;
end;
$$;
create trigger account_close_state_notify_insert after insert on account_close_state referencing new table as changed_rows
  for each statement execute function notify_close_state_changes();
create trigger account_close_state_notify_update after update on account_close_state referencing new table as changed_rows
  for each statement execute function notify_close_state_changes();

-- Rows that reach their borrower through a loan, a payment or a promise.
create function notify_loan_row_changes() returns trigger language plpgsql as $$
begin
  perform notify_changes(array(
    select distinct 'b:' || l.borrower_id from (select distinct loan_id from changed_rows) r join loan_accounts l on l.id = r.loan_id order by 1));
  return null;
end;
$$;
create trigger loan_installments_notify_insert after insert on loan_installments referencing new table as changed_rows
  for each statement execute function notify_loan_row_changes();
create trigger loan_installments_notify_update after update on loan_installments referencing new table as changed_rows
  for each statement execute function notify_loan_row_changes();
create trigger loan_installments_notify_delete after delete on loan_installments referencing old table as changed_rows
  for each statement execute function notify_loan_row_changes();
create trigger payments_notify_insert after insert on payments referencing new table as changed_rows
  for each statement execute function notify_loan_row_changes();
create trigger payments_notify_update after update on payments referencing new table as changed_rows
  for each statement execute function notify_loan_row_changes();

create function notify_payment_reversal_changes() returns trigger language plpgsql as $$
begin
  perform notify_changes(array(
    select distinct 'b:' || l.borrower_id from changed_rows r join payments p on p.id = r.payment_id join loan_accounts l on l.id = p.loan_id order by 1));
  return null;
end;
$$;
create trigger payment_reversals_notify_insert after insert on payment_reversals referencing new table as changed_rows
  for each statement execute function notify_payment_reversal_changes();

create function notify_promise_installment_changes() returns trigger language plpgsql as $$
begin
  perform notify_changes(array(
    select distinct 'b:' || p.borrower_id from (select distinct promise_id from changed_rows) r join promises_to_pay p on p.id = r.promise_id order by 1));
  return null;
end;
$$;
create trigger promise_installments_notify_insert after insert on promise_installments referencing new table as changed_rows
  for each statement execute function notify_promise_installment_changes();
create trigger promise_installments_notify_update after update on promise_installments referencing new table as changed_rows
  for each statement execute function notify_promise_installment_changes();

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
