/**
 * One screen's draft (a child's form, an urgent request) read and kept under DRAFT_PREFIX. Beside
 * drafts.ts rather than in it: drafts.ts is on the first screen (the message thread's prefix), and
 * these are needed only by screens loaded on demand.
 */
import { DRAFT_PREFIX } from './drafts.ts'

/** The draft kept under `name`, or null: none, unreadable, or not of the shape `valid` expects (an older app's). */
export function readDraft<T>(name: string, valid: (v: unknown) => v is T): T | null {
  try {
    const v: unknown = JSON.parse(globalThis.localStorage?.getItem(DRAFT_PREFIX + name) ?? 'null')
    return valid(v) ? v : null
  } catch {
    return null
  }
}

/** Keep `value` as the draft `name`; null forgets it (nothing typed differs from what is stored, or it was sent). */
export function keepDraft(name: string, value: unknown): void {
  if (value === null) localStorage.removeItem(DRAFT_PREFIX + name)
  else localStorage.setItem(DRAFT_PREFIX + name, JSON.stringify(value))
}
