import { describe, expect, it } from 'vitest'
import { holdsResources } from '../booking/booking.rules.ts'
import { voucherAddsUp } from '../voucher/voucher.rules.ts'
import { memoryStore, type MemoryState } from './memory-store.ts'
import { runMutation } from './mutators.ts'
import { expireWaiting } from './waitlist.mutators.ts'
import { waitingExpired } from '../booking/waitlist.rules.ts'
import { fixtureState, otherParent, parent, provider, session, voucher, NOW } from '../test/fixtures.ts'
import type { MutationContext } from './store.ts'

const later = (ctx: MutationContext, minutes: number): MutationContext => ({ ...ctx, now: new Date(Date.parse(NOW) + minutes * 60_000).toISOString() })
/** s1: one place, taken by c1 (booking b1). */
async function full(over: Partial<Parameters<typeof session>[1]> = {}) {
  const state = fixtureState([session('s1', { places: 1, placesLeft: 1, ...over }), session('s2', { startsAt: '2026-11-26T08:00:00.000Z' })])
  const store = memoryStore(state)
  expect(await runMutation(store, 'booking.request', { bookingId: 'b1', childId: 'c1', sessionId: 's1', quantity: 2 }, parent)).toMatchObject({ ok: true })
  return { state, store }
}
const join = (entryId: string, childId: string, quantity = 1) => ({ entryId, childId, sessionId: 's1', quantity })
const addsUp = (state: MemoryState) => [...state.vouchers.values()].every(voucherAddsUp)

describe('waitlist.join / waitlist.leave', () => {
  it('joins a full session only: not one with places, not twice, not for another family, not beyond the voucher', async () => {
    const { state, store } = await full()
    expect(await runMutation(store, 'waitlist.join', { ...join('w0', 'c2'), sessionId: 's2' }, parent))
      .toMatchObject({ ok: false, code: 'invalid-state', details: { reason: 'places-left' } })
    expect(await runMutation(store, 'waitlist.join', join('w1', 'c1'), parent))
      .toMatchObject({ ok: false, code: 'invalid-state', details: { reason: 'already-booked', bookingId: 'b1' } })
    expect(await runMutation(store, 'waitlist.join', join('w1', 'c3'), parent)).toMatchObject({ ok: false, code: 'forbidden' })
    expect(await runMutation(store, 'waitlist.join', join('w1', 'c3', 100), otherParent)).toMatchObject({ ok: false, code: 'validation' })
    state.vouchers.set('v-c3', voucher('c3', 1000))
    expect(await runMutation(store, 'waitlist.join', join('w1', 'c3'), otherParent))
      .toMatchObject({ ok: false, code: 'voucher-insufficient', details: { balanceCents: 1000, neededCents: 1500 } })
    state.vouchers.set('v-c3', voucher('c3'))
    expect(await runMutation(store, 'waitlist.join', join('w1', 'c3'), otherParent)).toMatchObject({ ok: true })
    expect(await runMutation(store, 'waitlist.join', join('w2', 'c3'), otherParent))
      .toMatchObject({ ok: false, code: 'invalid-state', details: { reason: 'already-waiting' } })
    expect(state.waitlistEntries.get('w1')).toMatchObject({ status: 'waiting', familyId: 'other', sessionId: 's1', bookingId: null })
    expect(state.waitlistEntries.size).toBe(1)
  })
  it('leaves: only its own family, only while waiting', async () => {
    const { state, store } = await full()
    await runMutation(store, 'waitlist.join', join('w1', 'c3'), otherParent)
    expect(await runMutation(store, 'waitlist.leave', { entryId: 'w1' }, parent)).toMatchObject({ ok: false, code: 'forbidden' })
    expect(await runMutation(store, 'waitlist.leave', { entryId: 'w1' }, otherParent)).toMatchObject({ ok: true })
    expect(state.waitlistEntries.get('w1')?.status).toBe('left')
    expect(await runMutation(store, 'waitlist.leave', { entryId: 'w1' }, otherParent)).toMatchObject({ ok: false, code: 'invalid-state' })
  })
})

describe('a freed place goes to the first family waiting', () => {
  it('on cancel: the first in line gets a requested booking (its entry id) in the same mutation; the next keeps its turn', async () => {
    const { state, store } = await full()
    expect(await runMutation(store, 'waitlist.join', join('w1', 'c3', 2), otherParent)).toMatchObject({ ok: true })
    expect(await runMutation(store, 'waitlist.join', join('w2', 'c2'), later(parent, 5))).toMatchObject({ ok: true })
    expect(await runMutation(store, 'booking.cancel', { bookingId: 'b1' }, later(parent, 10))).toMatchObject({ ok: true })
    expect(state.bookings.get('w1')).toMatchObject({ status: 'requested', childId: 'c3', familyId: 'other', quantity: 2, voucherCents: 3000, planId: null })
    expect(state.waitlistEntries.get('w1')).toMatchObject({ status: 'promoted', bookingId: 'w1' })
    expect(state.waitlistEntries.get('w2')).toMatchObject({ status: 'waiting', bookingId: null })
    expect(state.sessions.get('s1')?.placesLeft).toBe(0)
    expect(state.vouchers.get('v-c3')).toMatchObject({ heldCents: 3000, balanceCents: 27000 })
    expect(state.ledger.at(-1)).toMatchObject({ voucherId: 'v-c3', bookingId: 'w1', kind: 'hold', amountCents: 3000 })
    expect(addsUp(state)).toBe(true)
    // The provider declines the promoted request: the place goes on to the next in line.
    expect(await runMutation(store, 'booking.decline', { bookingId: 'w1', reason: 'no' }, provider)).toMatchObject({ ok: true })
    expect(state.bookings.get('w2')).toMatchObject({ status: 'requested', childId: 'c2' })
    expect(state.waitlistEntries.get('w2')?.status).toBe('promoted')
    expect(addsUp(state)).toBe(true)
  })
  it('skips an entry its voucher no longer covers (it keeps its turn) and promotes the next', async () => {
    const { state, store } = await full()
    await runMutation(store, 'waitlist.join', join('w1', 'c3'), otherParent)
    await runMutation(store, 'waitlist.join', join('w2', 'c2'), later(parent, 5))
    state.vouchers.set('v-c3', { ...voucher('c3'), balanceCents: 100, spentCents: 29900 })
    await runMutation(store, 'booking.cancel', { bookingId: 'b1' }, later(parent, 10))
    expect(state.waitlistEntries.get('w1')?.status).toBe('waiting')
    expect(state.waitlistEntries.get('w2')).toMatchObject({ status: 'promoted', bookingId: 'w2' })
  })
  it('on session.update raising the places: as many as were added, in turn', async () => {
    const { state, store } = await full()
    await runMutation(store, 'waitlist.join', join('w1', 'c3'), otherParent)
    await runMutation(store, 'waitlist.join', join('w2', 'c2'), later(parent, 5))
    expect(await runMutation(store, 'session.update', { sessionId: 's1', places: 3 }, provider)).toMatchObject({ ok: true })
    expect([...state.bookings.values()].filter((b) => b.sessionId === 's1' && holdsResources(b.status)).map((b) => b.id).sort()).toEqual(['b1', 'w1', 'w2'])
    expect(state.sessions.get('s1')).toMatchObject({ places: 3, placesLeft: 0 })
  })
  it('on session.close: the waiting entries are closed, not left waiting', async () => {
    const { state, store } = await full()
    await runMutation(store, 'waitlist.join', join('w1', 'c3'), otherParent)
    expect(await runMutation(store, 'session.close', { sessionId: 's1', reason: 'chiusa' }, provider)).toMatchObject({ ok: true })
    expect(state.waitlistEntries.get('w1')?.status).toBe('closed')
    expect(state.bookings.has('w1')).toBe(false)
  })
  it('once the session has started, a waiting entry ends expired (not before, and only a waiting one)', async () => {
    const { state, store } = await full()
    await runMutation(store, 'waitlist.join', join('w1', 'c3'), otherParent)
    await runMutation(store, 'waitlist.join', join('w2', 'c2'), parent)
    await runMutation(store, 'waitlist.leave', { entryId: 'w2' }, parent)
    const startsAt = state.sessions.get('s1')!.startsAt
    const justBefore = new Date(Date.parse(startsAt) - 1000).toISOString()
    expect(await expireWaiting(store, 'w1', justBefore)).toEqual({ ok: true, value: false })
    expect(state.waitlistEntries.get('w1')?.status).toBe('waiting')
    expect(state.sessions.get('s1')?.waiting).toBe(1)
    expect(await expireWaiting(store, 'w1', startsAt)).toEqual({ ok: true, value: true })
    expect(state.waitlistEntries.get('w1')).toMatchObject({ status: 'expired', updatedAt: startsAt, bookingId: null })
    expect(state.sessions.get('s1')?.waiting).toBe(0) // the session's counter (0016) goes down with it
    expect(await expireWaiting(store, 'w2', startsAt)).toEqual({ ok: true, value: false })
    expect(state.waitlistEntries.get('w2')?.status).toBe('left')
    expect(await expireWaiting(store, 'nope', startsAt)).toMatchObject({ ok: false, code: 'not-found' })
    // The phone's rule is the same one.
    expect(waitingExpired({ status: 'waiting' }, { startsAt }, justBefore)).toBe(false)
    expect(waitingExpired({ status: 'waiting' }, { startsAt: '2026-11-25T08:00:00Z' }, '2026-11-25T09:00:00.000+01:00')).toBe(true)
    expect(waitingExpired({ status: 'promoted' }, { startsAt }, startsAt)).toBe(false)
  })
  it('a family that books directly (a place freed nobody in line could take) stops waiting', async () => {
    const { state, store } = await full()
    await runMutation(store, 'waitlist.join', join('w1', 'c3'), otherParent)
    state.vouchers.set('v-c3', { ...voucher('c3'), balanceCents: 100, spentCents: 29900 })
    await runMutation(store, 'booking.cancel', { bookingId: 'b1' }, parent)
    state.vouchers.set('v-c3', voucher('c3'))
    expect(await runMutation(store, 'booking.request', { bookingId: 'b9', childId: 'c3', sessionId: 's1', quantity: 1 }, otherParent)).toMatchObject({ ok: true })
    expect(state.waitlistEntries.get('w1')?.status).toBe('left')
  })
})

describe('booking.request with a recurrence', () => {
  // Wednesdays 08:00 UTC (09:00 in Rome): the 25th (s1, one place left), 2 Dec (s2, full), 9 Dec (s3, closed), 16 Dec (s4).
  const weekly = () => fixtureState([
    session('s1'),
    session('s2', { startsAt: '2026-12-02T08:00:00.000Z', endsAt: '2026-12-02T12:00:00.000Z', placesLeft: 0 }),
    session('s3', { startsAt: '2026-12-09T08:00:00.000Z', endsAt: '2026-12-09T12:00:00.000Z', status: 'closed' }),
    session('s4', { startsAt: '2026-12-16T08:00:00.000Z', endsAt: '2026-12-16T12:00:00.000Z' }),
    session('s5', { startsAt: '2026-12-23T08:00:00.000Z', endsAt: '2026-12-23T12:00:00.000Z' }),
  ])
  const plan = { bookingId: 'p1', childId: 'c1', sessionId: 's1', quantity: 2, recurrence: { weekdays: [3], until: '2026-12-20' } }

  it('books each date it can and skips the others (a partial outcome): one plan id, ids by day', async () => {
    const state = weekly()
    const store = memoryStore(state)
    expect(await runMutation(store, 'booking.request', plan, parent)).toMatchObject({ ok: true })
    expect([...state.bookings.values()].map((b) => [b.id, b.sessionId, b.planId, b.status])).toEqual([
      ['p1', 's1', 'p1', 'requested'],
      ['p1_20261216', 's4', 'p1', 'requested'],
    ])
    expect(state.sessions.get('s2')?.placesLeft).toBe(0)
    expect(state.vouchers.get('v-c1')).toMatchObject({ heldCents: 6000, balanceCents: 24000 })
    expect(state.ledger.filter((e) => e.kind === 'hold')).toHaveLength(2)
    // Every date as decided, kept for every phone of the family.
    expect([...state.planDates.values()].map((d) => [d.id, d.planId, d.familyId, d.sessionId, d.bookingId, d.code, d.reason])).toEqual([
      ['p1', 'p1', 'fam', 's1', 'p1', null, null],
      ['p1_20261202', 'p1', 'fam', 's2', null, 'capacity-full', null],
      ['p1_20261209', 'p1', 'fam', 's3', null, 'session-closed', null],
      ['p1_20261216', 'p1', 'fam', 's4', 'p1_20261216', null, null],
    ])
  })
  it('stops booking when the voucher runs out, and refuses with every date\'s reason when none can be booked', async () => {
    const state = weekly()
    state.vouchers.set('v-c1', { ...voucher('c1'), balanceCents: 3000, spentCents: 27000 })
    const store = memoryStore(state)
    expect(await runMutation(store, 'booking.request', plan, parent)).toMatchObject({ ok: true })
    expect([...state.bookings.keys()]).toEqual(['p1'])
    const none = await runMutation(store, 'booking.request', { ...plan, bookingId: 'p2', sessionId: 's2' }, parent)
    expect(none).toMatchObject({
      ok: false, code: 'capacity-full',
      details: { reason: 'no-date-booked', dates: [
        { sessionId: 's2', code: 'capacity-full' }, { sessionId: 's3', code: 'session-closed' }, { sessionId: 's4', code: 'voucher-insufficient' },
      ] },
    })
    expect([...state.bookings.keys()]).toEqual(['p1'])
    expect([...state.planDates.values()].filter((d) => d.code === 'voucher-insufficient').map((d) => d.sessionId)).toEqual(['s4'])
    expect([...state.planDates.values()].some((d) => d.planId === 'p2')).toBe(false) // refused as a whole: the refusal says it
  })
  it('skips a date the child already holds', async () => {
    const state = weekly()
    const store = memoryStore(state)
    await runMutation(store, 'booking.request', { bookingId: 'single', childId: 'c1', sessionId: 's4', quantity: 1 }, parent)
    await runMutation(store, 'booking.request', plan, parent)
    expect([...state.bookings.values()].filter((b) => b.planId === 'p1').map((b) => b.sessionId)).toEqual(['s1'])
    expect(state.planDates.get('p1_20261216')).toMatchObject({ bookingId: null, code: 'invalid-state', reason: 'already-booked' })
  })
  it('refuses a plan id too long to name its dates', async () => {
    const store = memoryStore(weekly())
    expect(await runMutation(store, 'booking.request', { ...plan, bookingId: 'x'.repeat(56) }, parent)).toMatchObject({ ok: false, code: 'validation' })
  })
})

describe("a session's waiting counter (0016): kept by every mutation that moves an entry, and no list read while it is 0", () => {
  /** The store, and the lookups of the waiting list it was asked. */
  const watched = (store: ReturnType<typeof memoryStore>) => {
    const asked: string[] = []
    const find: typeof store.find = (entity, lookup, key, opts) => {
      if (entity === 'waitlistEntry') asked.push(lookup)
      return store.find(entity, lookup, key, opts)
    }
    return { store: { ...store, find }, asked }
  }
  it('join +1, leave −1, a promotion −1, a direct request −1, a close → 0', async () => {
    const { state, store } = await full()
    const waiting = () => state.sessions.get('s1')?.waiting
    expect(waiting()).toBe(0)
    await runMutation(store, 'waitlist.join', join('w1', 'c3'), otherParent)
    await runMutation(store, 'waitlist.join', join('w2', 'c2'), later(parent, 5))
    expect(waiting()).toBe(2)
    expect(await runMutation(store, 'waitlist.leave', { entryId: 'w2' }, parent)).toMatchObject({ ok: true })
    expect(waiting()).toBe(1)
    await runMutation(store, 'waitlist.join', join('w3', 'c2'), later(parent, 6))
    expect(await runMutation(store, 'booking.cancel', { bookingId: 'b1' }, later(parent, 10))).toMatchObject({ ok: true })
    expect(state.waitlistEntries.get('w1')?.status).toBe('promoted')
    expect(waiting()).toBe(1)
    // A place frees that nobody ahead takes (here: set by hand); the child waiting books it directly.
    state.sessions.set('s1', { ...state.sessions.get('s1')!, places: 2, placesLeft: 1 })
    expect(await runMutation(store, 'booking.request', { bookingId: 'b2', childId: 'c2', sessionId: 's1', quantity: 1 }, later(parent, 11))).toMatchObject({ ok: true })
    expect(state.waitlistEntries.get('w3')?.status).toBe('left')
    expect(waiting()).toBe(0)
    await runMutation(store, 'waitlist.join', join('w4', 'c1'), later(parent, 12))
    expect(await runMutation(store, 'booking.cancel', { bookingId: 'w1' }, later(otherParent, 13))).toMatchObject({ ok: true })
    expect(state.waitlistEntries.get('w4')?.status).toBe('promoted')
    expect(waiting()).toBe(0)
    await runMutation(store, 'waitlist.join', join('w5', 'c3'), later(otherParent, 14))
    expect(waiting()).toBe(1)
    expect(await runMutation(store, 'session.close', { sessionId: 's1', reason: 'ill' }, provider)).toMatchObject({ ok: true })
    expect(state.waitlistEntries.get('w5')?.status).toBe('closed')
    expect(waiting()).toBe(0)
  })
  it('a request and a cancel on a session nobody waits on read no waiting list; one with someone waiting does', async () => {
    const { state, store: plain } = await full()
    const { store, asked } = watched(plain)
    expect(await runMutation(store, 'booking.request', { bookingId: 'b2', childId: 'c2', sessionId: 's2', quantity: 1 }, parent)).toMatchObject({ ok: true })
    expect(await runMutation(store, 'booking.cancel', { bookingId: 'b2' }, parent)).toMatchObject({ ok: true })
    expect(asked).toEqual([])
    await runMutation(store, 'waitlist.join', join('w1', 'c3'), otherParent)
    expect(await runMutation(store, 'booking.cancel', { bookingId: 'b1' }, later(parent, 10))).toMatchObject({ ok: true })
    expect(asked).toContain('waitingOfSession')
    expect(state.waitlistEntries.get('w1')?.status).toBe('promoted')
  })
  it('a row without the counter (from before it) reads the list as before', async () => {
    const { state, store: plain } = await full({ waiting: undefined })
    const { store, asked } = watched(plain)
    await runMutation(store, 'waitlist.join', join('w1', 'c3'), otherParent)
    expect(state.sessions.get('s1')?.waiting).toBeUndefined()
    expect(await runMutation(store, 'booking.cancel', { bookingId: 'b1' }, later(parent, 10))).toMatchObject({ ok: true })
    expect(asked).toContain('waitingOfSession')
    expect(state.waitlistEntries.get('w1')?.status).toBe('promoted')
  })
})
