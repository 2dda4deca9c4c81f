/**
 * The installed app (issue 10): the browser's install prompt where it supports one (Chromium's
 * `beforeinstallprompt`), offered by the app itself, dismissable and never nagging; and persistent
 * storage (`navigator.storage.persist()`), asked once, when the device first holds something the user
 * typed and has not sent (losing the outbox to storage pressure would lose it).
 *
 * Never nagging: the offer appears only on the family's home, only once the family has used the app
 * (a first sync done), never again once installed, and after "Non ora" not for 30 days; after the
 * second "Non ora", never. What was decided is kept in localStorage (this device's choice).
 */
import { ref, shallowRef } from 'vue'

/** Chromium's event (not in TypeScript's DOM types). */
export interface InstallPromptEvent extends Event {
  prompt(): Promise<void>
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>
}

const KEY = 'conciliapp.install'
const PERSIST_KEY = 'conciliapp.persist'
export const SNOOZE_DAYS = 30
const DAY_MS = 86_400_000

interface InstallChoice {
  dismissals: number
  /** ms since the epoch of the last "Non ora". */
  lastDismissedAt: number
  installed: boolean
}

function readChoice(storage: Storage | undefined): InstallChoice {
  try {
    const v = JSON.parse(storage?.getItem(KEY) ?? 'null') as Partial<InstallChoice> | null
    return { dismissals: Number(v?.dismissals ?? 0), lastDismissedAt: Number(v?.lastDismissedAt ?? 0), installed: v?.installed === true }
  } catch {
    return { dismissals: 0, lastDismissedAt: 0, installed: false }
  }
}
const writeChoice = (storage: Storage | undefined, c: InstallChoice) => storage?.setItem(KEY, JSON.stringify(c))

/** May the offer be shown now? (Pure: the decision the tests check.) */
export function mayOffer(choice: InstallChoice, nowMs: number): boolean {
  if (choice.installed || choice.dismissals >= 2) return false
  return choice.dismissals === 0 || nowMs - choice.lastDismissedAt >= SNOOZE_DAYS * DAY_MS
}

/** The deferred prompt, captured as early as possible (main.ts calls listenForInstall before mounting). */
export const installEvent = shallowRef<InstallPromptEvent | null>(null)
export const installed = ref(false)

export function listenForInstall(target: Window = window, storage: Storage | undefined = globalThis.localStorage): void {
  installed.value = readChoice(storage).installed || target.matchMedia?.('(display-mode: standalone)').matches === true
  target.addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault() // the app offers it at its own moment, not the browser's mini-bar
    installEvent.value = e as InstallPromptEvent
  })
  target.addEventListener('appinstalled', () => {
    installed.value = true
    installEvent.value = null
    writeChoice(storage, { ...readChoice(storage), installed: true })
  })
}

export function useInstall(storage: Storage | undefined = globalThis.localStorage, now: () => number = Date.now) {
  const choice = ref(readChoice(storage))
  const canOffer = () => installEvent.value !== null && !installed.value && mayOffer(choice.value, now())

  async function install(): Promise<'accepted' | 'dismissed' | 'unavailable'> {
    const e = installEvent.value
    if (!e) return 'unavailable'
    installEvent.value = null // a prompt can be shown once
    await e.prompt()
    const { outcome } = await e.userChoice
    if (outcome === 'accepted') {
      installed.value = true
      choice.value = { ...choice.value, installed: true }
      writeChoice(storage, choice.value)
      void askPersistence()
    } else dismiss()
    return outcome
  }

  function dismiss() {
    choice.value = { ...choice.value, dismissals: choice.value.dismissals + 1, lastDismissedAt: now() }
    writeChoice(storage, choice.value)
  }

  return { canOffer, install, dismiss, choice }
}

/**
 * Asks the browser to keep this origin's storage (IndexedDB: the outbox and the mirror) under storage
 * pressure; once per device (the answer is remembered: a browser that said no is not asked again
 * at every mutation). Chromium answers from its own signals (installed, engagement) without a prompt;
 * Firefox may ask the user, which is why this waits for a moment the user understands.
 */
export async function askPersistence(nav: Navigator | undefined = globalThis.navigator, storage: Storage | undefined = globalThis.localStorage): Promise<boolean | null> {
  if (!nav?.storage?.persist || storage?.getItem(PERSIST_KEY)) return null
  try {
    if (await nav.storage.persisted?.()) {
      storage?.setItem(PERSIST_KEY, 'granted')
      return true
    }
    const granted = await nav.storage.persist()
    storage?.setItem(PERSIST_KEY, granted ? 'granted' : 'denied')
    return granted
  } catch {
    return null
  }
}
