/**
 * The provider's screens at 360 px, at 100 % and 200 % text (issue 9): nothing wider than the screen,
 * at most four items in the bottom bar, tab and nav labels broken between words only (never inside
 * one), nothing serious for axe. On the way, the order card says who and where, and "propose another
 * time" runs end to end: the coordinator proposes in the app, the family accepts in its plan, the
 * booking moves and is confirmed on the server. Screenshots: client/e2e/screenshots/provider-*.png.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { activate, pullAll, push } from './api.ts'
import { activateAndSync, phone, shot, useServerAndBrowser } from './harness.ts'
import { audit, overflow, setMode, MODES } from './layout.ts'

const env = useServerAndBrowser()

/** Labels (tabs, nav links, an order's buttons) with a word wider than its box, i.e. a word that had to break inside. */
const brokenWords = (page: Page) => page.evaluate(() => {
  const out: string[] = []
  // An order's name, status and buttons too: at 200 % text they shared a line as "Mar|co", "Conf|erm|a".
  for (const el of document.querySelectorAll<HTMLElement>('[role="tab"], nav a, .inbox-item h2, .inbox-item .badge, .inbox-item .btn')) {
    if (el.offsetParent === null) continue
    const style = getComputedStyle(el)
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
    const probe = document.createElement('span')
    probe.style.cssText = `font: ${style.font}; white-space: nowrap; position: absolute; visibility: hidden;`
    document.body.append(probe)
    // The label's own words (a count badge or a screen-reader suffix is a box of its own).
    const label = el.cloneNode(true) as HTMLElement
    label.querySelectorAll('.ui-tabs__count, .nav__badge, .sr-only').forEach((x) => x.remove())
    for (const word of (label.textContent ?? '').trim().split(/\s+/)) {
      probe.textContent = word
      if (probe.getBoundingClientRect().width > room + 1) out.push(`"${word}" (${Math.round(probe.getBoundingClientRect().width)} px in ${Math.round(room)} px)`)
    }
    probe.remove()
  }
  return out
})

describe('the provider’s screens at 360 px and 200 % text', () => {
  it('fit, keep four items in the bar and whole words; an order says who and where; a proposal of another time is accepted by the family', async () => {
    const { server, browser } = env
    const famToken = await activate(server.url, 'FAM-0001')
    const snap = await pullAll(server.url, famToken)
    const child = snap.children.find((c) => c.id === 'chd-0001-1')!
    const open = snap.sessions
      .filter((s) => s.providerId === 'prv-altana' && s.serviceId === 'svc-babysitting' && s.status === 'open' && s.placesLeft > 1 && Date.parse(s.startsAt) > Date.now() + 86_400_000)
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
    const [from, to] = [open[0]!, open[1]!]
    const bookingId = `0190dddd-0000-7000-8000-${String(Date.now()).slice(-12)}`
    const requested = await push(server.url, famToken, 'e2e-layout-fam', 1, 'booking.request', { bookingId, childId: child.id, sessionId: from.id, quantity: 2, address: 'Via Mazzini 3, Crema' })
    expect(requested.results[0]).toMatchObject({ status: 'applied' })

    const { context, page, cspViolations } = await phone(browser, server.url)
    await activateAndSync(page, 'PRV-ALTANA')
    await setMode(context, page, MODES.find((m) => m.name === '360')!)

    // Who and where, then the proposal through the dialog.
    const card = page.locator(`[data-testid="inbox-item"][data-booking-id="${bookingId}"]`)
    await card.waitFor({ timeout: 15_000 })
    expect(await card.getByTestId('inbox-who').innerText()).toMatch(/Famiglia \S+ · \d+ anni/)
    expect(await card.getByTestId('inbox-where').innerText()).toContain('Via Mazzini 3, Crema')
    await card.getByTestId('inbox-propose').click()
    await page.getByTestId('propose-dialog').waitFor()
    await page.locator(`[data-testid="propose-session"][value="${to.id}"]`).check()
    await page.getByTestId('propose-note').fill('Il giorno dopo abbiamo un’operatrice libera')
    await shot(page, 'provider-propose-dialog')
    await page.getByTestId('propose-submit').click()
    await expect.poll(() => card.getByTestId('inbox-proposal').getAttribute('data-proposal'), { timeout: 15_000 }).toBe('proposed')
    await expect.poll(() => page.getByTestId('sync-indicator').getAttribute('data-state'), { timeout: 15_000 }).toBe('synced')

    // The family answers in its plan.
    const fam = await phone(browser, server.url)
    await activateAndSync(fam.page, 'FAM-0001')
    await fam.page.getByTestId('nav-plan').click()
    const proposal = fam.page.locator(`[data-testid="plan-item"][data-booking-id="${bookingId}"] [data-testid="plan-proposal"]`)
    await proposal.waitFor({ timeout: 15_000 })
    expect(await proposal.innerText()).toContain('Il giorno dopo abbiamo un’operatrice libera')
    await shot(fam.page, 'provider-proposal-family')
    await proposal.getByTestId('plan-proposal-accept').click()
    await expect.poll(async () => (await pullAll(server.url, famToken)).bookings.find((b) => b.id === bookingId), { timeout: 15_000 })
      .toMatchObject({ status: 'confirmed', sessionId: to.id, proposalStatus: 'accepted' })
    await expect.poll(() => card.getByTestId('inbox-proposal').getAttribute('data-proposal').catch(() => null), { timeout: 15_000 }).not.toBe('proposed')
    await fam.context.close()

    // Every provider screen, at 360 px with 100 % and 200 % text; an order still to confirm on the inbox (its buttons).
    const second = `0190dddd-0000-7000-8000-${String(Date.now() + 1).slice(-12)}`
    expect((await push(server.url, famToken, 'e2e-layout-fam', 2, 'booking.request', { bookingId: second, childId: child.id, sessionId: open[2]!.id, quantity: 1 })).results[0]).toMatchObject({ status: 'applied' })
    await page.locator(`[data-testid="inbox-item"][data-booking-id="${second}"] [data-testid="inbox-confirm"]`).waitFor({ timeout: 15_000 })
    const problems: string[] = []
    const screens = [['inbox', '/inbox', 'nav-inbox'], ['sessions', '/my-sessions', 'nav-sessions'], ['operators', '/operators', 'nav-operators'], ['payments', '/payments', 'payments-waiting']] as const
    for (const mode of MODES.filter((m) => m.width === 360)) {
      for (const [screen, path, ready] of screens) {
        await page.goto(path)
        await page.getByTestId(ready).first().waitFor({ timeout: 15_000 })
        await setMode(context, page, mode)
        expect(await page.locator('nav a[data-testid^="nav-"]').count(), `${screen}: bar items`).toBeLessThanOrEqual(4)
        problems.push(...(await overflow(page, `${screen}@${mode.name}`)), ...(await audit(page, `${screen}@${mode.name}`, 'serious')))
        problems.push(...(await brokenWords(page)).map((w) => `${screen}@${mode.name}: word broken: ${w}`))
        await page.screenshot({ path: `client/e2e/screenshots/provider-${screen}-${mode.name}.png`, fullPage: true })
      }
    }
    // The catalogue moved to the menu.
    await page.getByTestId('menu-toggle').click()
    await page.getByTestId('menu-catalogue').click()
    await expect.poll(() => page.url()).toContain('/catalogue')
    expect(problems).toEqual([])
    expect(cspViolations).toEqual([])
  }, 240_000)
})
