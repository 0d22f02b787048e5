-- Foundation: lenders, staff and borrower identity, sessions, one-time codes, the development
-- outbox, the hash-chained audit log, and the first loan-book tables that data scopes act on.
-- Personal identifiers are stored only as AES-256-GCM ciphertext (*_enc) plus keyed blind
-- indexes (*_index) for lookup; no plaintext column exists for them.

create table lenders (
  id uuid primary key,
  code text not null unique,
  name text not null,
  name_en text not null,
  time_zone text not null default 'Asia/Shanghai',
  currency char(3) not null default 'CNY',
  created_at timestamptz not null
);

create table agencies (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  name text not null,
  created_at timestamptz not null
);

create table staff_users (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  agency_id uuid references agencies(id),
  username text not null unique,
  display_name text not null,
  password_hash text not null,
  roles text[] not null,
  locale text not null default 'zh-CN',
  is_active boolean not null default true,
  failed_login_count integer not null default 0,
  locked_until timestamptz,
  last_login_at timestamptz,
  training_completed_on date,
  created_at timestamptz not null,
  constraint staff_users_roles_valid check (
    cardinality(roles) > 0 and roles <@ array['agent','supervisor','compliance','complaint_handler','strategist','admin']::text[]
  )
);

create table borrowers (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  external_ref text not null,
  name_enc text not null,
  national_id_enc text not null,
  national_id_index char(64) not null,
  phone_enc text not null,
  phone_index char(64) not null,
  address_enc text,
  email_enc text,
  email_index char(64),
  birth_date date,
  locale text not null default 'zh-CN',
  time_zone text not null default 'Asia/Shanghai',
  created_at timestamptz not null,
  unique (lender_id, external_ref),
  unique (lender_id, national_id_index)
);
create index borrowers_phone_index on borrowers (phone_index);

create table sessions (
  token_hash char(64) primary key,
  subject_type text not null check (subject_type in ('staff', 'borrower')),
  subject_id uuid not null,
  csrf_token text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  ip text
);
create index sessions_subject on sessions (subject_type, subject_id);

-- Failed logins per network address in fixed windows: throttling that works across processes.
create table login_throttle (
  throttle_key text not null,
  window_start timestamptz not null,
  failures integer not null,
  primary key (throttle_key, window_start)
);

create table borrower_one_time_codes (
  id uuid primary key,
  phone_index char(64) not null,
  code_hash char(64) not null,
  expires_at timestamptz not null,
  attempts integer not null default 0,
  consumed_at timestamptz,
  created_at timestamptz not null
);
create index borrower_one_time_codes_phone on borrower_one_time_codes (phone_index, created_at desc);

-- Messages that would leave the platform while no real channel is configured (development).
create table development_outbox (
  id uuid primary key,
  channel text not null check (channel in ('sms', 'email', 'voice')),
  recipient_enc text not null,
  recipient_masked text not null,
  purpose text not null,
  body_enc text not null,
  created_at timestamptz not null
);

create table products (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  code text not null,
  name text not null,
  name_en text not null,
  repayment_method text not null check (repayment_method in ('equal_installment','equal_principal','interest_first','bullet','credit_card')),
  term_months integer not null check (term_months > 0),
  annual_rate numeric(9,6) not null check (annual_rate >= 0),
  currency char(3) not null,
  created_at timestamptz not null,
  unique (lender_id, code)
);

create table loan_accounts (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  borrower_id uuid not null references borrowers(id),
  product_id uuid not null references products(id),
  external_ref text not null,
  principal_minor bigint not null check (principal_minor > 0),
  currency char(3) not null,
  opened_on date not null,
  status text not null check (status in ('active','overdue','paid_off','written_off')),
  created_at timestamptz not null,
  unique (lender_id, external_ref)
);
create index loan_accounts_borrower on loan_accounts (borrower_id);

create table collection_cases (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  borrower_id uuid not null references borrowers(id),
  agency_id uuid references agencies(id),
  assigned_agent_id uuid references staff_users(id),
  status text not null check (status in ('new','in_progress','promised','promise_broken','plan_requested','plan_active','paused','resolved','closed')),
  opened_on date not null,
  created_at timestamptz not null
);
create index collection_cases_agent on collection_cases (assigned_agent_id);
create index collection_cases_borrower on collection_cases (borrower_id);

create table audit_log (
  sequence bigint primary key,
  occurred_at timestamptz not null,
  actor_type text not null check (actor_type in ('staff', 'borrower', 'system')),
  actor_id text,
  action text not null,
  target_type text,
  target_id text,
  reason text,
  details jsonb not null default '{}'::jsonb,
  ip text,
  previous_hash char(64) not null,
  hash char(64) not null unique
);

create function refuse_audit_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'P0001';
end;
$$;
create trigger audit_log_append_only before update or delete or truncate on audit_log
  for each statement execute function refuse_audit_change();
