/**
 * Keyboard only (issue 10): a parent books a session and cancels it without a pointer, in Chromium
 * on the real app and server. Tab reaches every control with a visible focus ring of ≥ 3:1 contrast;
 * the cancel dialog keeps focus inside it (Tab and Shift+Tab cycle) and gives it back to the button
 * that opened it when Escape closes it; the menu closes on Escape (focus back on its button) and on a
 * click outside it.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { activate, bookableFor, pullAll } from './api.ts'
import { activateAndSync, phone, SCREENSHOTS, useServerAndBrowser } from './harness.ts'

const env = useServerAndBrowser()

/** Presses Tab until the focused element matches `selector` (at most `max` times). */
async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
  }
  throw new Error(`Tab never reached ${selector}`)
}

const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null)

/** WCAG relative luminance contrast of two rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((x) => Number(x) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0)
  }
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x)
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05)
}

describe('keyboard only', () => {
  it('books and cancels a session with the keyboard; dialogs and the menu keep and give back focus', async () => {
    const { server, browser } = env
    const fam = await activate(server.url, 'FAM-0001')
    const snap = await pullAll(server.url, fam)
    // A session only the second child (8) may attend, not the first (2): the sheet must open on the second.
    const [other, child] = [...snap.children].sort((a, b) => a.id.localeCompare(b.id))
    const theirs = new Set(bookableFor(snap, other!.id).map((s) => s.id))
    const session = bookableFor(snap, child!.id).find((s) => s.placesLeft > 0 && s.unitPriceCents <= 5000 && !theirs.has(s.id))!

    const { page } = await phone(browser, server.url)
    await activateAndSync(page, 'FAM-0001')

    // The focus ring: a 3 px outline, ≥ 3:1 against the page behind it.
    await page.goto(`/sessions/${session.id}`)
    await page.getByTestId('book-child').waitFor()
    await tabTo(page, '[data-testid="book-child"]')
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement as Element)
      return { width: Number.parseFloat(s.outlineWidth), color: s.outlineColor, style: s.outlineStyle }
    })
    expect(ring.style).toBe('solid')
    expect(ring.width).toBeGreaterThanOrEqual(3)
    for (const behind of ['rgb(255, 255, 255)', 'rgb(244, 246, 245)']) expect(contrast(ring.color, behind)).toBeGreaterThanOrEqual(3)

    // Book by keyboard: the sheet opens on a child of eligible age; the quantity, then Enter on the button.
    expect(await page.getByTestId('book-child').inputValue()).toBe(child!.id)
    await tabTo(page, '[data-testid="book-quantity"]')
    await page.keyboard.press('Control+A')
    await page.keyboard.type('1')
    await tabTo(page, '[data-testid="book-submit"]')
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/plan/)
    const card = page.locator('[data-testid="plan-item"][data-state="requested"]')
    await expect.poll(() => card.count(), { timeout: 20_000 }).toBe(1)

    // Cancel by keyboard: the dialog traps focus and gives it back.
    await tabTo(page, '[data-testid="plan-cancel"]')
    await page.keyboard.press('Enter')
    await page.getByTestId('cancel-dialog').waitFor()
    const inDialog = () => page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'))
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab')
      expect(await inDialog(), `Tab ${i + 1} stays in the dialog`).toBe(true)
    }
    await page.keyboard.press('Shift+Tab')
    expect(await inDialog()).toBe(true)
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('cancel-dialog').count()).toBe(0)
    expect(await focusedTestId(page)).toBe('plan-cancel') // back on the button that opened it
    await page.keyboard.press('Enter')
    await page.getByTestId('cancel-dialog').waitFor()
    await tabTo(page, '[data-testid="confirm-accept"]')
    await page.keyboard.press('Enter')
    try {
      await expect.poll(() => page.locator('[data-testid="plan-item"][data-state="cancelled"]').count(), { timeout: 20_000 }).toBe(1)
    } catch (e) {
      // Failed about 1 run in 10 (stop 17): the dialog's focus trap, started after tabTo reached "confirm", put the focus
      // back on "Keep" and Enter kept the booking (UiDialog.test.ts; fixed in UiDialog). Say what the screen held.
      const cards = await page.evaluate(() => [...document.querySelectorAll('[data-testid="plan-item"]')]
        .map((el) => [el.getAttribute('data-state'), (el as HTMLElement).innerText.slice(0, 300)]))
      console.log('keyboard cancel: cards', JSON.stringify(cards), 'focus', await focusedTestId(page),
        'dialogs', await page.locator('[role="dialog"]').count(), 'url', page.url())
      await page.screenshot({ path: join(SCREENSHOTS, 'keyboard-cancel-failed.png'), fullPage: true })
      throw e
    }

    // The menu: Escape closes it and focus returns to its button; a click outside closes it too.
    await page.getByTestId('menu-toggle').focus()
    await page.keyboard.press('Enter')
    await page.getByTestId('menu-panel').waitFor()
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('menu-panel').count()).toBe(0)
    expect(await focusedTestId(page)).toBe('menu-toggle')
    await page.keyboard.press('Enter')
    await page.getByTestId('menu-panel').waitFor()
    await page.mouse.click(20, 400)
    await expect.poll(() => page.getByTestId('menu-panel').count()).toBe(0)
  })
})
