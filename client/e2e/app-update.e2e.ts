/**
 * An app update while mutations wait (issue 10: "update prompt that never loses the outbox"). The
 * server serves a copy of dist/ (STATIC_DIR) so the test can release a new service worker. A parent
 * books while the server answers pushes with 503: the request waits in the outbox. A new version is
 * released and found: the banner says it will update once the waiting request is sent, and asking to
 * update now only defers it. The parent closes the app; the new service worker takes over; reopened,
 * the new version sends the request the old one queued, and the server has the booking.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import type { Child } from '../../shared/index.ts'
import { activate, bookableFor, pullAll } from './api.ts'
import { activateAndSync, phone, shot, useServerAndBrowser } from './harness.ts'

const appDir = mkdtempSync(join(tmpdir(), 'conciliapp-app-'))
cpSync(join(process.cwd(), 'dist'), appDir, { recursive: true })
afterAll(() => rmSync(appDir, { recursive: true, force: true }))
const env = useServerAndBrowser({ STATIC_DIR: appDir })

/** A new release: the service worker's bytes change (its compressed copies go, so the new bytes are served). */
function release(tag: string): void {
  const sw = join(appDir, 'sw.js')
  writeFileSync(sw, `${readFileSync(sw, 'utf8')}\nself.__release = ${JSON.stringify(tag)}\n`)
  for (const copy of ['sw.js.br', 'sw.js.gz']) rmSync(join(appDir, copy), { force: true })
}

/** The release tag and state of each service worker the phone runs. */
const workers = (context: BrowserContext) =>
  Promise.all(context.serviceWorkers().map((w) => w.evaluate(() => {
    const g = self as unknown as { __release?: string; serviceWorker?: { state: string } }
    return { release: g.__release ?? 'first', state: g.serviceWorker?.state ?? 'unknown' }
  }).catch(() => null)))

describe('an app update while mutations wait', () => {
  it('keeps the waiting request across the update and sends it from the new version', async () => {
    const { server, browser } = env
    const fam = await activate(server.url, 'FAM-0001')
    const snap = await pullAll(server.url, fam)
    const child = [...snap.children].sort((a, b) => a.id.localeCompare(b.id))[0] as Child
    const session = bookableFor(snap, child.id).find((s) => s.placesLeft > 0 && s.unitPriceCents <= 5000)!

    const { context, page } = await phone(browser, server.url)
    await activateAndSync(page, 'FAM-0001')
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true))

    // The server answers pushes with 503: the booking waits in the outbox.
    await context.route('**/api/sync/push', (r) => r.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"unavailable","message":"maintenance"}}' }))
    await page.goto(`/sessions/${session.id}`)
    await page.getByTestId('book-child').selectOption(child.id)
    await page.getByTestId('book-submit').click()
    await page.waitForURL(/\/plan/)
    await expect.poll(() => page.getByTestId('sync-indicator').getAttribute('data-pending')).toBe('1')

    // A new version is released and found: the banner waits for the request; "update" only defers.
    release('second')
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()))
    const banner = page.getByTestId('update-banner')
    await banner.waitFor({ timeout: 20_000 })
    await page.getByTestId('update-apply').click()
    await expect.poll(() => page.getByTestId('update-apply').isDisabled()).toBe(true)
    await shot(page, 'app-update-deferred')
    expect(await page.getByTestId('sync-indicator').getAttribute('data-pending')).toBe('1')
    expect(await page.locator('[data-testid="plan-item"][data-state="pending"]').count()).toBe(1)

    // The parent closes the app: the new service worker takes over.
    await page.close()
    await expect.poll(async () => (await workers(context)).some((w) => w?.release === 'second' && w.state === 'activated'), { timeout: 20_000 }).toBe(true)
    await context.unroute('**/api/sync/push')

    // Reopened under the new version, the request the old one queued is sent.
    const again = await context.newPage()
    await again.goto('/plan')
    expect(await again.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true)
    await expect.poll(() => again.getByTestId('sync-indicator').getAttribute('data-state'), { timeout: 20_000 }).toBe('synced')
    expect(await again.getByTestId('sync-indicator').getAttribute('data-pending')).toBe('0')
    await expect.poll(() => again.locator('[data-testid="plan-item"][data-state="requested"]').count(), { timeout: 20_000 }).toBe(1)
    expect(await again.getByTestId('update-banner').count()).toBe(0)
    const booked = (await pullAll(server.url, fam)).bookings.filter((b) => b.sessionId === session.id && b.childId === child.id)
    expect(booked.map((b) => b.status)).toEqual(['requested'])
  })
})
