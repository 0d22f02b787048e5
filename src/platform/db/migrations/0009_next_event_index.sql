-- A partition's scan for due accounts filters its account-id range inside the index, so the
-- entries of other partitions (and the old versions the last close left) are skipped without
-- a visit to the table. loan_id never changes, so carrying it costs updates nothing more.
drop index account_close_state_next_event;
create index account_close_state_next_event on account_close_state (lender_id, next_event_on, loan_id);
