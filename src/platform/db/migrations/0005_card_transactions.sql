-- Purchases on revolving credit-card accounts (a loan account whose product is credit_card;
-- its principal_minor is the credit limit). Append-only, one row per idempotency key.
create table card_transactions (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  loan_id uuid not null references loan_accounts(id),
  idempotency_key text not null,
  payload_hash char(64) not null,
  posted_on date not null,
  amount_minor bigint not null check (amount_minor > 0),
  description text,
  recorded_at timestamptz not null,
  unique (lender_id, idempotency_key)
);
create index card_transactions_loan on card_transactions (loan_id, posted_on);
create trigger card_transactions_append_only before update or delete or truncate on card_transactions
  for each statement execute function refuse_ledger_change();
