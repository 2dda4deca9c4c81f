/**
 * The foundation's end-to-end path, in Debian's Chromium on a phone-sized viewport:
 * a parent goes offline, books two sessions, reloads offline (the app comes up from the service
 * worker, both bookings still waiting), meanwhile another family takes the last place of one of
 * them; back online the phone syncs: one booking is sent, the other is refused with the reason and
 * alternatives. The provider, in a second browser context, confirms; the parent sees it confirmed.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eligibility } from '../../shared/index.ts'
import { activate, bookableFor, pullAll, push, type Snapshot } from './api.ts'
import { activateIn, phone, shot, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

/** Two future sessions child 1 can attend: one roomy, one with exactly one place left. */
function pickSessions(snap: Snapshot, childId: string) {
  const open = bookableFor(snap, childId)
  const roomy = open.find((s) => s.placesLeft >= 2 && s.unitsMax >= 2 && s.unitPriceCents * 2 <= 30000)
  const last = open.find((s) => s.placesLeft === 1 && s.unitPriceCents <= 30000 && s.serviceId !== roomy?.serviceId &&
    open.some((o) => o.serviceId === s.serviceId && o.id !== s.id && o.placesLeft > 0))
  if (!roomy || !last) throw new Error('demo data lacks a roomy session and a last-place session for child 1')
  return { roomy, last }
}

const planItem = (page: Page, bookingState: string) => page.locator(`[data-testid="plan-item"][data-state="${bookingState}"]`)

describe('offline booking, refusal explained, provider confirmation', () => {
  it('works end to end on a phone', async () => {
    const { server, browser } = env
    const fam1 = await activate(server.url, 'FAM-0001')
    const snap = await pullAll(server.url, fam1)
    const child = snap.children.sort((a, b) => a.id.localeCompare(b.id))[0]!
    const { roomy, last } = pickSessions(snap, child.id)

    // Parent: activate online, let the service worker install, look around.
    const parent = await phone(browser, server.url)
    const p = parent.page
    await activateIn(p, 'FAM-0001')
    await expect.poll(() => p.getByTestId('child-card').count(), { timeout: 15_000 }).toBe(2)
    await p.evaluate(() => navigator.serviceWorker.ready.then(() => true))
    await expect.poll(() => p.getByTestId('sync-indicator').getAttribute('data-state')).toBe('synced')
    await shot(p, '01-parent-home')

    await p.getByTestId('nav-catalogue').click()
    await expect.poll(() => p.getByTestId('service-item').count()).toBeGreaterThan(5)
    await shot(p, '02-catalogue')

    // Offline: book the roomy session (2 units) and the last place of the other one.
    await parent.context.setOffline(true)
    for (const [session, quantity] of [[roomy, 2], [last, 1]] as const) {
      await p.goto(`/sessions/${session.id}`)
      await p.getByTestId('book-child').selectOption(child.id)
      await p.getByTestId('book-quantity').fill(String(quantity))
      await expect.poll(() => p.getByTestId('book-cost').innerText()).toContain(',')
      if (session === roomy) await shot(p, '03-booking-sheet-offline')
      await p.getByTestId('book-submit').click()
      await p.waitForURL(/\/plan/) // the sheet moves on once the booking is safely in IndexedDB
      await expect.poll(() => p.getByTestId('sync-indicator').getAttribute('data-state')).toBe('offline')
    }
    await p.getByTestId('nav-plan').click()
    await expect.poll(() => planItem(p, 'pending').count()).toBe(2)
    expect(await p.getByTestId('sync-indicator').getAttribute('data-pending')).toBe('2')

    // Reload while offline: the shell comes from the service worker, the bookings from IndexedDB.
    await p.reload()
    await expect.poll(() => planItem(p, 'pending').count(), { timeout: 15_000 }).toBe(2)
    await shot(p, '04-plan-offline-after-reload')

    // Meanwhile another family takes the last place.
    const fam2 = await activate(server.url, 'FAM-0002')
    const snap2 = await pullAll(server.url, fam2)
    const child2 = snap2.children.find((c) => eligibility(c.birthDate, snap.services.find((s) => s.id === last.serviceId)!, last).fits)
    expect(child2, 'a child of family 2 fits the last-place session').toBeDefined()
    const raced = await push(server.url, fam2, 'e2e-fam2', 1, 'booking.request', {
      bookingId: '0190aaaa-0000-7000-8000-000000000002', childId: child2!.id, sessionId: last.id, quantity: 1,
    })
    expect(raced.results[0]?.status).toBe('applied')

    // Back online: one booking is sent, the other refused with the reason and alternatives.
    await parent.context.setOffline(false)
    await expect.poll(() => planItem(p, 'requested').count(), { timeout: 20_000 }).toBe(1)
    await expect.poll(() => planItem(p, 'refused').count(), { timeout: 20_000 }).toBe(1)
    const refused = planItem(p, 'refused')
    await expect.poll(() => refused.getByTestId('plan-reason').innerText()).toMatch(/posti|esaurit/i)
    expect(await refused.getByTestId('plan-alternative').count()).toBeGreaterThan(0)
    await expect.poll(() => p.getByTestId('sync-indicator').getAttribute('data-state')).toBe('synced')
    await shot(p, '05-plan-refused-explained')
    const bookingId = await planItem(p, 'requested').getAttribute('data-booking-id')

    // Provider, in a second browser context, confirms the booking.
    const provider = snap.providers.find((v) => v.id === roomy.providerId)!
    const prov = await phone(browser, server.url)
    await activateIn(prov.page, `PRV-${provider.id.replace(/^prv-/, "").toUpperCase()}`)
    const order = prov.page.locator(`[data-testid="inbox-item"][data-booking-id="${bookingId}"]`)
    await expect.poll(() => order.count(), { timeout: 15_000 }).toBe(1)
    await shot(prov.page, '06-provider-inbox')
    await order.getByTestId('inbox-confirm').click()
    await expect.poll(() => order.getAttribute('data-status'), { timeout: 15_000 }).toBe('confirmed')
    await expect.poll(() => prov.page.getByTestId('sync-indicator').getAttribute('data-state'), { timeout: 15_000 }).toBe('synced')

    // The parent's page shows it confirmed (poke, or the sync-now button).
    await p.getByTestId('sync-now').click()
    await expect.poll(() => planItem(p, 'confirmed').count(), { timeout: 20_000 }).toBe(1)
    await shot(p, '07-plan-confirmed')
    await p.getByTestId('nav-home').click()
    await expect.poll(() => p.getByTestId('child-card').count()).toBe(2)
    await shot(p, '08-parent-home-after')
    expect([...parent.cspViolations, ...prov.cspViolations]).toEqual([]) // the app runs under the server's CSP
    // The poke streams opened with the token in a cookie: no URL ever carried it.
    expect([...parent.tokenUrls, ...prov.tokenUrls]).toEqual([])
    expect(parent.pokeStatuses).toContain(200)
    expect(prov.pokeStatuses).toContain(200)
  })
})
