import { beforeEach, describe, expect, it, vi } from 'vitest'
import { askPersistence, installEvent, installed, listenForInstall, mayOffer, SNOOZE_DAYS, useInstall, type InstallPromptEvent } from './install.ts'

const DAY = 86_400_000

function fakePrompt(outcome: 'accepted' | 'dismissed'): InstallPromptEvent {
  const e = new Event('beforeinstallprompt', { cancelable: true }) as InstallPromptEvent
  Object.assign(e, { prompt: vi.fn(async () => undefined), userChoice: Promise.resolve({ outcome }) })
  return e
}

describe('the install prompt', () => {
  beforeEach(() => {
    localStorage.clear()
    installEvent.value = null
    installed.value = false
  })

  it('never nags: after "Not now" it waits 30 days, after a second never again; never once installed', () => {
    const fresh = { dismissals: 0, lastDismissedAt: 0, installed: false }
    expect(mayOffer(fresh, 1000)).toBe(true)
    expect(mayOffer({ ...fresh, dismissals: 1, lastDismissedAt: 0 }, (SNOOZE_DAYS - 1) * DAY)).toBe(false)
    expect(mayOffer({ ...fresh, dismissals: 1, lastDismissedAt: 0 }, SNOOZE_DAYS * DAY)).toBe(true)
    expect(mayOffer({ ...fresh, dismissals: 2, lastDismissedAt: 0 }, 1000 * DAY)).toBe(false)
    expect(mayOffer({ ...fresh, installed: true }, 1000)).toBe(false)
  })

  it('captures the browser’s prompt, shows it when asked, and remembers the answer on this device', async () => {
    const target = new EventTarget() as unknown as Window
    Object.assign(target, { matchMedia: () => ({ matches: false }) })
    listenForInstall(target, localStorage)
    const e = fakePrompt('dismissed')
    target.dispatchEvent(e)
    expect(e.defaultPrevented).toBe(true) // the app offers it at its own moment
    let now = 10 * DAY
    const install = useInstall(localStorage, () => now)
    expect(install.canOffer()).toBe(true)
    expect(await install.install()).toBe('dismissed')
    expect(e.prompt).toHaveBeenCalledOnce()
    expect(install.canOffer()).toBe(false) // a prompt is shown once; and it was declined
    target.dispatchEvent(fakePrompt('accepted'))
    expect(useInstall(localStorage, () => now).canOffer()).toBe(false) // snoozed
    now += SNOOZE_DAYS * DAY
    const later = useInstall(localStorage, () => now)
    expect(later.canOffer()).toBe(true)
    expect(await later.install()).toBe('accepted')
    expect(installed.value).toBe(true)
    expect(JSON.parse(localStorage.getItem('conciliapp.install')!)).toMatchObject({ installed: true, dismissals: 1 })
  })
})

describe('persistent storage', () => {
  beforeEach(() => localStorage.clear())

  it('is asked once per device, and the answer remembered', async () => {
    const persist = vi.fn(async () => true)
    const nav = { storage: { persist, persisted: async () => false } } as unknown as Navigator
    expect(await askPersistence(nav, localStorage)).toBe(true)
    expect(await askPersistence(nav, localStorage)).toBeNull()
    expect(persist).toHaveBeenCalledOnce()
    expect(localStorage.getItem('conciliapp.persist')).toBe('granted')
  })
  it('does nothing where the browser has no storage manager', async () => {
    expect(await askPersistence({} as Navigator, localStorage)).toBeNull()
  })
})
