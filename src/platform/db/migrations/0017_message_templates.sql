-- Message templates (话术模板): per lender, channel and language, with versions that are never
-- edited. A version is drafted, submitted, and approved or rejected by a compliance officer who
-- did not write or submit it; approval stores the content check it passed. Changing a template
-- makes a new draft, and the approved version stays in use until the new one is approved.
create table message_templates (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  code text not null check (code ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
  name text not null,
  channel text not null check (channel in ('sms', 'email', 'voice_robot', 'letter')),
  language text not null check (language in ('zh-CN', 'en')),
  purpose text not null check (purpose in ('pre_due', 'overdue', 'plan_reminder', 'service')),
  -- What the gateway and the content check take the message to be.
  content_class text not null check (content_class in ('collection', 'location_only', 'limited_content', 'plan_reminder')),
  created_by uuid not null references staff_users(id),
  created_at timestamptz not null,
  -- A retired template is not sent again; its versions stay for the record.
  retired_at timestamptz,
  retired_by uuid references staff_users(id),
  unique (lender_id, code, channel, language)
);

create table message_template_versions (
  id uuid primary key,
  template_id uuid not null references message_templates(id),
  version integer not null check (version >= 1),
  body text not null,
  -- E-mail only.
  subject text,
  -- The variables the body and subject use, as parsed when the version was made.
  variables text[] not null,
  status text not null check (status in ('draft', 'pending_approval', 'approved', 'rejected', 'superseded', 'retired')),
  created_by uuid not null references staff_users(id),
  created_at timestamptz not null,
  submitted_by uuid references staff_users(id),
  submitted_at timestamptz,
  decided_by uuid references staff_users(id),
  decided_at timestamptz,
  decision_note text,
  -- The last content check of the version rendered with sample values: pack, findings, when.
  content_check jsonb,
  unique (template_id, version),
  check (status not in ('approved', 'rejected') or (decided_by is not null and decided_at is not null)),
  -- Four-eyes, in the database too.
  check (status <> 'approved' or (decided_by <> created_by and decided_by <> coalesce(submitted_by, created_by)))
);
-- One version in use and one in the works per template.
create unique index message_template_versions_approved on message_template_versions (template_id) where status = 'approved';
create unique index message_template_versions_open on message_template_versions (template_id) where status in ('draft', 'pending_approval');

-- A version's text is what was approved: it never changes after it is written.
create function keep_template_version_text() returns trigger language plpgsql as $$
begin
  if new.body is distinct from old.body or new.subject is distinct from old.subject or new.template_id <> old.template_id
     or new.version <> old.version or new.created_by <> old.created_by then
    raise exception 'template version % is immutable; make a new version', old.id using errcode = '55000';
  end if;
  return new;
end;
$$;
create trigger message_template_versions_immutable before update on message_template_versions
  for each row execute function keep_template_version_text();

-- The link a template's {{repaymentLink}} stands for (the lender's borrower portal or payment page).
alter table lenders add column repayment_link text;

-- Which approved template version a contact attempt sent (null: free text or a call).
alter table contact_attempts add column template_version_id uuid references message_template_versions(id);
