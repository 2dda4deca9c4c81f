/**
 * "This device was wiped" (issue 10): a device revoked by the family or the office wipes everything of
 * the family (sync/engine.ts `wipe`), then the activation screen says why. The mark lives in
 * localStorage, outside the database being wiped, and holds no personal data (only when): it is
 * written before the wipe starts, so a reload or a closed tab in the middle of it still finds it, and
 * it stays until the person has read the notice and dismissed it, or activates the device again.
 * A module of its own, without Dexie or Vue (the engine and the first screen both use it).
 */
export const WIPED_KEY = 'conciliapp.wiped'

const storage = (): Storage | undefined => {
  try {
    return globalThis.localStorage ?? undefined
  } catch {
    return undefined // storage blocked: the notice then lives only as long as the page
  }
}

export function rememberWiped(at: Date = new Date()): void {
  try {
    storage()?.setItem(WIPED_KEY, at.toISOString())
  } catch {
    // full or blocked storage: the wipe goes on all the same
  }
}

export const wasWiped = (): boolean => {
  try {
    return storage()?.getItem(WIPED_KEY) != null
  } catch {
    return false
  }
}

export function forgetWiped(): void {
  try {
    storage()?.removeItem(WIPED_KEY)
  } catch {
    // nothing to forget
  }
}
