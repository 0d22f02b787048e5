-- Case queues (队列) and teams: a lender's rules route each open case to a queue by bucket,
-- product, amount band, region, language and score band; a queue's team works its cases. A
-- case no queue takes stays in the general pool. Routing runs before each assignment, so a case
-- that rolls from M1 into M2 moves to the M2 queue's team (unless a supervisor holds it).
create table teams (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  -- An agency's team works that agency's cases only.
  agency_id uuid references agencies(id),
  code text not null,
  name text not null,
  created_at timestamptz not null,
  unique (lender_id, code)
);
alter table staff_users add column team_id uuid references teams(id);

create table case_queues (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  code text not null,
  name text not null,
  -- Tried lowest first; ties by code.
  priority integer not null check (priority between 0 and 100000),
  -- {buckets, productCodes, overdueMinMinor, overdueMaxMinor, regionCodes, languages, scoreMin, scoreMax}; amounts as strings.
  criteria jsonb not null,
  team_id uuid references teams(id),
  is_active boolean not null default true,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (lender_id, code)
);

alter table collection_cases add column queue_id uuid references case_queues(id);
create index collection_cases_queue on collection_cases (queue_id) where queue_id is not null;

-- The province a borrower's resident ID was issued in (its first two digits), kept in the clear
-- for routing: it names one of 34 provinces, not a person.
alter table borrowers add column region_code char(2);

alter table case_assignments drop constraint case_assignments_reason_check;
alter table case_assignments add constraint case_assignments_reason_check
  check (reason in ('automatic', 'returning_borrower', 'reassigned', 'unassigned', 'requeued'));
