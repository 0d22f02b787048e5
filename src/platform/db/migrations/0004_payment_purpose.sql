-- A payment may ask to settle the loan early (payoff); the statement engine decides whether it covers the quote.
alter table payments add column purpose text not null default 'regular' check (purpose in ('regular', 'payoff'));
