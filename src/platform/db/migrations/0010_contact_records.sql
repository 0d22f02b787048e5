-- Contact records (催记): what an agent logs after a call or visit. The result code is the
-- agent's vocabulary; the gateway's outcome (what the rules count) follows from it. The note is
-- free text about a person, so it is encrypted like any personal data.
alter table contact_attempts add column result_code text check (result_code in (
  'connected', 'no_answer', 'busy', 'switched_off', 'not_in_service', 'wrong_person', 'refused', 'hung_up', 'voicemail'));
alter table contact_attempts add column right_party_contact boolean;
alter table contact_attempts add column overdue_reason text check (overdue_reason in (
  'income_drop', 'illness', 'unemployment', 'family_emergency', 'forgot', 'dispute', 'suspected_fraud', 'refuses', 'other'));
alter table contact_attempts add column attitude text check (attitude in ('cooperative', 'neutral', 'evasive', 'hostile'));
alter table contact_attempts add column note_enc text;
alter table contact_attempts add column logged_at timestamptz;
