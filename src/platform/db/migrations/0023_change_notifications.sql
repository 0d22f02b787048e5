-- Change notifications for what an agent's queue shows. Each statement that changes a case, a
-- case's actions, a borrower's contact attempts, a borrower or an agent's name sends the keys it
-- touched on the channel `duecare_changes`, delivered to listeners when it commits (never for a
-- rolled-back one). A server keeps each queue page it computed until one of its keys arrives,
-- so a page is computed again only when something on it, or in its scope, changed.
--
-- Keys: `a:<agent>`, `g:<agency>` and `l:<lender>` for a case's scope (its ranking may move);
-- `c:<case>` for a case's actions (the next action's kind); `b:<borrower>` for a borrower's
-- name and phone, and their contact attempts (the last contact); `*` for everything. A payload holds up to 180
-- keys (under NOTIFY's 8,000 bytes); more go in several. PostgreSQL folds identical payloads of
-- one transaction into one.

create function notify_changes(keys text[]) returns void language plpgsql as $$
declare
  chunk_start integer := 1;
  total integer := coalesce(array_length(keys, 1), 0);
begin
  while chunk_start <= total loop
    perform pg_notify('duecare_changes', array_to_string(keys[chunk_start:chunk_start + 179], ' '));
    chunk_start := chunk_start + 180;
  end loop;
end;
$$;

create function notify_case_changes() returns trigger language plpgsql as $$
begin
  perform notify_changes(array(
    select distinct key from (
      select unnest(array['l:' || lender_id, 'a:' || assigned_agent_id, 'g:' || agency_id]) as key from changed_cases
    ) keys where key is not null order by key));
  return null;
end;
$$;
create trigger collection_cases_notify_insert after insert on collection_cases referencing new table as changed_cases
  for each statement execute function notify_case_changes();
create trigger collection_cases_notify_update_new after update on collection_cases referencing new table as changed_cases
  for each statement execute function notify_case_changes();
-- A reassigned case leaves its old agent's queue as well.
create trigger collection_cases_notify_update_old after update on collection_cases referencing old table as changed_cases
  for each statement execute function notify_case_changes();
create trigger collection_cases_notify_delete after delete on collection_cases referencing old table as changed_cases
  for each statement execute function notify_case_changes();

create function notify_case_action_changes() returns trigger language plpgsql as $$
begin
  perform notify_changes(array(select distinct 'c:' || case_id from changed_actions order by 1));
  return null;
end;
$$;
create trigger case_actions_notify_insert after insert on case_actions referencing new table as changed_actions
  for each statement execute function notify_case_action_changes();
create trigger case_actions_notify_update after update on case_actions referencing new table as changed_actions
  for each statement execute function notify_case_action_changes();

create function notify_borrower_changes() returns trigger language plpgsql as $$
begin
  perform notify_changes(array(select distinct 'b:' || borrower_id from changed_rows order by 1));
  return null;
end;
$$;
create trigger contact_attempts_notify_insert after insert on contact_attempts referencing new table as changed_rows
  for each statement execute function notify_borrower_changes();
create trigger contact_attempts_notify_update after update on contact_attempts referencing new table as changed_rows
  for each statement execute function notify_borrower_changes();

create function notify_borrower_row_changes() returns trigger language plpgsql as $$
begin
  perform notify_changes(array(select distinct 'b:' || id from changed_rows order by 1));
  return null;
end;
$$;
create trigger borrowers_notify_update after update on borrowers referencing new table as changed_rows
  for each statement execute function notify_borrower_row_changes();

-- Sign-ins update staff rows all day; only a new display name shows in queues.
create function notify_staff_name_change() returns trigger language plpgsql as $$
begin
  perform pg_notify('duecare_changes', '*');
  return null;
end;
$$;
create trigger staff_users_notify_name after update of display_name on staff_users
  for each row when (old.display_name is distinct from new.display_name) execute function notify_staff_name_change();
