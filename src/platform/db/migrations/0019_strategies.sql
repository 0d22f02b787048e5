-- Reminder strategies (策略): a lender's segments (bucket × DPD × score × overdue reason × amount ×
-- product × days before due) each with a contact cadence, tried in priority order; the first whose
-- segment an account matches is its strategy. A strategy's variants split its accounts for a
-- champion/challenger test by a stable hash, in shares of basis points that add up to 10000.
create table strategies (
  id uuid primary key,
  lender_id uuid not null references lenders(id),
  code text not null check (code ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$'),
  name text not null,
  -- Tried lowest first; ties by code.
  priority integer not null check (priority between 0 and 100000),
  -- {buckets, dpdMin, dpdMax, scoreMin, scoreMax, overdueReasons, overdueMinMinor, overdueMaxMinor,
  --  productCodes, daysBeforeDueMin, daysBeforeDueMax}; amounts as strings.
  segment jsonb not null,
  -- A retired strategy is kept for the record (results are reported by it) and used no more.
  status text not null check (status in ('draft', 'active', 'retired')),
  -- Bumped on every change, so a plan can say which definition chose a contact.
  version integer not null check (version >= 1),
  created_by uuid not null references staff_users(id),
  created_at timestamptz not null,
  updated_by uuid not null references staff_users(id),
  updated_at timestamptz not null,
  unique (lender_id, code)
);
create index strategies_active on strategies (lender_id, priority, code) where status = 'active';

create table strategy_variants (
  id uuid primary key,
  strategy_id uuid not null references strategies(id),
  code text not null check (code ~ '^[a-z0-9-]{1,32}$'),
  share_basis_points integer not null check (share_basis_points between 0 and 10000),
  -- [{key, anchor, day, channel, templateCode, at}]
  cadence jsonb not null,
  unique (strategy_id, code)
);

-- The shares of a strategy's variants add up to 10000 and one variant is the champion. The
-- service checks this first (to name the field); the database checks it too so no writer (an
-- import, a hand-made fix) can leave a split that sends some accounts nowhere. Deferred to the
-- commit because a change rewrites the variants row by row and the sum holds only at the end;
-- a statement-level check inside the transaction would see the half-written rows.
create function check_strategy_shares() returns trigger language plpgsql as $$
declare
  target uuid;
  total bigint;
  champions bigint;
begin
  if tg_table_name = 'strategies' then
    target := new.id;
  elsif tg_op = 'DELETE' then
    target := old.strategy_id;
  else
    target := new.strategy_id;
  end if;
  if not exists (select 1 from strategies where id = target) then
    return null;
  end if;
  select coalesce(sum(share_basis_points), 0), count(*) filter (where code = 'champion')
    into total, champions
    from strategy_variants where strategy_id = target;
  if total <> 10000 or champions <> 1 then
    raise exception 'the variants of strategy % have shares adding up to % basis points and % champion(s); they must add up to 10000 with one champion',
      target, total, champions using errcode = '23514';
  end if;
  return null;
end;
$$;
create constraint trigger strategy_variants_shares after insert or update or delete on strategy_variants
  deferrable initially deferred for each row execute function check_strategy_shares();
create constraint trigger strategies_shares after insert on strategies
  deferrable initially deferred for each row execute function check_strategy_shares();
