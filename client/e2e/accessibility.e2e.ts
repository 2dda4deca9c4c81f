/**
 * Accessibility: axe-core (WCAG 2 A/AA rules) on every main screen of the three roles, on a phone
 * viewport, against the real app and server (serious and critical violations fail); and, for the
 * parent, every screen and state (a refused, a declined, a confirmed and a waiting booking, the
 * cancel dialog and the menu open, offline, an activation error, the waiting-list section with a
 * recurring plan, the voucher ledger, a message thread open, the install offer, a wiped device's
 * notice, a refusal outside the program's period, a cancelled booking) at 320 and 360 px wide, at 100 % and
 * 200 % text (the browser's own font size): zero axe violations of any impact, nothing wider than the
 * viewport, touch targets of 44 px. Screenshots at 360 px and 200 % go to PARENT_SHOTS
 * (default client/e2e/screenshots/parent/).
 */
import { mkdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { eligibility } from '../../shared/index.ts'
import { activate, bookableFor, pullAll, push, type Snapshot } from './api.ts'
import { phone, useServerAndBrowser } from './harness.ts'
import { audit, MODES, overflow, setMode, SHOTS_DIR, shotOf, smallTargets } from './layout.ts'

const env = useServerAndBrowser()

async function signIn(code: string) {
  const { context, page, cspViolations } = await phone(env.browser, env.server.url)
  await page.goto('/activate')
  const problems = await audit(page, '/activate', 'serious')
  await page.getByTestId('activate-code').fill(code)
  await page.getByTestId('activate-submit').click()
  await expect.poll(() => page.getByTestId('sync-indicator').getAttribute('data-state'), { timeout: 15_000 }).toBe('synced')
  return { context, page, problems, cspViolations }
}

async function visit(page: Page, path: string, ready: string): Promise<string[]> {
  await page.goto(path)
  await page.getByTestId(ready).first().waitFor({ timeout: 15_000 })
  return audit(page, path, 'serious')
}

/** A badge of the bottom bar over its own label (the plan's covered "Il mio piano" at 360 px and 200 % text). */
async function badgeOverLabel(page: Page, screen: string): Promise<string[]> {
  return page.evaluate((screen) => [...document.querySelectorAll('.nav__link')].flatMap((link) => {
    const badge = link.querySelector('.nav__badge')
    const label = [...link.querySelectorAll(':scope > span')].find((s) => s !== badge)
    if (!badge || !label) return []
    const [a, b] = [badge.getBoundingClientRect(), label.getBoundingClientRect()]
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom ? [`${screen}: the badge covers "${label.textContent}"`] : []
  }), screen)
}

/**
 * Every mode: overflow and bar badges always; axe and screenshots at 360 px; touch targets at 100 % text.
 * `from`: the screenshots start just above this element (what the state is about, further down the page).
 */
async function inEveryMode(context: BrowserContext, page: Page, state: string, from?: string): Promise<string[]> {
  const problems: string[] = []
  for (const mode of MODES) {
    await setMode(context, page, mode)
    const screen = `${state} @${mode.name}`
    problems.push(...(await overflow(page, screen)), ...(await badgeOverLabel(page, screen)))
    if (mode.fontPx === 16) problems.push(...(await smallTargets(page, screen)))
    if (mode.width === 360) {
      problems.push(...(await audit(page, screen)))
      await shotOf(page, state, mode, SHOTS_DIR, from)
    }
  }
  await setMode(context, page, { name: 'phone', width: 390, fontPx: 16 })
  return problems
}

let n = 0
const uuid = () => `0190bbbb-0000-7000-8000-${String(++n).padStart(12, '0')}`

/** FAM-0001's plan as the screens should meet it: a confirmed, a declined and a waiting booking. */
async function preparePlan(url: string) {
  const fam = await activate(url, 'FAM-0001')
  const snap = await pullAll(url, fam)
  const [younger, older] = [...snap.children].sort((a, b) => b.birthDate.localeCompare(a.birthDate))
  if (!younger || !older) throw new Error('FAM-0001 has two children')
  const nameOf = (s: { serviceId: string }) => snap.services.find((v) => v.id === s.serviceId)?.name ?? ''
  // The longest service name beside a status badge: the layout's hardest case.
  const forOlder = bookableFor(snap, older.id).filter((s) => s.placesLeft > 0).sort((a, b) => nameOf(b).length - nameOf(a).length)
  const confirmed = forOlder[0]!
  const declined = forOlder.find((s) => s.serviceId !== confirmed.serviceId)!
  const waiting = bookableFor(snap, younger.id).find((s) => s.placesLeft > 0 && s.unitPriceCents <= 5000)!
  let id = 0
  for (const [childId, s] of [[older.id, confirmed], [older.id, declined], [younger.id, waiting]] as const) {
    const r = await push(url, fam, 'e2e-a11y-setup', ++id, 'booking.request', { bookingId: uuid(), childId, sessionId: s.id, quantity: 1 })
    expect(r.results[0]?.status).toBe('applied')
  }
  const booked = (await pullAll(url, fam)).bookings
  const bookingOn = (s: { id: string }) => booked.find((b) => b.sessionId === s.id)!.id
  const provider = async (s: { providerId: string }) => activate(url, `PRV-${s.providerId.replace(/^prv-/, '').toUpperCase()}`)
  const confirmer = await provider(confirmed)
  expect((await push(url, confirmer, 'e2e-a11y-prv1', 1, 'booking.confirm', { bookingId: bookingOn(confirmed) })).results[0]?.status).toBe('applied')
  // The provider writes on the confirmed booking's thread: the parent meets it unread.
  expect((await push(url, confirmer, 'e2e-a11y-prv1', 2, 'message.send', {
    messageId: uuid(), bookingId: bookingOn(confirmed), body: 'Buongiorno! Portate le scarpe da ginnastica e una borraccia con il nome del bambino.',
  })).results[0]?.status).toBe('applied')
  expect((await push(url, await provider(declined), 'e2e-a11y-prv2', 1, 'booking.decline', {
    bookingId: bookingOn(declined), reason: "L'educatrice specializzata è in ferie quella settimana: proponiamo lo stesso giorno della settimana successiva",
  })).results[0]?.status).toBe('applied')
  return { snap, younger, older, confirmed, declined }
}

/** A session the younger child can book with exactly one place left once family 2 took the others. */
async function lastPlaceFor(url: string, snap: Snapshot, childId: string, avoid: string[]) {
  const fam2 = await activate(url, 'FAM-0002')
  const snap2 = await pullAll(url, fam2)
  // Both of family 2's children must fit it too: the first such session by date changes with the day
  // the suite runs (ages and the sessions' dates move), so it is chosen with them, not checked after.
  const fitsFamily2 = (x: Snapshot['sessions'][number]) => {
    const service = snap.services.find((v) => v.id === x.serviceId)!
    return snap2.children.filter((c) => eligibility(c.birthDate, service, x).fits).length === 2
  }
  const found = bookableFor(snap, childId).find((x) => !avoid.includes(x.id) && x.places === 2 && x.placesLeft === 2 && fitsFamily2(x))
  expect(found, 'a session with two places that both children of family 2 fit').toBeDefined()
  const s = found!
  const service = snap.services.find((v) => v.id === s.serviceId)!
  const kids = snap2.children.filter((c) => eligibility(c.birthDate, service, s).fits)
  let id = 0
  const take = (childId: string) => push(url, fam2, 'e2e-a11y-fam2', ++id, 'booking.request', { bookingId: uuid(), childId, sessionId: s.id, quantity: 1 })
  expect((await take(kids[0]!.id)).results[0]?.status).toBe('applied')
  return { session: s, takeLast: () => take(kids[1]!.id) }
}

describe('accessibility (axe-core, WCAG 2.1 A/AA)', () => {
  it('has no serious or critical violations on the main screens', async () => {
    const parent = await signIn('FAM-0001')
    const problems = [...parent.problems]
    problems.push(...(await visit(parent.page, '/home', 'child-card')))
    problems.push(...(await visit(parent.page, '/catalogue', 'service-item')))
    const sessionId = await parent.page.getByTestId('service-item').first().getAttribute('data-service-id')
    problems.push(...(await visit(parent.page, `/catalogue/services/${sessionId}`, 'session-item')))
    const firstSession = await parent.page.getByTestId('session-item').first().getAttribute('data-session-id')
    problems.push(...(await visit(parent.page, `/sessions/${firstSession}`, 'book-child')))
    problems.push(...(await visit(parent.page, '/plan', 'sync-indicator')))
    problems.push(...(await visit(parent.page, '/apply', 'sync-indicator')))
    problems.push(...(await visit(parent.page, '/emergency', 'emergency-form')))
    problems.push(...(await visit(parent.page, '/privacy', 'legal-privacy')))
    problems.push(...(await visit(parent.page, '/accessibility', 'legal-accessibility')))

    const provider = await signIn('PRV-ALTANA')
    problems.push(...(await visit(provider.page, '/inbox', 'sync-indicator')))
    const officer = await signIn('OFFICER-1')
    problems.push(...(await visit(officer.page, '/office', 'sync-indicator')))
    problems.push(...(await visit(officer.page, '/office/calls', 'call-form')))
    problems.push(...(await visit(officer.page, '/office/requests', 'sync-indicator')))

    expect(problems).toEqual([])
    expect([...parent.cspViolations, ...provider.cspViolations, ...officer.cspViolations]).toEqual([])
    await Promise.all([parent.context.close(), provider.context.close(), officer.context.close()])
  })

  it("every parent screen and state: no violation, nothing wider than 320 px at 200 % text, 44 px targets", { timeout: 600_000 }, async () => {
    mkdirSync(SHOTS_DIR, { recursive: true })
    const url = env.server.url
    const problems: string[] = []

    // Before activation: the form, then a wrong code's error.
    const guest = await phone(env.browser, url)
    await guest.page.goto('/activate')
    await guest.page.getByTestId('activate-code').waitFor()
    problems.push(...(await inEveryMode(guest.context, guest.page, 'activate')))
    await guest.page.getByTestId('activate-code').fill('FAM-9999-XXXX')
    await guest.page.getByTestId('activate-submit').click()
    await guest.page.getByTestId('activate-error').waitFor({ timeout: 15_000 })
    problems.push(...(await inEveryMode(guest.context, guest.page, 'activate-error')))
    // A device the family or the office disconnected: wiped, the code screen says why (db/wiped.ts).
    await guest.page.evaluate(() => localStorage.setItem('conciliapp.wiped', new Date().toISOString()))
    await guest.page.reload()
    await guest.page.getByTestId('wiped-notice').waitFor({ timeout: 15_000 })
    problems.push(...(await inEveryMode(guest.context, guest.page, 'activate-wiped')))
    await guest.context.close()

    const { snap, younger, older, confirmed, declined } = await preparePlan(url)
    const { context, page, cspViolations } = await phone(env.browser, url)
    await page.goto('/activate')
    await page.getByTestId('activate-code').fill('FAM-0001')
    await page.getByTestId('activate-submit').click()
    await expect.poll(() => page.getByTestId('sync-indicator').getAttribute('data-state'), { timeout: 15_000 }).toBe('synced')
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true))

    // A refusal on this phone: booked offline, the last place taken meanwhile.
    const last = await lastPlaceFor(url, snap, younger.id, [confirmed.id, declined.id])
    await context.setOffline(true)
    await page.goto(`/sessions/${last.session.id}`)
    await page.getByTestId('book-child').selectOption(younger.id)
    await page.getByTestId('book-submit').click()
    await page.waitForURL(/\/plan/)
    await page.locator('[data-testid="plan-item"][data-state="pending"]').first().waitFor()
    problems.push(...(await inEveryMode(context, page, 'plan-pending-offline')))
    expect((await last.takeLast()).results[0]?.status).toBe('applied')
    await context.setOffline(false)
    await page.getByTestId('sync-now').click()
    await page.locator('[data-testid="plan-item"][data-state="refused"]').waitFor({ timeout: 20_000 })
    await page.locator('[data-testid="plan-item"][data-state="declined"]').waitFor({ timeout: 20_000 })
    problems.push(...(await inEveryMode(context, page, 'plan')))

    await page.locator('[data-testid="plan-item"][data-state="requested"] [data-testid="plan-cancel"]').first().click()
    await page.getByTestId('cancel-dialog').waitFor()
    problems.push(...(await inEveryMode(context, page, 'plan-cancel-dialog')))
    await page.keyboard.press('Escape')
    await page.getByTestId('menu-toggle').click()
    await page.getByTestId('menu-panel').waitFor()
    problems.push(...(await inEveryMode(context, page, 'menu-open')))
    await page.keyboard.press('Escape')

    // Issue 10: the plan's waiting-list section, with an entry on the session that just filled and a recurring plan item.
    const fam = await activate(url, 'FAM-0001')
    const waitFor = await push(url, fam, 'e2e-a11y-wl', 1, 'waitlist.join', { entryId: uuid(), childId: younger.id, sessionId: last.session.id, quantity: 1 })
    expect(waitFor.results[0]?.status).toBe('applied')
    const anchor = bookableFor(snap, older.id).find((s) => s.placesLeft > 0 && ![confirmed.id, declined.id].includes(s.id) && s.unitPriceCents <= 3000)!
    const until = new Date(Date.parse(anchor.startsAt) + 7 * 86_400_000).toISOString().slice(0, 10)
    const plan = { bookingId: uuid(), childId: older.id, sessionId: anchor.id, quantity: 1, recurrence: { weekdays: [1, 2, 3, 4, 5, 6, 7], until } }
    expect((await push(url, fam, 'e2e-a11y-wl', 2, 'booking.request', plan)).results[0]?.status).toBe('applied')
    await page.goto('/plan')
    await page.getByTestId('sync-now').click()
    await page.getByTestId('plan-waitlist-entry').first().waitFor({ timeout: 20_000 })
    await page.getByTestId('plan-series').first().waitFor({ timeout: 20_000 })
    problems.push(...(await inEveryMode(context, page, 'plan-waitlist')))

    const screens: [string, string, string][] = [
      ['home', '/home', 'child-card'],
      ['catalogue', '/catalogue', 'service-item'],
      ['service', `/catalogue/services/${confirmed.serviceId}`, 'session-item'],
      ['provider', `/catalogue/providers/${confirmed.providerId}`, 'session-item'],
      ['session-book', `/sessions/${declined.id}`, 'book-child'],
      ['privacy', '/privacy', 'legal-privacy'],
      ['accessibility', '/accessibility', 'legal-accessibility'],
      // Issue 10: a child's page (history, birth date through the office), adding one, the family's data, the week, past bookings.
      ['child', `/children/${older.id}`, 'child-form'],
      ['child-new', '/children/new', 'child-form'],
      ['my-data', '/my-data', 'device'],
      ['plan-week', `/plan/week?w=${confirmed.startsAt.slice(0, 10)}`, 'week-item'],
      ['plan-past', '/plan/past', 'sync-indicator'],
      // The voucher ledger: totals and the movements (holds, a release from the decline, the recurring plan's dates).
      ['voucher-ledger', `/vouchers/${older.id}`, 'ledger-movement'],
      ['emergency', '/emergency', 'emergency-form'],
      ['apply', '/apply', 'sync-indicator'],
    ]
    for (const [state, path, ready] of screens) {
      await page.goto(path)
      await page.getByTestId(ready).first().waitFor({ timeout: 15_000 })
      problems.push(...(await inEveryMode(context, page, state)))
    }
    // The child already holds this session: the sheet changes its quantity instead.
    await page.goto(`/sessions/${confirmed.id}`)
    await page.getByTestId('book-child').selectOption(older.id)
    await page.getByTestId('book-existing').waitFor()
    problems.push(...(await inEveryMode(context, page, 'session-change-quantity')))

    // The confirmed booking's message thread, open: the provider's message, unread until now, and a reply being typed.
    await page.goto('/plan')
    const thread = page.locator('[data-testid="plan-item"][data-state="confirmed"] [data-testid="thread"]').first()
    await thread.locator('summary').click()
    await thread.getByTestId('thread-message').first().waitFor({ timeout: 15_000 })
    await thread.getByTestId('thread-input').fill('Grazie, va bene!')
    await thread.scrollIntoViewIfNeeded()
    problems.push(...(await inEveryMode(context, page, 'plan-thread', '[data-testid="plan-item"][data-state="confirmed"]')))

    // Where the browser can install the app (a synthetic beforeinstallprompt: headless Chromium never fires one).
    await page.goto('/home')
    await page.getByTestId('child-card').first().waitFor()
    await page.evaluate(() => {
      const e = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), { prompt: async () => {}, userChoice: new Promise(() => {}) })
      window.dispatchEvent(e)
    })
    await page.getByTestId('install-card').waitFor({ timeout: 5_000 })
    problems.push(...(await inEveryMode(context, page, 'home-install')))

    // Offline: the home from the phone's own data, the indicator saying so.
    // (The signal lost on the open page: Chromium's emulation says offline through the 'offline' event, not to a page loaded while offline.)
    await page.goto('/home')
    await page.getByTestId('child-card').first().waitFor()
    await context.setOffline(true)
    await expect.poll(() => page.getByTestId('sync-indicator').getAttribute('data-state')).toBe('offline')
    problems.push(...(await inEveryMode(context, page, 'home-offline')))

    // A session outside the program's period (the office shortened it while the request waited on the phone):
    // refused with its words and the alternatives, and the booking sheet says so before sending.
    const used = new Set([confirmed.id, declined.id, last.session.id, anchor.id])
    // The younger child (the older one's voucher went into the recurring plan), the program's last session it may take.
    const late = bookableFor(snap, younger.id).filter((s) => s.placesLeft > 0 && s.unitPriceCents <= 5000 && !used.has(s.id)).at(-1)!
    await page.goto(`/sessions/${late.id}`)
    await page.getByTestId('book-child').selectOption(younger.id)
    await page.getByTestId('book-submit').click()
    await page.waitForURL(/\/plan/)
    const officer = await activate(url, 'OFFICER-1')
    const office = (path: string, init?: RequestInit) => fetch(`${url}/api/office${path}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${officer}` } })
    const read = (await (await office('/program')).json()) as Record<string, unknown> & { periodTo: string }
    // The configuration as the office's screen saves it (unset settings as their defaults: office/program.store.ts draftOf).
    const config = { ...read, budgetCents: read.budgetCents ?? 10_000_000_00, cancellationWindowHours: read.cancellationWindowHours ?? 0,
      emergencyHeadStartMinutes: read.emergencyHeadStartMinutes ?? 0 }
    const periodTo = new Date(Date.parse(late.startsAt) - 86_400_000).toISOString().slice(0, 10)
    const put = await office('/program', { method: 'PUT', body: JSON.stringify({ ...config, periodTo }) })
    expect(put.status, await put.clone().text()).toBe(200)
    await context.setOffline(false)
    await page.getByTestId('sync-now').click()
    const outside = page.locator('[data-testid="plan-item"][data-state="refused"]').filter({ hasText: 'fuori dal periodo del programma' })
    await outside.waitFor({ timeout: 20_000 })
    await outside.evaluate((el) => el.setAttribute('data-shot', 'outside-period')) // the screenshots start at this card
    problems.push(...(await inEveryMode(context, page, 'plan-refused-outside-period', '[data-shot="outside-period"]')))
    await page.goto(`/sessions/${late.id}`)
    await page.getByTestId('book-child').selectOption(younger.id)
    await expect.poll(() => page.getByTestId('book-reason').textContent(), { timeout: 10_000 }).toContain('fuori dal periodo del programma')
    // Said with the session's facts too, not only under the booking form (four screens down at 200 % text).
    expect(await page.getByTestId('session-outside-period').textContent()).toContain('fuori dal periodo del programma')
    problems.push(...(await inEveryMode(context, page, 'session-outside-period')))
    await office('/program', { method: 'PUT', body: JSON.stringify(config) })

    // A booking cancelled: its card goes to the history.
    await page.goto('/plan')
    await page.locator('[data-testid="plan-item"][data-state="requested"] [data-testid="plan-cancel"]').first().click()
    await page.getByTestId('confirm-accept').click()
    await page.locator('[data-testid="plan-item"][data-state="cancelled"]').first().waitFor({ timeout: 20_000 })
    await page.locator('[data-testid="plan-item"][data-state="cancelled"]').first().scrollIntoViewIfNeeded()
    problems.push(...(await inEveryMode(context, page, 'plan-cancelled', '[data-testid="plan-item"][data-state="cancelled"]')))

    expect(problems).toEqual([])
    expect(cspViolations).toEqual([])
    await context.close()
  })
})
