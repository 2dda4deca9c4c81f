/**
 * Liquidation: what the program owes each provider for services delivered in a period, counting
 * only the voucher-covered part (`voucher_cents`; a co-pay is the family's business). A booking
 * counts once delivered (status delivered, or liquidated later) with delivered_at within the period's
 * calendar days in the program's time zone; so does a delivered emergency request (issue 9: the
 * voucher share its hours spent, `spent_cents`), exactly as a statement's rows count them, so a
 * provider's liquidation equals its statements for the period. No-shows count in neither.
 * The answer's shape is the shared `LiquidationReport`.
 */
import type { Actor } from '../../../../shared/mutators/store.ts'
import type { LiquidationReport, LiquidationRow } from '../../../../shared/office/office.schema.ts'
import type { Queryable } from '../../db/db.ts'
import { AppError } from '../../errors.ts'
import { addDays, zonedToUtc } from '../time-zone.ts'

export async function liquidation(q: Queryable, actor: Actor, from: string, to: string): Promise<LiquidationReport> {
  if (actor.role !== 'officer') throw new AppError('forbidden')
  const [program] = await q.query<{ timeZone: string }>('SELECT time_zone AS "timeZone" FROM programs WHERE id = $1', [actor.programId])
  if (!program) throw new AppError('not-found', { entity: 'program' })
  const start = zonedToUtc(from, '00:00', program.timeZone)
  const end = zonedToUtc(addDays(to, 1), '00:00', program.timeZone)
  // Provider by provider: each one's period is a range of bookings_provider_delivered (provider_id,
  // delivered_at), the index statements read too (0024 dropped the program-wide one on delivered_at).
  const providers = await q.query<LiquidationRow>(
    `SELECT p.id AS "providerId", p.name, count(*) AS "deliveredCount", sum(d.cents) AS "amountCents"
     FROM providers p CROSS JOIN LATERAL (
       SELECT b.voucher_cents AS cents FROM bookings b
       WHERE b.provider_id = p.id AND b.delivered_at >= $2 AND b.delivered_at < $3 AND b.status IN ('delivered', 'liquidated') AND NOT b.no_show
       UNION ALL
       SELECT e.spent_cents FROM emergency_requests e
       WHERE e.provider_id = p.id AND e.status = 'delivered' AND e.delivered_at >= $2 AND e.delivered_at < $3 AND NOT e.no_show AND e.delivered_hours > 0) d
     WHERE p.program_id = $1
     GROUP BY p.id, p.name ORDER BY p.name`,
    [actor.programId, start.toISOString(), end.toISOString()],
  )
  const totalCents = providers.reduce((sum, p) => sum + p.amountCents, 0)
  return { programId: actor.programId, from, to, providers, totalCents }
}

const csvField = (v: string | number): string => {
  const s = String(v)
  return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** One header row, one row per provider, amounts in cents and in euro (dot decimal). */
export function liquidationCsv(l: LiquidationReport): string {
  const lines = [['providerId', 'name', 'deliveredCount', 'amountCents', 'amountEur', 'from', 'to']]
  for (const p of l.providers) {
    lines.push([p.providerId, p.name, String(p.deliveredCount), String(p.amountCents), (p.amountCents / 100).toFixed(2), l.from, l.to])
  }
  return lines.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n'
}
