/**
 * "Nothing applied twice" in the data, for the fault tests (next to test/db-checks.ts's invariants):
 * a booking's voucher ledger must tell its story exactly once — one hold, one release if it was
 * cancelled or declined, one consume if it was delivered — each for the booking's voucher share.
 */
import type { Db } from '../src/db/db.ts'

export async function bookingLedgerViolations(db: Db): Promise<string[]> {
  const rows = await db.query<{ id: string | null; bookingId: string; status: string | null; cents: number | null; holds: number; releases: number; consumes: number; bad: number }>(
    `SELECT b.id, l.booking_id AS "bookingId", b.status, b.voucher_cents AS cents,
       count(*) FILTER (WHERE l.kind = 'hold') AS holds,
       count(*) FILTER (WHERE l.kind = 'release') AS releases,
       count(*) FILTER (WHERE l.kind = 'consume') AS consumes,
       count(*) FILTER (WHERE l.amount_cents IS DISTINCT FROM b.voucher_cents) AS bad
     FROM voucher_ledger l LEFT JOIN bookings b ON b.id = l.booking_id
     GROUP BY l.booking_id, b.id, b.status, b.voucher_cents`,
  )
  const bad: string[] = []
  for (const r of rows) {
    const ended = r.status === 'cancelled' || r.status === 'declined'
    const used = r.status === 'delivered' || r.status === 'liquidated'
    const ok = r.id !== null && r.holds === 1 && r.releases === (ended ? 1 : 0) && r.consumes === (used ? 1 : 0) && r.bad === 0
    if (!ok) bad.push(`booking ${r.bookingId}: ${JSON.stringify(r)}`)
  }
  const [missing] = await db.query<{ n: number }>(
    'SELECT count(*) AS n FROM bookings b WHERE NOT EXISTS (SELECT 1 FROM voucher_ledger l WHERE l.booking_id = b.id)',
  )
  if ((missing?.n ?? 0) > 0) bad.push(`${missing?.n} booking(s) without a hold in the ledger`)
  return bad
}
