/**
 * The provider's side end to end in Chromium at 360 px (issue 9):
 *  - the coordinator issues an operator their own code on the Operatori screen; the operator, on
 *    their own phone, activates with it and sees their assignment (and nothing else), reads the
 *    family's message written before the assignment (marked new) and answers it; the family receives
 *    the answer from the provider's side, the coordinator sees which operator wrote it;
 *  - the coordinator records a PARTIAL delivery offline (3 of 4 hours); back online it syncs, and the
 *    family's voucher (3 hours spent, 1 back: on the family's own phone, open on the voucher's page,
 *    without touching it) and the provider's "what the program will pay" update.
 * A session starting in a few seconds is created through the contract API (sessions are only
 * created in the future; a delivery only once started). Screenshots of the provider's screens go to
 * client/e2e/screenshots/provider/ (gitignored; SHOTS_PROVIDER to change it).
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { activate, pullAll, push } from './api.ts'
import { activateIn, issueOperatorCode, SCREENSHOTS, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()
const SHOTS = process.env.SHOTS_PROVIDER ?? join(SCREENSHOTS, 'provider')
const euros = (cents: number) => new Intl.NumberFormat('it-IT', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents / 100)
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })

/** A 360 px phone (the narrowest the app is made for), Italian, Rome time. */
async function phone360(browser: Browser, baseURL: string) {
  const context = await browser.newContext({
    baseURL, viewport: { width: 360, height: 780 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'it-IT', timezoneId: 'Europe/Rome',
  })
  return { context, page: await context.newPage() }
}

async function voucherOf(url: string, token: string, voucherId: string) {
  const res = await fetch(`${url}/api/sync/pull`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ protocolVersion: 1, clientGroupId: 'e2e-voucher', cookie: null }),
  })
  const body = (await res.json()) as { changes: { entity: string; key: string; value?: Record<string, unknown> }[] }
  return body.changes.find((c) => c.entity === 'voucher' && c.key === voucherId)?.value
}

describe('the provider’s side', () => {
  it('issues an operator’s code, the operator sees their assignment; a partial delivery recorded offline settles the voucher', async () => {
    mkdirSync(SHOTS, { recursive: true })
    const { server, browser } = env
    const prvToken = await activate(server.url, 'PRV-ALTANA')
    const famToken = await activate(server.url, 'FAM-0001')
    const child = (await pullAll(server.url, famToken)).children.find((c) => c.id === 'chd-0001-1')!

    // A session that starts in 25 s (ALTANA, babysitting, 15 €/h), booked for 4 hours, confirmed with an operator.
    const startsAt = new Date(Date.now() + 25_000)
    const sessionId = `0190bbbb-0000-7000-8000-${String(Date.now()).slice(-12)}`
    const created = await push(server.url, prvToken, 'e2e-prv', 1, 'session.create', {
      sessionId, serviceId: 'svc-babysitting', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 4 * 3_600_000).toISOString(),
      places: 3, unitPriceCents: 1500, unitsMax: 8,
    })
    expect(created.results[0]).toMatchObject({ status: 'applied' })
    const bookingId = `0190cccc-0000-7000-8000-${String(Date.now()).slice(-12)}`
    expect((await push(server.url, famToken, 'e2e-fam', 1, 'booking.request', { bookingId, childId: child.id, sessionId, quantity: 4 })).results[0]?.status).toBe('applied')
    // The family writes before anyone is assigned: the thread follows the booking to its operator.
    const question = 'Citofono Rossi, 2° piano. Marco è allergico alle arachidi.'
    expect((await push(server.url, famToken, 'e2e-fam', 2, 'message.send', { messageId: `m-${bookingId}`, bookingId, body: question })).results[0]?.status).toBe('applied')
    expect((await push(server.url, prvToken, 'e2e-prv', 2, 'booking.confirm', { bookingId, operatorId: 'opr-altana-1' })).results[0]?.status).toBe('applied')
    const before = await voucherOf(server.url, famToken, 'vch-0001-1')
    expect(before).toMatchObject({ heldCents: 6000 })

    // The coordinator's phone.
    const coord = await phone360(browser, server.url)
    const c = coord.page
    await activateIn(c, 'PRV-ALTANA')
    await expect.poll(() => c.getByTestId('sync-indicator').getAttribute('data-state'), { timeout: 20_000 }).toBe('synced')
    await c.locator('[role="tab"][data-tab="confirmed"]').click()
    await expect.poll(() => c.locator(`[data-testid="inbox-item"][data-booking-id="${bookingId}"]`).count(), { timeout: 15_000 }).toBe(1)
    await shot(c, '01-inbox-confirmed')
    await c.getByTestId('nav-sessions').click()
    await expect.poll(() => c.getByTestId('my-session').count(), { timeout: 15_000 }).toBeGreaterThan(0)
    await shot(c, '02-sessions')
    await c.getByTestId('sessions-new').click()
    await c.getByTestId('sf-service').waitFor()
    await shot(c, '03-session-form')

    // Operators: issue a code for Chiara Bettoni (opr-altana-1), shown once.
    const code = await issueOperatorCode(c, 'opr-altana-1')
    await shot(c, '04-operators-code-issued')

    // The operator's own phone: activates with that code, sees their one assignment.
    const op = await phone360(browser, server.url)
    const o = op.page
    await activateIn(o, code)
    await expect.poll(() => o.locator('#inbox-title').innerText(), { timeout: 20_000 }).toContain('assegnazioni')
    await o.locator('[role="tab"][data-tab="confirmed"]').click()
    await expect.poll(() => o.locator(`[data-testid="inbox-item"][data-booking-id="${bookingId}"]`).count(), { timeout: 15_000 }).toBe(1)
    expect(await o.getByTestId('inbox-item').count()).toBe(1)
    expect(await o.getByTestId('inbox-confirm').count()).toBe(0)
    await shot(o, '05-operator-assignments')

    // The operator reads the family's message (new on this phone) and answers it.
    const assignment = o.locator(`[data-testid="inbox-item"][data-booking-id="${bookingId}"]`)
    await expect.poll(() => assignment.getByTestId('thread-unread').count(), { timeout: 15_000 }).toBe(1)
    await assignment.getByTestId('thread').locator('summary').click()
    await expect.poll(() => assignment.getByTestId('thread-message').first().innerText()).toContain('arachidi')
    await expect.poll(() => assignment.getByTestId('thread-unread').count()).toBe(0)
    const answer = 'Arrivo alle 8 con i guanti. Chiara'
    await assignment.getByTestId('thread-input').fill(answer)
    await assignment.getByTestId('thread-send').click()
    await expect.poll(() => assignment.locator('[data-testid="thread-message"][data-state="sent"]').count(), { timeout: 15_000 }).toBe(2)
    await shot(o, '06-operator-thread')
    const received = (await pullAll(server.url, famToken)).messages.find((m) => m.body === answer)
    expect(received).toMatchObject({ bookingId, authorRole: 'provider' })
    expect(received).not.toHaveProperty('writtenBy') // which of the provider's staff wrote is not the family's

    // The family's own phone, open on the voucher's page: 60 € held for the 4 hours.
    const fam = await phone360(browser, server.url)
    const f = fam.page
    await activateIn(f, 'FAM-0001')
    await f.waitForURL((u) => !u.pathname.startsWith('/activate'), { timeout: 20_000 })
    await f.goto('/vouchers/chd-0001-1')
    await expect.poll(() => f.getByTestId('ledger-held').innerText(), { timeout: 20_000 }).toContain(euros(6000))

    // Once the session has started: the coordinator goes offline and records 3 of the 4 hours.
    await new Promise((r) => setTimeout(r, Math.max(0, startsAt.getTime() + 1_000 - Date.now())))
    await c.getByTestId('nav-inbox').click()
    await c.reload()
    await c.locator('[role="tab"][data-tab="confirmed"]').click()
    const item = c.locator(`[data-testid="inbox-item"][data-booking-id="${bookingId}"]`)
    await item.getByTestId('inbox-deliver').waitFor({ timeout: 15_000 })
    // The coordinator's phone says which operator answered the family.
    await item.getByTestId('thread').locator('summary').click()
    await expect.poll(() => item.getByTestId('thread-message').nth(1).innerText(), { timeout: 15_000 }).toContain('Chiara Bettoni')
    await coord.context.setOffline(true)
    await item.getByTestId('inbox-deliver').click()
    await c.getByTestId('deliver-quantity').fill('3')
    await shot(c, '07-deliver-dialog-offline')
    await c.getByTestId('deliver-submit').click()
    await expect.poll(() => item.getAttribute('data-status')).toBe('delivered')
    await expect.poll(() => c.getByTestId('sync-indicator').getAttribute('data-pending')).toBe('1')
    await shot(c, '08-delivered-offline-pending')
    expect(await voucherOf(server.url, famToken, 'vch-0001-1')).toMatchObject({ heldCents: 6000 }) // nothing reached the server yet

    // Back online: it syncs; the family's voucher spent 45 €, got 15 € back; the provider's totals show it.
    await coord.context.setOffline(false)
    await expect.poll(() => c.getByTestId('sync-indicator').getAttribute('data-state'), { timeout: 20_000 }).toBe('synced')
    const after = await voucherOf(server.url, famToken, 'vch-0001-1')
    expect(after).toMatchObject({ heldCents: 0, spentCents: Number(before?.spentCents ?? 0) + 4500, balanceCents: Number(before?.balanceCents ?? 0) + 1500 })
    const booked = (await pullAll(server.url, famToken)).bookings.find((b) => b.id === bookingId)
    expect(booked).toMatchObject({ status: 'delivered', quantity: 4, deliveredQuantity: 3, voucherCents: 4500, operatorName: 'Chiara Bettoni' })
    // The provider's "what the program will pay": every delivered, unpaid booking of ALTANA (the demo's
    // past months included), now with this one's 45 € (3 hours, not 4).
    const waiting = (await pullAll(server.url, prvToken)).bookings.filter((b) => b.status === 'delivered' && !b.noShow)
    expect(waiting.find((b) => b.id === bookingId)?.voucherCents).toBe(4500)
    const total = euros(waiting.reduce((n, b) => n + b.voucherCents, 0))
    await c.getByTestId('nav-payments').click()
    await expect.poll(() => c.getByTestId('payments-waiting').innerText(), { timeout: 15_000 }).toContain(total)
    await shot(c, '09-payments')

    // The family's phone, untouched since: the voucher holds nothing more for it, 45 € more spent.
    await expect.poll(() => f.getByTestId('ledger-held').innerText(), { timeout: 20_000 }).toMatch(/€\s0,00$/)
    expect(await f.getByTestId('ledger-spent').innerText()).toContain(euros(Number(before?.spentCents ?? 0) + 4500))
    expect(await f.getByTestId('ledger-left').innerText()).toContain(euros(Number(before?.balanceCents ?? 0) + 1500))
    await shot(f, '10-family-voucher-after-sync')

    await coord.context.close()
    await op.context.close()
    await fam.context.close()
  }, 180_000)
})
