-- Contacts of a borrower beyond their own phone (guarantor, emergency contacts with their
-- relationship and whether they were pre-agreed), and a record of every import run.

create table borrower_contacts (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  borrower_id uuid not null references borrowers(id),
  kind text not null check (kind in ('self', 'guarantor', 'emergency', 'other')),
  relationship text check (relationship in ('spouse', 'parent', 'child', 'sibling', 'relative', 'friend', 'colleague', 'other')),
  name_enc text,
  phone_enc text not null,
  phone_index char(64) not null,
  phone_masked text not null,
  is_pre_agreed boolean not null default false,
  has_refused boolean not null default false,
  source text not null check (source in ('import', 'agent', 'borrower', 'system')),
  verification text not null default 'unverified' check (verification in ('unverified', 'verified', 'invalid')),
  created_at timestamptz not null,
  unique (borrower_id, phone_index),
  check (kind <> 'emergency' or relationship is not null)
);
create index borrower_contacts_borrower on borrower_contacts (borrower_id);

create table import_runs (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  kind text not null,
  file_name text not null,
  file_hash char(64) not null,
  rows_total integer not null,
  rows_inserted integer not null,
  rows_unchanged integer not null,
  actor_id text,
  recorded_at timestamptz not null
);
