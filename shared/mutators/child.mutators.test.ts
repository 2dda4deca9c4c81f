import { describe, expect, it } from 'vitest'
import { memoryStore } from './memory-store.ts'
import { runMutation } from './mutators.ts'
import { fixtureState, otherParent, parent, NOW } from '../test/fixtures.ts'

const setup = () => {
  const state = fixtureState()
  return { state, store: memoryStore(state) }
}
const history = (state: ReturnType<typeof fixtureState>, childId: string) =>
  [...state.childChanges.values()].filter((h) => h.childId === childId).map((h) => [h.field, h.before, h.after])

describe('child.upsert', () => {
  it('adds a child with its note, and keeps the addition in its history', async () => {
    const { state, store } = setup()
    const args = { childId: 'c9', firstName: 'Marta', birthDate: '2021-02-02', note: 'Allergia al latte', changeId: 'k1' }
    expect(await runMutation(store, 'child.upsert', args, parent)).toEqual({ ok: true, value: undefined })
    expect(state.children.get('c9')).toEqual({ id: 'c9', familyId: 'fam', firstName: 'Marta', birthDate: '2021-02-02', note: 'Allergia al latte' })
    expect(history(state, 'c9')).toEqual([['added', null, 'Marta · 2021-02-02'], ['note', null, 'Allergia al latte']])
    expect(state.childChanges.get('k1_added')).toMatchObject({ changedAt: NOW, changedBy: 'parent', familyId: 'fam' })
  })

  it('corrects a name and a note of a child with a voucher: both kept in the history, the bookings renamed', async () => {
    const { state, store } = setup()
    await runMutation(store, 'booking.request', { bookingId: 'b1', childId: 'c1', sessionId: 's1', quantity: 1 }, parent)
    const r = await runMutation(store, 'child.upsert', { childId: 'c1', firstName: 'Anna Maria', birthDate: '2018-03-01', note: 'Celiachia', changeId: 'k2' }, parent)
    expect(r.ok).toBe(true)
    expect(state.children.get('c1')).toMatchObject({ firstName: 'Anna Maria', note: 'Celiachia', birthDate: '2018-03-01' })
    expect(history(state, 'c1')).toEqual([['firstName', 'Anna', 'Anna Maria'], ['note', null, 'Celiachia']])
    expect(state.bookings.get('b1')?.childFirstName).toBe('Anna Maria')
    // A note left out is kept; an empty one removes it (and that is kept too).
    await runMutation(store, 'child.upsert', { childId: 'c1', firstName: 'Anna Maria', birthDate: '2018-03-01', changeId: 'k3' }, parent)
    expect(state.children.get('c1')?.note).toBe('Celiachia')
    await runMutation(store, 'child.upsert', { childId: 'c1', firstName: 'Anna Maria', birthDate: '2018-03-01', note: '', changeId: 'k4' }, parent)
    expect(state.children.get('c1')?.note).toBeNull()
    expect(history(state, 'c1').at(-1)).toEqual(['note', 'Celiachia', null])
  })

  it('refuses another birth date once a voucher exists, and writes nothing', async () => {
    const { state, store } = setup()
    const r = await runMutation(store, 'child.upsert', { childId: 'c1', firstName: 'Annina', birthDate: '2017-03-01', changeId: 'k5' }, parent)
    expect(r).toMatchObject({ ok: false, code: 'invalid-state', details: { reason: 'birth-date-by-office', childId: 'c1' } })
    expect(state.children.get('c1')).toMatchObject({ firstName: 'Anna', birthDate: '2018-03-01' })
    expect(state.childChanges.size).toBe(0)
  })

  it('lets a child without a voucher change its birth date, kept in the history', async () => {
    const { state, store } = setup()
    await runMutation(store, 'child.upsert', { childId: 'c9', firstName: 'Marta', birthDate: '2021-02-02', changeId: 'k6' }, parent)
    expect((await runMutation(store, 'child.upsert', { childId: 'c9', firstName: 'Marta', birthDate: '2021-03-02', changeId: 'k7' }, parent)).ok).toBe(true)
    expect(history(state, 'c9').at(-1)).toEqual(['birthDate', '2021-02-02', '2021-03-02'])
  })

  it("refuses another family's child", async () => {
    const { store } = setup()
    expect(await runMutation(store, 'child.upsert', { childId: 'c3', firstName: 'X', birthDate: '2019-01-01' }, parent)).toMatchObject({ ok: false, code: 'forbidden' })
  })

  it('refuses bidi control characters and over-long notes (validation)', async () => {
    const { store } = setup()
    expect(await runMutation(store, 'child.upsert', { childId: 'c1', firstName: 'An\u202Ena', birthDate: '2018-03-01' }, parent)).toMatchObject({ code: 'validation' })
    expect(await runMutation(store, 'child.upsert', { childId: 'c1', firstName: 'Anna', birthDate: '2018-03-01', note: 'x'.repeat(501) }, parent)).toMatchObject({ code: 'validation' })
  })
})

describe('child.requestBirthDate', () => {
  it('records a pending request; a second while one is pending is refused', async () => {
    const { state, store } = setup()
    expect((await runMutation(store, 'child.requestBirthDate', { requestId: 'r1', childId: 'c1', birthDate: '2017-03-01' }, parent)).ok).toBe(true)
    expect(state.birthDateRequests.get('r1')).toEqual({
      id: 'r1', childId: 'c1', familyId: 'fam', programId: 'prg', birthDate: '2017-03-01', previousBirthDate: '2018-03-01', status: 'pending',
      requestedAt: NOW, decidedAt: null, reason: null,
    })
    expect(state.children.get('c1')?.birthDate).toBe('2018-03-01') // unchanged until an officer approves
    expect(await runMutation(store, 'child.requestBirthDate', { requestId: 'r2', childId: 'c1', birthDate: '2016-03-01' }, parent))
      .toMatchObject({ ok: false, code: 'invalid-state', details: { reason: 'request-pending' } })
  })
  it('refuses the same date, an unknown child and another family', async () => {
    const { store } = setup()
    expect(await runMutation(store, 'child.requestBirthDate', { requestId: 'r1', childId: 'c1', birthDate: '2018-03-01' }, parent)).toMatchObject({ details: { reason: 'same-birth-date' } })
    expect(await runMutation(store, 'child.requestBirthDate', { requestId: 'r1', childId: 'zz', birthDate: '2018-03-01' }, parent)).toMatchObject({ code: 'not-found' })
    expect(await runMutation(store, 'child.requestBirthDate', { requestId: 'r1', childId: 'c1', birthDate: '2017-03-01' }, otherParent)).toMatchObject({ code: 'forbidden' })
  })
})
