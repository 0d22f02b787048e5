-- Change notifications for signed-in sessions (see migration 0023): a server keeps each session
-- it resolved, with its user's roles and scope, until one of these arrives. `u:<staff user>` when
-- a staff user's sessions end or the user's roles, scope, name or active flag change;
-- `p:<borrower>` when a borrower's portal sessions end. A sign-in adds a session and updates
-- the login counters, which nothing kept depends on (the expired sessions it clears do notify).

create function notify_session_changes() returns trigger language plpgsql as $$
begin
  perform notify_changes(array(
    select distinct case subject_type when 'staff' then 'u:' else 'p:' end || subject_id from ended_sessions order by 1));
  return null;
end;
$$;
create trigger sessions_notify_delete after delete on sessions referencing old table as ended_sessions
  for each statement execute function notify_session_changes();
create trigger sessions_notify_update after update on sessions referencing old table as ended_sessions
  for each statement execute function notify_session_changes();

create function notify_staff_access_change() returns trigger language plpgsql as $$
begin
  perform pg_notify('duecare_changes', 'u:' || new.id);
  return null;
end;
$$;
create trigger staff_users_notify_access after update on staff_users
  for each row when ((old.lender_id, old.agency_id, old.username, old.roles, old.is_active)
                     is distinct from (new.lender_id, new.agency_id, new.username, new.roles, new.is_active))
  execute function notify_staff_access_change();
