/**
 * The family's calendar feed (issue 10, contract in architecture.md), as a calendar app meets it: the
 * address comes from the app ("Il mio piano"), is fetched over HTTP with no token and read by an
 * iCalendar parser (node-ical). It holds the family's bookings, including one just made on the phone
 * (kept current), and stops answering (404) once the parent revokes it in the app.
 */
import ical, { type VEvent } from 'node-ical'
import { describe, expect, it } from 'vitest'
import type { Child } from '../../shared/index.ts'
import { activate, bookableFor, pullAll, push } from './api.ts'
import { activateAndSync, phone, shot, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

async function feedEvents(url: string): Promise<VEvent[]> {
  const res = await fetch(url)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/calendar/)
  return Object.values(ical.sync.parseICS(await res.text())).filter((c): c is VEvent => c?.type === 'VEVENT')
}

describe('the family’s calendar feed', () => {
  it('is subscribed from the app, read by an iCalendar parser, kept current and revoked', async () => {
    const { server, browser } = env
    const fam = await activate(server.url, 'FAM-0001')
    const snap = await pullAll(server.url, fam)
    const [child, second] = [...snap.children].sort((a, b) => a.id.localeCompare(b.id)) as [Child, Child]
    const cheap = (s: { placesLeft: number; unitPriceCents: number }) => s.placesLeft > 0 && s.unitPriceCents <= 5000
    const early = bookableFor(snap, child.id).find(cheap)
    const later = bookableFor(snap, second.id).find((s) => cheap(s) && s.id !== early?.id)
    expect(early && later).toBeTruthy()
    const bookingId = '0190cccc-0000-7000-8000-000000000001'
    expect((await push(server.url, fam, 'e2e-cal', 1, 'booking.request', { bookingId, childId: child.id, sessionId: early!.id, quantity: 1 })).results[0]?.status).toBe('applied')

    // The address comes from the app.
    const { page } = await phone(browser, server.url)
    await activateAndSync(page, 'FAM-0001')
    await page.getByTestId('nav-plan').click()
    await page.getByTestId('calendar-subscribe').click()
    const url = await page.getByTestId('calendar-url').inputValue()
    expect(url).toMatch(new RegExp(`^${server.url}/api/calendar/feed/[A-Za-z0-9_-]{24}\\.ics$`))
    await shot(page, 'calendar-feed-subscribed')

    const first = await feedEvents(url)
    const booked = first.find((e) => e.uid === `booking-${bookingId}@conciliapp`)
    expect(booked?.start.toISOString()).toBe(new Date(early!.startsAt).toISOString())
    expect(booked?.end?.toISOString()).toBe(new Date(early!.endsAt).toISOString())
    expect(booked?.summary).toContain(child.firstName)
    expect(booked?.status).toBe('TENTATIVE')

    // Kept current: a booking made on the phone is in the next read.
    await page.goto(`/sessions/${later!.id}`)
    await page.getByTestId('book-child').selectOption(second.id)
    await page.getByTestId('book-submit').click()
    await page.waitForURL(/\/plan/)
    await expect.poll(async () => (await feedEvents(url)).filter((e) => e.start.toISOString() === new Date(later!.startsAt).toISOString() && String(e.summary).includes(second.firstName)).length, { timeout: 20_000 }).toBe(1)
    expect((await feedEvents(url)).map((e) => e.uid)).toContain(`booking-${bookingId}@conciliapp`)

    // Back on the plan (a new visit), the address is still shown; revoked in the app, it stops answering.
    expect(await page.getByTestId('calendar-url').inputValue()).toBe(url)
    await page.getByTestId('calendar-revoke').click()
    await expect.poll(() => page.getByTestId('calendar-url').count()).toBe(0)
    const gone = await fetch(url)
    expect(gone.status).toBe(404)
    expect(await gone.json()).toMatchObject({ error: { code: 'not-found' } })
  })
})
