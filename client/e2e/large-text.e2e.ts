/**
 * Large text on a narrow phone (320 and 360 px at 200 % text): an activation code is seen whole while
 * typed (an operator's code is 18 characters: the field showed 9), a heading word breaks in the middle
 * only when no line could hold it even at the body's size (theme.css: headings at the body's size on
 * a screen narrow for its text) and no section heading outgrows the page's, and the provider's
 * new-session form fits the screen (its date input was 362 px in 320). Screenshots: client/e2e/screenshots/large-text-*.png.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { activateAndSync, phone, shot, useServerAndBrowser } from './harness.ts'
import { overflow, setMode, MODES } from './layout.ts'

const env = useServerAndBrowser()
const LARGE = MODES.filter((m) => m.fontPx === 32)

/**
 * Heading words split across two lines although, set in the heading's own font at the body's size,
 * the word fits the heading's width: a heading scale too large for the screen (a word wider than the
 * line even then, "Accompagnamento" in a wide font, may break: hyphenated where the browser can).
 */
const needlesslyBroken = (page: Page) => page.evaluate(() => {
  const out: string[] = []
  const probe = document.createElement('span')
  probe.style.cssText = 'white-space: nowrap; position: absolute; visibility: hidden; font-size: 1rem;'
  document.body.append(probe)
  for (const h of document.querySelectorAll<HTMLElement>('h1, h2, h3')) {
    if (h.offsetParent === null) continue
    const style = getComputedStyle(h)
    probe.style.fontFamily = style.fontFamily
    probe.style.fontWeight = style.fontWeight
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (const m of (n.textContent ?? '').matchAll(/[\p{L}\p{N}’'-]+/gu)) {
        const range = document.createRange()
        range.setStart(n, m.index)
        range.setEnd(n, m.index + m[0].length)
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)))
        if (lines.size < 2) continue
        probe.textContent = m[0]
        const atBody = probe.getBoundingClientRect().width
        if (atBody <= h.clientWidth) out.push(`${h.tagName} "${m[0]}": ${Math.round(atBody)} px at the body's size, ${h.clientWidth} px of line`)
      }
    }
  }
  probe.remove()
  // And the scale holds: no section heading larger than the page's own (a card's title sized by its component).
  const h1 = document.querySelector('h1')
  const top = h1 ? parseFloat(getComputedStyle(h1).fontSize) : Infinity
  for (const h of document.querySelectorAll<HTMLElement>('h2, h3')) {
    if (h.offsetParent !== null && parseFloat(getComputedStyle(h).fontSize) > top) out.push(`${h.tagName} "${h.textContent?.trim().slice(0, 30)}" larger than the h1`)
  }
  return out
})

describe('large text on a narrow phone', () => {
  it('shows a whole activation code while it is typed, and Enter activates', async () => {
    const { context, page } = await phone(env.browser, env.server.url)
    await page.goto('/activate')
    for (const mode of LARGE) {
      await setMode(context, page, mode)
      const field = page.getByTestId('activate-code')
      await field.fill('OPR-ABCD-EFGH-JKLM')
      const hidden = await field.evaluate((e) => ({ x: e.scrollWidth - e.clientWidth, y: e.scrollHeight - e.clientHeight }))
      expect(hidden, mode.name).toEqual({ x: 0, y: 0 })
      expect(await overflow(page, `activate ${mode.name}`)).toEqual([])
      await shot(page, `large-text-activate-${mode.name}`)
    }
    await page.getByTestId('activate-code').fill('FAM-0001')
    await page.getByTestId('activate-code').press('Enter')
    await page.waitForURL((u) => !u.pathname.startsWith('/activate'), { timeout: 15_000 })
    await context.close()
  })

  it('breaks a heading word only when no line could hold it', async () => {
    const { context, page } = await phone(env.browser, env.server.url)
    await activateAndSync(page, 'FAM-0001')
    const found: string[] = []
    for (const path of ['/home', '/plan/past', '/my-data', '/catalogue', '/privacy']) {
      await page.goto(path)
      await page.locator('h1').first().waitFor()
      await page.waitForLoadState('networkidle')
      for (const mode of LARGE) {
        await setMode(context, page, mode)
        found.push(...(await needlesslyBroken(page)).map((w) => `${path} ${mode.name}: ${w}`))
        found.push(...await overflow(page, `${path} ${mode.name}`))
      }
    }
    await setMode(context, page, LARGE[0]!)
    await page.goto('/my-data')
    await page.locator('h1').first().waitFor()
    await shot(page, 'large-text-my-data-320-200')
    expect(found).toEqual([])
    await context.close()
  })

  it('hyphenates wrapped text (not codes), keeps months lower case, and scrolls a Tab-focused control clear of the tab bar', async () => {
    const { context, page } = await phone(env.browser, env.server.url)
    await activateAndSync(page, 'FAM-0001')
    await page.goto('/home')
    await page.locator('h1').first().waitFor()
    await setMode(context, page, LARGE[0]!)
    // A word wider than the line ("Casalmaggiore") is hyphenated where the phone has Italian patterns; an input never.
    const hyphens = await page.evaluate(() => Object.fromEntries(['p', 'button', 'h2', 'input'].map((tag) => {
      const e = document.querySelector('main')!.appendChild(document.createElement(tag))
      const value = getComputedStyle(e).hyphens
      e.remove()
      return [tag, value]
    })))
    expect(hyphens).toEqual({ p: 'auto', button: 'auto', h2: 'auto', input: 'manual' })
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('it')

    // Tab through the home screen: no control it reaches is left under the fixed tab bar (2 rows at 200 % text).
    const hidden: string[] = []
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab')
      const under = await page.evaluate(() => {
        const e = document.activeElement as HTMLElement | null
        const nav = document.querySelector('nav.nav')
        if (!e || e === document.body || !nav || nav.contains(e)) return null
        const r = e.getBoundingClientRect()
        return r.bottom > nav.getBoundingClientRect().top + 1 ? `${e.tagName} "${e.innerText.trim().slice(0, 30)}" ends at ${Math.round(r.bottom)}, the bar starts at ${Math.round(nav.getBoundingClientRect().top)}` : null
      })
      if (under) hidden.push(under)
    }
    expect(hidden).toEqual([])

    // A full-width button's long word keeps its line at 320 px: "Richiedi la cancellazione" broke "cancellazione".
    await page.goto('/my-data')
    await page.getByTestId('erasure-ask').waitFor({ timeout: 15_000 })
    const cut = await page.getByTestId('erasure-ask').evaluate((e) => {
      const s = getComputedStyle(e)
      const room = e.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)
      const probe = document.body.appendChild(document.createElement('span'))
      probe.style.cssText = `font: ${s.font}; white-space: nowrap; position: absolute;`
      const wide = (e.textContent ?? '').trim().split(/\s+/).filter((w) => { probe.textContent = w; return probe.getBoundingClientRect().width > room + 1 })
      probe.remove()
      return wide
    })
    expect(cut).toEqual([])

    // The week's days: "Lunedì 23 novembre", not "Lunedì 23 Novembre" (text-transform: capitalize did that).
    await page.goto('/plan/week')
    await page.getByTestId('week-day').first().waitFor()
    const days = await page.locator('[data-testid="week-day"] h2').allInnerTexts()
    expect(days).toHaveLength(7)
    for (const d of days) expect(d).toMatch(/^\p{Lu}\p{Ll}+ \d{1,2} \p{Ll}+/u)
    await context.close()
  })

  it('fits the provider’s new-session form, its date input included', async () => {
    const { context, page } = await phone(env.browser, env.server.url)
    await activateAndSync(page, 'PRV-ARCHE')
    await page.goto('/my-sessions/new')
    await page.getByTestId('sf-date').waitFor()
    for (const mode of LARGE) {
      await setMode(context, page, mode)
      expect(await overflow(page, `new session ${mode.name}`)).toEqual([])
    }
    await shot(page, 'large-text-session-form-360-200')
    await context.close()
  })
})
