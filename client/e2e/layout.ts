/**
 * What the accessibility end-to-end tests measure on a page: axe-core's WCAG 2 A/AA violations, and
 * whether anything is wider than the viewport, at a given width and text size. Text size is the
 * browser's own default font size (Chromium's setting, through the DevTools protocol): the app must
 * follow it, as it follows a phone's "large text".
 */
import { createRequire } from 'node:module'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserContext, CDPSession, Page } from 'playwright-core'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

interface Violation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

/** axe-core's WCAG 2.0/2.1 A and AA violations of `minImpact` or worse, as lines naming the screen. */
export async function audit(page: Page, screen: string, minImpact: 'minor' | 'serious' = 'minor'): Promise<string[]> {
  await page.evaluate(axeSource) // not addScriptTag: an inline <script> is (rightly) refused by the CSP
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: Violation[] }> } }).axe
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    return result.violations
  })
  return violations
    .filter((v) => minImpact === 'minor' || v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)
}

export interface Mode {
  name: string
  width: number
  /** Browser default font size in px (16 = 100 %, 32 = 200 %). */
  fontPx: number
}
export const MODES: Mode[] = [
  { name: '320', width: 320, fontPx: 16 },
  { name: '320-200', width: 320, fontPx: 32 },
  { name: '360', width: 360, fontPx: 16 },
  { name: '360-200', width: 360, fontPx: 32 },
]

const sessions = new WeakMap<Page, CDPSession>()

/** Puts the page in a mode: viewport width and the browser's default text size. */
export async function setMode(context: BrowserContext, page: Page, mode: Mode): Promise<void> {
  await page.setViewportSize({ width: mode.width, height: 760 })
  // One DevTools session per page, kept open: the font setting lasts only as long as its session.
  const cdp = sessions.get(page) ?? (await context.newCDPSession(page))
  sessions.set(page, cdp)
  await cdp.send('Page.setFontSizes' as never, { fontSizes: { standard: mode.fontPx, fixed: Math.round(mode.fontPx * 0.8125) } } as never)
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  const applied = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)
  if (applied !== `${mode.fontPx}px`) throw new Error(`text size ${applied}, expected ${mode.fontPx}px`)
}

/**
 * Horizontal overflow: empty when nothing is wider than the viewport; otherwise the page's width and
 * the elements whose removal makes it fit (the culprits, innermost last).
 */
export async function overflow(page: Page, screen: string): Promise<string[]> {
  return page.evaluate((screen) => {
    const root = document.documentElement
    const width = root.clientWidth
    if (root.scrollWidth <= width) return []
    const culprits: string[] = []
    for (const e of document.querySelectorAll<HTMLElement>('body *')) {
      const before = e.style.display
      e.style.display = 'none'
      if (root.scrollWidth <= width) culprits.push(`${e.tagName.toLowerCase()}.${[...e.classList].join('.')} "${(e.textContent ?? '').trim().slice(0, 30)}"`)
      e.style.display = before
    }
    return [`${screen}: ${root.scrollWidth} px wide in ${width} px; ${culprits.slice(-3).join(' | ')}`]
  }, screen)
}

/** Touch targets lower than 44 px (buttons, fields, tabs, the navigation; links inside text are exempt). */
export async function smallTargets(page: Page, screen: string): Promise<string[]> {
  return page.evaluate((screen) => {
    const targets = document.querySelectorAll<HTMLElement>('button, select, input, textarea, summary, .btn, nav a, [role="tab"], .link-card, .back')
    return [...targets]
      .filter((e) => e.offsetParent !== null && !e.closest('.sr-only, .skip'))
      .filter((e) => e.getBoundingClientRect().height < 43.5)
      // A checkbox or radio inside its label: the label is what a finger presses (and is measured instead).
      .filter((e) => !(e instanceof HTMLInputElement && (e.type === 'checkbox' || e.type === 'radio') && (e.closest('label')?.getBoundingClientRect().height ?? 0) >= 43.5))
      .map((e) => `${screen}: ${e.tagName.toLowerCase()}.${[...e.classList].join('.')} "${(e.textContent ?? '').trim().slice(0, 25)}" is ${Math.round(e.getBoundingClientRect().height)} px tall`)
  }, screen)
}

export const SHOTS_DIR = process.env.PARENT_SHOTS ?? join(process.cwd(), 'client/e2e/screenshots/parent')

/**
 * A screenshot of the top of the page (up to 2,400 px), named by state and mode, into `dir`; with
 * `from` (a CSS selector), of the 2,400 px starting just above that element instead (at 200 % text
 * what a state is about can sit below the first 2,400 px). Taken through the page's DevTools session:
 * Playwright's own screenshot resets the text size to the default.
 */
export async function shotOf(page: Page, state: string, mode: Mode, dir: string = SHOTS_DIR, from?: string): Promise<void> {
  const cdp = sessions.get(page)
  if (!cdp) throw new Error('shotOf before setMode')
  const fonts = { fontSizes: { standard: mode.fontPx, fixed: Math.round(mode.fontPx * 0.8125) } }
  if (from) {
    // The whole page laid out before measuring: cards off screen (content-visibility: auto) count as 9rem
    // until painted, and painting them when the viewport grows moved the element out of the capture.
    const whole = await page.evaluate(() => document.documentElement.scrollHeight)
    await page.setViewportSize({ width: mode.width, height: Math.min(whole, 16_000) })
    await cdp.send('Page.setFontSizes' as never, fonts as never)
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  }
  const top = from
    ? await page.evaluate((sel) => {
      const e = document.querySelector(sel)
      return e ? Math.max(0, Math.floor(e.getBoundingClientRect().top + window.scrollY - 16)) : 0
    }, from)
    : 0
  // A viewport as tall as the part captured (a full-page capture resets the text size too), then back.
  const total = await page.evaluate(() => document.documentElement.scrollHeight)
  const height = Math.max(1, Math.min(total - top, 2400))
  await page.setViewportSize({ width: mode.width, height: top + height })
  await cdp.send('Page.setFontSizes' as never, fonts as never)
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
  const clip = { x: 0, y: top, width: mode.width, height, scale: 1 }
  const { data } = (await cdp.send('Page.captureScreenshot' as never, { format: 'png', ...(from ? { clip } : {}) } as never)) as { data: string }
  writeFileSync(join(dir, `${state}-${mode.name}.png`), Buffer.from(data, 'base64'))
  await setMode(page.context(), page, mode)
}
