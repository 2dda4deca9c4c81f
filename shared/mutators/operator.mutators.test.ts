/** operator.upsert (issue 9): a coordinator's staff; a rename reaches the emergencies the operator accepted and has still to deliver. */
import { describe, expect, it } from 'vitest'
import { fixtureState, parent, provider, provider2 } from '../test/fixtures.ts'
import { memoryStore } from './memory-store.ts'
import { runMutation } from './mutators.ts'

const shift = (requestId: string, childId: string) => ({
  requestId, childId, startsAt: '2026-11-21T12:30:00.000Z', endsAt: '2026-11-21T21:00:00.000Z', address: 'Via Roma 1', note: 'Febbre',
})
const giulia = { operatorId: 'op1', name: 'Giulia', track: 'baby-care' as const, qualifications: '', takesMildlyIll: true, onCall: true, onCallWindows: '1-5 05:30-14:00' }

describe('operator.upsert', () => {
  it('a rename reaches the accepted emergencies the family is waiting on, not the open or cancelled ones, nor another operator’s', async () => {
    const state = fixtureState()
    const store = memoryStore(state)
    for (const [id, child] of [['e1', 'c1'], ['e2', 'c2']]) expect(await runMutation(store, 'emergency.request', shift(id!, child!), parent)).toMatchObject({ ok: true })
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1', operatorId: 'op1' }, provider)).toMatchObject({ ok: true })
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e2', operatorId: 'op2' }, provider2)).toMatchObject({ ok: true })
    expect(state.emergencyRequests.get('e1')).toMatchObject({ operatorName: 'Giulia' })
    const before = state.emergencyRequests.get('e1')!.updatedAt

    // The coordinator corrects the name: the family's request says who really comes.
    const later = { ...provider, now: '2026-11-21T08:05:00.000Z' }
    expect(await runMutation(store, 'operator.upsert', { ...giulia, name: 'Giulia Ferrari' }, later)).toMatchObject({ ok: true })
    expect(state.operators.get('op1')).toMatchObject({ name: 'Giulia Ferrari' })
    expect(state.emergencyRequests.get('e1')).toMatchObject({ status: 'accepted', operatorId: 'op1', operatorName: 'Giulia Ferrari', updatedAt: later.now })
    expect(state.emergencyRequests.get('e1')!.updatedAt).not.toBe(before)
    expect(state.emergencyRequests.get('e2')).toMatchObject({ operatorId: 'op2', operatorName: 'Marta' })

    // Anything else than the name leaves the requests alone; another provider may not touch the operator.
    const stamped = state.emergencyRequests.get('e1')!.updatedAt
    expect(await runMutation(store, 'operator.upsert', { ...giulia, name: 'Giulia Ferrari', onCall: false }, provider)).toMatchObject({ ok: true })
    expect(state.emergencyRequests.get('e1')!.updatedAt).toBe(stamped)
    expect(await runMutation(store, 'operator.upsert', { ...giulia, name: 'Altro' }, provider2)).toMatchObject({ code: 'forbidden' })
    expect(state.emergencyRequests.get('e1')).toMatchObject({ operatorName: 'Giulia Ferrari' })
  })

  it('keeps a work phone (0028): accepting copies it to the family’s request, a correction reaches it, an absent one keeps it', async () => {
    // On call whenever (no windows), so that the shift is hers to take.
    const allDay = { ...giulia, onCallWindows: '' }
    const state = fixtureState()
    const store = memoryStore(state)
    expect(await runMutation(store, 'operator.upsert', { ...allDay, phone: '+39 347 300 0100' }, provider)).toMatchObject({ ok: true })
    expect(await runMutation(store, 'emergency.request', shift('e1', 'c1'), parent)).toMatchObject({ ok: true })
    expect(state.emergencyRequests.get('e1')).toMatchObject({ contactPhone: null })
    expect(await runMutation(store, 'emergency.accept', { requestId: 'e1', operatorId: 'op1' }, provider)).toMatchObject({ ok: true })
    expect(state.emergencyRequests.get('e1')).toMatchObject({ operatorName: 'Giulia', contactPhone: '+39 347 300 0100' })
    // An app that does not know the field yet leaves the phone as it was.
    expect(await runMutation(store, 'operator.upsert', { ...allDay, qualifications: 'Primo soccorso' }, provider)).toMatchObject({ ok: true })
    expect(state.operators.get('op1')).toMatchObject({ phone: '+39 347 300 0100' })
    expect(await runMutation(store, 'operator.upsert', { ...allDay, phone: '0373 21 45 67' }, provider)).toMatchObject({ ok: true })
    expect(state.emergencyRequests.get('e1')).toMatchObject({ contactPhone: '0373 21 45 67' })
    expect(await runMutation(store, 'operator.upsert', { ...allDay, phone: '' }, provider)).toMatchObject({ ok: true })
    expect(state.operators.get('op1')).toMatchObject({ phone: null })
    expect(state.emergencyRequests.get('e1')).toMatchObject({ contactPhone: null })
    // Not a number: refused whole.
    for (const phone of ['chiamami', '+39 347 300 0100 ext 5', '12', '+39\u202e347']) {
      expect(await runMutation(store, 'operator.upsert', { ...allDay, phone }, provider), phone).toMatchObject({ ok: false, code: 'validation' })
    }
  })
})
