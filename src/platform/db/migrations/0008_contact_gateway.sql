-- The contact gateway (规范化催收): every contact toward a person asks first, and the decision
-- is kept with the inputs it used. Contact attempts point at their decision; restrictions,
-- consents and preferences are the facts the rules read. Decisions and attempts are records of
-- what happened: the application appends them and only fills in what becomes known later (an
-- attempt's outcome, the moment a decision was used to send).

-- A lender's rule pack, its overrides (which may only tighten) and whether it collects its own
-- debts (outside US Regulation F).
alter table lenders add column compliance_settings jsonb not null default '{}'::jsonb;

-- An attorney who represents the borrower is a contact of theirs too.
alter table borrower_contacts drop constraint borrower_contacts_kind_check;
alter table borrower_contacts add constraint borrower_contacts_kind_check
  check (kind in ('self', 'guarantor', 'emergency', 'other', 'attorney'));

-- A day's plan stores a million decisions, so their references (lender, borrower, contact,
-- requester) are checked once per statement by contact_decisions_references below, not by
-- foreign keys: a foreign key is a row trigger that looks up and share-locks the borrower's row
-- for every decision, which measured 40% of a batch insert's time.
create table contact_decisions (
  id uuid primary key,
  lender_id uuid not null,
  borrower_id uuid,
  -- null: the borrower in person; otherwise one of their contacts.
  contact_id uuid,
  person_role text not null check (person_role in ('borrower', 'guarantor', 'emergency_contact', 'third_party', 'attorney')),
  channel text not null check (channel in ('call', 'sms', 'email', 'voice_robot', 'letter', 'visit')),
  content_class text not null check (content_class in ('collection', 'location_only', 'limited_content', 'plan_reminder', 'service')),
  -- When the contact would happen (now, or a scheduled visit or letter), and when it was decided.
  contact_at timestamptz not null,
  decided_at timestamptz not null,
  decision text not null check (decision in ('allow', 'block', 'defer', 'warn')),
  reasons jsonb not null,
  next_allowed_at timestamptz,
  pack_id text not null,
  pack_version text not null,
  -- The scenario the engine saw: facts, history, consents and preferences, without identifiers'
  -- plaintext (persons are ids, text is the message as it would be sent).
  inputs jsonb not null,
  requested_by uuid,
  -- Set once, when a channel adapter sends under this decision; a decision is used at most once.
  used_at timestamptz,
  check (decision in ('allow', 'warn') or used_at is null)
);
create index contact_decisions_review on contact_decisions (lender_id, decided_at desc) where decision in ('block', 'defer', 'warn');
create index contact_decisions_borrower on contact_decisions (borrower_id, decided_at desc);

-- The same guarantees as the foreign keys, and more: a decision's borrower belongs to its lender
-- and its contact to its borrower. Lenders, borrowers, contacts and staff users have no delete
-- path (people leave by having their identifiers erased, not their rows).
create function check_decision_references() returns trigger language plpgsql as $$
declare
  bad record;
begin
  select d.id, d.lender_id into bad from inserted d
    where not exists (select 1 from lenders l where l.id = d.lender_id) limit 1;
  if found then
    raise exception 'contact decision % refers to lender %, which does not exist', bad.id, bad.lender_id using errcode = '23503';
  end if;
  select d.id, d.borrower_id into bad from inserted d
    where d.borrower_id is not null
      and not exists (select 1 from borrowers b where b.id = d.borrower_id and b.lender_id = d.lender_id) limit 1;
  if found then
    raise exception 'contact decision % refers to borrower %, who does not exist for its lender', bad.id, bad.borrower_id using errcode = '23503';
  end if;
  select d.id, d.contact_id into bad from inserted d
    where d.contact_id is not null
      and not exists (select 1 from borrower_contacts c where c.id = d.contact_id and c.borrower_id = d.borrower_id) limit 1;
  if found then
    raise exception 'contact decision % refers to contact %, who is not a contact of its borrower', bad.id, bad.contact_id using errcode = '23503';
  end if;
  select d.id, d.requested_by into bad from inserted d
    where d.requested_by is not null and not exists (select 1 from staff_users u where u.id = d.requested_by) limit 1;
  if found then
    raise exception 'contact decision % was requested by %, who is not a staff user', bad.id, bad.requested_by using errcode = '23503';
  end if;
  return null;
end;
$$;
create trigger contact_decisions_references after insert on contact_decisions referencing new table as inserted
  for each statement execute function check_decision_references();

create table contact_attempts (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  borrower_id uuid not null references borrowers(id),
  contact_id uuid references borrower_contacts(id),
  person_role text not null,
  channel text not null check (channel in ('call', 'sms', 'email', 'voice_robot', 'letter', 'visit')),
  direction text not null check (direction in ('outbound', 'inbound')),
  content_class text,
  -- Outbound attempts exist only under a decision, including the refused ones.
  decision_id uuid references contact_decisions(id),
  at timestamptz not null,
  -- The loans it concerned; null: all of the borrower's.
  debt_ids uuid[],
  status text not null check (status in ('blocked', 'deferred', 'in_progress', 'sent', 'completed')),
  outcome text check (outcome in ('not_connected', 'no_answer', 'voicemail', 'limited_content_message', 'conversation', 'connected')),
  ended_by_consumer boolean not null default false,
  agent_id uuid references staff_users(id),
  created_at timestamptz not null,
  check (direction = 'inbound' or decision_id is not null)
);
-- A decision reads the borrower's last 14 days of contacts. The columns the rules read are in
-- the index, so that read is an index-only scan over the borrower's entries (once the visibility
-- map is current) rather than one heap page per attempt: a live table writes a borrower's
-- attempts days apart, onto different pages.
create index contact_attempts_history on contact_attempts (borrower_id, at)
  include (status, channel, direction, contact_id, outcome, ended_by_consumer, debt_ids);

-- What pauses or limits collection: open complaints and disputes, cease and stop-calling
-- requests, representation, death, a repayment plan in good standing.
create table contact_restrictions (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  borrower_id uuid not null references borrowers(id),
  kind text not null check (kind in ('complaint_open', 'dispute_open', 'cease_requested', 'stop_calling', 'attorney_represented', 'deceased', 'plan_in_good_standing')),
  started_at timestamptz not null,
  ended_at timestamptz,
  note text,
  recorded_by uuid references staff_users(id),
  ended_by uuid references staff_users(id)
);
create unique index contact_restrictions_active on contact_restrictions (borrower_id, kind) where ended_at is null;
create index contact_restrictions_borrower on contact_restrictions (borrower_id, started_at);

-- Consent to be called (US Regulation F 1006.14(b)(3)(i)): given directly, for a period.
create table contact_consents (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  borrower_id uuid not null references borrowers(id),
  contact_id uuid references borrower_contacts(id),
  channel text not null check (channel in ('call', 'sms', 'email', 'voice_robot', 'letter', 'visit')),
  given_at timestamptz not null,
  valid_from timestamptz not null,
  valid_until timestamptz,
  revoked_at timestamptz,
  recorded_by uuid references staff_users(id)
);
create index contact_consents_borrower on contact_consents (borrower_id);

-- A person's own terms: the zones they may be in, channels they opted out of, times they named
-- as inconvenient, a contact schedule they agreed to.
create table contact_preferences (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  borrower_id uuid not null references borrowers(id),
  contact_id uuid references borrower_contacts(id),
  time_zones text[] not null default '{}',
  opt_outs text[] not null default '{}',
  inconvenient_times jsonb not null default '[]'::jsonb,
  agreed_schedule jsonb,
  updated_at timestamptz not null
);
create unique index contact_preferences_person on contact_preferences (borrower_id, coalesce(contact_id, '00000000-0000-0000-0000-000000000000'::uuid));

-- Nothing reaches the outbox without the decision it was sent under (rows from before the
-- gateway keep none).
alter table development_outbox add column decision_id uuid references contact_decisions(id);
alter table development_outbox add constraint development_outbox_decided check (decision_id is not null) not valid;
