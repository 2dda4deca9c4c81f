/**
 * The family's calendar feed, read by an iCalendar parser (node-ical) as a calendar app would: the
 * family's live and past bookings, current on every read, nothing of other families, no notes; the
 * secret stored hashed; a new address replaces the old; DELETE revokes; only a parent may ask.
 */
import ical, { type VEvent } from 'node-ical'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sha256 } from '../../services/auth/auth.service.ts'
import { activate, json, SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let parent: string
let other: string
beforeAll(async () => {
  t = await createTestServer({ families: 2 })
  ;[parent, other] = await Promise.all([activate(t.app, 'FAM-0001'), activate(t.app, 'FAM-0002')])
})
afterAll(() => t.close())

const feedUrl = async (token: string) => {
  const res = await t.app.request('/api/calendar/feed', { ...json(token, {}), method: 'POST' })
  expect(res.status).toBe(201)
  return ((await res.json()) as { url: string }).url
}
const read = async (url: string) => t.app.request(new URL(url).pathname)
const events = async (url: string) => {
  const res = await read(url)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/calendar/)
  return Object.values(ical.sync.parseICS(await res.text())).filter((c): c is VEvent => c?.type === 'VEVENT')
}

describe('the family calendar feed', () => {
  it('lists the family’s bookings for a calendar app, kept current, and nothing more', async () => {
    const phone = new SyncClient(t.app, parent)
    const bookingId = uniqueId('cal')
    const note = 'Allergia alle arachidi'
    expect((await phone.push('booking.request', { bookingId, childId: 'chd-0001-1', sessionId: 'ses-altana-babysitting-20261124', quantity: 2, note })).status).toBe('applied')
    const theirs = uniqueId('cal')
    expect((await new SyncClient(t.app, other).push('booking.request', { bookingId: theirs, childId: 'chd-0002-1', sessionId: 'ses-altana-babysitting-20261125', quantity: 1 })).status).toBe('applied')

    const url = await feedUrl(parent)
    expect(url).toMatch(/^http:\/\/[^/]+\/api\/calendar\/feed\/[A-Za-z0-9_-]{24}\.ics$/)
    const secret = /feed\/(.+)\.ics$/.exec(url)?.[1] ?? ''
    const [stored] = await t.db.query<{ hash: string }>("SELECT secret_hash AS hash FROM calendar_feeds WHERE family_id = 'fam-0001'")
    expect(stored?.hash).toBe(sha256(secret)) // only the hash is kept

    const first = await events(url)
    const mine = first.find((e) => e.uid === `booking-${bookingId}@conciliapp`)
    expect(mine?.summary).toMatch(/Baby sitting.*·/)
    expect(mine?.start.toISOString()).toBe('2026-11-24T06:00:00.000Z')
    expect(mine?.status).toBe('TENTATIVE')
    expect(mine?.location).toBe('Crema')
    expect(first.some((e) => e.uid.includes(theirs))).toBe(false)
    const text = await (await read(url)).text()
    expect(text).not.toContain('arachidi')

    // Kept current: confirmed by the provider, then cancelled by the family.
    expect((await new SyncClient(t.app, await activate(t.app, 'PRV-ALTANA')).push('booking.confirm', { bookingId })).status).toBe('applied')
    expect((await events(url)).find((e) => e.uid === `booking-${bookingId}@conciliapp`)?.status).toBe('CONFIRMED')
    expect((await phone.push('booking.cancel', { bookingId })).status).toBe('applied')
    expect((await events(url)).some((e) => e.uid === `booking-${bookingId}@conciliapp`)).toBe(false)
  })

  it('a new address replaces the old; DELETE revokes; a wrong or missing secret is 404; only parents may ask', async () => {
    const old = await feedUrl(parent)
    const fresh = await feedUrl(parent)
    expect((await read(old)).status).toBe(404)
    expect((await read(fresh)).status).toBe(200)
    expect((await t.app.request('/api/calendar/feed', { ...json(parent, {}), method: 'DELETE' })).status).toBe(204)
    expect((await read(fresh)).status).toBe(404)
    expect((await t.app.request('/api/calendar/feed/not-a-secret.ics')).status).toBe(404)
    expect((await t.app.request('/api/calendar/feed', { ...json(null, {}), method: 'POST' })).status).toBe(401)
    const provider = await activate(t.app, 'PRV-ALTANA')
    expect((await t.app.request('/api/calendar/feed', { ...json(provider, {}), method: 'POST' })).status).toBe(403)
  })
})
