/**
 * The plan's waiting-list section (issue 10): entries waiting, expired (the session has started, before
 * and after the server's sweep says so), promoted; recurring plan items from the server's rows
 * (planDate), shown the same on a phone that never sent them; a plan still in the outbox.
 */
import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { PlanDateRow, WaitlistEntry } from '../../../../shared/index.ts'
import { db } from '../../db/db.ts'
import { setMeta } from '../../db/meta.ts'
import { enqueue } from '../../sync/outbox.ts'
import { activateDevice } from '../../test/device.ts'
import { booking, lastPlace, otherPlay, parentAuth, pupil, roomy, toddler, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import PlanWaitlist from './PlanWaitlist.vue'

const past = { ...otherPlay, id: 'ses-past', startsAt: '2020-03-06T09:00:00+01:00', endsAt: '2020-03-06T12:00:00+01:00', placesLeft: 0 }
const entry = (id: string, sessionId: string, status: WaitlistEntry['status'], createdAt = '2026-01-01T10:00:00Z'): WaitlistEntry => ({
  id, childId: toddler.id, familyId: 'fam-1', sessionId, serviceId: 'svc-play', providerId: 'prv-1', quantity: 1, status,
  bookingId: status === 'promoted' ? id : null, createdAt, updatedAt: createdAt,
})
const planDate = (id: string, sessionId: string, startsAt: string, bookingId: string | null, code: string | null = null): PlanDateRow => ({
  id, planId: 'plan-1', familyId: 'fam-1', childId: pupil.id, sessionId, startsAt, bookingId, code, reason: null, createdAt: '2026-01-01T10:00:00Z',
})

type W = ReturnType<typeof mountWithApp>['wrapper']
const entryCard = (w: W, id: string) => w.get(`[data-testid="plan-waitlist-entry"][data-entry-id="${id}"]`)

describe('PlanWaitlist', () => {
  beforeEach(async () => {
    await activateDevice(db, parentAuth, world({
      sessions: [roomy, { ...lastPlace, placesLeft: 0 }, otherPlay, past],
      waitlistEntries: [
        entry('w-wait', lastPlace.id, 'waiting'),
        entry('w-started', past.id, 'waiting', '2026-01-02T10:00:00Z'),
        entry('w-expired', past.id, 'expired', '2026-01-03T10:00:00Z'),
        entry('w-left', otherPlay.id, 'left'),
      ],
      // A plan decided for this family on another phone: this one never sent it (no meta 'plans').
      bookings: [booking({ id: 'plan-1', status: 'requested', childId: pupil.id, sessionId: roomy.id, planId: 'plan-1' }),
        booking({ id: 'plan-1_20300306', status: 'confirmed', childId: pupil.id, sessionId: otherPlay.id, planId: 'plan-1' })],
      planDates: [
        planDate('plan-1', roomy.id, roomy.startsAt, 'plan-1'),
        planDate('plan-1_20300305', lastPlace.id, lastPlace.startsAt, null, 'voucher-insufficient'),
        planDate('plan-1_20300306', otherPlay.id, otherPlay.startsAt, 'plan-1_20300306'),
      ],
    }))
  })

  it('shows each entry in words: waiting (may leave), expired once its session has started, not the one left', async () => {
    const { wrapper } = mountWithApp(PlanWaitlist)
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="plan-waitlist-entry"]').length).toBe(3), { timeout: 5000 })
    expect(wrapper.findAll('[data-testid="plan-waitlist-entry"]').map((c) => [c.attributes('data-entry-id'), c.attributes('data-state')])).toEqual([
      ['w-wait', 'waiting'], ['w-started', 'expired'], ['w-expired', 'expired'],
    ])
    expect(entryCard(wrapper, 'w-wait').get('[data-testid="plan-waitlist-state"]').text()).toBe('in lista d’attesa')
    expect(entryCard(wrapper, 'w-wait').find('[data-testid="plan-waitlist-leave"]').exists()).toBe(true)
    // Started with no place freed: over, said in words, no "leave" (nothing to leave); "seen" puts it away.
    const started = entryCard(wrapper, 'w-started')
    expect(started.get('[data-testid="plan-waitlist-state"]').text()).toBe('scaduta')
    expect(started.get('[data-testid="plan-waitlist-expired"]').text()).toContain('non si è liberato nessun posto')
    expect(started.find('[data-testid="plan-waitlist-leave"]').exists()).toBe(false)
    await entryCard(wrapper, 'w-expired').get('[data-testid="plan-waitlist-seen"]').trigger('click')
    await vi.waitFor(() => expect(wrapper.find('[data-entry-id="w-expired"]').exists()).toBe(false), { timeout: 5000 })
  })

  it('shows a recurring plan from the server’s rows on a phone that never sent it: every date, booked or why not', async () => {
    const { wrapper } = mountWithApp(PlanWaitlist)
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="plan-series"]').length).toBe(1), { timeout: 5000 })
    const card = wrapper.get('[data-testid="plan-series"][data-plan-id="plan-1"]')
    expect(card.text()).toContain('Marco')
    expect(card.get('[data-testid="plan-series-summary"]').text()).toBe('Piano ricorrente: 2 date prenotate su 3')
    expect(card.findAll('[data-testid="plan-series-date"]').map((d) => d.attributes('data-booked'))).toEqual(['yes', 'no', 'yes'])
    // Each booked date says where its booking stands now.
    expect(card.findAll('[data-testid="plan-series-state"]').map((d) => d.text())).toEqual(['inviata, in attesa del fornitore', 'confermata'])
    // The reason the server gave when it decided, not one worked out from what the phone sees now (a full session).
    expect(card.get('[data-testid="plan-series-reason"]').text()).toBe('Il credito del voucher di questo figlio non basta per questa prenotazione.')
  })

  it('shows a plan still in the outbox as the dates it asks for, waiting to be sent', async () => {
    await db.mirror('planDate').clear()
    await db.mirror('booking').clear()
    const recurrence = { weekdays: [1, 2, 3], until: '2030-03-06' }
    await setMeta(db, 'plans', { 'plan-2': { sessionId: roomy.id, childId: toddler.id, quantity: 1, recurrence } })
    await enqueue(db, 'booking.request', { bookingId: 'plan-2', childId: toddler.id, sessionId: roomy.id, quantity: 1, recurrence }, new Date())
    const { wrapper } = mountWithApp(PlanWaitlist)
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="plan-series"]').length).toBe(1), { timeout: 5000 })
    await flushPromises()
    const card = wrapper.get('[data-testid="plan-series"][data-plan-id="plan-2"]')
    expect(card.get('[data-testid="plan-series-summary"]').text()).toBe('Piano ricorrente: 3 date in attesa di invio')
    expect(card.findAll('[data-testid="plan-series-reason"]')).toHaveLength(0)
  })
})
