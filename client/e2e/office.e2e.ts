/**
 * The program office on a desktop, against the real server in demo mode (with its two months of
 * delivered bookings): a statement prepared on screen matches the server's to the cent and downloads
 * as a spreadsheet; the preparer is told that another officer must approve, and a second officer
 * (OFFICER-2) approves it and records its payment on screen, to the cent; monitoring shows its
 * charts, whose library is fetched by the monitoring screen only. axe-core audits both screens.
 * Screenshots: client/e2e/screenshots/office-statement.png, office-monitoring.png.
 */
import { createRequire } from 'node:module'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { formatMoney } from '../src/i18n/format.ts'
import { activate } from './api.ts'
import { phone, shot, useServerAndBrowser } from './harness.ts'
import { overflow, setMode, shotOf, smallTargets } from './layout.ts'

const env = useServerAndBrowser()
/** The activity log's screenshots, to look at (not kept in the repository). */
const AUDIT_SHOTS = process.env.AUDIT_SHOTS ?? '/tmp/audit-shots'
mkdirSync(AUDIT_SHOTS, { recursive: true })
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

async function serious(page: Page): Promise<string[]> {
  await page.evaluate(axeSource)
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null }[] }> } }).axe
    return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })).violations
  })
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)
}

const romeDay = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date(Date.now() + offsetDays * 86_400_000))

describe('the program office on a desktop', () => {
  it('prepares a statement matching the server to the cent, exports it, has it approved and paid by a second officer, and shows monitoring charts', async () => {
    const { server, browser } = env
    const token = await activate(server.url, 'OFFICER-1')
    const from = romeDay(-70)
    const to = romeDay(-1)
    // The provider with the most deliveries in the demo's past, as the API tells.
    const mon = (await (await fetch(`${server.url}/api/office/monitoring?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      providers: { providerId: string; delivered: number }[]
    }
    const busiest = [...mon.providers].sort((a, b) => b.delivered - a.delivered)[0]
    expect(busiest).toBeDefined()

    const { page, cspViolations } = await phone(browser, server.url)
    await page.setViewportSize({ width: 1280, height: 900 })
    const chartRequests: string[] = []
    page.on('request', (r) => void (/\/assets\/charts-/.test(r.url()) && chartRequests.push(r.url())))
    await page.goto('/activate')
    await page.getByTestId('activate-code').fill('OFFICER-1')
    await page.getByTestId('activate-submit').click()
    await expect.poll(() => page.getByTestId('sync-indicator').getAttribute('data-state'), { timeout: 15_000 }).toBe('synced')

    await page.getByTestId('nav-statements').click()
    await page.getByTestId('statements-provider').selectOption(busiest!.providerId)
    await page.fill('#stm-from', from)
    await page.fill('#stm-to', to)
    await page.getByTestId('statements-prepare').click()
    await page.getByTestId('statement-detail').waitFor({ timeout: 15_000 })
    const list = (await (await fetch(`${server.url}/api/office/statements?providerId=${busiest!.providerId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      statements: { id: string; totalCents: number; rowCount: number }[]
    }
    const stated = list.statements[0]!
    expect(stated.rowCount).toBeGreaterThan(0)
    expect(await page.getByTestId('statement-total').textContent()).toBe(formatMoney(stated.totalCents, 'it'))
    expect(chartRequests).toEqual([]) // not on the statements screen

    const download = page.waitForEvent('download')
    await page.getByTestId('statement-xlsx').click()
    expect((await download).suggestedFilename()).toMatch(/^rendiconto_.+\.xlsx$/)
    await page.getByTestId('statement-approve').click()
    await expect.poll(() => page.getByTestId('statements-error').textContent()).toContain('un altro funzionario')
    await shot(page, 'office-statement')
    const problems = await serious(page)

    // A second officer opens it, approves it and records the bank transfer: paid, and its bookings liquidated.
    const second = await phone(browser, server.url)
    await second.page.setViewportSize({ width: 1280, height: 900 })
    await second.page.goto('/activate')
    await second.page.getByTestId('activate-code').fill('OFFICER-2')
    await second.page.getByTestId('activate-submit').click()
    await expect.poll(() => second.page.getByTestId('sync-indicator').getAttribute('data-state'), { timeout: 15_000 }).toBe('synced')
    await second.page.getByTestId('nav-statements').click()
    await second.page.getByTestId('statements-open').first().click() // newest first: the one just prepared
    await expect.poll(() => second.page.getByTestId('statement-total').textContent(), { timeout: 15_000 }).toBe(formatMoney(stated.totalCents, 'it'))
    await second.page.getByTestId('statement-approve').click()
    await expect.poll(() => second.page.getByTestId('statement-status').textContent(), { timeout: 15_000 }).toBe('Approvato')
    await second.page.fill('#stm-paid-at', to)
    await second.page.getByTestId('statement-reference').fill('CRO 0001234')
    await second.page.getByTestId('statement-pay').click()
    await expect.poll(() => second.page.getByTestId('statement-status').textContent(), { timeout: 15_000 }).toBe('Pagato')
    const paid = (await (await fetch(`${server.url}/api/office/statements/${stated.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      status: string; reference: string; approvedBy: string; preparedBy: string; totalCents: number; rows: { voucherCents: number }[]
    }
    expect(paid).toMatchObject({ status: 'paid', reference: 'CRO 0001234', totalCents: stated.totalCents })
    expect(paid.approvedBy).not.toBe(paid.preparedBy)
    expect(paid.rows.reduce((a, r) => a + r.voucherCents, 0)).toBe(paid.totalCents)
    problems.push(...(await serious(second.page)))

    // The statement's own activity log (its "Registro" link: the log filtered by it, in the URL): the
    // payment in words, newest first after the approval and the preparation (by another officer).
    await second.page.getByTestId('statement-audit').click()
    await second.page.getByTestId('audit-table').waitFor({ timeout: 15_000 })
    expect(new URL(second.page.url()).searchParams.get('entityId')).toBe(stated.id)
    expect(await second.page.getByTestId('audit-entry').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action'))))
      .toEqual(['statement.pay', 'statement.approve', 'statement.prepare'])
    const payEntry = second.page.getByTestId('audit-entry').first()
    expect(await payEntry.getByTestId('audit-action').textContent()).toBe('Rendiconto pagato')
    expect(await payEntry.getByTestId('audit-details').textContent()).toContain('Riferimento del bonifico: CRO 0001234')
    expect(await payEntry.getByTestId('audit-object').textContent()).toContain(stated.id)
    expect(await second.page.getByTestId('audit-count').textContent()).toBe('3 voci mostrate')
    problems.push(...(await serious(second.page)))
    await second.page.screenshot({ path: join(AUDIT_SHOTS, 'audit-statement-1280.png'), fullPage: true })
    await shot(second.page, 'office-audit')
    // The same at 360 px and 200 % text: each entry stacked, nothing wider than the page, 44 px targets.
    await setMode(second.context, second.page, { name: '360-200', width: 360, fontPx: 32 })
    expect(await overflow(second.page, 'audit 360-200')).toEqual([])
    expect(await smallTargets(second.page, 'audit 360-200')).toEqual([])
    await shotOf(second.page, 'audit-statement', { name: '360-200', width: 360, fontPx: 32 }, AUDIT_SHOTS, '[data-testid="audit-count"]')
    // From the menu: the whole log (the filter gone from the URL).
    await setMode(second.context, second.page, { name: '1280', width: 1280, fontPx: 16 })
    await second.page.getByTestId('menu-toggle').click()
    await second.page.getByTestId('menu-audit').click()
    await expect.poll(() => new URL(second.page.url()).search).toBe('')
    await expect.poll(() => second.page.locator('[data-testid="audit-table"] caption').textContent(), { timeout: 15_000 }).toBe('Registro attività, dalle voci più recenti')
    expect(await second.page.getByTestId('audit-entity').inputValue()).toBe('')
    expect(await second.page.getByTestId('audit-entry').count()).toBeGreaterThanOrEqual(3) // the demo's own rows were seeded, not logged
    expect(second.cspViolations).toEqual([])
    await second.context.close()

    await page.getByTestId('nav-monitoring').click()
    await page.getByTestId('monitoring-figures').waitFor({ timeout: 15_000 })
    await page.getByTestId('chart-services').waitFor({ timeout: 15_000 })
    expect(chartRequests.length).toBeGreaterThan(0)
    await page.waitForTimeout(300)
    await shot(page, 'office-monitoring')
    problems.push(...(await serious(page)))
    expect(problems).toEqual([])
    expect(cspViolations).toEqual([])
  })
})
