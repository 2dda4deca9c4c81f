/**
 * After an action whose button goes away with it (a cancelled booking, a confirmed order, a request
 * sent), the focus would fall to the page's top: a keyboard or screen reader user starts over. This
 * gives it to what the action changed (a card's title, `tabindex="-1"`) once it shows, and again if
 * that goes in turn (a request shown as not sent, then refused by the server): it watches the page
 * for 4 s (the change arrives from the local database, then from the server), and acts only while
 * the focus is lost (someone who moved on is left where they are).
 */
import { onBeforeUnmount } from 'vue'

let latest = 0

/** `left`: the screen that asked is gone (its component unmounted): the next page keeps its focus. */
export async function refocus(selector: string, left: () => boolean, ms = 4000): Promise<void> {
  // The latest action's watch only: an order confirmed, then another declined, focus the second.
  const mine = ++latest
  for (let i = 0; i < ms / 50; i++) {
    // Waits first: a dialog the action closed gives its focus back (or loses it) in Vue's next flush.
    await new Promise((r) => setTimeout(r, 50))
    if (mine !== latest || left()) return
    const here = document.activeElement
    // Lost: on the page itself, or on a control now disabled (Chromium drops it there too).
    if (here && here !== document.body && !here.matches(':disabled')) continue
    document.querySelector<HTMLElement>(selector)?.focus()
  }
}

/**
 * `refocus` for a screen, called in its setup: it stops once the screen is left (the next page keeps
 * its focus). PlanView loads this module on demand instead (first screen) and keeps its own flag.
 */
export function useRefocus(): (selector: string) => void {
  let left = false
  onBeforeUnmount(() => (left = true))
  return (selector) => void refocus(selector, () => left)
}
