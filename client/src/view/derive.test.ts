import { describe, expect, it } from 'vitest'
import type { OutboxEntry, StoredResult } from '../db/db.types.ts'
import { actorOf, lastPlace, parentAuth, roomy, world } from '../test/fixtures.ts'
import { derive, dryRun, emptySnapshot } from './derive.ts'

const now = new Date('2030-01-01T10:00:00Z')
const actor = actorOf(parentAuth)
const request = (id: number, bookingId: string, sessionId = roomy.id, quantity = 2): OutboxEntry => ({
  id, clientId: 'c1', name: 'booking.request', args: { bookingId, childId: 'ch-1', sessionId, quantity }, createdAt: now.toISOString(),
})
const snapshot = (outbox: OutboxEntry[], results: StoredResult[] = []) => ({ ...emptySnapshot(), ...world(), outbox, results })

describe('derived view', () => {
  it('replays a pending request: the voucher share is held and a place is taken, before any network', async () => {
    const v = await derive(snapshot([request(1, 'b1')]), actor, now)
    expect(v.state.vouchers.get('v-1')).toMatchObject({ balanceCents: 30000 - 2400, heldCents: 2400 })
    expect(v.state.sessions.get(roomy.id)?.placesLeft).toBe(roomy.placesLeft - 1)
    expect(v.state.bookings.get('b1')).toMatchObject({ status: 'requested', totalCents: 2400 })
    expect(v.pending).toHaveLength(1)
    expect(v.pending[0]?.outcome.ok).toBe(true)
  })

  it('marks a replay the rules refuse as probably refused, without touching the mirror', async () => {
    const full = { ...snapshot([request(1, 'b1', roomy.id, 1), request(2, 'b2', lastPlace.id, 1)]), sessions: [roomy, { ...lastPlace, placesLeft: 0 }] }
    const v = await derive(full, actor, now)
    expect(v.pending.map((p) => p.outcome.ok)).toEqual([true, false])
    expect(v.pending[1]?.outcome).toMatchObject({ ok: false, code: 'capacity-full' })
    expect(v.state.bookings.has('b2')).toBe(false)
  })

  it('skips a mutation the server refused: its effect is simply gone (no rollback code)', async () => {
    const refused: StoredResult = {
      key: 'c1:1', clientId: 'c1', mutationId: 1, name: 'booking.request', args: request(1, 'b1').args, code: 'capacity-full',
      message: null, details: null, receivedAt: now.toISOString(), dismissed: 0,
    }
    const v = await derive(snapshot([request(1, 'b1')], [refused]), actor, now)
    expect(v.pending).toHaveLength(0)
    expect(v.state.bookings.has('b1')).toBe(false)
    expect(v.state.vouchers.get('v-1')?.balanceCents).toBe(30000)
  })

  it('dry-runs a mutation on a copy: the view does not change', async () => {
    const v = await derive(snapshot([]), actor, now)
    const r = await dryRun(v, 'booking.request', { bookingId: 'bx', childId: 'ch-2', sessionId: 'ses-camp', quantity: 1 }, actor, now)
    expect(r).toMatchObject({ ok: false, code: 'voucher-insufficient', details: { balanceCents: 5000, neededCents: 9000 } })
    expect((await dryRun(v, 'booking.request', { bookingId: 'by', childId: 'ch-1', sessionId: roomy.id, quantity: 1 }, actor, now)).ok).toBe(true)
    expect(v.state.bookings.size).toBe(0)
  })
})
