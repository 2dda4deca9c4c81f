/**
 * Property: for ANY sequence of every registered mutation (requests, cancels, confirms, declines,
 * deliveries (whole, partial, no-show, before and while the session runs), session closes, child upserts, messages) by several families and providers, places are
 * never oversold, no booking holds a place on a closed session, no voucher goes below zero, every
 * voucher's parts and ledger add up to its amount, a child holds at most one live booking of a
 * session (a changed quantity keeps the price and the ledger right), a delivered booking has its delivery date, a
 * booking carries its child's current name and a message belongs to its booking's family and
 * provider (and to its operator, who reads the thread). This is the model the server must match. A mutation registered without a generator here
 * fails the first test (and does not type-check).
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { holdsResources, occupiesPlace } from '../booking/booking.rules.ts'
import { voucherAddsUp } from '../voucher/voucher.rules.ts'
import { memoryStore, type MemoryState } from './memory-store.ts'
import { MUTATION_NAMES, runMutation, type MutationName } from './mutators.ts'
import { children, fixtureState, parent, provider, provider2, session, otherParent } from '../test/fixtures.ts'

const bookingIds = ['b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7']
const booking = fc.constantFrom(...bookingIds)
/** One generator per registered mutation (a Record: a new mutation without one is a type error). */
const GENERATORS: Record<MutationName, fc.Arbitrary<Record<string, unknown>>> = {
  'booking.request': fc.record({
    bookingId: booking,
    childId: fc.constantFrom('c1', 'c2', 'c3'),
    sessionId: fc.constantFrom('s1', 's2', 's3', 's4', 's5'),
    quantity: fc.integer({ min: 1, max: 8 }),
    // A recurring plan item: Wednesday (s1, s2, s3 on the 25th) and Thursday (s5 on the 26th).
    recurrence: fc.option(fc.record({ weekdays: fc.constantFrom([3, 4], [4], [1]), until: fc.constantFrom('2026-11-26', '2026-11-25') }), { nil: undefined }),
  }, { requiredKeys: ['bookingId', 'childId', 'sessionId', 'quantity'] }),
  'booking.cancel': fc.record({ bookingId: booking }),
  'booking.changeQuantity': fc.record({ bookingId: booking, quantity: fc.integer({ min: 1, max: 8 }) }),
  'booking.confirm': fc.record({ bookingId: booking, operatorId: fc.option(fc.constantFrom('op1', 'op2'), { nil: undefined }) }),
  'booking.deliver': fc.oneof(
    fc.record({ bookingId: booking }),
    fc.record({ bookingId: booking, deliveredQuantity: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ bookingId: booking, noShow: fc.constant(true) }),
    fc.record({ bookingId: booking, deliveredAt: fc.constantFrom('2026-11-25T09:00:00.000Z', '2026-11-25T13:00:00.000Z') }),
  ),
  'booking.decline': fc.record({ bookingId: booking, reason: fc.constant('no') }),
  'session.close': fc.record({ sessionId: fc.constantFrom('s1', 's2', 's3'), reason: fc.constant('chiusa') }),
  'session.create': fc.record({
    sessionId: fc.constantFrom('s4', 's1'),
    serviceId: fc.constantFrom('svc-bs', 'svc-nope'),
    startsAt: fc.constant('2026-11-25T08:00:00.000Z'),
    endsAt: fc.constantFrom('2026-11-25T12:00:00.000Z', '2026-11-25T07:00:00.000Z'),
    places: fc.integer({ min: 1, max: 3 }),
    unitPriceCents: fc.constantFrom(1500, 2500),
    unitsMax: fc.constant(8),
  }),
  'session.update': fc.record(
    {
      sessionId: fc.constantFrom('s1', 's2', 's3', 's4'),
      places: fc.integer({ min: 0, max: 4 }),
      unitPriceCents: fc.constantFrom(1000, 3000),
      startsAt: fc.constant('2026-11-25T09:00:00.000Z'),
      unitsMax: fc.integer({ min: 1, max: 8 }),
    },
    { requiredKeys: ['sessionId'] },
  ),
  'operator.upsert': fc.record({
    operatorId: fc.constantFrom('op1', 'op2'),
    name: fc.constantFrom('Giulia', 'Marta'),
    track: fc.constantFrom('baby-care' as const, null),
    qualifications: fc.constant(''),
    takesMildlyIll: fc.boolean(),
    onCall: fc.boolean(),
    onCallWindows: fc.constantFrom('', '1-5 05:30-14:00', 'sempre'),
  }),
  'child.upsert': fc.record(
    {
      childId: fc.constantFrom('c1', 'c2', 'c3', 'c4'),
      firstName: fc.constantFrom('Anna', 'Anna Maria', 'Luca'),
      birthDate: fc.constantFrom('2018-03-01', '2024-06-10'),
      note: fc.constantFrom('Allergia alle arachidi', '', null),
      changeId: fc.constantFrom('ch1', 'ch2', 'ch3', 'ch4'),
    },
    { requiredKeys: ['childId', 'firstName', 'birthDate'] },
  ),
  'child.requestBirthDate': fc.record({
    requestId: fc.constantFrom('r1', 'r2'),
    childId: fc.constantFrom('c1', 'c2', 'c3', 'c4'),
    birthDate: fc.constantFrom('2018-03-01', '2019-05-05'),
  }),
  'message.send': fc.record({ messageId: fc.constantFrom('m1', 'm2', 'm3'), bookingId: booking, body: fc.constant('Citofono Rossi') }),
  'emergency.request': fc.record({
    requestId: fc.constantFrom('e1', 'e2', 'e3'),
    childId: fc.constantFrom('c1', 'c2', 'c3'),
    startsAt: fc.constantFrom('2026-11-21T04:30:00.000Z', '2026-11-21T12:30:00.000Z'),
    endsAt: fc.constantFrom('2026-11-21T13:00:00.000Z', '2026-11-21T21:00:00.000Z', '2026-11-22T05:00:00.000Z'),
    address: fc.constant('Via Roma 1, Crema'),
  }),
  'emergency.accept': fc.record({ requestId: fc.constantFrom('e1', 'e2', 'e3'), operatorId: fc.option(fc.constantFrom('op1', 'op2', 'op3'), { nil: undefined }) }),
  'emergency.cancel': fc.record({ requestId: fc.constantFrom('e1', 'e2', 'e3') }),
  'emergency.deliver': fc.oneof(
    fc.record({ requestId: fc.constantFrom('e1', 'e2', 'e3') }),
    fc.record({ requestId: fc.constantFrom('e1', 'e2', 'e3'), deliveredHours: fc.integer({ min: 1, max: 24 }) }),
    fc.record({ requestId: fc.constantFrom('e1', 'e2', 'e3'), noShow: fc.constant(true) }),
    fc.record({ requestId: fc.constantFrom('e1', 'e2', 'e3'), deliveredAt: fc.constantFrom('2026-11-21T05:00:00.000Z', '2026-11-21T14:00:00.000Z', '2026-11-22T06:00:00.000Z') }),
  ),
  'waitlist.join': fc.record({
    entryId: fc.constantFrom('w1', 'w2', 'w3', 'b0'),
    childId: fc.constantFrom('c1', 'c2', 'c3'),
    sessionId: fc.constantFrom('s1', 's2', 's3'),
    quantity: fc.integer({ min: 1, max: 8 }),
  }),
  'waitlist.leave': fc.record({ entryId: fc.constantFrom('w1', 'w2', 'w3', 'b0') }),
  'booking.propose': fc.record(
    { bookingId: booking, sessionId: fc.constantFrom('s1', 's2', 's3', 's4'), note: fc.constant('Giovedì?') },
    { requiredKeys: ['bookingId', 'sessionId'] },
  ),
  'booking.acceptProposal': fc.record({ bookingId: booking }),
  'booking.declineProposal': fc.record({ bookingId: booking }),
}
const commandOf = (names: readonly MutationName[], weight: (name: MutationName) => number = () => 1) =>
  fc.oneof(...names.map((name) => ({
    arbitrary: fc.record({ name: fc.constant(name), args: GENERATORS[name], asOther: fc.boolean(), late: fc.boolean() }), weight: weight(name),
  })))
const command = commandOf(MUTATION_NAMES)
/**
 * Emergencies alone (and operators going on and off call), after one request accepted by the second
 * cooperative, accepting and delivering more often than requesting: among all the mutations few
 * sequences reach a delivery.
 */
const emergencyCommands = fc.array(commandOf(
  MUTATION_NAMES.filter((n) => n.startsWith('emergency.') || n === 'operator.upsert'),
  (n) => (n === 'emergency.accept' || n === 'emergency.deliver' ? 4 : 1),
), { maxLength: 20 }).map((cs) => [
  { name: 'emergency.request' as const, args: { requestId: 'e1', childId: 'c1', startsAt: '2026-11-21T04:30:00.000Z', endsAt: '2026-11-21T13:00:00.000Z' }, asOther: false, late: false },
  { name: 'emergency.accept' as const, args: { requestId: 'e1' }, asOther: true, late: false },
  ...cs,
])
/** A provider's delivery happens before (refused) or while the sessions run (2026-11-25 08:00–12:00). */
const DURING = '2026-11-25T10:00:00.000Z'
/** An emergency's delivery before (refused) or once the requests have started (2026-11-21 from 04:30 or 12:30). */
const EMERGENCY_DURING = '2026-11-21T13:00:00.000Z'
const PROVIDER_SIDE: ReadonlySet<string> = new Set(['booking.propose', 'booking.confirm', 'booking.decline', 'booking.deliver', 'session.close', 'session.create', 'session.update', 'operator.upsert'])
const actorFor = (name: string, args: { childId?: string }, asOther: boolean) =>
  name === 'emergency.accept' || name === 'emergency.deliver' ? (asOther ? provider2 : provider)
    : PROVIDER_SIDE.has(name) || (name === 'message.send' && asOther)
    ? provider
    : args.childId === 'c3' || (asOther && name !== 'booking.request' && name !== 'emergency.request') ? otherParent : parent

function checkInvariants(state: MemoryState) {
  const bookings = [...state.bookings.values()]
  // A proposal names another session of the order's provider and service; an accepted one moved the booking there.
  for (const b of bookings.filter((x) => x.proposalStatus !== null)) {
    const to = state.sessions.get(b.proposedSessionId ?? '')
    expect(to).toMatchObject({ providerId: b.providerId, serviceId: b.serviceId })
    expect(b.proposedAt).not.toBeNull()
    if (b.proposalStatus === 'accepted') expect(b.sessionId).toBe(b.proposedSessionId)
    else expect(b.sessionId).not.toBe(b.proposedSessionId)
  }
  for (const s of state.sessions.values()) {
    const holding = bookings.filter((b) => b.sessionId === s.id && occupiesPlace(b.status)).length
    expect(s.placesLeft).toBeGreaterThanOrEqual(0)
    expect(s.endsAt > s.startsAt).toBe(true)
    expect(s.places - s.placesLeft).toBe(holding)
    if (s.status !== 'open') expect(bookings.filter((b) => b.sessionId === s.id && holdsResources(b.status))).toEqual([])
  }
  for (const v of state.vouchers.values()) {
    expect(voucherAddsUp(v)).toBe(true)
    const mine = bookings.filter((b) => b.childId === v.childId)
    const emergencies = [...state.emergencyRequests.values()].filter((r) => r.voucherId === v.id)
    const held = mine.filter((b) => holdsResources(b.status)).reduce((n, b) => n + b.voucherCents, 0) + emergencies.reduce((n, r) => n + r.heldCents, 0)
    const spent = mine.filter((b) => b.status === 'delivered').reduce((n, b) => n + b.voucherCents, 0) +
      emergencies.filter((r) => r.status === 'delivered').reduce((n, r) => n + (r.spentCents ?? 0), 0)
    expect(v.heldCents).toBe(held)
    expect(v.spentCents).toBe(spent)
    const sum = (kind: string) => state.ledger.filter((e) => e.voucherId === v.id && e.kind === kind).reduce((n, e) => n + e.amountCents, 0)
    expect(v.balanceCents).toBe(v.amountCents - sum('hold') + sum('release'))
    expect(v.heldCents).toBe(sum('hold') - sum('release') - sum('consume'))
  }
  const live = bookings.filter((b) => holdsResources(b.status)).map((b) => `${b.childId}/${b.sessionId}`)
  expect(new Set(live).size, 'one live booking per child and session').toBe(live.length)
  for (const b of bookings) {
    expect(b.totalCents).toBe(b.unitPriceCents * b.quantity)
    expect(b.deliveredAt !== null, `${b.id} ${b.status} deliveredAt`).toBe(b.status === 'delivered' || b.status === 'liquidated')
    expect(b.childFirstName).toBe(state.children.get(b.childId)?.firstName)
    const delivered = b.status === 'delivered' || b.status === 'liquidated'
    expect(b.deliveredQuantity !== null).toBe(delivered)
    if (delivered) {
      const s = state.sessions.get(b.sessionId)
      expect(b.deliveredQuantity).toBeLessThanOrEqual(b.quantity)
      expect(b.totalCents).toBe(b.unitPriceCents * (b.deliveredQuantity ?? 0))
      expect(b.voucherCents + b.copayCents).toBe(b.totalCents)
      if (b.noShow) expect([b.deliveredQuantity, b.voucherCents]).toEqual([0, 0])
      expect(s && b.deliveredAt! >= s.startsAt && b.deliveredAt! <= s.endsAt && s.startsAt <= DURING).toBe(true)
    }
  }
  for (const r of state.emergencyRequests.values()) {
    // Held while open or accepted, released otherwise; accepted means one provider and one of its operators
    // (on call when it accepted: the mutator's test checks that; the operator may go off call later).
    expect(r.heldCents > 0).toBe(r.status === 'open' || r.status === 'accepted')
    if (r.status === 'accepted') expect(r.providerId).not.toBeNull()
    if (r.status === 'open' || r.status === 'expired') expect(r.providerId).toBeNull()
    if (r.operatorId) expect(state.operators.get(r.operatorId)).toMatchObject({ providerId: r.providerId })
    // Delivered: by the winner, dated within the request, at most the hours begun, spending at most the estimate's share.
    const delivered = r.status === 'delivered'
    expect([r.deliveredAt !== null, r.deliveredHours !== null, r.spentCents !== null]).toEqual([delivered, delivered, delivered])
    if (delivered) {
      expect(r.providerId).not.toBeNull()
      expect(r.deliveredAt! >= r.startsAt && r.deliveredAt! <= r.endsAt && r.startsAt <= EMERGENCY_DURING).toBe(true)
      expect(r.spentCents!).toBeLessThanOrEqual(r.estimatedCents)
      if (r.noShow) expect([r.deliveredHours, r.spentCents]).toEqual([0, 0])
    }
  }
  for (const w of state.waitlistEntries.values()) {
    // Promoted means a booking of that child and session (the entry's id); waiting means the session is
    // open (a close closes its entries) and the child is not booked there; one waiting entry per child and session.
    expect(w.status === 'promoted').toBe(w.bookingId !== null)
    if (w.bookingId) expect(state.bookings.get(w.bookingId)).toMatchObject({ childId: w.childId, sessionId: w.sessionId, quantity: w.quantity })
    if (w.status === 'waiting') {
      expect(state.sessions.get(w.sessionId)?.status).toBe('open')
      expect(bookings.some((b) => b.childId === w.childId && b.sessionId === w.sessionId && holdsResources(b.status))).toBe(false)
    }
  }
  const waiting = [...state.waitlistEntries.values()].filter((w) => w.status === 'waiting').map((w) => `${w.childId}/${w.sessionId}`)
  expect(new Set(waiting).size, 'one waiting entry per child and session').toBe(waiting.length)
  // A child with a voucher keeps its birth date (only the office changes it); every child has its
  // history (an added child its 'added' entry); at most one pending birth-date request per child.
  for (const c of state.children.values()) {
    const original = children.find((x) => x.id === c.id)
    const hasVoucher = [...state.vouchers.values()].some((v) => v.childId === c.id)
    if (original && hasVoucher) expect(c.birthDate).toBe(original.birthDate)
    const history = [...state.childChanges.values()].filter((h) => h.childId === c.id)
    if (!original) expect(history.some((h) => h.field === 'added')).toBe(true)
    for (const h of history) expect(h.familyId).toBe(c.familyId)
    expect([...state.birthDateRequests.values()].filter((r) => r.childId === c.id && r.status === 'pending').length).toBeLessThanOrEqual(1)
  }
  for (const m of state.messages.values()) {
    const b = state.bookings.get(m.bookingId)
    expect(b && b.familyId === m.familyId && b.providerId === m.providerId).toBe(true)
    // The thread follows the booking's assignment: its operator reads it (issue 9).
    expect(m.operatorId).toBe(b?.operatorId ?? null)
  }
}

describe('invariants under any sequence of commands', () => {
  it('has a generator for every registered mutation', () => {
    expect(Object.keys(GENERATORS).sort()).toEqual([...MUTATION_NAMES].sort())
  })

  it('never oversells, never goes negative, ledger adds up', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.array(command, { maxLength: 40 }), emergencyCommands), async (commands) => {
        const state = fixtureState([
          session('s1', { places: 1, placesLeft: 1 }),
          session('s2', { places: 2, placesLeft: 2, unitPriceCents: 9000 }),
          session('s3', { places: 3, placesLeft: 3, unitPriceCents: 4000 }),
          session('s5', { places: 1, placesLeft: 1, startsAt: '2026-11-26T08:00:00.000Z', endsAt: '2026-11-26T12:00:00.000Z' }),
        ])
        const store = memoryStore(state)
        for (const c of commands) {
          // The second cooperative's operator on call (own code) accepts and delivers for themselves, sometimes.
          const asOperator = c.asOther && c.late && (c.name === 'emergency.accept' || c.name === 'emergency.deliver')
          const ctx = asOperator ? { ...provider2, actor: { ...provider2.actor, role: 'operator' as const, operatorId: 'op2' } } : actorFor(c.name, c.args as { childId?: string }, c.asOther)
          const late = !c.late ? ctx : c.name === 'booking.deliver' ? { ...ctx, now: DURING } : c.name === 'emergency.deliver' ? { ...ctx, now: EMERGENCY_DURING } : ctx
          await runMutation(store, c.name, c.args, late)
          checkInvariants(state)
        }
      }),
      { numRuns: 500 },
    )
  }, 60_000) // 500 runs: about 1.5 s alone, several times that on a machine busy with the whole suite
})
