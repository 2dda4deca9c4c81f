/**
 * The server's MutatorStore (shared/mutators/store.ts) over one transaction. Reads of booking,
 * session and voucher take `FOR UPDATE` row locks; the mutators read in the order
 * booking → session → voucher, which is the global lock order, so concurrent mutations on the
 * same rows queue up instead of deciding on stale values. Every write records its spaces in
 * `changes` (for the pull cookie) and every voucher change writes a ledger row.
 *
 * Round trips (bench/README.md): writes are `send`: they travel with the next statement or the
 * COMMIT instead of waiting for their own answer (a failure still fails the transaction). And
 * `prefetch` sends, right behind the client-row lock, the reads a mutation is about to make, in
 * the same lock order; the mutator's reads are then answered from those results. A prefetch is only
 * a guess: whatever it did not fetch is read as usual, and any write empties the cache, so a read
 * after a write always goes to the database.
 */
import type { Booking } from '../../../../shared/booking/booking.schema.ts'
import type { Session } from '../../../../shared/catalogue/catalogue.schema.ts'
import type { Child } from '../../../../shared/family/family.schema.ts'
import { argsRecord } from '../../../../shared/mutators/args.ts'
import type { Actor, MutatorStore } from '../../../../shared/mutators/store.ts'
import type { EntityName, EntityValue } from '../../../../shared/sync/protocol.ts'
import type { Queryable, TxQueryable } from '../../db/db.ts'
import { SELECT } from './entities.ts'
import { rowSpaces, space } from './spaces.ts'
import type { Changes } from './versioned-write.ts'

/** A write lost a race the mutator could not see (e.g. a child id taken meanwhile): refused `invalid-state`. */
export class StoreConflict extends Error {}

/** Alternatives are capped: the rule shows the 3 earliest; a few more cover the excluded session. */
const ALTERNATIVES_SCAN = 10

/** Unlocked pre-filter of what `alternativesTo` keeps (open, future, with places), earliest first. */
export const alternativeSessions = (q: Queryable, serviceId: string, now: string): Promise<Session[]> =>
  q.query<Session>(
    `${SELECT.session} WHERE service_id = $1 AND status = 'open' AND places_left > 0 AND starts_at > $2
     ORDER BY starts_at LIMIT ${ALTERNATIVES_SCAN}`,
    [serviceId, now],
  )

/**
 * Children written in ONE statement, for the one-by-one store and the batch alike: upserted (a child
 * id of another family is left alone, and missing from the answer), and a rename copied onto the
 * child's bookings already stored (`child_first_name`: the provider, who cannot see the family's
 * children, reads it there). The bookings are found through the family's index, never by a scan.
 * Answers one row per child written and one per booking renamed.
 */
const UPSERT_CHILDREN = `WITH written AS (
    INSERT INTO children (id, family_id, first_name, birth_date)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[])
    ON CONFLICT (id) DO UPDATE SET first_name = EXCLUDED.first_name, birth_date = EXCLUDED.birth_date
    WHERE children.family_id = EXCLUDED.family_id
    RETURNING id, family_id, first_name),
  renamed AS (
    UPDATE bookings b SET child_first_name = w.first_name FROM written w
    WHERE b.family_id = w.family_id AND b.child_id = w.id AND b.child_first_name IS DISTINCT FROM w.first_name
    RETURNING b.id, b.family_id, b.provider_id)
  SELECT 'child' AS kind, id, family_id AS "familyId", NULL AS "providerId" FROM written
  UNION ALL SELECT 'booking', id, family_id, provider_id FROM renamed`

/**
 * Writes `children` (UPSERT_CHILDREN) and stamps the bookings a rename changed; the children's own
 * stamps are the caller's (a batch stamps only what its applied mutations wrote). Returns how many
 * children were written: fewer than asked means an id belongs to another family.
 */
export async function upsertChildren(tx: Queryable, changes: Changes, children: Child[]): Promise<number> {
  const rows = await tx.query<{ kind: 'child' | 'booking'; id: string; familyId: string; providerId: string }>(UPSERT_CHILDREN,
    [children.map((c) => c.id), children.map((c) => c.familyId), children.map((c) => c.firstName), children.map((c) => c.birthDate)])
  let written = 0
  for (const r of rows) {
    if (r.kind === 'child') written++
    else changes.touch(rowSpaces.booking(r), 'booking', r.id)
  }
  return written
}

/** The voucher read also brings its family (for the family:<id> space), kept aside, not in the value. */
export const VOUCHER_WITH_FAMILY = SELECT.voucher.replace(/ FROM vouchers$/, ', family_id AS "familyId" FROM vouchers')
if (VOUCHER_WITH_FAMILY === SELECT.voucher) throw new Error('entities.ts: the voucher SELECT must end with FROM vouchers')
const VOUCHER_OF_CHILD = `${VOUCHER_WITH_FAMILY} WHERE child_id = $1 AND program_id = $2`
/** A child's voucher in a program, with its family, locked ($1 child, $2 program). */
export const VOUCHER_OF_CHILD_LOCKED = `${VOUCHER_OF_CHILD} FOR UPDATE`

type Row = Record<string, unknown>
const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200

export interface SqlStore extends MutatorStore {
  /** Sends the reads mutation `name` is expected to make, in lock order; never waits. */
  prefetch(name: string, args: unknown, actor: Actor): void
}

export function sqlStore(tx: TxQueryable, changes: Changes, now: string): SqlStore {
  // Prefetched rows by `entity\0id` (and `voucherOf\0child\0program`); `pending` are prefetches
  // whose key is only known from their answer (the session of a booking…).
  const early = new Map<string, Promise<Row | undefined>>()
  const pending: Promise<unknown>[] = []
  let writes = 0
  const familyOfVoucher = new Map<string, string>()
  const voucherKey = (childId: string, programId: string) => `voucherOf\u0000${childId}\u0000${programId}`

  const fetchRow = (sql: string, params: unknown[]): Promise<Row | undefined> => {
    const p = tx.query<Row>(sql, params).then((rows) => rows[0])
    p.catch(() => undefined) // a failure also fails the transaction; whoever awaits p sees it
    return p
  }
  /** Prefetch by a known key. */
  const ahead = (key: string, sql: string, params: unknown[]) => early.set(key, fetchRow(sql, params))
  /** Prefetch whose key comes from the row itself (absent → not cached: a later read asks again). */
  const aheadBy = (keyOf: (r: Row) => string, sql: string, params: unknown[]) => {
    const before = writes
    pending.push(fetchRow(sql, params).then((r) => void (r && writes === before && early.set(keyOf(r), Promise.resolve(r))), () => undefined))
  }

  async function cached(key: string, load: () => Promise<Row | undefined>): Promise<Row | undefined> {
    if (!early.has(key) && pending.length > 0) await Promise.all(pending.splice(0))
    return early.get(key) ?? load()
  }
  async function one<E extends EntityName>(entity: E, where: string, params: unknown[]): Promise<EntityValue<E> | undefined> {
    const key = `${entity}\u0000${String(params[0])}`
    const row = await cached(key, () => fetchRow(`${SELECT[entity]} ${where}`, params))
    return row as EntityValue<E> | undefined
  }
  function keepFamily(row: Row | undefined): EntityValue<'voucher'> | undefined {
    if (!row) return undefined
    const { familyId, ...voucher } = row
    familyOfVoucher.set(String(voucher.id), String(familyId))
    return voucher as EntityValue<'voucher'>
  }
  /** Every write: what was read before may be stale now. */
  const wrote = () => {
    writes++
    early.clear()
    pending.length = 0
  }
  const byId = (entity: EntityName) => (r: Row) => `${entity}\u0000${String(r.id)}`
  const sessionLocked = `${SELECT.session} WHERE id = $1 FOR UPDATE`
  const bookingLocked = `${SELECT.booking} WHERE id = $1 FOR UPDATE`

  function prefetch(name: string, args: unknown, actor: Actor): void {
    const a = argsRecord(args)
    const booking = a.bookingId
    if (name === 'booking.request' && str(booking) && str(a.childId) && str(a.sessionId)) {
      ahead(`booking\u0000${booking}`, bookingLocked, [booking])
      ahead(`child\u0000${a.childId}`, `${SELECT.child} WHERE id = $1`, [a.childId])
      ahead(`session\u0000${a.sessionId}`, sessionLocked, [a.sessionId])
      aheadBy(byId('service'), `${SELECT.service} WHERE id = (SELECT service_id FROM sessions WHERE id = $1)`, [a.sessionId])
      ahead(`program\u0000${actor.programId}`, `${SELECT.program} WHERE id = $1`, [actor.programId])
      // Only this family's voucher: a request naming another family's child is refused before it asks.
      aheadBy((r) => voucherKey(String(r.childId), String(r.programId)), `${VOUCHER_OF_CHILD} AND family_id = $3 FOR UPDATE`,
        [a.childId, actor.programId, actor.familyId])
    } else if (['booking.cancel', 'booking.decline', 'booking.deliver', 'booking.confirm'].includes(name) && str(booking)) {
      ahead(`booking\u0000${booking}`, bookingLocked, [booking])
      if (name === 'booking.confirm') {
        if (str(a.operatorId)) ahead(`operator\u0000${a.operatorId}`, `${SELECT.operator} WHERE id = $1`, [a.operatorId])
        return
      }
      if (name !== 'booking.deliver') {
        aheadBy(byId('session'), `${SELECT.session} WHERE id = (SELECT session_id FROM bookings WHERE id = $1) FOR UPDATE`, [booking])
      }
      aheadBy((r) => voucherKey(String(r.childId), String(r.programId)),
        `${VOUCHER_WITH_FAMILY} WHERE child_id = (SELECT child_id FROM bookings WHERE id = $1) AND program_id = $2 FOR UPDATE`,
        [booking, actor.programId])
    } else if (name === 'child.upsert' && str(a.childId)) {
      ahead(`child\u0000${a.childId}`, `${SELECT.child} WHERE id = $1`, [a.childId])
    }
  }
  const touchBooking = (b: Booking) => changes.touch(rowSpaces.booking(b), 'booking', b.id)
  const touchSession = (s: Session) => changes.touch(rowSpaces.session(s), 'session', s.id)

  return {
    prefetch,
    program: (id) => one('program', 'WHERE id = $1', [id]),
    service: (id) => one('service', 'WHERE id = $1', [id]),
    operator: (id) => one('operator', 'WHERE id = $1', [id]),
    child: (id) => one('child', 'WHERE id = $1', [id]),
    booking: (id) => one('booking', 'WHERE id = $1 FOR UPDATE', [id]),
    session: (id) => one('session', 'WHERE id = $1 FOR UPDATE', [id]),
    // session.close: locked in id order, before the session (lock order booking → session → voucher).
    bookingsOfSession: (sessionId) => tx.query<Booking>(`${SELECT.booking} WHERE session_id = $1 ORDER BY id FOR UPDATE`, [sessionId]),
    voucherOfChild: async (childId, programId) =>
      keepFamily(await cached(voucherKey(childId, programId), () => fetchRow(VOUCHER_OF_CHILD_LOCKED, [childId, programId]))),
    sessionsOfService: (serviceId) => alternativeSessions(tx, serviceId, now),

    async insertBooking(b) {
      wrote()
      tx.send(
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
      wrote()
      tx.send(
        `UPDATE bookings SET status = $2, operator_id = $3, decline_reason = $4, note = $5, updated_at = $6,
           delivered_at = CASE WHEN $2 = 'delivered' AND delivered_at IS NULL THEN $6::timestamptz ELSE delivered_at END
         WHERE id = $1`,
        [b.id, b.status, b.operatorId, b.declineReason, b.note, b.updatedAt],
      )
      touchBooking(b)
    },
    async updateSession(s) {
      wrote()
      tx.send(
        `UPDATE sessions SET places = $2, places_left = $3, unit_price_cents = $4, units_max = $5, status = $6,
           starts_at = $7, ends_at = $8 WHERE id = $1`,
        [s.id, s.places, s.placesLeft, s.unitPriceCents, s.unitsMax, s.status, s.startsAt, s.endsAt],
      )
      touchSession(s)
    },
    async updateVoucher(v, entry) {
      wrote()
      const update = 'UPDATE vouchers SET balance_cents = $2, held_cents = $3, spent_cents = $4 WHERE id = $1'
      const values = [v.id, v.balanceCents, v.heldCents, v.spentCents]
      let familyId = familyOfVoucher.get(v.id)
      if (familyId) {
        tx.send(update, values)
      } else {
        // Not read through this store: learn its family from the update itself.
        const [row] = await tx.query<{ familyId: string }>(`${update} RETURNING family_id AS "familyId"`, values)
        if (!row) throw new Error(`voucher ${v.id} vanished inside its own transaction`)
        familyId = row.familyId
      }
      tx.send(
        'INSERT INTO voucher_ledger (voucher_id, booking_id, kind, amount_cents, at) VALUES ($1, $2, $3, $4, $5)',
        [entry.voucherId, entry.bookingId, entry.kind, entry.amountCents, entry.at],
      )
      changes.touch([space.family(familyId)], 'voucher', v.id)
    },
    async upsertChild(c) {
      wrote()
      if ((await upsertChildren(tx, changes, [c])) === 0) throw new StoreConflict(`child ${c.id} belongs to another family`)
      changes.touch([space.family(c.familyId)], 'child', c.id)
    },
  }
}
