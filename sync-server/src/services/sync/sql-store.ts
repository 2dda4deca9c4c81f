/**
 * The server's MutatorStore (shared/mutators/store.ts) over one transaction. Reads of booking,
 * session and voucher take `FOR UPDATE` row locks; the mutators read in the order
 * booking → session → voucher, which is the global lock order, so concurrent mutations on the
 * same rows queue up instead of deciding on stale values. Every write records its spaces in
 * `changes` (for the pull cookie) and every voucher change writes a ledger row.
 */
import type { Booking } from '../../../../shared/booking/booking.schema.ts'
import type { Session } from '../../../../shared/catalogue/catalogue.schema.ts'
import type { MutatorStore } from '../../../../shared/mutators/store.ts'
import type { EntityName, EntityValue } from '../../../../shared/sync/protocol.ts'
import type { Queryable } from '../../db/db.ts'
import { SELECT } from './entities.ts'
import { space } from './spaces.ts'
import type { Changes } from './versioned-write.ts'

/** A write lost a race the mutator could not see (e.g. a child id taken meanwhile): refused `invalid-state`. */
export class StoreConflict extends Error {}

/** Alternatives are capped: the rule shows the 3 earliest; a few more cover the excluded session. */
const ALTERNATIVES_SCAN = 10

export function sqlStore(tx: Queryable, changes: Changes, now: string): MutatorStore {
  async function one<E extends EntityName>(entity: E, where: string, params: unknown[]): Promise<EntityValue<E> | undefined> {
    const rows = await tx.query<EntityValue<E>>(`${SELECT[entity]} ${where}`, params)
    return rows[0]
  }
  const touchBooking = (b: Booking) => changes.touch([space.family(b.familyId), space.orders(b.providerId)], 'booking', b.id)
  const touchSession = (s: Session) => changes.touch([space.catalog(s.providerId)], 'session', s.id)

  return {
    program: (id) => one('program', 'WHERE id = $1', [id]),
    service: (id) => one('service', 'WHERE id = $1', [id]),
    operator: (id) => one('operator', 'WHERE id = $1', [id]),
    child: (id) => one('child', 'WHERE id = $1', [id]),
    booking: (id) => one('booking', 'WHERE id = $1 FOR UPDATE', [id]),
    session: (id) => one('session', 'WHERE id = $1 FOR UPDATE', [id]),
    // session.close: locked in id order, before the session (lock order booking → session → voucher).
    bookingsOfSession: (sessionId) => tx.query<Booking>(`${SELECT.booking} WHERE session_id = $1 ORDER BY id FOR UPDATE`, [sessionId]),
    voucherOfChild: (childId, programId) => one('voucher', 'WHERE child_id = $1 AND program_id = $2 FOR UPDATE', [childId, programId]),
    // Unlocked pre-filter of what `alternativesTo` keeps (open, future, with places), earliest first.
    sessionsOfService: (serviceId) =>
      tx.query<Session>(
        `${SELECT.session} WHERE service_id = $1 AND status = 'open' AND places_left > 0 AND starts_at > $2
         ORDER BY starts_at LIMIT ${ALTERNATIVES_SCAN}`,
        [serviceId, now],
      ),

    async insertBooking(b) {
      await tx.query(
        `INSERT INTO bookings (id, child_id, family_id, session_id, service_id, provider_id, quantity, status,
           unit_price_cents, total_cents, voucher_cents, copay_cents, note, decline_reason, operator_id,
           child_first_name, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
        [b.id, b.childId, b.familyId, b.sessionId, b.serviceId, b.providerId, b.quantity, b.status, b.unitPriceCents,
          b.totalCents, b.voucherCents, b.copayCents, b.note, b.declineReason, b.operatorId, b.childFirstName, b.createdAt, b.updatedAt],
      )
      touchBooking(b)
    },
    async updateBooking(b) {
      await tx.query(
        `UPDATE bookings SET status = $2, operator_id = $3, decline_reason = $4, note = $5, updated_at = $6,
           delivered_at = CASE WHEN $2 = 'delivered' AND delivered_at IS NULL THEN $6::timestamptz ELSE delivered_at END
         WHERE id = $1`,
        [b.id, b.status, b.operatorId, b.declineReason, b.note, b.updatedAt],
      )
      touchBooking(b)
    },
    async updateSession(s) {
      await tx.query(
        `UPDATE sessions SET places = $2, places_left = $3, unit_price_cents = $4, units_max = $5, status = $6,
           starts_at = $7, ends_at = $8 WHERE id = $1`,
        [s.id, s.places, s.placesLeft, s.unitPriceCents, s.unitsMax, s.status, s.startsAt, s.endsAt],
      )
      touchSession(s)
    },
    async updateVoucher(v, entry) {
      const [row] = await tx.query<{ familyId: string }>(
        `UPDATE vouchers SET balance_cents = $2, held_cents = $3, spent_cents = $4 WHERE id = $1
         RETURNING family_id AS "familyId"`,
        [v.id, v.balanceCents, v.heldCents, v.spentCents],
      )
      if (!row) throw new Error(`voucher ${v.id} vanished inside its own transaction`)
      await tx.query(
        'INSERT INTO voucher_ledger (voucher_id, booking_id, kind, amount_cents, at) VALUES ($1, $2, $3, $4, $5)',
        [entry.voucherId, entry.bookingId, entry.kind, entry.amountCents, entry.at],
      )
      changes.touch([space.family(row.familyId)], 'voucher', v.id)
    },
    async upsertChild(c) {
      const rows = await tx.query(
        `INSERT INTO children (id, family_id, first_name, birth_date) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET first_name = EXCLUDED.first_name, birth_date = EXCLUDED.birth_date
         WHERE children.family_id = EXCLUDED.family_id RETURNING id`,
        [c.id, c.familyId, c.firstName, c.birthDate],
      )
      if (rows.length === 0) throw new StoreConflict(`child ${c.id} belongs to another family`)
      changes.touch([space.family(c.familyId)], 'child', c.id)
    },
  }
}
