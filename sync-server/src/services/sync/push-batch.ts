/**
 * Group commit (docs/sync.md, "Push: group commit"): the push requests that arrive while others are
 * being decided are decided together, in ONE transaction, with set-based SQL. The rules are the same
 * shared mutators, run one after another in arrival order against an in-memory overlay of the locked
 * rows, so mutation k sees the effects of mutations 1…k-1 exactly as if each had committed on its own
 * (two families racing for the last place in one batch: the first wins, the second is refused with
 * alternatives). What changes is the cost: a batch of k mutations takes two round trips and ~15
 * statements in all instead of 4 round trips and 16 statements EACH.
 *
 * Locks, in the global order clients → bookings → sessions → vouchers, each set sorted by id, so two
 * batches (or a batch and a one-by-one push, whose order is client → booking → session → voucher)
 * never wait on each other in a cycle:
 *   round trip 1  BEGIN; the clients (upserted, locked); the bookings named by the mutations (locked);
 *                 the sessions (locked) of the requests and of the bookings being cancelled or
 *                 declined, and their services; the vouchers (locked) of the children concerned;
 *                 children, programs, operators (unlocked reads, as on the one-by-one path). All sent
 *                 at once: Postgres runs them in this order, so what is found through a booking is
 *                 found through the row the statement before has locked
 *   round trip 2  the writes, as one statement per table over arrays; the row stamps; COMMIT
 *                 (children, when the batch upserts any, go first and are awaited, a rename copied
 *                 onto the child's stored bookings in the same statement: one more round trip)
 * A read the prefetch did not foresee goes to the database as on the one-by-one path.
 *
 * A refusal writes nothing of its own (its overlay changes are undone) and is stored as a result row
 * in the same transaction, with the client's lastMutationId. Anything that fails the batch (a
 * constraint the rules could not see, a deadlock, a bug) rolls ALL of it back, and the caller decides
 * each request again one by one (push.service.ts), which knows how to refuse each case; a batch
 * therefore never answers differently from the one-by-one path, only sooner.
 */
import type { Booking } from '../../../../shared/booking/booking.schema.ts'
import type { Operator, Program, Service, Session } from '../../../../shared/catalogue/catalogue.schema.ts'
import type { Child } from '../../../../shared/family/family.schema.ts'
import { argsRecord } from '../../../../shared/mutators/args.ts'
import { runMutation } from '../../../../shared/mutators/mutators.ts'
import type { MutatorStore } from '../../../../shared/mutators/store.ts'
import type { MutationResult, PushRequest } from '../../../../shared/sync/protocol.ts'
import type { LedgerEntry, Voucher } from '../../../../shared/voucher/voucher.schema.ts'
import type { TxQueryable } from '../../db/db.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import type { Auth } from '../auth/principal.ts'
import { SELECT } from './entities.ts'
import { rejected } from './push.service.ts'
import { rowSpaces, space } from './spaces.ts'
import { alternativeSessions, StoreConflict, upsertChildren, VOUCHER_OF_CHILD_LOCKED, VOUCHER_WITH_FAMILY } from './sql-store.ts'
import { versionedWrite, type Changes } from './versioned-write.ts'

/**
 * Decided one by one, never in a batch: `session.close` locks every booking of a session before the
 * session (reads no prefetch can foresee, in an order a batch could not keep).
 */
const SOLO_MUTATIONS: ReadonlySet<string> = new Set(['session.close'])

/** One phone's push (one client id) of mutations a batch can decide. */
export const batchable = (req: PushRequest): boolean =>
  req.mutations.length > 0 &&
  req.mutations.every((m) => m.clientId === req.mutations[0]!.clientId && !SOLO_MUTATIONS.has(m.name))

export interface BatchJob {
  auth: Auth
  req: PushRequest
}
export type JobOutcome = { results: MutationResult[] } | { error: AppError }

type Deps = Pick<AppDeps, 'db' | 'clock' | 'notifier'>
const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200
const sorted = (ids: Iterable<string>): string[] => [...new Set(ids)].sort()
const voucherKey = (childId: string, programId: string) => `${childId}\u0000${programId}`
const ENDS = new Set(['booking.cancel', 'booking.decline'])
const ACTS_ON_BOOKING = new Set(['booking.cancel', 'booking.decline', 'booking.confirm', 'booking.deliver'])

/** Rows by id; `null` = looked for and absent (a prefetch that found nothing); no entry = never asked. */
type Rows<T> = Map<string, T | null>
const rowsOf = <T extends { id: string }>(rows: T[], asked: Iterable<string>): Rows<T> => {
  const map: Rows<T> = new Map([...asked].map((id) => [id, null]))
  for (const r of rows) map.set(r.id, r)
  return map
}

/** The writes of the batch, net of refused mutations, as the final value of each row. */
interface Dirty {
  insertedBookings: Map<string, Booking>
  updatedBookings: Map<string, Booking>
  sessions: Map<string, Session>
  vouchers: Map<string, Voucher>
  ledger: LedgerEntry[]
  children: Map<string, Child>
}

/**
 * The MutatorStore of a batch: prefetched rows plus the effects of the mutations decided so far.
 * `begin()` marks a mutation's start; `undo()` takes back everything it changed (a refusal).
 */
function overlayStore(tx: TxQueryable, changes: Changes, now: () => string, prefetched: {
  bookings: Rows<Booking>; sessions: Rows<Session>; children: Rows<Child>; programs: Rows<Program>
  services: Rows<Service>; operators: Rows<Operator>; vouchers: Voucher[]; familyOfVoucher: Map<string, string>
}) {
  const { bookings, sessions, children, programs, services, operators, familyOfVoucher } = prefetched
  const vouchers = new Map<string, Voucher>()
  const voucherOf = new Map<string, string | null>()
  for (const v of prefetched.vouchers) {
    vouchers.set(v.id, v)
    voucherOf.set(voucherKey(v.childId, v.programId), v.id)
  }
  const dirty: Dirty = { insertedBookings: new Map(), updatedBookings: new Map(), sessions: new Map(), vouchers: new Map(), ledger: [], children: new Map() }
  let undoLog: (() => void)[] = []
  let touches: { spaces: string[]; entity: 'booking' | 'session' | 'voucher' | 'child'; key: string }[] = []

  /** map.set, remembering how to take it back. */
  const set = <T>(map: Map<string, T>, key: string, value: T) => {
    const had = map.has(key)
    const before = map.get(key)
    undoLog.push(() => (had ? map.set(key, before as T) : map.delete(key)))
    map.set(key, value)
  }
  /** A read through the database (what the prefetch did not foresee), as on the one-by-one path. */
  async function miss<T>(map: Rows<T>, id: string, sql: string, params: unknown[]): Promise<T | undefined> {
    if (!map.has(id)) map.set(id, (await tx.query<T>(sql, params))[0] ?? null)
    return map.get(id) ?? undefined
  }
  const get = <T>(map: Rows<T>, entity: keyof typeof SELECT, id: string, lock = false) =>
    miss(map, id, `${SELECT[entity]} WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id])

  const store: MutatorStore = {
    program: (id) => get(programs, 'program', id),
    service: (id) => get(services, 'service', id),
    operator: (id) => get(operators, 'operator', id),
    child: (id) => get(children, 'child', id),
    booking: (id) => get(bookings, 'booking', id, true),
    session: (id) => get(sessions, 'session', id, true),
    async voucherOfChild(childId, programId) {
      const key = voucherKey(childId, programId)
      if (!voucherOf.has(key)) {
        const [row] = await tx.query<Voucher & { familyId: string }>(VOUCHER_OF_CHILD_LOCKED, [childId, programId])
        if (row) {
          const { familyId, ...voucher } = row
          familyOfVoucher.set(voucher.id, familyId)
          vouchers.set(voucher.id, voucher)
        }
        voucherOf.set(key, row?.id ?? null)
      }
      const id = voucherOf.get(key)
      return id ? vouchers.get(id) : undefined
    },
    // Only session.close asks, and it is never batched (SOLO_MUTATIONS): should a mutator ever ask,
    // the batch fails and is decided one by one, where the locks come in the right order.
    bookingsOfSession() {
      throw new Error('bookingsOfSession is not available in a batch')
    },
    // Unlocked suggestions, as on the one-by-one path, seen through this batch's own changes.
    async sessionsOfService(serviceId) {
      return (await alternativeSessions(tx, serviceId, now())).map((s) => sessions.get(s.id) ?? s)
    },

    async insertBooking(b) {
      set(bookings, b.id, b)
      set(dirty.insertedBookings, b.id, b)
      touches.push({ spaces: rowSpaces.booking(b), entity: 'booking', key: b.id })
    },
    async updateBooking(b) {
      set(bookings, b.id, b)
      set(dirty.updatedBookings, b.id, b)
      touches.push({ spaces: rowSpaces.booking(b), entity: 'booking', key: b.id })
    },
    async updateSession(s) {
      set(sessions, s.id, s)
      set(dirty.sessions, s.id, s)
      touches.push({ spaces: rowSpaces.session(s), entity: 'session', key: s.id })
    },
    async updateVoucher(v, entry) {
      const familyId = familyOfVoucher.get(v.id)
      if (!familyId) throw new Error(`voucher ${v.id} was not read through the batch`) // fails the batch: decided one by one
      set(vouchers, v.id, v)
      set(dirty.vouchers, v.id, v)
      const at = dirty.ledger.length
      undoLog.push(() => (dirty.ledger.length = at))
      dirty.ledger.push(entry)
      touches.push({ spaces: [space.family(familyId)], entity: 'voucher', key: v.id })
    },
    // The mutator refused a child id of another family it could see; one created meanwhile by another
    // transaction is caught when the batch writes (childWrites) and the batch is decided one by one.
    async upsertChild(c) {
      set(children, c.id, c)
      set(dirty.children, c.id, c)
      touches.push({ spaces: [space.family(c.familyId)], entity: 'child', key: c.id })
    },
  }
  return {
    store,
    dirty,
    begin() {
      undoLog = []
      touches = []
    },
    /** The mutation was applied: its rows are stamped at COMMIT. */
    keep() {
      for (const t of touches) changes.touch(t.spaces, t.entity, t.key)
    },
    /** The mutation was refused: nothing it did remains. */
    undo() {
      for (let i = undoLog.length - 1; i >= 0; i--) undoLog[i]!()
    },
  }
}

/**
 * What the batch asks for up front, from the (not yet validated) args of its mutations. What depends
 * on a booking's row (the session a cancel frees, the voucher a cancel refunds or a delivery spends)
 * is asked through the booking's id, and looked up by the database in the same round trip.
 */
function foresee(jobs: BatchJob[]) {
  const bookingIds: string[] = []
  const sessionIds: string[] = []
  const childIds: string[] = []
  const operatorIds: string[] = []
  const programIds: string[] = []
  /** Bookings being ended: their sessions are locked too. */
  const endingBookingIds: string[] = []
  /** The vouchers, by the child a request names (of the requesting family only) … */
  const voucherByChild: { child: string; program: string; family: string }[] = []
  /** … or by the booking a cancel, decline or delivery acts on (the booking's child). */
  const voucherByBooking: { booking: string; program: string }[] = []
  for (const { auth, req } of jobs) {
    const program = auth.actor.programId
    programIds.push(program)
    for (const m of req.mutations) {
      const a = argsRecord(m.args)
      if (m.name === 'child.upsert' && str(a.childId)) childIds.push(a.childId)
      if (m.name === 'booking.request') {
        if (str(a.bookingId)) bookingIds.push(a.bookingId)
        if (str(a.sessionId)) sessionIds.push(a.sessionId)
        if (str(a.childId)) {
          childIds.push(a.childId)
          // Only the family's own voucher: a request naming another family's child is refused before it asks.
          voucherByChild.push({ child: a.childId, program, family: auth.actor.familyId ?? '' })
        }
      } else if (ACTS_ON_BOOKING.has(m.name) && str(a.bookingId)) {
        bookingIds.push(a.bookingId)
        if (m.name === 'booking.confirm' && str(a.operatorId)) operatorIds.push(a.operatorId)
        if (ENDS.has(m.name)) endingBookingIds.push(a.bookingId)
        if (ENDS.has(m.name) || m.name === 'booking.deliver') voucherByBooking.push({ booking: a.bookingId, program })
      }
    }
  }
  return {
    bookingIds: sorted(bookingIds), sessionIds: sorted(sessionIds), childIds: sorted(childIds), operatorIds: sorted(operatorIds),
    programIds: sorted(programIds), endingBookingIds: sorted(endingBookingIds), voucherByChild, voucherByBooking,
  }
}

/**
 * The sessions a batch locks ($1), and those of the bookings it ends ($2). The lookup through
 * bookings is only in the text when there are such bookings: a batch of requests runs the plain
 * statement (one index probe per id), and each text is prepared once.
 */
const sessionIdsSql = (endingBookingIds: string[]) =>
  endingBookingIds.length ? '$1::text[] || ARRAY(SELECT session_id FROM bookings WHERE id = ANY($2::text[]))' : '$1::text[]'

/** The vouchers a batch locks: by the child a request names, and by the booking other mutations act on. */
function vouchersSql(byBooking: boolean): string {
  const throughBookings = byBooking
    ? `UNION ALL SELECT v.id FROM unnest($4::text[], $5::text[]) AS k(booking_id, program_id)
         JOIN bookings b ON b.id = k.booking_id JOIN vouchers v ON v.child_id = b.child_id AND v.program_id = k.program_id`
    : ''
  return `${VOUCHER_WITH_FAMILY} WHERE id IN (
      SELECT v.id FROM vouchers v JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(child_id, program_id, family_id)
        ON v.child_id = k.child_id AND v.program_id = k.program_id AND v.family_id = k.family_id
      ${throughBookings})
    ORDER BY id FOR UPDATE`
}
const VOUCHERS_BY_CHILD = vouchersSql(false)
const VOUCHERS_BY_CHILD_OR_BOOKING = vouchersSql(true)

/** Decides the jobs in one transaction. Throws when the batch as a whole failed (nothing written). */
export async function pushBatch(deps: Deps, jobs: BatchJob[]): Promise<JobOutcome[]> {
  return versionedWrite(deps, async (tx, changes) => {
    const want = foresee(jobs)
    const clientIds = new Map<string, BatchJob>()
    for (const job of jobs) if (!clientIds.has(job.req.mutations[0]!.clientId)) clientIds.set(job.req.mutations[0]!.clientId, job)
    const clientOrder = sorted(clientIds.keys())
    const none = Promise.resolve([])
    const sessionsWanted = want.sessionIds.length > 0 || want.endingBookingIds.length > 0
    const { voucherByChild: byChild, voucherByBooking: byBooking } = want
    const sessionIds = sessionIdsSql(want.endingBookingIds) // an SQL array expression
    const sessionParams = want.endingBookingIds.length ? [want.sessionIds, want.endingBookingIds] : [want.sessionIds]

    // Round trip 1: every read, in lock order (clients, bookings, sessions, vouchers). Each statement
    // runs after the one before it, so the sessions and vouchers found through a booking are those of
    // the booking row this transaction has just locked.
    const [clients, bookingRows, childRows, programRows, operatorRows, sessionRows, serviceRows, voucherRows] = await Promise.all([
      tx.query<{ id: string; principal: string; last: number }>(
        `INSERT INTO clients (id, client_group_id, principal)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
         ON CONFLICT (id) DO UPDATE SET updated_at = clients.updated_at
         RETURNING id, principal, last_mutation_id AS last`,
        [clientOrder, clientOrder.map((id) => clientIds.get(id)!.req.clientGroupId), clientOrder.map((id) => clientIds.get(id)!.auth.principal)],
      ),
      want.bookingIds.length ? tx.query<Booking>(`${SELECT.booking} WHERE id = ANY($1) ORDER BY id FOR UPDATE`, [want.bookingIds]) : none,
      want.childIds.length ? tx.query<Child>(`${SELECT.child} WHERE id = ANY($1)`, [want.childIds]) : none,
      tx.query<Program>(`${SELECT.program} WHERE id = ANY($1)`, [want.programIds]),
      want.operatorIds.length ? tx.query<Operator>(`${SELECT.operator} WHERE id = ANY($1)`, [want.operatorIds]) : none,
      sessionsWanted
        ? tx.query<Session>(`${SELECT.session} WHERE id = ANY(${sessionIds}) ORDER BY id FOR UPDATE`, sessionParams)
        : none,
      sessionsWanted
        ? tx.query<Service>(`${SELECT.service} WHERE id IN (SELECT service_id FROM sessions WHERE id = ANY(${sessionIds}))`, sessionParams)
        : none,
      byChild.length || byBooking.length
        ? tx.query<Voucher & { familyId: string }>(byBooking.length ? VOUCHERS_BY_CHILD_OR_BOOKING : VOUCHERS_BY_CHILD, [
          byChild.map((k) => k.child), byChild.map((k) => k.program), byChild.map((k) => k.family),
          ...(byBooking.length ? [byBooking.map((k) => k.booking), byBooking.map((k) => k.program)] : []),
        ])
        : none,
    ])
    const bookings = rowsOf(bookingRows, want.bookingIds)
    const familyOfVoucher = new Map<string, string>()
    const vouchers = voucherRows.map(({ familyId, ...v }) => (familyOfVoucher.set(v.id, familyId), v as Voucher))

    const overlay = overlayStore(tx, changes, () => deps.clock.now().toISOString(), {
      bookings,
      sessions: rowsOf(sessionRows, want.sessionIds),
      children: rowsOf(childRows, want.childIds),
      programs: rowsOf(programRows, want.programIds),
      services: new Map(serviceRows.map((s) => [s.id, s])),
      operators: rowsOf(operatorRows, want.operatorIds),
      vouchers,
      familyOfVoucher,
    })

    // The mutations, in arrival order, each against the effects of those before it.
    const owner = new Map(clients.map((c) => [c.id, c.principal]))
    const last = new Map(clients.map((c) => [c.id, c.last]))
    const advanced = new Set<string>()
    const refusals: MutationResult[] = []
    const outcomes: JobOutcome[] = []
    for (const { auth, req } of jobs) {
      const clientId = req.mutations[0]!.clientId
      if (owner.get(clientId) !== auth.principal) {
        outcomes.push({ error: new AppError('client-forbidden', { clientId }) })
        continue
      }
      const results: MutationResult[] = []
      for (const m of req.mutations) {
        const done = last.get(clientId)!
        if (m.id <= done) {
          results.push({ clientId, id: m.id, status: 'already-processed' })
          continue
        }
        if (m.id > done + 1) break // a gap: the phone resends from it
        overlay.begin()
        const outcome = await runMutation(overlay.store, m.name, m.args, { actor: auth.actor, now: deps.clock.now().toISOString() })
        if (outcome.ok) {
          overlay.keep()
          results.push({ clientId, id: m.id, status: 'applied' })
        } else {
          overlay.undo()
          const result = rejected(m, outcome)
          refusals.push(result)
          changes.poke(space.principal(auth.principal))
          results.push(result)
        }
        last.set(clientId, m.id)
        advanced.add(clientId)
      }
      outcomes.push({ results })
    }
    await writeChildren(tx, changes, overlay.dirty.children)
    writeAll(tx, overlay.dirty, [...advanced].map((id) => [id, last.get(id)!] as const), refusals)
    return outcomes
  })
}

/**
 * Children first (bookings of this batch may name a child it created), awaited, with a rename copied
 * onto the child's stored bookings in the same statement (upsertChildren); bookings this batch inserts
 * take the final name in writeAll. A child id another family took meanwhile is not written, which
 * fails the batch; decided one by one, that child.upsert is then refused `invalid-state`. One more
 * round trip, only for batches with a child.upsert.
 */
async function writeChildren(tx: TxQueryable, changes: Changes, children: Map<string, Child>): Promise<void> {
  if (children.size === 0) return
  if ((await upsertChildren(tx, changes, [...children.values()])) !== children.size) {
    throw new StoreConflict('a child id of this batch belongs to another family')
  }
}

/** Round trip 2: one statement per table over arrays, sent behind each other with the COMMIT. */
function writeAll(tx: TxQueryable, dirty: Dirty, lastIds: (readonly [string, number])[], refusals: MutationResult[]): void {
  const col = <T, K extends keyof T>(rows: Iterable<T>, k: K) => [...rows].map((r) => r[k] ?? null)
  const sessions = [...dirty.sessions.values()]
  if (sessions.length) {
    tx.send(
      `UPDATE sessions s SET places = u.places, places_left = u.places_left, unit_price_cents = u.price, units_max = u.units_max,
         status = u.status, starts_at = u.starts_at, ends_at = u.ends_at
       FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::int[], $6::text[], $7::timestamptz[], $8::timestamptz[])
         AS u(id, places, places_left, price, units_max, status, starts_at, ends_at)
       WHERE s.id = u.id`,
      [col(sessions, 'id'), col(sessions, 'places'), col(sessions, 'placesLeft'), col(sessions, 'unitPriceCents'), col(sessions, 'unitsMax'),
        col(sessions, 'status'), col(sessions, 'startsAt'), col(sessions, 'endsAt')],
    )
  }
  const vouchers = [...dirty.vouchers.values()]
  if (vouchers.length) {
    tx.send(
      `UPDATE vouchers v SET balance_cents = u.balance, held_cents = u.held, spent_cents = u.spent
       FROM unnest($1::text[], $2::int[], $3::int[], $4::int[]) AS u(id, balance, held, spent) WHERE v.id = u.id`,
      [col(vouchers, 'id'), col(vouchers, 'balanceCents'), col(vouchers, 'heldCents'), col(vouchers, 'spentCents')],
    )
  }
  if (dirty.ledger.length) {
    const l = dirty.ledger
    tx.send(
      `INSERT INTO voucher_ledger (voucher_id, booking_id, kind, amount_cents, at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::timestamptz[])`,
      [col(l, 'voucherId'), col(l, 'bookingId'), col(l, 'kind'), col(l, 'amountCents'), col(l, 'at')],
    )
  }
  // A booking requested before a rename in this same batch takes the child's final name.
  const inserted = [...dirty.insertedBookings.values()].map((b) => {
    const child = dirty.children.get(b.childId)
    return child ? { ...b, childFirstName: child.firstName } : b
  })
  if (inserted.length) {
    const b = inserted
    tx.send(
      `INSERT INTO bookings (id, child_id, family_id, session_id, service_id, provider_id, quantity, status,
         unit_price_cents, total_cents, voucher_cents, copay_cents, note, decline_reason, operator_id,
         child_first_name, created_at, updated_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[],
         $9::int[], $10::int[], $11::int[], $12::int[], $13::text[], $14::text[], $15::text[], $16::text[], $17::timestamptz[], $18::timestamptz[])`,
      [col(b, 'id'), col(b, 'childId'), col(b, 'familyId'), col(b, 'sessionId'), col(b, 'serviceId'), col(b, 'providerId'), col(b, 'quantity'),
        col(b, 'status'), col(b, 'unitPriceCents'), col(b, 'totalCents'), col(b, 'voucherCents'), col(b, 'copayCents'), col(b, 'note'),
        col(b, 'declineReason'), col(b, 'operatorId'), col(b, 'childFirstName'), col(b, 'createdAt'), col(b, 'updatedAt')],
    )
  }
  const updated = [...dirty.updatedBookings.values()]
  if (updated.length) {
    tx.send(
      `UPDATE bookings b SET status = u.status, operator_id = u.operator_id, decline_reason = u.decline_reason, note = u.note,
         updated_at = u.updated_at,
         delivered_at = CASE WHEN u.status = 'delivered' AND b.delivered_at IS NULL THEN u.updated_at ELSE b.delivered_at END
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
         AS u(id, status, operator_id, decline_reason, note, updated_at)
       WHERE b.id = u.id`,
      [col(updated, 'id'), col(updated, 'status'), col(updated, 'operatorId'), col(updated, 'declineReason'), col(updated, 'note'), col(updated, 'updatedAt')],
    )
  }
  if (lastIds.length) {
    tx.send(
      `UPDATE clients c SET last_mutation_id = u.last, updated_at = now()
       FROM unnest($1::text[], $2::int8[]) AS u(id, last) WHERE c.id = u.id`,
      [lastIds.map(([id]) => id), lastIds.map(([, n]) => n)],
    )
  }
  if (refusals.length) {
    tx.send(
      `INSERT INTO mutation_results (client_id, mutation_id, code, message, details)
       SELECT c, m, code, message, details::jsonb FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[], $5::text[]) AS u(c, m, code, message, details)`,
      [col(refusals, 'clientId'), col(refusals, 'id'), col(refusals, 'code'), col(refusals, 'message'), refusals.map((r) => JSON.stringify(r.details))],
    )
  }
}
