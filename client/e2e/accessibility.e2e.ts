/**
 * Accessibility: axe-core (WCAG 2 A/AA rules) on every main screen of the three roles, on a phone
 * viewport, against the real app and server. Serious and critical violations fail the test.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { audit } from './axe.ts'
import { phone, useServerAndBrowser } from './harness.ts'

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
    problems.push(...(await visit(parent.page, '/apply', 'sync-indicator')))
    problems.push(...(await visit(parent.page, '/emergency', 'emergency-form')))
    problems.push(...(await visit(parent.page, '/privacy', 'legal-privacy')))
    problems.push(...(await visit(parent.page, '/accessibility', 'legal-accessibility')))

    const provider = await signIn('PRV-ALTANA')
    problems.push(...(await visit(provider.page, '/inbox', 'sync-indicator')))
    const officer = await signIn('OFFICER-1')
    problems.push(...(await visit(officer.page, '/office', 'sync-indicator')))
    problems.push(...(await visit(officer.page, '/office/calls', 'call-form')))

    expect(problems).toEqual([])
    expect([...parent.cspViolations, ...provider.cspViolations, ...officer.cspViolations]).toEqual([])
  })
})
