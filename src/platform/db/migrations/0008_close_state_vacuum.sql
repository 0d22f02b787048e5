-- Every close rewrites the rows of the accounts it touched, and the index on next_event_on keeps
-- an entry for each old version until vacuum removes it. Left to the default (a fifth of the
-- table dead before autovacuum starts), a close's index scan walks more dead entries every day.
-- Vacuum this table after a few thousand dead rows, without throttling.
alter table account_close_state set (
  autovacuum_vacuum_scale_factor = 0,
  autovacuum_vacuum_threshold = 5000,
  autovacuum_vacuum_cost_delay = 0,
  autovacuum_analyze_scale_factor = 0.05
);
