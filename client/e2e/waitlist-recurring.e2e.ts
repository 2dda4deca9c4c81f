/**
 * Recurring plan items and the waiting list (issue 10) end to end in Chromium on the real server:
 *  1. a parent books after-school "every week on these days until …" as ONE plan item; the provider
 *     has made one of the dates full; the server books the others and the plan says which date was
 *     not booked and why;
 *  2. a parent joins the waiting list of a full session; another family cancels; the first family
 *     waiting gets the place as a request at once (the same transaction) and its phone shows it.
 */
import { describe, expect, it } from 'vitest'
import { localStart, seriesOf } from '../../shared/booking/recurrence.rules.ts'
import type { Session } from '../../shared/index.ts'
import { activate, bookableFor, pullAll, push } from './api.ts'
import { activateIn, phone, shot, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()
const ROME = 'Europe/Rome'
const providerCode = (providerId: string) => `PRV-${providerId.replace(/^prv-/, '').toUpperCase()}`
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString()

describe('recurring plan items and the waiting list', () => {
  it('books every date of a weekly plan it can, and says which date was full', async () => {
    const { server, browser } = env
    const fam = await activate(server.url, 'FAM-0001')
    const snap = await pullAll(server.url, fam)
    // A series of one provider for one of the family's children: three sessions two days ahead or
    // later at the same time (after-school first, if the child's age fits it).
    const groups = snap.children.flatMap((c) => {
      const by = new Map<string, Session[]>()
      for (const s of bookableFor(snap, c.id).filter((x) => x.startsAt > inDays(2) && x.unitPriceCents <= 5000)) {
        const k = `${s.serviceId}|${s.providerId}|${localStart(s, ROME).time}`
        by.set(k, [...(by.get(k) ?? []), s])
      }
      return [...by.values()].filter((g) => g.length >= 3).map((g) => ({ child: c, g }))
    }).sort((a, b) => Number(b.g[0]!.serviceId === 'svc-after-school') - Number(a.g[0]!.serviceId === 'svc-after-school'))
    const found = groups[0]
    if (!found) throw new Error('demo data lacks a weekly series for family 1')
    const child = found.child
    const [anchor, second, third] = found.g as [Session, Session, Session]
    const weekdays = [...new Set([anchor, second, third].map((s) => localStart(s, ROME).weekday))]
    const until = localStart(third, ROME).date
    const expected = seriesOf(anchor, snap.sessions as Session[], { weekdays, until }, ROME)
    expect(expected.map((s) => s.id)).toEqual([anchor.id, second.id, third.id])

    // The provider fills the second date (no more places than those taken).
    const prv = await activate(server.url, providerCode(anchor.providerId))
    const full = await push(server.url, prv, 'e2e-prv-recur', 1, 'session.update', { sessionId: second.id, places: second.places - second.placesLeft })
    expect(full.results[0]?.status).toBe('applied')

    const parent = await phone(browser, server.url)
    const p = parent.page
    await activateIn(p, 'FAM-0001')
    await expect.poll(() => p.getByTestId('child-card').count(), { timeout: 15_000 }).toBe(2)
    await p.goto(`${server.url}/sessions/${anchor.id}`)
    await p.getByTestId('book-child').selectOption(child.id)
    await p.getByTestId('book-repeat').check()
    for (const d of weekdays) await p.getByTestId(`book-repeat-day-${d}`).check()
    await p.getByTestId('book-until').fill(until)
    await expect.poll(() => p.getByTestId('book-series').locator('li').count()).toBe(3)
    await shot(p, '40-recurring-sheet')
    await expect.poll(() => p.getByTestId('book-submit').isDisabled(), { timeout: 10_000 }).toBe(false)
    await p.getByTestId('book-submit').click()

    await p.getByTestId('nav-plan').click()
    await expect.poll(() => p.getByTestId('sync-indicator').getAttribute('data-state'), { timeout: 20_000 }).toBe('synced')
    const series = p.getByTestId('plan-series')
    await expect.poll(() => series.getByTestId('plan-series-summary').innerText(), { timeout: 20_000 }).toContain('2 date prenotate su 3')
    const dates = series.getByTestId('plan-series-date')
    expect(await dates.evaluateAll((els) => els.map((e) => e.getAttribute('data-booked')))).toEqual(['yes', 'no', 'yes'])
    expect((await series.getByTestId('plan-series-reason').innerText()).toLowerCase()).toMatch(/complet|posti/)
    await shot(p, '41-recurring-plan')

    // The server holds exactly the two booked dates, under one plan id.
    const after = await pullAll(server.url, fam)
    const planId = await series.getAttribute('data-plan-id')
    const ofPlan = after.bookings.filter((b) => b.planId === planId)
    expect(ofPlan.map((b) => b.sessionId).sort()).toEqual([anchor.id, third.id].sort())
    expect(ofPlan.every((b) => b.status === 'requested' && b.childId === child.id)).toBe(true)
    expect(parent.cspViolations).toEqual([])
  })

  it('turns a waiting-list entry into a booking when another family cancels', async () => {
    const { server, browser } = env
    const [fam1, fam2] = await Promise.all([activate(server.url, 'FAM-0002'), activate(server.url, 'FAM-0003')])
    const [snap1, snap2] = await Promise.all([pullAll(server.url, fam1), pullAll(server.url, fam2)])
    const child1 = snap1.children.sort((a, b) => a.id.localeCompare(b.id))[1]!
    const child2 = snap2.children.sort((a, b) => a.id.localeCompare(b.id))[0]!
    const for2 = new Set(bookableFor(snap2, child2.id).map((s) => s.id))
    const session = bookableFor(snap1, child1.id).find((s) => for2.has(s.id) && s.placesLeft > 0 && s.unitPriceCents <= 5000 && s.startsAt > inDays(3))
    if (!session) throw new Error('demo data lacks a session both children may book')

    // Family 3 takes a place; the provider leaves no other (places = those taken): the session is full.
    const bookingId = '0190cccc-0000-7000-8000-000000000001'
    expect((await push(server.url, fam2, 'e2e-fam3-wl', 1, 'booking.request', { bookingId, childId: child2.id, sessionId: session.id, quantity: 1 })).results[0]?.status).toBe('applied')
    const prv = await activate(server.url, providerCode(session.providerId))
    const now = (await pullAll(server.url, prv)).sessions.find((s) => s.id === session.id)!
    expect((await push(server.url, prv, 'e2e-prv-wl', 1, 'session.update', { sessionId: session.id, places: now.places - now.placesLeft })).results[0]?.status).toBe('applied')

    // Family 2's phone: the full session offers its waiting list.
    const parent = await phone(browser, server.url)
    const p = parent.page
    await activateIn(p, 'FAM-0002')
    await expect.poll(() => p.getByTestId('child-card').count(), { timeout: 15_000 }).toBe(2)
    await p.goto(`${server.url}/sessions/${session.id}`)
    await p.getByTestId('book-child').selectOption(child1.id)
    await expect.poll(() => p.getByTestId('book-waitlist-join').count(), { timeout: 15_000 }).toBe(1)
    await shot(p, '42-waitlist-offer')
    await p.getByTestId('book-waitlist-join').click()
    await expect.poll(() => p.getByTestId('book-waiting').count()).toBe(1)
    await p.getByTestId('nav-plan').click()
    const entry = p.getByTestId('plan-waitlist-entry')
    await expect.poll(() => entry.getAttribute('data-state'), { timeout: 15_000 }).toBe('waiting')
    await expect.poll(() => p.getByTestId('sync-indicator').getAttribute('data-state'), { timeout: 20_000 }).toBe('synced')
    const entryId = (await entry.getAttribute('data-entry-id'))!

    // Family 3 cancels: the place goes to family 2 in the same transaction; its phone hears of it (poke, pull).
    expect((await push(server.url, fam2, 'e2e-fam3-wl', 2, 'booking.cancel', { bookingId })).results[0]?.status).toBe('applied')
    const held = (await pullAll(server.url, fam1)).bookings.find((b) => b.id === entryId)
    expect(held).toMatchObject({ status: 'requested', childId: child1.id, sessionId: session.id })
    await p.getByTestId('sync-now').click()
    await expect.poll(() => entry.getAttribute('data-state'), { timeout: 20_000 }).toBe('promoted')
    await expect.poll(() => p.locator(`[data-testid="plan-item"][data-booking-id="${entryId}"]`).getAttribute('data-state')).toBe('requested')
    expect(await p.getByTestId('plan-waitlist-promoted').innerText()).toContain(child1.firstName)
    await shot(p, '43-waitlist-promoted')
    // Seen: the card goes, the booking stays.
    await p.getByTestId('plan-waitlist-seen').click()
    await expect.poll(() => entry.count()).toBe(0)
    expect(await p.locator(`[data-testid="plan-item"][data-booking-id="${entryId}"]`).count()).toBe(1)
    expect(parent.cspViolations).toEqual([])
  })
})
