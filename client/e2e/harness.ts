/**
 * Starts the real server (demo mode, fresh embedded database in a temp dir, serving dist/) on a free
 * port, and launches Debian's Chromium through playwright-core. Screenshots go to client/e2e/screenshots/.
 */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect } from 'vitest'
import { startServer as startServerProcess } from '../../sync-server/test/processes.ts'

export const SCREENSHOTS = join(process.cwd(), 'client/e2e/screenshots')

export interface RunningServer {
  url: string
  stop(): Promise<void>
}

/** `env`: more of the server's environment (e.g. STATIC_DIR for a copy of the app to release anew). */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'conciliapp-e2e-'))
  const server = await startServerProcess({ DATA_DIR: dataDir, DEMO_FAMILIES: '3', ...env })
  return {
    url: server.url,
    async stop() {
      await server.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** The suite's server and browser: started before its tests, stopped after them. */
export function useServerAndBrowser(serverEnv: Record<string, string> = {}): { readonly server: RunningServer; readonly browser: Browser } {
  const env = {} as { server: RunningServer; browser: Browser }
  beforeAll(async () => {
    env.server = await startServer(serverEnv)
    env.browser = await launchBrowser()
  })
  afterAll(async () => {
    await env.browser?.close()
    await env.server?.stop()
  })
  return env
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  })
}

/**
 * A phone-sized context (Pixel-like) with service workers allowed. `cspViolations` collects what
 * the browser refused under the server's Content-Security-Policy, `tokenUrls` any request that put a
 * token in its URL: tests expect both to stay empty. `pokeStatuses`: the poke streams' answers.
 */
export async function phone(browser: Browser, baseURL: string): Promise<{
  context: BrowserContext; page: Page; cspViolations: string[]; tokenUrls: string[]; pokeStatuses: number[]
}> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'it-IT',
    timezoneId: 'Europe/Rome',
    serviceWorkers: 'allow',
  })
  const page = await context.newPage()
  const cspViolations: string[] = []
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text())
  })
  const tokenUrls: string[] = []
  const pokeStatuses: number[] = []
  context.on('request', (r) => {
    if (/[?&]token=/i.test(r.url())) tokenUrls.push(r.url())
  })
  context.on('response', (r) => {
    if (new URL(r.url()).pathname === '/api/sync/poke') pokeStatuses.push(r.status())
  })
  return { context, page, cspViolations, tokenUrls, pokeStatuses }
}

export const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })

/** Activates the app in this page with a code, as a user types it. */
export async function activateIn(page: Page, code: string): Promise<void> {
  await page.goto('/activate')
  await page.getByTestId('activate-code').fill(code)
  await page.getByTestId('activate-submit').click()
}

/** Activates, then waits until the first download is done (the sync strip says "synced"). */
export async function activateAndSync(page: Page, code: string): Promise<void> {
  await activateIn(page, code)
  await expect.poll(() => page.getByTestId('sync-indicator').getAttribute('data-state'), { timeout: 15_000 }).toBe('synced')
}

/** On a coordinator's page: issues an operator's own code on the Operatori screen (shown once) and answers it. */
export async function issueOperatorCode(page: Page, operatorId: string): Promise<string> {
  await page.getByTestId('nav-operators').click()
  const operator = page.locator(`[data-testid="operator"][data-operator-id="${operatorId}"]`)
  await operator.waitFor({ timeout: 15_000 })
  await operator.getByTestId('operator-issue').click()
  const code = (await page.getByTestId('operator-code-value').innerText()).trim()
  expect(code).toMatch(/^OPR-\w{4}-\w{4}-\w{4}$/)
  return code
}
