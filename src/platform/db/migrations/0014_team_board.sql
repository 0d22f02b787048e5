-- The supervisor's team board reads one business day of work per agent: the contact attempts an
-- agent made that day and the payments received that day. Without these indexes it would read
-- every attempt and payment the lender ever had; with them its cost grows with the day's events.
create index contact_attempts_agent_day on contact_attempts (agent_id, at);
create index payments_lender_day on payments (lender_id, received_on);
