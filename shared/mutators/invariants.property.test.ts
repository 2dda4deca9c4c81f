/**
 * Property: for ANY sequence of requests, cancels, confirms, declines, deliveries and session
 * closes by several families and providers, places are never oversold, no booking holds a place
 * on a closed session, no voucher goes below zero, and every
 * voucher's parts and ledger add up to its amount. This is the model the server must match.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { holdsResources, occupiesPlace } from '../booking/booking.rules.ts'
import { voucherAddsUp } from '../voucher/voucher.rules.ts'
import { memoryStore, type MemoryState } from './memory-store.ts'
import { runMutation } from './mutators.ts'
import { fixtureState, parent, provider, session, otherParent } from '../test/fixtures.ts'

const bookingIds = ['b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7']
const command = fc.oneof(
  fc.record({
    name: fc.constant('booking.request'),
    args: fc.record({
      bookingId: fc.constantFrom(...bookingIds),
      childId: fc.constantFrom('c1', 'c2', 'c3'),
      sessionId: fc.constantFrom('s1', 's2', 's3'),
      quantity: fc.integer({ min: 1, max: 8 }),
    }),
  }),
  fc.record({ name: fc.constantFrom('booking.cancel', 'booking.confirm', 'booking.deliver'), args: fc.record({ bookingId: fc.constantFrom(...bookingIds) }) }),
  fc.record({ name: fc.constant('booking.decline'), args: fc.record({ bookingId: fc.constantFrom(...bookingIds), reason: fc.constant('no') }) }),
  fc.record({ name: fc.constant('session.close'), args: fc.record({ sessionId: fc.constantFrom('s1', 's2', 's3'), reason: fc.constant('chiusa') }) }),
)
const actorFor = (name: string, args: { childId?: string }) =>
  name === 'booking.confirm' || name === 'booking.decline' || name === 'booking.deliver' || name === 'session.close'
    ? provider
    : args.childId === 'c3' ? otherParent : parent

function checkInvariants(state: MemoryState) {
  const bookings = [...state.bookings.values()]
  for (const s of state.sessions.values()) {
    const holding = bookings.filter((b) => b.sessionId === s.id && occupiesPlace(b.status)).length
    expect(s.placesLeft).toBeGreaterThanOrEqual(0)
    expect(s.places - s.placesLeft).toBe(holding)
    if (s.status !== 'open') expect(bookings.filter((b) => b.sessionId === s.id && holdsResources(b.status))).toEqual([])
  }
  for (const v of state.vouchers.values()) {
    expect(voucherAddsUp(v)).toBe(true)
    const mine = bookings.filter((b) => b.childId === v.childId)
    const held = mine.filter((b) => holdsResources(b.status)).reduce((n, b) => n + b.voucherCents, 0)
    const spent = mine.filter((b) => b.status === 'delivered').reduce((n, b) => n + b.voucherCents, 0)
    expect(v.heldCents).toBe(held)
    expect(v.spentCents).toBe(spent)
    const sum = (kind: string) => state.ledger.filter((e) => e.voucherId === v.id && e.kind === kind).reduce((n, e) => n + e.amountCents, 0)
    expect(v.balanceCents).toBe(v.amountCents - sum('hold') + sum('release'))
    expect(v.heldCents).toBe(sum('hold') - sum('release') - sum('consume'))
  }
}

describe('invariants under any sequence of commands', () => {
  it('never oversells, never goes negative, ledger adds up', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 40 }), async (commands) => {
        const state = fixtureState([
          session('s1', { places: 1, placesLeft: 1 }),
          session('s2', { places: 2, placesLeft: 2, unitPriceCents: 9000 }),
          session('s3', { places: 3, placesLeft: 3, unitPriceCents: 4000 }),
        ])
        const store = memoryStore(state)
        for (const c of commands) {
          await runMutation(store, c.name, c.args, actorFor(c.name, c.args as { childId?: string }))
          checkInvariants(state)
        }
      }),
      { numRuns: 500 },
    )
  })
})
