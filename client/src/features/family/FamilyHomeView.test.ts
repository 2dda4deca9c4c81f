import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { setMeta } from '../../db/meta.ts'
import { enqueue } from '../../sync/outbox.ts'
import { activateDevice } from '../../test/device.ts'
import { parentAuth, pupil, roomy, toddler, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import FamilyHomeView from './FamilyHomeView.vue'

const card = (w: ReturnType<typeof mountWithApp>['wrapper'], childId: string) => w.get(`[data-testid="child-card"][data-child-id="${childId}"]`)

describe('FamilyHomeView', () => {
  beforeEach(async () => {
    await activateDevice(db, parentAuth, world())
    await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00Z')
  })

  it('shows each child with amount, held, spent and left', async () => {
    const { wrapper } = mountWithApp(FamilyHomeView)
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="child-card"]')).toHaveLength(2))
    expect(card(wrapper, pupil.id).get('[data-testid="voucher-left"]').text()).toBe('€\u00a050,00')
    expect(card(wrapper, pupil.id).get('[data-testid="voucher-spent"]').text()).toBe('€\u00a0250,00')
    expect(card(wrapper, toddler.id).get('[data-testid="voucher-left"]').text()).toBe('€\u00a0300,00')
  })

  it('counts a booking still in the outbox as held, before any network', async () => {
    const { wrapper } = mountWithApp(FamilyHomeView)
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="child-card"]')).toHaveLength(2))
    await enqueue(db, 'booking.request', { bookingId: 'b1', childId: toddler.id, sessionId: roomy.id, quantity: 3 }, new Date('2030-01-01T10:00:00Z'))
    await vi.waitFor(() => expect(card(wrapper, toddler.id).get('[data-testid="voucher-left"]').text()).toBe('€\u00a0264,00'))
    expect(card(wrapper, toddler.id).get('[data-testid="voucher-held"]').text()).toBe('€\u00a036,00')
    expect(card(wrapper, toddler.id).text()).toContain('1 prenotazione attiva')
  })

  it('shows a loading state until the first sync, then an empty state without children', async () => {
    await activateDevice(db, parentAuth)
    const { wrapper } = mountWithApp(FamilyHomeView)
    await vi.waitFor(() => expect(wrapper.text()).toContain('Stiamo scaricando i tuoi dati'))
    await setMeta(db, 'lastSyncedAt', '2030-01-01T10:00:00Z')
    await vi.waitFor(() => expect(wrapper.text()).toContain('Nessun figlio registrato'))
  })
})
