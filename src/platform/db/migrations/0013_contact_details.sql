-- Contact details an agent keeps up to date: why a phone was marked invalid, a borrower's
-- addresses (home, work, mailing) encrypted like phones, and an append-only history of every
-- change to either (who, when, from what to what), written in the transaction of the change.

alter table borrower_contacts add column invalid_reason text
  check (invalid_reason in ('wrong_number', 'not_in_service', 'not_the_person', 'other'));
alter table borrower_contacts add column updated_at timestamptz;
-- A reason only explains an invalid number; older invalid rows may have none.
alter table borrower_contacts add constraint borrower_contacts_reason_only_when_invalid
  check (invalid_reason is null or verification = 'invalid');

create table borrower_addresses (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  borrower_id uuid not null references borrowers(id),
  kind text not null check (kind in ('home', 'work', 'mailing')),
  -- AES-GCM bound to "address:<id>:address"; the masked form is what most roles see.
  address_enc text not null,
  address_masked text not null,
  source text not null check (source in ('import', 'agent', 'borrower', 'system')),
  verification text not null default 'unverified' check (verification in ('unverified', 'verified', 'invalid')),
  invalid_reason text check (invalid_reason in ('not_found', 'moved', 'not_the_person', 'other')),
  created_at timestamptz not null,
  updated_at timestamptz,
  check (invalid_reason is null or verification = 'invalid')
);
create index borrower_addresses_borrower on borrower_addresses (borrower_id);

-- Values here are masked (phones and addresses) or codes: no identifier in plaintext.
create table contact_detail_changes (
  id uuid primary key,
  -- Order of writing: changes in one instant (one request) keep their order.
  sequence bigint generated always as identity,
  lender_id uuid not null references lenders(id),
  borrower_id uuid not null references borrowers(id),
  target_type text not null check (target_type in ('contact', 'address')),
  target_id uuid not null,
  action text not null check (action in ('added', 'updated')),
  changes jsonb not null,
  actor_type text not null check (actor_type in ('staff', 'borrower', 'system')),
  actor_id text,
  note text,
  recorded_at timestamptz not null
);
create index contact_detail_changes_target on contact_detail_changes (target_id, sequence);
create index contact_detail_changes_borrower on contact_detail_changes (borrower_id, sequence);

create function refuse_contact_detail_change() returns trigger language plpgsql as $$
begin
  raise exception 'contact_detail_changes is append-only: % refused', tg_op using errcode = 'P0001';
end;
$$;
create trigger contact_detail_changes_append_only before update or delete or truncate on contact_detail_changes
  for each statement execute function refuse_contact_detail_change();
