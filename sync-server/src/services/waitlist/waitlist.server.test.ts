/**
 * Issue 10 on the real sync path (PGlite, or Postgres with TEST_DATABASE_URL): a waiting entry whose
 * session has started ends `expired` through the server's sweep and the family's phone pulls it so;
 * a recurring plan item's dates (booked, or skipped and why) reach a second phone of the family, which
 * never saw the request, and no one else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invariantViolations } from '../../test/db-checks.ts'
import type { SyncClient} from '../../test/sync-client.ts';
import { activateAll, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'
import type { PlanDateRow, WaitlistEntry } from '../../../../shared/index.ts'
import { expireWaitlist } from './expire.ts'

let t: TestServer
let fam1: SyncClient, fam2: SyncClient, altana: SyncClient
beforeAll(async () => {
  t = await createTestServer({ families: 3 })
  ;[fam1, fam2, altana] = await activateAll(t.app, ['FAM-0001', 'FAM-0002', 'PRV-ALTANA'] as const)
})
afterAll(() => t.close())

describe('a waiting entry whose session has started', () => {
  it('ends expired by the sweep (not before the start), and the family’s phone pulls it so', async () => {
    const sessionId = 'ses-altana-babysitting-20261124'
    await t.db.query('UPDATE sessions SET places = 1, places_left = 1 WHERE id = $1', [sessionId])
    expect((await fam2.push('booking.request', { bookingId: uniqueId('b'), childId: 'chd-0002-1', sessionId, quantity: 1 })).status).toBe('applied')
    const entryId = uniqueId('wl')
    expect((await fam1.push('waitlist.join', { entryId, childId: 'chd-0001-1', sessionId, quantity: 1 })).status).toBe('applied')
    await fam1.pull()
    expect(fam1.get<WaitlistEntry>('waitlistEntry', entryId)?.status).toBe('waiting')

    expect(await expireWaitlist(t.deps)).toBe(0) // TEST_NOW: the session has not started
    const [s] = await t.db.query<{ startsAt: string }>('SELECT starts_at AS "startsAt" FROM sessions WHERE id = $1', [sessionId])
    t.clock.set(new Date(s!.startsAt).toISOString())
    try {
      expect(await expireWaitlist(t.deps)).toBe(1)
      expect(await expireWaitlist(t.deps)).toBe(0) // done once
    } finally {
      t.clock.set(TEST_NOW)
    }
    await fam1.pull()
    expect(fam1.get<WaitlistEntry>('waitlistEntry', entryId)).toMatchObject({ status: 'expired', bookingId: null })
    expect(await invariantViolations(t.db)).toEqual([])
  })
})

describe('a recurring plan item’s outcome', () => {
  it('comes from the server’s rows: a second phone of the family sees every date and why, the provider none', async () => {
    // Tuesdays at 07:00 with Altana from 1 Dec: 1, 8 and 15 Dec; another family takes the one place of 8 Dec.
    await t.db.query("UPDATE sessions SET places = 1, places_left = 1 WHERE id = 'ses-altana-babysitting-20261208'")
    expect((await fam2.push('booking.request', { bookingId: uniqueId('b'), childId: 'chd-0002-1', sessionId: 'ses-altana-babysitting-20261208', quantity: 1 })).status).toBe('applied')
    const planId = uniqueId('plan').replaceAll('.', '')
    const sent = await fam1.push('booking.request', {
      bookingId: planId, childId: 'chd-0001-2', sessionId: 'ses-altana-babysitting-20261201', quantity: 1,
      recurrence: { weekdays: [2], until: '2026-12-15' },
    })
    expect(sent.status).toBe('applied')

    const [other] = await activateAll(t.app, ['FAM-0001'] as const) // the family's second phone
    await other.pull()
    const dates = other.rows<PlanDateRow>('planDate').filter((d) => d.planId === planId).sort((a, b) => a.startsAt.localeCompare(b.startsAt))
    expect(dates.map((d) => [d.sessionId, d.bookingId !== null, d.code])).toEqual([
      ['ses-altana-babysitting-20261201', true, null],
      ['ses-altana-babysitting-20261208', false, 'capacity-full'],
      ['ses-altana-babysitting-20261215', true, null],
    ])
    const booked = other.rows<{ id: string; planId: string | null }>('booking').filter((b) => b.planId === planId).map((b) => b.id).sort()
    expect(dates.flatMap((d) => (d.bookingId ? [d.bookingId] : [])).sort()).toEqual(booked)

    await Promise.all([altana.pull(), fam2.pull()])
    expect(altana.rows('planDate')).toEqual([])
    expect(fam2.rows('planDate')).toEqual([])
    expect(await invariantViolations(t.db)).toEqual([])
  })
})

describe('a promoted entry’s booking', () => {
  it('stays the family’s booking when they later change its quantity (the entry keeps what it waited for)', async () => {
    // Its one place is held (by the first test's booking of FAM-0002): the family waits; the place frees.
    const sessionId = 'ses-altana-babysitting-20261124'
    const [held] = await t.db.query<{ id: string }>("SELECT id FROM bookings WHERE session_id = $1 AND status = 'requested'", [sessionId])
    expect(held).toBeDefined()
    const entryId = uniqueId('wl')
    expect((await fam1.push('waitlist.join', { entryId, childId: 'chd-0001-2', sessionId, quantity: 1 })).status).toBe('applied')
    expect((await fam2.push('booking.cancel', { bookingId: held!.id })).status).toBe('applied')
    await fam1.pull()
    expect(fam1.get<WaitlistEntry>('waitlistEntry', entryId)).toMatchObject({ status: 'promoted', bookingId: entryId })
    // Later the family asks for 2 hours instead of 1: the booking changes, the entry does not.
    expect((await fam1.push('booking.changeQuantity', { bookingId: entryId, quantity: 2 })).status).toBe('applied')
    expect(await invariantViolations(t.db)).toEqual([])
  })
})
