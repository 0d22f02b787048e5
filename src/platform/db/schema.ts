// Row types of the database as Kysely sees them. int8 columns arrive as bigint, numeric as
// string (exact), date as 'YYYY-MM-DD' string, timestamptz as Date — on both engines.
import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type PlainDate = ColumnType<string, string, string>;
type Json = ColumnType<unknown, string, string>;

export interface LendersTable {
  id: string;
  code: string;
  name: string;
  name_en: string;
  time_zone: Generated<string>;
  currency: Generated<string>;
  created_at: Timestamp;
  closed_through: ColumnType<string | null, string | null | undefined, string | null>;
  close_settings: ColumnType<unknown, string | undefined, string>;
  compliance_settings: ColumnType<unknown, string | undefined, string>;
  repayment_link: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AgenciesTable {
  id: string;
  lender_id: string;
  name: string;
  created_at: Timestamp;
}

export interface StaffUsersTable {
  id: string;
  lender_id: string;
  agency_id: string | null;
  username: string;
  display_name: string;
  password_hash: string;
  roles: string[];
  locale: Generated<string>;
  is_active: Generated<boolean>;
  failed_login_count: Generated<number>;
  locked_until: Timestamp | null;
  last_login_at: Timestamp | null;
  training_completed_on: PlainDate | null;
  case_capacity: Generated<number>;
  team_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
}

export interface BorrowersTable {
  id: string;
  lender_id: string;
  external_ref: string;
  name_enc: string;
  national_id_enc: string;
  national_id_index: string;
  phone_enc: string;
  phone_index: string;
  address_enc: string | null;
  email_enc: string | null;
  email_index: string | null;
  birth_date: PlainDate | null;
  locale: Generated<string>;
  time_zone: Generated<string>;
  region_code: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
}

export interface SessionsTable {
  token_hash: string;
  subject_type: "staff" | "borrower";
  subject_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
}

export interface LoginThrottleTable {
  throttle_key: string;
  window_start: Timestamp;
  failures: number;
}

export interface BorrowerOneTimeCodesTable {
  id: string;
  phone_index: string;
  code_hash: string;
  expires_at: Timestamp;
  attempts: Generated<number>;
  consumed_at: Timestamp | null;
  created_at: Timestamp;
}

export interface DevelopmentOutboxTable {
  id: string;
  channel: "sms" | "email" | "voice";
  recipient_enc: string;
  recipient_masked: string;
  purpose: string;
  body_enc: string;
  created_at: Timestamp;
  /** The gateway decision the message was sent under (rows from before the gateway have none). */
  decision_id: string | null;
  /** A reminder's idempotency key: the outbox keeps one row per key. */
  idempotency_key: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ProductsTable {
  id: string;
  lender_id: string;
  code: string;
  name: string;
  name_en: string;
  repayment_method: "equal_installment" | "equal_principal" | "interest_first" | "bullet" | "credit_card";
  term_months: number;
  annual_rate: string;
  currency: string;
  terms: ColumnType<unknown, string | undefined, string>;
  created_at: Timestamp;
}

export interface LoanAccountsTable {
  id: string;
  lender_id: string;
  borrower_id: string;
  product_id: string;
  external_ref: string;
  principal_minor: ColumnType<bigint, bigint | string, bigint | string>;
  currency: string;
  opened_on: PlainDate;
  status: "active" | "overdue" | "paid_off" | "written_off";
  annual_rate: string | null;
  term_months: number | null;
  repayment_method: string | null;
  ledger_synced_on: PlainDate | null;
  created_at: Timestamp;
}

export interface LoanInstallmentsTable {
  loan_id: string;
  number: number;
  due_date: PlainDate;
  principal_minor: ColumnType<bigint, bigint, never>;
  interest_minor: ColumnType<bigint, bigint, never>;
}

export interface PaymentsTable {
  id: string;
  lender_id: string;
  loan_id: string;
  idempotency_key: string;
  payload_hash: string;
  amount_minor: ColumnType<bigint, bigint, never>;
  currency: string;
  received_on: PlainDate;
  source: string;
  purpose: Generated<"regular" | "payoff">;
  recorded_at: Timestamp;
}

export interface PaymentReversalsTable {
  payment_id: string;
  reason_code: string;
  note: string | null;
  reversed_on: PlainDate;
  recorded_at: Timestamp;
  actor_id: string | null;
}

export interface JournalEntriesTable {
  id: string;
  lender_id: string;
  loan_id: string;
  event_key: string;
  kind: "disbursement" | "interest_due" | "accrual" | "payment" | "credit_applied" | "reversal";
  effective_on: PlainDate;
  recorded_at: Timestamp;
  reverses_entry_id: string | null;
  reason_code: string | null;
  payment_id: string | null;
}

export interface PostingsTable {
  entry_id: string;
  /** 1-based position of the line within its entry. */
  line_no: number;
  account: string;
  installment_number: number | null;
  amount_minor: ColumnType<bigint, bigint, never>;
  currency: string;
}

export type CaseStatus = "new" | "in_progress" | "promised" | "promise_broken" | "plan_requested" | "plan_active" | "paused" | "resolved" | "closed";

export interface CollectionCasesTable {
  id: string;
  lender_id: string;
  borrower_id: string;
  agency_id: string | null;
  assigned_agent_id: string | null;
  status: CaseStatus;
  opened_on: PlainDate;
  created_at: Timestamp;
  closed_on: ColumnType<string | null, string | null | undefined, string | null>;
  close_reason: ColumnType<string | null, string | null | undefined, string | null>;
  assigned_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  hold_until: ColumnType<string | null, string | null | undefined, string | null>;
  queue_id: ColumnType<string | null, string | null | undefined, string | null>;
  // The queue's sort keys, kept by triggers (migration 0018); the application never writes them.
  overdue_minor: Generated<bigint>;
  overdue_since: ColumnType<string | null, never, never>;
  bucket: Generated<string>;
  next_action_at: ColumnType<Date | null, never, never>;
  promise_due_on: ColumnType<string | null, never, never>;
}

export interface AccountCloseStateTable {
  loan_id: string;
  lender_id: string;
  borrower_id: string;
  product_id: string;
  facts: Json;
  state: Json;
  state_on: PlainDate;
  next_event_on: string | null;
  overdue_since: string | null;
  dpd: Generated<number>;
  bucket: Generated<string>;
  overdue_minor: Generated<bigint>;
  outstanding_minor: Generated<bigint>;
  status: Generated<"current" | "overdue" | "paid_off" | "written_off">;
  write_off_candidate: Generated<boolean>;
  closed_on: string | null;
}

export interface CloseRunsTable {
  id: string;
  lender_id: string;
  business_date: PlainDate;
  mode: "event_driven" | "full_scan";
  status: "running" | "completed";
  partition_count: number;
  started_at: Timestamp;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  totals: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface ClosePartitionsTable {
  run_id: string;
  partition_no: number;
  range_start: string;
  range_end: string | null;
  status: "pending" | "done";
  accounts_touched: number | null;
  rows_written: number | null;
  counts: ColumnType<unknown, string | null | undefined, string | null>;
  step_ms: ColumnType<unknown, string | null | undefined, string | null>;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface AccountEventsTable {
  id: Generated<bigint>;
  lender_id: string;
  loan_id: string | null;
  borrower_id: string;
  business_date: PlainDate;
  kind: string;
  details: Json;
  run_id: string | null;
}

export interface AuditLogTable {
  sequence: ColumnType<bigint, bigint | string, never>;
  occurred_at: Timestamp;
  actor_type: "staff" | "borrower" | "system";
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  reason: string | null;
  details: Json;
  ip: string | null;
  previous_hash: string;
  hash: string;
}

export interface BorrowerContactsTable {
  id: string;
  lender_id: string;
  borrower_id: string;
  kind: "self" | "guarantor" | "emergency" | "other" | "attorney";
  relationship: string | null;
  name_enc: string | null;
  phone_enc: string;
  phone_index: string;
  phone_masked: string;
  is_pre_agreed: Generated<boolean>;
  has_refused: Generated<boolean>;
  source: "import" | "agent" | "borrower" | "system";
  verification: Generated<"unverified" | "verified" | "invalid">;
  created_at: Timestamp;
  invalid_reason: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface BorrowerAddressesTable {
  id: string;
  lender_id: string;
  borrower_id: string;
  kind: "home" | "work" | "mailing";
  address_enc: string;
  address_masked: string;
  source: "import" | "agent" | "borrower" | "system";
  verification: Generated<"unverified" | "verified" | "invalid">;
  invalid_reason: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface ContactDetailChangesTable {
  id: string;
  sequence: Generated<bigint>;
  lender_id: string;
  borrower_id: string;
  target_type: "contact" | "address";
  target_id: string;
  action: "added" | "updated";
  changes: Json;
  actor_type: "staff" | "borrower" | "system";
  actor_id: string | null;
  note: string | null;
  recorded_at: Timestamp;
}

export interface ImportRunsTable {
  id: string;
  lender_id: string;
  kind: string;
  file_name: string;
  file_hash: string;
  rows_total: number;
  rows_inserted: number;
  rows_unchanged: number;
  actor_id: string | null;
  recorded_at: Timestamp;
}

export interface CardTransactionsTable {
  id: string;
  lender_id: string;
  loan_id: string;
  idempotency_key: string;
  payload_hash: string;
  posted_on: PlainDate;
  amount_minor: ColumnType<bigint, bigint, never>;
  description: string | null;
  recorded_at: Timestamp;
}

export type ContactChannel = "call" | "sms" | "email" | "voice_robot" | "letter" | "visit";
export type ContactPersonRole = "borrower" | "guarantor" | "emergency_contact" | "third_party" | "attorney";

export interface ContactDecisionsTable {
  id: string;
  lender_id: string;
  borrower_id: string | null;
  contact_id: string | null;
  person_role: ContactPersonRole;
  channel: ContactChannel;
  content_class: "collection" | "location_only" | "limited_content" | "plan_reminder" | "service";
  contact_at: Timestamp;
  decided_at: Timestamp;
  decision: "allow" | "block" | "defer" | "warn";
  reasons: ColumnType<unknown, string, never>;
  next_allowed_at: Timestamp | null;
  pack_id: string;
  pack_version: string;
  inputs: ColumnType<unknown, string, never>;
  requested_by: string | null;
  used_at: ColumnType<Date | null, Date | null | undefined, Date>;
}

export type ContactOutcomeColumn = "not_connected" | "no_answer" | "voicemail" | "limited_content_message" | "conversation" | "connected";

export interface ContactAttemptsTable {
  id: string;
  lender_id: string;
  borrower_id: string;
  contact_id: string | null;
  person_role: ContactPersonRole;
  channel: ContactChannel;
  direction: "outbound" | "inbound";
  content_class: string | null;
  decision_id: string | null;
  at: Timestamp;
  debt_ids: string[] | null;
  status: "blocked" | "deferred" | "in_progress" | "sent" | "completed";
  outcome: ContactOutcomeColumn | null;
  ended_by_consumer: Generated<boolean>;
  agent_id: string | null;
  created_at: Timestamp;
  result_code: ContactResultCode | null;
  right_party_contact: boolean | null;
  overdue_reason: OverdueReason | null;
  attitude: "cooperative" | "neutral" | "evasive" | "hostile" | null;
  note_enc: string | null;
  logged_at: Timestamp | null;
  /** The approved template version the message was rendered from; null for free text and calls. */
  template_version_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export type ContactResultCode = "connected" | "no_answer" | "busy" | "switched_off" | "not_in_service" | "wrong_person" | "refused" | "hung_up" | "voicemail";
export type OverdueReason = "income_drop" | "illness" | "unemployment" | "family_emergency" | "forgot" | "dispute" | "suspected_fraud" | "refuses" | "other";

export type ContactRestrictionKind =
  | "complaint_open"
  | "dispute_open"
  | "cease_requested"
  | "stop_calling"
  | "attorney_represented"
  | "deceased"
  | "plan_in_good_standing";

export interface ContactRestrictionsTable {
  id: string;
  lender_id: string;
  borrower_id: string;
  kind: ContactRestrictionKind;
  started_at: Timestamp;
  ended_at: Timestamp | null;
  note: string | null;
  recorded_by: string | null;
  ended_by: string | null;
}

export interface ContactConsentsTable {
  id: string;
  lender_id: string;
  borrower_id: string;
  contact_id: string | null;
  channel: ContactChannel;
  given_at: Timestamp;
  valid_from: Timestamp;
  valid_until: Timestamp | null;
  revoked_at: Timestamp | null;
  recorded_by: string | null;
}

export interface ContactPreferencesTable {
  id: string;
  lender_id: string;
  borrower_id: string;
  contact_id: string | null;
  time_zones: string[];
  opt_outs: string[];
  inconvenient_times: ColumnType<unknown, string | undefined, string>;
  agreed_schedule: ColumnType<unknown, string | null | undefined, string | null>;
  updated_at: Timestamp;
}

export interface CaseAssignmentsTable {
  id: Generated<bigint>;
  case_id: string;
  borrower_id: string;
  agent_id: string | null;
  assigned_at: Timestamp;
  assigned_by: string | null;
  reason: "automatic" | "returning_borrower" | "reassigned" | "unassigned" | "requeued";
}

export interface TeamsTable {
  id: string;
  lender_id: string;
  agency_id: string | null;
  code: string;
  name: string;
  created_at: Timestamp;
}

export interface CaseQueuesTable {
  id: string;
  lender_id: string;
  code: string;
  name: string;
  priority: number;
  criteria: ColumnType<unknown, string, string>;
  team_id: string | null;
  is_active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CaseActionsTable {
  id: string;
  case_id: string;
  kind: "callback" | "follow_up" | "visit" | "send_document";
  due_at: Timestamp;
  note: string | null;
  created_by: string | null;
  created_at: Timestamp;
  done_at: Timestamp | null;
  done_by: string | null;
}

export interface PromisesToPayTable {
  id: string;
  lender_id: string;
  borrower_id: string;
  case_id: string | null;
  loan_id: string | null;
  contact_attempt_id: string | null;
  promised_on: PlainDate;
  status: "pending" | "kept" | "broken" | "cancelled";
  recorded_by: string | null;
  created_at: Timestamp;
  resolved_on: PlainDate | null;
  cancel_reason: string | null;
}

export interface PromiseInstallmentsTable {
  promise_id: string;
  installment_no: number;
  due_on: PlainDate;
  amount_minor: ColumnType<bigint, bigint | string, bigint | string>;
  status: Generated<"pending" | "kept" | "broken" | "cancelled">;
  paid_minor: ColumnType<bigint | null, bigint | string | null | undefined, bigint | string | null>;
  checked_on: PlainDate | null;
}

export interface MessageTemplatesTable {
  id: string;
  lender_id: string;
  code: string;
  name: string;
  channel: "sms" | "email" | "voice_robot" | "letter";
  language: "zh-CN" | "en";
  purpose: "pre_due" | "overdue" | "plan_reminder" | "service";
  content_class: "collection" | "location_only" | "limited_content" | "plan_reminder";
  created_by: string;
  created_at: Timestamp;
  retired_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  retired_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface MessageTemplateVersionsTable {
  id: string;
  template_id: string;
  version: number;
  body: string;
  subject: string | null;
  variables: string[];
  status: "draft" | "pending_approval" | "approved" | "rejected" | "superseded" | "retired";
  created_by: string;
  created_at: Timestamp;
  submitted_by: ColumnType<string | null, string | null | undefined, string | null>;
  submitted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  decided_by: ColumnType<string | null, string | null | undefined, string | null>;
  decided_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  decision_note: ColumnType<string | null, string | null | undefined, string | null>;
  /** {pack, packVersion, passes, findings, checkedAt} of the last content check. */
  content_check: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface ReminderRunsTable {
  id: string;
  lender_id: string;
  business_date: PlainDate;
  status: "running" | "completed";
  resume_after: string | null;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  totals: Json | null;
}

export type ReminderChannel = "sms" | "email" | "voice_robot";
export type ReminderStatus = "planned" | "sending" | "sent" | "delivered" | "failed" | "skipped" | "cancelled";

export interface ReminderMessagesTable {
  id: string;
  lender_id: string;
  run_id: string;
  business_date: PlainDate;
  borrower_id: string;
  loan_id: string;
  case_id: string | null;
  strategy_id: string;
  strategy_version: number;
  variant_code: string;
  step_key: string;
  channel: ReminderChannel;
  template_version_id: string;
  content_class: string;
  language: "zh-CN" | "en";
  idempotency_key: string;
  scheduled_at: Timestamp;
  decision_id: string | null;
  decision: "allow" | "warn" | "defer" | "block" | null;
  reasons: Json | null;
  status: ReminderStatus;
  status_reason: string | null;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  claimed_at: Timestamp | null;
  provider: string | null;
  provider_message_id: string | null;
  sent_at: Timestamp | null;
  delivered_at: Timestamp | null;
  failed_at: Timestamp | null;
  error_code: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface InboundEventsTable {
  provider: string;
  event_id: string;
  lender_id: string | null;
  kind: "receipt" | "reply" | "stop" | "robot_outcome";
  message_id: string | null;
  borrower_id: string | null;
  channel: ReminderChannel;
  outcome: string | null;
  text_enc: string | null;
  from_masked: string | null;
  details: ColumnType<unknown, string | undefined, string>;
  received_at: Timestamp;
}

export interface StrategiesTable {
  id: string;
  lender_id: string;
  code: string;
  name: string;
  priority: number;
  /** The segment as stored: amounts as strings. */
  segment: Json;
  status: "draft" | "active" | "retired";
  version: number;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
}

export interface StrategyVariantsTable {
  id: string;
  strategy_id: string;
  code: string;
  share_basis_points: number;
  /** The cadence's steps. */
  cadence: Json;
}

export interface SchemaMigrationsTable {
  version: string;
  checksum: string;
  applied_at: Timestamp;
}

export interface Schema {
  lenders: LendersTable;
  agencies: AgenciesTable;
  staff_users: StaffUsersTable;
  borrowers: BorrowersTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  borrower_one_time_codes: BorrowerOneTimeCodesTable;
  development_outbox: DevelopmentOutboxTable;
  products: ProductsTable;
  loan_accounts: LoanAccountsTable;
  collection_cases: CollectionCasesTable;
  account_close_state: AccountCloseStateTable;
  close_runs: CloseRunsTable;
  close_partitions: ClosePartitionsTable;
  account_events: AccountEventsTable;
  loan_installments: LoanInstallmentsTable;
  payments: PaymentsTable;
  payment_reversals: PaymentReversalsTable;
  journal_entries: JournalEntriesTable;
  postings: PostingsTable;
  borrower_contacts: BorrowerContactsTable;
  borrower_addresses: BorrowerAddressesTable;
  contact_detail_changes: ContactDetailChangesTable;
  import_runs: ImportRunsTable;
  card_transactions: CardTransactionsTable;
  audit_log: AuditLogTable;
  contact_decisions: ContactDecisionsTable;
  contact_attempts: ContactAttemptsTable;
  contact_restrictions: ContactRestrictionsTable;
  contact_consents: ContactConsentsTable;
  contact_preferences: ContactPreferencesTable;
  promises_to_pay: PromisesToPayTable;
  case_assignments: CaseAssignmentsTable;
  teams: TeamsTable;
  case_queues: CaseQueuesTable;
  case_actions: CaseActionsTable;
  promise_installments: PromiseInstallmentsTable;
  message_templates: MessageTemplatesTable;
  message_template_versions: MessageTemplateVersionsTable;
  strategies: StrategiesTable;
  strategy_variants: StrategyVariantsTable;
  reminder_runs: ReminderRunsTable;
  reminder_messages: ReminderMessagesTable;
  inbound_events: InboundEventsTable;
  schema_migrations: SchemaMigrationsTable;
}
