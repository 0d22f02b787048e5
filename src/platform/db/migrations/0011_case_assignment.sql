-- Case assignment (分案): every change of a case's agent is a row here, so a returning borrower
-- can go back to the agent who knew them and every move is on record. Agents have a capacity
-- of open cases; a case hold (留案) keeps a case with its agent through automatic reassignment.
alter table staff_users add column case_capacity integer not null default 200 check (case_capacity >= 0);
alter table collection_cases add column assigned_at timestamptz;
alter table collection_cases add column hold_until date;

create table case_assignments (
  id bigint generated always as identity primary key,
  case_id uuid not null references collection_cases(id),
  borrower_id uuid not null references borrowers(id),
  agent_id uuid references staff_users(id),
  assigned_at timestamptz not null,
  -- null: the system (automatic assignment after the daily close).
  assigned_by uuid references staff_users(id),
  reason text not null check (reason in ('automatic', 'returning_borrower', 'reassigned', 'unassigned'))
);
create index case_assignments_borrower on case_assignments (borrower_id, assigned_at desc);
create index collection_cases_unassigned on collection_cases (lender_id) where assigned_agent_id is null;
