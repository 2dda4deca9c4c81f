/**
 * A child's voucher explained (issue 10, the ledger screen): the movements that make its held, spent
 * and left amounts, derived from what the family's phone holds (the child's bookings and the
 * emergency requests on the voucher; the server's ledger table stays on the server). Each booking
 * holds its voucher share when requested; a cancel or a decline gives it back; a delivery spends what
 * was delivered (a partial delivery or a no-show gives the rest back: the booking then carries only
 * what was spent). An emergency request holds its estimate while open or accepted; once delivered it
 * spends its delivered share (`spentCents`: the rest of the hold went back, as a partial booking's).
 * `matches` says whether the movements add up to the voucher's own figures (they do unless the phone
 * holds an old copy of some row).
 */
import type { Booking } from '../booking/booking.schema.ts'
import type { EmergencyRequest } from '../emergency/emergency.schema.ts'
import type { Voucher } from './voucher.schema.ts'

export type MovementKind = 'hold' | 'release' | 'spend'
export interface Movement {
  kind: MovementKind
  at: string
  amountCents: number
  source: 'booking' | 'emergency'
  /** The booking or the emergency request. */
  id: string
  sessionId: string | null
  serviceId: string | null
  status: string
}

export interface Ledger {
  amountCents: number
  heldCents: number
  spentCents: number
  leftCents: number
  movements: Movement[]
  matches: boolean
}

type B = Pick<Booking, 'id' | 'childId' | 'sessionId' | 'serviceId' | 'status' | 'voucherCents' | 'createdAt' | 'updatedAt' | 'deliveredAt'>
type E = Pick<EmergencyRequest, 'id' | 'voucherId' | 'status' | 'heldCents' | 'estimatedCents' | 'createdAt' | 'updatedAt'>
  & Partial<Pick<EmergencyRequest, 'spentCents' | 'deliveredAt'>>

export function voucherLedger(voucher: Voucher, bookings: readonly B[], emergencies: readonly E[]): Ledger {
  const movements: Movement[] = []
  for (const b of bookings) {
    if (b.childId !== voucher.childId || b.voucherCents === 0) continue
    const base = { source: 'booking' as const, id: b.id, sessionId: b.sessionId, serviceId: b.serviceId, status: b.status }
    if (b.status === 'delivered' || b.status === 'liquidated') {
      movements.push({ ...base, kind: 'spend', at: b.deliveredAt ?? b.updatedAt, amountCents: b.voucherCents })
      continue
    }
    movements.push({ ...base, kind: 'hold', at: b.createdAt, amountCents: b.voucherCents })
    if (b.status === 'cancelled' || b.status === 'declined') movements.push({ ...base, kind: 'release', at: b.updatedAt, amountCents: b.voucherCents })
  }
  for (const r of emergencies) {
    if (r.voucherId !== voucher.id) continue
    const base = { source: 'emergency' as const, id: r.id, sessionId: null, serviceId: null, status: r.status }
    if (r.status === 'delivered') {
      // A no-show spent nothing and, like a booking's, leaves no movement.
      if ((r.spentCents ?? 0) > 0) movements.push({ ...base, kind: 'spend', at: r.deliveredAt ?? r.updatedAt, amountCents: r.spentCents ?? 0 })
    } else if (r.heldCents > 0) movements.push({ ...base, kind: 'hold', at: r.createdAt, amountCents: r.heldCents })
    else if (r.estimatedCents > 0 && (r.status === 'cancelled' || r.status === 'expired')) {
      movements.push({ ...base, kind: 'hold', at: r.createdAt, amountCents: r.estimatedCents })
      movements.push({ ...base, kind: 'release', at: r.updatedAt, amountCents: r.estimatedCents })
    }
  }
  movements.sort((a, b) => (a.at === b.at ? (a.kind === 'hold' ? -1 : 1) : a.at < b.at ? -1 : 1))
  const sum = (k: MovementKind) => movements.filter((m) => m.kind === k).reduce((n, m) => n + m.amountCents, 0)
  const heldCents = sum('hold') - sum('release')
  const spentCents = sum('spend')
  return {
    amountCents: voucher.amountCents,
    heldCents: voucher.heldCents,
    spentCents: voucher.spentCents,
    leftCents: voucher.balanceCents,
    movements: movements.reverse(), // newest first
    matches: heldCents === voucher.heldCents && spentCents === voucher.spentCents,
  }
}
