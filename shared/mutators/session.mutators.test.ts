import { describe, expect, it } from 'vitest'
import { alternativesTo } from '../catalogue/session.rules.ts'
import { voucherAddsUp } from '../voucher/voucher.rules.ts'
import { memoryStore } from './memory-store.ts'
import { runMutation } from './mutators.ts'
import { fixtureState, NOW, otherParent, parent, provider, providerDuring, session } from '../test/fixtures.ts'

const setup = () => {
  const state = fixtureState([
    session('s1', { places: 4, placesLeft: 4 }),
    session('s2', { startsAt: '2026-11-26T08:00:00.000Z' }),
    session('s3', { startsAt: '2026-11-27T08:00:00.000Z', placesLeft: 0 }),
  ])
  return { state, store: memoryStore(state) }
}
const request = (bookingId: string, childId: string, quantity = 2, sessionId = 's1') => ({ bookingId, childId, sessionId, quantity })
const close = { sessionId: 's1', reason: 'Operatrice malata' }
const stranger = { ...provider, actor: { ...provider.actor, providerId: 'prv-x' } }

describe('session.close', () => {
  it('closes the session and declines every open booking with the reason, releasing places and holds', async () => {
    const { state, store } = setup()
    await runMutation(store, 'booking.request', request('b1', 'c1'), parent)
    await runMutation(store, 'booking.request', request('b4', 'c2'), parent)
    await runMutation(store, 'booking.cancel', { bookingId: 'b4' }, parent)
    await runMutation(store, 'booking.request', request('b2', 'c2', 1), parent) // c2 again once b4 is cancelled
    await runMutation(store, 'booking.request', request('b3', 'c3'), otherParent)
    await runMutation(store, 'booking.confirm', { bookingId: 'b2' }, provider)
    expect(state.sessions.get('s1')?.placesLeft).toBe(1)
    const ledgerBefore = state.ledger.length

    expect(await runMutation(store, 'session.close', close, provider)).toEqual({ ok: true, value: undefined })
    expect(state.sessions.get('s1')).toMatchObject({ status: 'closed', placesLeft: 4, places: 4 })
    for (const id of ['b1', 'b2', 'b3']) {
      expect(state.bookings.get(id)).toMatchObject({ status: 'declined', declineReason: 'Operatrice malata', updatedAt: NOW })
    }
    expect(state.bookings.get('b4')).toMatchObject({ status: 'cancelled', declineReason: null }) // untouched
    expect(state.vouchers.get('v-c1')).toMatchObject({ balanceCents: 30000, heldCents: 0, spentCents: 0 })
    expect(state.vouchers.get('v-c2')).toMatchObject({ balanceCents: 30000, heldCents: 0, spentCents: 0 })
    expect(state.vouchers.get('v-c3')).toMatchObject({ balanceCents: 30000, heldCents: 0 })
    expect(state.ledger.slice(ledgerBefore).map((e) => [e.bookingId, e.kind, e.amountCents])).toEqual([
      ['b1', 'release', 3000], ['b2', 'release', 1500], ['b3', 'release', 3000],
    ])
    for (const v of state.vouchers.values()) expect(voucherAddsUp(v)).toBe(true)
  })

  it('keeps delivered bookings and their places: the service took place', async () => {
    const { state, store } = setup()
    await runMutation(store, 'booking.request', request('b1', 'c1'), parent)
    await runMutation(store, 'booking.request', request('b2', 'c2'), parent)
    await runMutation(store, 'booking.confirm', { bookingId: 'b1' }, provider)
    await runMutation(store, 'booking.deliver', { bookingId: 'b1' }, providerDuring)
    expect(await runMutation(store, 'session.close', close, provider)).toMatchObject({ ok: true })
    expect(state.bookings.get('b1')).toMatchObject({ status: 'delivered' })
    expect(state.bookings.get('b2')).toMatchObject({ status: 'declined' })
    expect(state.sessions.get('s1')).toMatchObject({ status: 'closed', placesLeft: 3 })
    expect(state.vouchers.get('v-c1')).toMatchObject({ spentCents: 3000, heldCents: 0 })
  })

  it('closes an empty session too', async () => {
    const { state, store } = setup()
    expect(await runMutation(store, 'session.close', { sessionId: 's2', reason: 'Sala inagibile' }, provider)).toMatchObject({ ok: true })
    expect(state.sessions.get('s2')).toMatchObject({ status: 'closed', placesLeft: 2 })
    expect(state.ledger).toEqual([])
  })

  it('refuses a second close (session-closed), and requests on the closed session, with alternatives', async () => {
    const { store } = setup()
    expect(await runMutation(store, 'session.close', close, provider)).toMatchObject({ ok: true })
    expect(await runMutation(store, 'session.close', close, provider)).toMatchObject({ ok: false, code: 'session-closed', details: { status: 'closed' } })
    const r = await runMutation(store, 'booking.request', request('b9', 'c1'), parent)
    expect(r).toMatchObject({ ok: false, code: 'session-closed', details: { alternatives: [{ sessionId: 's2' }] } })
  })

  it('is for the provider of the session only, and writes nothing when refused', async () => {
    const { state, store } = setup()
    await runMutation(store, 'booking.request', request('b1', 'c1'), parent)
    const snapshot = JSON.stringify([...state.bookings.values(), ...state.sessions.values(), ...state.vouchers.values(), state.ledger])
    expect(await runMutation(store, 'session.close', close, stranger)).toMatchObject({ ok: false, code: 'forbidden' })
    expect(await runMutation(store, 'session.close', close, parent)).toMatchObject({ ok: false, code: 'forbidden', details: { role: 'parent' } })
    expect(await runMutation(store, 'session.close', { sessionId: 'nope', reason: 'x' }, provider)).toMatchObject({ ok: false, code: 'not-found' })
    expect(await runMutation(store, 'session.close', { sessionId: 's1', reason: '   ' }, provider)).toMatchObject({ ok: false, code: 'validation' })
    expect(await runMutation(store, 'session.close', { sessionId: 's1' }, provider)).toMatchObject({ ok: false, code: 'validation' })
    expect(JSON.stringify([...state.bookings.values(), ...state.sessions.values(), ...state.vouchers.values(), state.ledger])).toBe(snapshot)
  })

  it('leaves families alternatives they can compute from the catalogue: open, future, with places, same service', async () => {
    const { state, store } = setup()
    await runMutation(store, 'booking.request', request('b1', 'c1'), parent)
    await runMutation(store, 'session.close', close, provider)
    const b = state.bookings.get('b1')
    const sameService = [...state.sessions.values()].filter((s) => s.serviceId === b?.serviceId)
    expect(alternativesTo('s1', sameService, NOW).map((s) => s.id)).toEqual(['s2']) // s1 closed, s3 full
  })
})

describe('free text and dates the database can store', () => {
  it('refuses NUL characters and year 0000 as validation, before any rule runs', async () => {
    const { state, store } = setup()
    expect(await runMutation(store, 'booking.request', { ...request('b1', 'c1'), note: 'a\u0000b' }, parent)).toMatchObject({ code: 'validation' })
    expect(await runMutation(store, 'child.upsert', { childId: 'c9', firstName: 'X\u0000', birthDate: '2020-01-01' }, parent)).toMatchObject({ code: 'validation' })
    expect(await runMutation(store, 'child.upsert', { childId: 'c9', firstName: 'X', birthDate: '0000-01-01' }, parent)).toMatchObject({ code: 'validation' })
    expect(await runMutation(store, 'session.close', { sessionId: 's1', reason: '\u0000' }, provider)).toMatchObject({ code: 'validation' })
    expect(state.bookings.size + state.ledger.length).toBe(0)
    expect(state.children.has('c9')).toBe(false)
  })

  it('does not echo an unknown name that is not name-like', async () => {
    const { store } = setup()
    expect(await runMutation(store, 'x\u0000y', {}, parent)).toEqual({ ok: false, code: 'validation', details: { reason: 'unknown-mutation' } })
    expect(await runMutation(store, 'booking.explode', {}, parent)).toMatchObject({ details: { name: 'booking.explode' } })
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(await runMutation(store, name, {}, parent)).toMatchObject({ ok: false, code: 'validation' })
    }
  })
})
