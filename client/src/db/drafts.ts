/**
 * Drafts a person typed and has not saved yet (a child's form, a message) live in localStorage under
 * this prefix, so a reload keeps them; wiping the device (sign-out, revocation) forgets them too.
 * A module of its own, without Dexie: the first screen's message thread uses the prefix (issue 10).
 */
export const DRAFT_PREFIX = 'conciliapp.draft.'
export function forgetDrafts(storage: Storage | undefined = globalThis.localStorage): void {
  if (!storage) return
  for (const key of Object.keys(storage)) if (key.startsWith(DRAFT_PREFIX)) storage.removeItem(key)
}
