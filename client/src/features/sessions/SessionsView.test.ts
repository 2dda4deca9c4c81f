import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { setMeta } from '../../db/meta.ts'
import { activateDevice } from '../../test/device.ts'
import { lastPlace, otherPlay, providerAuth, roomy, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import SessionsView from './SessionsView.vue'

describe('SessionsView', () => {
  beforeEach(async () => {
    await activateDevice(db, providerAuth, world({ sessions: [roomy, { ...otherPlay, placesLeft: 4 }, lastPlace] }))
    await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00Z')
  })

  it('counts the places booked in good Italian: none, one, several (was "1 posti prenotati")', async () => {
    const { wrapper } = mountWithApp(SessionsView)
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="my-session-places"]')).toHaveLength(3))
    expect(wrapper.findAll('[data-testid="my-session-places"]').map((p) => p.text())).toEqual([
      'Nessun posto prenotato su 5', '4 posti prenotati su 5', '1 posto prenotato su 5',
    ])
  })
})
