/**
 * The foundation's end-to-end path, in Debian's Chromium on a phone-sized viewport:
 * a parent goes offline, books two sessions (one for each child), reloads offline (the app comes up
 * from the service worker, both bookings still waiting), meanwhile other families take the last
 * places of one of them; back online the phone syncs: one booking is sent, the other is refused with
 * the reason and alternatives. The provider, in a second browser context, confirms; the parent sees
 * it confirmed, then takes an alternative: the booking sheet opens on the refused item's child and
 * quantity (neither is the sheet's default), and the new booking reaches the server with both.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eligibility, type Child, type Session } from '../../shared/index.ts'
import { activate, bookableFor, pullAll, push, type Snapshot } from './api.ts'
import { activateIn, phone, shot, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

interface Filler { token: string; clientId: string; child: Child }

/**
 * A roomy future session for the first child (2 units), and for the second child a session the other
 * families' children can fill (2 units, so the quantity kept is not the sheet's default 1) that has
 * another session of the same service with places: the refusal's alternative.
 */
function pickSessions(snap: Snapshot, first: string, second: string, fillers: Filler[]) {
  const roomy = bookableFor(snap, first).find((s) => s.placesLeft >= 2 && s.unitsMax >= 2 && s.unitPriceCents * 2 <= 30000)
  const fits = (s: Session) => fillers.filter((f) => eligibility(f.child.birthDate, snap.services.find((v) => v.id === s.serviceId)!, s).fits).length
  const open = bookableFor(snap, second)
  const last = open
    .filter((s) => s.id !== roomy?.id && s.unitsMax >= 2 && s.unitPriceCents * 2 <= 30000 && s.placesLeft >= 1 && fits(s) >= s.placesLeft &&
      open.some((o) => o.serviceId === s.serviceId && o.id !== s.id && o.id !== roomy?.id && o.placesLeft > 0))
    .sort((a, b) => a.placesLeft - b.placesLeft)[0]
  if (!roomy || !last) throw new Error('demo data lacks a roomy session for child 1 and a fillable two-unit session for child 2')
  return { roomy, last }
}

const planItem = (page: Page, bookingState: string) => page.locator(`[data-testid="plan-item"][data-state="${bookingState}"]`)

describe('offline booking, refusal explained, provider confirmation', () => {
  it('works end to end on a phone', async () => {
    const { server, browser } = env
    const fam1 = await activate(server.url, 'FAM-0001')
    const snap = await pullAll(server.url, fam1)
    const [child, second] = [...snap.children].sort((a, b) => a.id.localeCompare(b.id)) as [Child, Child]
    // The other families' children, who will take the places left of the second child's session.
    const fillers: Filler[] = []
    for (const code of ['FAM-0002', 'FAM-0003']) {
      const token = await activate(server.url, code)
      for (const c of (await pullAll(server.url, token)).children) fillers.push({ token, clientId: `e2e-${code}`, child: c })
    }
    const { roomy, last } = pickSessions(snap, child.id, second.id, fillers)

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

    // Offline: book the roomy session (2 units) for the first child, the other one (2 units) for the second.
    await parent.context.setOffline(true)
    for (const [session, kid] of [[roomy, child], [last, second]] as const) {
      const quantity = 2
      await p.goto(`/sessions/${session.id}`)
      await p.getByTestId('book-child').selectOption(kid.id)
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

    // Meanwhile other families take the places left.
    const service = snap.services.find((v) => v.id === last.serviceId)!
    let taken = 0
    const nextId = new Map<string, number>()
    for (const f of fillers.filter((x) => eligibility(x.child.birthDate, service, last).fits).slice(0, last.placesLeft)) {
      nextId.set(f.clientId, (nextId.get(f.clientId) ?? 0) + 1)
      taken++
      const raced = await push(server.url, f.token, f.clientId, nextId.get(f.clientId)!, 'booking.request', {
        bookingId: `0190aaaa-0000-7000-8000-00000000000${taken}`, childId: f.child.id, sessionId: last.id, quantity: 1,
      })
      expect(raced.results[0]?.status).toBe('applied')
    }
    expect(taken).toBe(last.placesLeft)

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

    // The refused item's alternative: the sheet opens on its child and quantity, and the booking goes through.
    await p.getByTestId('nav-plan').click()
    const alternative = planItem(p, 'refused').getByTestId('plan-alternative').first()
    const altSessionId = await alternative.getAttribute('data-session-id')
    expect(altSessionId).not.toBe(last.id)
    await alternative.click()
    await p.waitForURL(new RegExp(`/sessions/${altSessionId}`))
    await p.getByTestId('book-child').waitFor()
    expect(await p.getByTestId('book-child').inputValue()).toBe(second.id)
    expect(await p.getByTestId('book-quantity').inputValue()).toBe('2')
    await shot(p, '09-alternative-sheet')
    await p.getByTestId('book-submit').click()
    await p.waitForURL(/\/plan/)
    await expect.poll(async () => (await pullAll(server.url, fam1)).bookings
      .filter((b) => b.sessionId === altSessionId && b.status === 'requested').map((b) => [b.childId, b.quantity]), { timeout: 20_000 })
      .toEqual([[second.id, 2]])
  })
})
