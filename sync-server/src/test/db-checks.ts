/** Invariant and row-count queries the tests assert on (the same on PGlite and Postgres). */
import type { Db } from '../db/db.ts'

export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = ['bookings', 'clients', 'mutation_results', 'voucher_ledger', 'tokens', 'children', 'row_versions', 'emergency_requests', 'waitlist_entries']
  const out: Record<string, number> = {}
  for (const t of tables) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${t}`)
    out[t] = row?.n ?? -1
  }
  // Any row stamped (inserted or re-stamped) moves this: the newest writing transaction's id.
  const [v] = await db.query<{ n: string }>("SELECT coalesce(max(xid), '0')::text AS n FROM row_versions")
  out.rowStamps = Number(v?.n ?? -1)
  return out
}

/**
 * Every invariant the brief names; returns the list of violations (empty = all good).
 * A place is taken by every booking not cancelled or declined (delivered ones used theirs).
 */
export async function invariantViolations(db: Db): Promise<string[]> {
  const bad: string[] = []
  const sessions = await db.query<{ id: string; places: number; placesLeft: number; holding: number }>(
    `SELECT s.id, s.places, s.places_left AS "placesLeft",
       (SELECT count(*) FROM bookings b WHERE b.session_id = s.id AND b.status NOT IN ('cancelled', 'declined')) AS holding
     FROM sessions s`,
  )
  for (const s of sessions) {
    if (s.placesLeft < 0 || s.holding > s.places || s.placesLeft !== s.places - s.holding) bad.push(`session ${s.id}: ${JSON.stringify(s)}`)
  }
  const vouchers = await db.query<{ id: string; amount: number; balance: number; held: number; spent: number; lHeld: number; lSpent: number; bHeld: number; bSpent: number }>(
    `SELECT v.id, v.amount_cents AS amount, v.balance_cents AS balance, v.held_cents AS held, v.spent_cents AS spent,
       coalesce((SELECT sum(CASE kind WHEN 'hold' THEN amount_cents WHEN 'release' THEN -amount_cents ELSE -amount_cents END)
         FROM voucher_ledger l WHERE l.voucher_id = v.id), 0)::int8 AS "lHeld",
       coalesce((SELECT sum(amount_cents) FROM voucher_ledger l WHERE l.voucher_id = v.id AND kind = 'consume'), 0)::int8 AS "lSpent",
       (coalesce((SELECT sum(voucher_cents) FROM bookings b WHERE b.child_id = v.child_id AND b.status IN ('requested', 'confirmed')), 0)
         -- Emergency requests hold their estimate while open or accepted (issue 9).
         + coalesce((SELECT sum(held_cents) FROM emergency_requests e WHERE e.voucher_id = v.id), 0))::int8 AS "bHeld",
       (coalesce((SELECT sum(voucher_cents) FROM bookings b WHERE b.child_id = v.child_id AND b.status IN ('delivered', 'liquidated')), 0)
         -- A delivered emergency spent its delivered share (emergency.deliver).
         + coalesce((SELECT sum(spent_cents) FROM emergency_requests e WHERE e.voucher_id = v.id AND e.status = 'delivered'), 0))::int8 AS "bSpent"
     FROM vouchers v`,
  )
  for (const v of vouchers) {
    const ok = v.balance >= 0 && v.held >= 0 && v.spent >= 0 && v.balance + v.held + v.spent === v.amount &&
      v.lHeld === v.held && v.lSpent === v.spent && v.bHeld === v.held && v.bSpent === v.spent
    if (!ok) bad.push(`voucher ${v.id}: ${JSON.stringify(v)}`)
  }
  // The waiting list (0014): nobody waits on a closed session or for a session the child holds; a
  // promoted entry became a booking of the same child. (Its session and quantity are those of the
  // entry when it was promoted, which waitlist.mutators.test checks; the family may change the
  // quantity afterwards, booking.changeQuantity, or accept another time, booking.acceptProposal.)
  const waits = await db.query<{ id: string; problem: string }>(
    `SELECT w.id, CASE
       WHEN w.status = 'waiting' AND s.status <> 'open' THEN 'waiting on a closed session'
       WHEN w.status = 'waiting' AND EXISTS (SELECT 1 FROM bookings b WHERE b.child_id = w.child_id AND b.session_id = w.session_id
         AND b.status IN ('requested', 'confirmed')) THEN 'waiting while booked'
       WHEN w.status = 'promoted' AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.id = w.booking_id AND b.child_id = w.child_id)
         THEN 'promoted without its booking'
       END AS problem
     FROM waitlist_entries w JOIN sessions s ON s.id = w.session_id`,
  )
  for (const w of waits) if (w.problem) bad.push(`waitlist entry ${w.id}: ${w.problem}`)
  // A session's `waiting` (0016) counts its entries waiting: 0 when one waits would skip its promotion.
  const counts = await db.query<{ id: string; waiting: number; n: number }>(
    `SELECT s.id, s.waiting, (SELECT count(*) FROM waitlist_entries w WHERE w.session_id = s.id AND w.status = 'waiting')::int AS n
     FROM sessions s WHERE s.waiting <> (SELECT count(*) FROM waitlist_entries w WHERE w.session_id = s.id AND w.status = 'waiting')`,
  )
  for (const c of counts) bad.push(`session ${c.id}: waiting ${c.waiting}, entries waiting ${c.n}`)
  return bad
}
