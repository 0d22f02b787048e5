-- Two reads of the agent's day that visited far more rows than they return.
--
-- The queue ranks every open case of an agent and shows the first page. Ranking needs only the
-- sort keys and the scope columns; with them all in the index the ranking is an index-only scan
-- of the agent's entries, and the case rows are read for the returned page alone. The index
-- replaces 0018's, which lacked the case id and lender and so sent every ranking to the heap.
create index collection_cases_agent_queue on collection_cases (assigned_agent_id)
  include (lender_id, id, status, next_action_at, promise_due_on, overdue_since, overdue_minor, bucket)
  where status not in ('resolved', 'closed');
drop index collection_cases_agent_open;

-- The case page lists a case's callbacks and next actions, done ones too; only the open ones
-- had an index, so the list scanned the whole table.
create index case_actions_case on case_actions (case_id, due_at);
