-- Callbacks and next actions on a case: what an agent arranged to do and when. The agent's queue
-- puts what is due first.
create table case_actions (
  id uuid primary key,
  case_id uuid not null references collection_cases(id),
  kind text not null check (kind in ('callback', 'follow_up', 'visit', 'send_document')),
  due_at timestamptz not null,
  note text,
  created_by uuid references staff_users(id),
  created_at timestamptz not null,
  done_at timestamptz,
  done_by uuid references staff_users(id)
);
create index case_actions_open on case_actions (case_id, due_at) where done_at is null;
