/**
 * Emergency babysitting end to end (issue 9) in Chromium on the real server, three browser contexts:
 * a parent without signal asks for an urgent babysitter in three taps (the child's button on the
 * home screen, a shift, send), sees it queued as not yet sent, and comes back online; two cooperatives
 * of the territory (ALTANA and KOALA, Crema) see it arrive live; both press accept at once; one wins,
 * the other is told "già presa da un'altra cooperativa" and the request leaves its inbox; the parent
 * sees the operator's name within a second of the acceptance (checked by behaviour: PARENT_SEES_MS).
 * Screenshots at 360 px in client/e2e/screenshots/emergency/ (gitignored; SHOTS_EMERGENCY to change).
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page, Response } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { SYNC_INTERVAL_MS } from '../src/sync/triggers.ts'
import { activateIn, phone, SCREENSHOTS, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()
const SHOTS = process.env.SHOTS_EMERGENCY ?? join(SCREENSHOTS, 'emergency')
/**
 * "The parent sees the operator's name within a second": checked by behaviour, not by timing a step
 * on a loaded machine. Once the winner's push has answered, the parent's page, untouched, must show the
 * name before this bound runs out. 2 s is generous (two cores shared by the server, three Chromium
 * contexts and whatever else runs; the 1 s goal itself is measured by `bench:emergency`) but real: the
 * phone's only other way to learn it is the interval pull (SYNC_INTERVAL_MS, 60 s), so only the live
 * path (poke → pull) meets it.
 */
const PARENT_SEES_MS = Number(process.env.E2E_PARENT_SEES_MS ?? 2_000)
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
const ON_CALL: Record<string, string> = { ALTANA: 'Chiara Bettoni', KOALA: 'Marta Cremonesi' }

async function small(browser: typeof env.browser, url: string) {
  const p = await phone(browser, url)
  await p.page.setViewportSize({ width: 360, height: 760 })
  return p
}

describe('emergency babysitting', () => {
  it('offline request, two cooperatives race, one wins, the parent sees who comes within a second', async () => {
    mkdirSync(SHOTS, { recursive: true })
    const { server, browser } = env
    const [parent, altana, koala] = await Promise.all([small(browser, server.url), small(browser, server.url), small(browser, server.url)])
    await Promise.all([activateIn(parent.page, 'FAM-0002'), activateIn(altana.page, 'PRV-ALTANA'), activateIn(koala.page, 'PRV-KOALA')])
    const providers = [{ name: 'ALTANA', ...altana }, { name: 'KOALA', ...koala }]
    for (const p of providers) await expect.poll(() => p.page.getByTestId('emergency-inbox-empty').count(), { timeout: 20_000 }).toBe(1)

    // The parent, without signal: tap 1 the child's button, tap 2 a shift, tap 3 send.
    const p = parent.page
    await expect.poll(() => p.getByTestId('emergency-start').count(), { timeout: 20_000 }).toBe(2)
    await p.evaluate(() => navigator.serviceWorker.ready.then(() => true))
    await parent.context.setOffline(true)
    await p.getByTestId('emergency-start').first().click()
    await p.getByTestId('emergency-when-early').check()
    await p.getByTestId('emergency-territory-ter-crema').check() // no history yet: the area is chosen once, then prefilled
    await p.getByTestId('emergency-address').fill('Via Mazzini 3, Crema — citofono Bianchi, 2° piano')
    await p.getByTestId('emergency-note').fill('Febbre 38,2 da stanotte. Tachipirina 250 alle 10 se serve. Chiavi dalla vicina.')
    await shot(p, '01-parent-request-form-360')
    await p.getByTestId('emergency-send').click()
    const status = p.getByTestId('emergency-status').first()
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 10_000 }).toBe('notSent')
    expect(await status.innerText()).toContain('Non ancora inviata')
    await shot(p, '02-parent-offline-not-sent-360')
    const requestId = await status.getAttribute('data-request-id')
    expect(requestId).toBeTruthy()

    // Back online: sent, and both cooperatives see it arrive without touching anything (pokes).
    await parent.context.setOffline(false)
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 20_000 }).toBe('open')
    const cards = providers.map((x) => x.page.locator(`[data-testid="emergency-request"][data-request-id="${requestId}"]`))
    for (const c of cards) await expect.poll(() => c.count(), { timeout: 10_000 }).toBe(1)
    expect(await cards[0]!.innerText()).toContain('Via Mazzini 3')
    await shot(altana.page, '03-altana-inbox-request-360')
    await shot(koala.page, '04-koala-inbox-request-360')

    // Both press accept at once. The winner's push answer marks the acceptance.
    const pushed = providers.map((x) => x.page.waitForResponse((r: Response) => new URL(r.url()).pathname === '/api/sync/push', { timeout: 15_000 }))
    await Promise.all(cards.map((c) => c.getByTestId('emergency-accept').click()))
    const answers = await Promise.all(pushed.map(async (r) => ({ at: Date.now(), body: (await (await r).json()) as { results: { status: string; code?: string }[] } })))
    const outcomes = answers.map((a) => a.body.results.find((x) => x.status === 'applied' || x.code === 'already-taken'))
    const winnerIndex = outcomes.findIndex((o) => o?.status === 'applied')
    const loserIndex = 1 - winnerIndex
    expect(winnerIndex).toBeGreaterThanOrEqual(0)
    expect(outcomes[loserIndex]).toMatchObject({ status: 'rejected', code: 'already-taken' })
    const acceptedAt = answers[winnerIndex]!.at
    const winner = providers[winnerIndex]!
    const loser = providers[loserIndex]!

    // The parent sees the operator's name, live, within the bound from the acceptance (PARENT_SEES_MS).
    expect(PARENT_SEES_MS).toBeLessThan(SYNC_INTERVAL_MS / 10)
    const accepted = p.getByTestId('emergency-accepted').first()
    const name = ON_CALL[winner.name]!
    const left = Math.max(1, acceptedAt + PARENT_SEES_MS - Date.now())
    await p.getByTestId('emergency-accepted').filter({ hasText: name }).first().waitFor({ state: 'visible', timeout: left })
      .catch(() => { throw new Error(`the parent's phone did not show ${name} within ${PARENT_SEES_MS} ms of the acceptance`) })
    const seenAfter = Date.now() - acceptedAt
    expect(await accepted.innerText()).toContain(name)
    // And how to reach them: the operator's work phone (the demo seeds one each), a tap to call.
    const call = p.getByTestId('emergency-call').first()
    await call.waitFor({ timeout: 10_000 })
    expect(await call.innerText()).toContain(`Chiama ${name}`)
    expect(await call.getAttribute('href')).toMatch(/^tel:\+39347\d{7}$/)
    console.log(`emergency e2e: ${winner.name} won; the parent saw ${name} within ${seenAfter} ms of the acceptance (bound ${PARENT_SEES_MS} ms)`)
    await shot(p, '05-parent-accepted-360')

    // The loser is told, and the request leaves its inbox.
    await expect.poll(() => loser.page.getByTestId('refusal-notice').first().innerText(), { timeout: 10_000 }).toContain("Già presa da un'altra cooperativa")
    await expect.poll(() => loser.page.locator(`[data-request-id="${requestId}"]`).count(), { timeout: 10_000 }).toBe(0)
    await shot(loser.page, `06-${loser.name.toLowerCase()}-lost-race-360`)
    await expect.poll(() => winner.page.locator(`[data-testid="emergency-taken"][data-request-id="${requestId}"]`).count(), { timeout: 10_000 }).toBe(1)
    await shot(winner.page, `07-${winner.name.toLowerCase()}-won-360`)

    // 200 % text on the parent's status: nothing wider than the screen.
    await p.evaluate(() => { document.documentElement.style.fontSize = '200%' })
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await shot(p, '08-parent-accepted-200pct-360')
    expect([...parent.cspViolations, ...altana.cspViolations, ...koala.cspViolations]).toEqual([])
  })
})
