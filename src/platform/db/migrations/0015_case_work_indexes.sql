-- Indexes for case work: the agent's queue reads, for every open case of the agent, the pending
-- promise installments of the case; without an index on the case each case scanned every promise.
-- Partial on pending promises, the only ones the queue asks for.
create index promises_to_pay_case_pending on promises_to_pay (case_id) where status = 'pending';
