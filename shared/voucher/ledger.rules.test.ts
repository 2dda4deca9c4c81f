import { describe, expect, it } from 'vitest'
import { memoryStore } from '../mutators/memory-store.ts'
import { runMutation } from '../mutators/mutators.ts'
import { fixtureState, parent, provider, providerDuring, session } from '../test/fixtures.ts'
import { voucherLedger } from './ledger.rules.ts'

describe('voucherLedger: a voucher explained by its movements', () => {
  it('holds for live bookings, gives back on cancel and decline, spends what was delivered; adds up to the voucher', async () => {
    const state = fixtureState([session('s1'), session('s2'), session('s3')])
    const store = memoryStore(state)
    const at = (ctx: typeof parent, minute: number) => ({ ...ctx, now: `2026-11-21T08:${String(minute).padStart(2, '0')}:00.000Z` })
    await runMutation(store, 'booking.request', { bookingId: 'b1', childId: 'c1', sessionId: 's1', quantity: 2 }, at(parent, 1))
    await runMutation(store, 'booking.request', { bookingId: 'b2', childId: 'c1', sessionId: 's2', quantity: 1 }, at(parent, 2))
    await runMutation(store, 'booking.request', { bookingId: 'b3', childId: 'c1', sessionId: 's3', quantity: 4 }, at(parent, 3))
    await runMutation(store, 'booking.cancel', { bookingId: 'b2' }, at(parent, 4))
    await runMutation(store, 'booking.confirm', { bookingId: 'b3' }, provider)
    await runMutation(store, 'booking.deliver', { bookingId: 'b3', deliveredQuantity: 3 }, providerDuring)
    const v = state.vouchers.get('v-c1')!
    const ledger = voucherLedger(v, [...state.bookings.values()], [])
    expect(ledger).toMatchObject({ amountCents: 30000, heldCents: 3000, spentCents: 4500, leftCents: 22500, matches: true })
    expect(ledger.movements.map((m) => [m.id, m.kind, m.amountCents])).toEqual([
      ['b3', 'spend', 4500], ['b2', 'release', 1500], ['b2', 'hold', 1500], ['b1', 'hold', 3000],
    ])
    // Another child's booking is not this voucher's.
    await runMutation(store, 'booking.request', { bookingId: 'b9', childId: 'c2', sessionId: 's1', quantity: 1 }, parent)
    expect(voucherLedger(state.vouchers.get('v-c1')!, [...state.bookings.values()], []).movements).toHaveLength(4)
  })
  it('says when the movements do not add up to the voucher (an old copy on the phone)', () => {
    const v = { id: 'v', childId: 'c', familyId: 'f', programId: 'p', amountCents: 1000, heldCents: 500, spentCents: 0, balanceCents: 500 }
    expect(voucherLedger(v, [], []).matches).toBe(false)
    const held = { id: 'e', voucherId: 'v', status: 'open' as const, heldCents: 500, estimatedCents: 500, createdAt: '2026-11-21T08:00:00.000Z', updatedAt: '2026-11-21T08:00:00.000Z' }
    expect(voucherLedger(v, [], [held])).toMatchObject({ matches: true, movements: [{ source: 'emergency', kind: 'hold', amountCents: 500 }] })
  })
  it('spends a delivered emergency’s share (a partial one gave the rest back), and nothing for a no-show', () => {
    const v = { id: 'v', childId: 'c', familyId: 'f', programId: 'p', amountCents: 30000, heldCents: 0, spentCents: 3600, balanceCents: 26400 }
    const times = { createdAt: '2026-11-21T08:00:00.000Z', updatedAt: '2026-11-21T11:00:00.000Z' }
    const partial = { id: 'e1', voucherId: 'v', status: 'delivered' as const, heldCents: 0, estimatedCents: 5400, spentCents: 3600, deliveredAt: '2026-11-21T10:00:00.000Z', ...times }
    const noShow = { id: 'e2', voucherId: 'v', status: 'delivered' as const, heldCents: 0, estimatedCents: 5400, spentCents: 0, deliveredAt: '2026-11-21T10:00:00.000Z', ...times }
    expect(voucherLedger(v, [], [partial, noShow])).toMatchObject({
      matches: true, movements: [{ source: 'emergency', id: 'e1', kind: 'spend', amountCents: 3600, at: '2026-11-21T10:00:00.000Z' }],
    })
    expect(voucherLedger(v, [], [partial, noShow]).movements).toHaveLength(1)
  })
})
