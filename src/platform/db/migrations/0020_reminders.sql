-- Reminders (提醒): the planner's runs, the messages it plans, and what comes back from the
-- providers (delivery receipts, replies, robot outcomes). A reminder message is the durable
-- record of one contact a strategy planned: its gateway decision, its idempotency key (the same
-- key on every retry, so a provider that saw it never sends twice), and its delivery status.

create table reminder_runs (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  -- The day the contacts are for; the lender has closed the day before.
  business_date date not null,
  status text not null check (status in ('running', 'completed')),
  -- The planner walks the book by loan id; a run that stopped resumes after the last batch it stored.
  resume_after uuid,
  started_at timestamptz not null,
  finished_at timestamptz,
  totals jsonb,
  unique (lender_id, business_date)
);

-- A million rows a day: references are the planner's own reads, checked when it plans, not
-- foreign keys (a per-row foreign key lookup measured dearer than the insert, see 0008).
create table reminder_messages (
  id uuid primary key,
  lender_id uuid not null,
  run_id uuid not null,
  business_date date not null,
  borrower_id uuid not null,
  loan_id uuid not null,
  case_id uuid,
  strategy_id uuid not null,
  strategy_version integer not null,
  variant_code text not null,
  step_key text not null,
  channel text not null check (channel in ('sms', 'email', 'voice_robot')),
  template_version_id uuid not null,
  content_class text not null,
  language text not null check (language in ('zh-CN', 'en')),
  -- Unique per lender, date, loan and step: a re-plan or a retry reuses it.
  idempotency_key text not null unique check (length(idempotency_key) <= 100),
  scheduled_at timestamptz not null,
  decision_id uuid,
  decision text check (decision in ('allow', 'warn', 'defer', 'block')),
  -- The gateway's reasons when it refused (the decision row keeps them all).
  reasons jsonb,
  status text not null check (status in ('planned', 'sending', 'sent', 'delivered', 'failed', 'skipped', 'cancelled')),
  status_reason text,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  claimed_at timestamptz,
  provider text,
  provider_message_id text,
  sent_at timestamptz,
  delivered_at timestamptz,
  failed_at timestamptz,
  error_code text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index reminder_messages_run on reminder_messages (run_id, status);
create index reminder_messages_due on reminder_messages (next_attempt_at) where status in ('planned', 'sending');
create index reminder_messages_day on reminder_messages (lender_id, business_date, strategy_id, variant_code);
create index reminder_messages_provider on reminder_messages (provider, provider_message_id) where provider_message_id is not null;
create index reminder_messages_borrower on reminder_messages (borrower_id, scheduled_at);

-- What providers send back, once each: a webhook delivered twice is stored once.
create table inbound_events (
  provider text not null,
  event_id text not null,
  lender_id uuid references lenders(id),
  kind text not null check (kind in ('receipt', 'reply', 'stop', 'robot_outcome')),
  message_id uuid,
  borrower_id uuid references borrowers(id),
  channel text not null check (channel in ('sms', 'email', 'voice_robot')),
  -- Receipt status or robot outcome.
  outcome text,
  -- A reply's text is personal data: encrypted, like every message body.
  text_enc text,
  from_masked text,
  details jsonb not null default '{}'::jsonb,
  received_at timestamptz not null,
  primary key (provider, event_id)
);
create index inbound_events_message on inbound_events (message_id) where message_id is not null;
create index inbound_events_lender on inbound_events (lender_id, received_at desc);
create index inbound_events_borrower on inbound_events (borrower_id, received_at) where borrower_id is not null;

-- The development outbox takes robot calls too (voice is the outbox's old name for it).
alter table development_outbox add column idempotency_key text;
create unique index development_outbox_idempotency on development_outbox (idempotency_key) where idempotency_key is not null;
