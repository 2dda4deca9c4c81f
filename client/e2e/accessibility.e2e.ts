/**
 * Accessibility: axe-core (WCAG 2 A/AA rules) on every main screen of the three roles, on a phone
 * viewport, against the real app and server. Serious and critical violations fail the test.
 */
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { phone, useServerAndBrowser } from './harness.ts'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

interface Violation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

async function audit(page: Page, screen: string): Promise<string[]> {
  await page.evaluate(axeSource) // not addScriptTag: an inline <script> is (rightly) refused by the CSP
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: Violation[] }> } }).axe
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    return result.violations
  })
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)
}

const env = useServerAndBrowser()

async function signIn(code: string) {
  const { page, cspViolations } = await phone(env.browser, env.server.url)
  await page.goto('/activate')
  const problems = await audit(page, '/activate')
  await page.getByTestId('activate-code').fill(code)
  await page.getByTestId('activate-submit').click()
  await expect.poll(() => page.getByTestId('sync-indicator').getAttribute('data-state'), { timeout: 15_000 }).toBe('synced')
  return { page, problems, cspViolations }
}

async function visit(page: Page, path: string, ready: string): Promise<string[]> {
  await page.goto(path)
  await page.getByTestId(ready).first().waitFor({ timeout: 15_000 })
  return audit(page, path)
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
    problems.push(...(await visit(parent.page, '/emergency', 'emergency-form')))
    problems.push(...(await visit(parent.page, '/privacy', 'legal-privacy')))
    problems.push(...(await visit(parent.page, '/accessibility', 'legal-accessibility')))

    const provider = await signIn('PRV-ALTANA')
    problems.push(...(await visit(provider.page, '/inbox', 'sync-indicator')))
    const officer = await signIn('OFFICER-1')
    problems.push(...(await visit(officer.page, '/office', 'sync-indicator')))

    expect(problems).toEqual([])
    expect([...parent.cspViolations, ...provider.cspViolations, ...officer.cspViolations]).toEqual([])
  })
})
