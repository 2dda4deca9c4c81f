/**
 * The booking's message thread (issue 8's walk-through entity) end to end in Chromium on the real
 * server: a parent writes to the provider while offline (by keyboard), reloads offline and still sees
 * the message waiting, sends it when back online; the provider reads it in its inbox and answers; the
 * parent reads the answer. The office never receives the thread.
 */
import { describe, expect, it } from 'vitest'
import { activate, bookableFor, pullAll, push } from './api.ts'
import { activateIn, phone, shot, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

describe('a booking’s message thread', () => {
  it('is written offline, sent when back online, read and answered by the provider', async () => {
    const { server, browser } = env
    const fam = await activate(server.url, 'FAM-0003')
    const snap = await pullAll(server.url, fam)
    const child = snap.children.sort((a, b) => a.id.localeCompare(b.id))[0]!
    const session = bookableFor(snap, child.id).find((s) => s.placesLeft > 0 && s.unitPriceCents <= 30000)
    if (!session) throw new Error('demo data lacks a session for child 1 of family 3')
    const bookingId = '0190bbbb-0000-7000-8000-000000000003'
    const booked = await push(server.url, fam, 'e2e-fam3', 1, 'booking.request', { bookingId, childId: child.id, sessionId: session.id, quantity: 1 })
    expect(booked.results[0]?.status).toBe('applied')

    const parent = await phone(browser, server.url)
    const p = parent.page
    await activateIn(p, 'FAM-0003')
    await expect.poll(() => p.getByTestId('child-card').count(), { timeout: 15_000 }).toBe(2)
    await p.evaluate(() => navigator.serviceWorker.ready.then(() => true))
    await p.getByTestId('nav-plan').click()
    const card = p.locator(`[data-testid="plan-item"][data-booking-id="${bookingId}"]`)
    await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(1)

    // Offline, by keyboard: open the thread, type, send with Ctrl+Enter.
    await parent.context.setOffline(true)
    await card.locator('summary').focus()
    await p.keyboard.press('Enter')
    await card.getByTestId('thread-input').focus()
    await p.keyboard.type('Ha la febbre: la tachipirina è sul tavolo.')
    await p.keyboard.press('Control+Enter')
    const message = card.getByTestId('thread-message')
    await expect.poll(() => message.getAttribute('data-state')).toBe('pending')
    expect(await message.innerText()).toContain('in attesa di invio')
    await shot(p, '21-thread-offline')

    // Reload offline: the message is still there, still waiting (the thread opens by itself: something waits in it).
    await p.reload()
    await expect.poll(() => card.getByTestId('thread-message').getAttribute('data-state'), { timeout: 15_000 }).toBe('pending')

    // Back online: sent.
    await parent.context.setOffline(false)
    await expect.poll(() => card.getByTestId('thread-message').getAttribute('data-state'), { timeout: 20_000 }).toBe('sent')

    // The provider reads it in its inbox and answers.
    const provider = snap.providers.find((v) => v.id === session.providerId)!
    const prov = await phone(browser, server.url)
    await activateIn(prov.page, `PRV-${provider.id.replace(/^prv-/, '').toUpperCase()}`)
    const order = prov.page.locator(`[data-testid="inbox-item"][data-booking-id="${bookingId}"]`)
    await expect.poll(() => order.count(), { timeout: 15_000 }).toBe(1)
    await order.locator('summary').click()
    await expect.poll(() => order.getByTestId('thread-message').first().innerText()).toContain('tachipirina')
    await order.getByTestId('thread-input').fill('Arriva Chiara alle 8:00.')
    await order.getByTestId('thread-send').click()
    await expect.poll(() => order.getByTestId('thread-message').count()).toBe(2)
    await expect.poll(() => prov.page.getByTestId('sync-indicator').getAttribute('data-state'), { timeout: 15_000 }).toBe('synced')
    await shot(prov.page, '22-thread-provider')

    // The parent reads the answer.
    await p.getByTestId('sync-now').click()
    await expect.poll(() => card.getByTestId('thread-message').count(), { timeout: 20_000 }).toBe(2)
    expect(await card.getByTestId('thread-message').nth(1).innerText()).toContain('Fornitore')
    await shot(p, '23-thread-parent-answer')

    // The office receives no message.
    const office = await pullAll(server.url, await activate(server.url, 'OFFICER-1'))
    expect(office.bookings.find((b) => b.id === bookingId)).toBeDefined()
    expect(office.messages).toEqual([])
    expect([...parent.cspViolations, ...prov.cspViolations]).toEqual([])
  })
})
