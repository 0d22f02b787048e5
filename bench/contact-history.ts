// Contact attempt history for the benchmarks' synthetic borrowers, written as a live table
// fills: day by day, each day's attempts in time order, so one borrower's history lies on as many
// heap pages as it has attempts. The borrowers come from a table `bench_borrowers` (i integer
// primary key from 0, borrower_id uuid, contact_id uuid or null, attempts integer, phase integer
// in 0–13, and, with `withAgents`, agent_id uuid); borrower i's `attempts` are spread evenly over
// the days from a day of its own (`phase`), so every count is exact. The mix: 55% calls, 30% SMS,
// 10% robot calls, 5% e-mail; 6% inbound; calls mostly unanswered, ~30% connected or a
// conversation; 6% refused by the gateway (not history); 12% go to the emergency contact. Every
// outbound attempt points at `decisionId`, one placeholder decision.
import { sql } from "kysely";
import type { Db } from "../src/platform/db/index.js";

export interface HistoryShape {
  lenderId: string;
  decisionId: string;
  borrowerCount: number;
  /** Midnight starting the day after the history (its last day is the day before). */
  endMs: number;
  days: number;
  /** Borrowers per statement. */
  chunk: number;
  /** Outbound calls carry the borrower's agent (`bench_borrowers.agent_id`). */
  withAgents?: boolean;
  log: (line: string) => void;
}

/** Inserts the history and returns the number of attempts written. */
export async function insertContactHistory(db: Db, shape: HistoryShape): Promise<number> {
  const { lenderId, decisionId, borrowerCount, endMs, days, chunk, log } = shape;
  const agentOf = shape.withAgents ? sql`b.agent_id` : sql`null::uuid`;
  let attempts = 0;
  for (let day = 0; day < days; day += 1) {
    const dayStart = new Date(endMs - (days - day) * 86_400_000);
    for (let from = 0; from < borrowerCount; from += chunk) {
      const to = Math.min(borrowerCount, from + chunk) - 1;
      const result = await db.transaction().execute(async (trx) => {
        // Foreign keys are right by construction here: their per-row checks are skipped.
        await sql`set local session_replication_role = replica`.execute(trx);
        return sql`
          with drawn as (
            select b.borrower_id, b.contact_id, ${agentOf} as agent_id, hashtext(b.i::text || ':' || ${day}::integer || ':' || n) as h1,
              hashtext(b.i::text || ':' || ${day}::integer || ':' || n || ':t') as h2
            from bench_borrowers b
            cross join lateral generate_series(1, (b.attempts * ${day + 1}::integer + b.phase) / ${days}::integer
              - (b.attempts * ${day}::integer + b.phase) / ${days}::integer) as n
            where b.i between ${from} and ${to}
          ), shaped as (
            select borrower_id, contact_id, agent_id,
              case when (h1 & 1023) < 563 then 'call' when (h1 & 1023) < 870 then 'sms' when (h1 & 1023) < 973 then 'voice_robot' else 'email' end as channel,
              case when ((h2 >> 28) & 15) = 0 and (h1 & 1023) < 870 then 'inbound' else 'outbound' end as direction,
              contact_id is not null and ((h2 >> 28) & 15) in (14, 15) and (h1 & 1023) < 973 as to_contact,
              ((h1 >> 10) & 1023) / 1024.0 as u_outcome,
              ((h1 >> 20) & 1023) / 1024.0 as u_status,
              ${dayStart}::timestamptz + interval '8 hours' + ((h2 & 16383) / 16384.0) * interval '14 hours' as at
            from drawn
          ), decided as (
            select *,
              case when direction = 'outbound' and u_status < 0.04 then 'deferred' when direction = 'outbound' and u_status < 0.06 then 'blocked'
                when channel in ('call', 'voice_robot') then 'completed' else 'sent' end as status
            from shaped
          )
          insert into contact_attempts (id, lender_id, borrower_id, contact_id, person_role, channel, direction, content_class, decision_id, at, debt_ids,
            status, outcome, ended_by_consumer, agent_id, created_at)
          select gen_random_uuid(), ${lenderId}, borrower_id, case when to_contact then contact_id end,
            case when to_contact then 'emergency_contact' else 'borrower' end, channel, direction, 'collection',
            case when direction = 'outbound' then ${decisionId}::uuid end, at, null, status,
            case when status in ('deferred', 'blocked') or channel in ('sms', 'email') then null
              when direction = 'inbound' then 'conversation'
              when u_outcome < 0.45 then 'no_answer' when u_outcome < 0.6 then 'not_connected' when u_outcome < 0.7 then 'voicemail'
              when u_outcome < 0.92 then 'connected' else 'conversation' end,
            channel in ('call', 'voice_robot') and status = 'completed' and u_outcome >= 0.97,
            case when channel = 'call' and direction = 'outbound' then agent_id end, at
          from decided
          order by at`.execute(trx);
      });
      attempts += Number(result.numAffectedRows ?? 0n);
    }
    log(`  generated history day ${day + 1} / ${days}: ${attempts} attempts`);
  }
  return attempts;
}
