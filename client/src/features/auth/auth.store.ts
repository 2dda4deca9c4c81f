/** Who is using this device (role, family or provider) and the activate / sign-out flows. */
import { defineStore } from 'pinia'
import { computed } from 'vue'
import type { Actor } from '../../../../shared/actor.ts'
import { database } from '../../db/lazy.ts'
import { readMetaRaw } from '../../db/raw.ts'
import { forgetWiped } from '../../db/wiped.ts'
import { SyncHttpError } from '../../sync/http.ts'
import { liveRef } from '../../view/live-query.ts'
import { useSyncStore } from '../sync/sync.store.ts'
import { activateCode, deviceName, revokeToken } from './auth.api.ts'
import { clearAll, forgetLogout, pendingLogouts, readAuthState, rememberLogout, sameActor, saveActivation } from './auth.repo.ts'

export type ActivateOutcome =
  | { ok: true; resumed: boolean }
  | { ok: false; reason: 'offline' | 'bad-code' | 'unavailable' | 'version-skew' | 'invalid' }
  | { ok: false; reason: 'pending-other-account'; pending: number }

/** The stored activation, read without Dexie (null: no database yet, or the read failed). */
const readAuthRaw = () =>
  readMetaRaw(['auth', 'authRevoked']).then((m) => (m ? { auth: m.auth ?? null, revoked: m.authRevoked ?? false } : null))

const fetchFn = (input: string, init?: RequestInit) => fetch(input, init)

export const useAuthStore = defineStore('auth', () => {
  // Read with IndexedDB itself on a cold start (Dexie loads after the first screen: db/lazy.ts).
  const live = liveRef(readAuthState, { auth: null, revoked: false }, readAuthRaw)
  const loaded = live.loaded
  const auth = computed(() => live.value.value.auth)
  const revoked = computed(() => live.value.value.revoked)
  const role = computed(() => auth.value?.role ?? null)
  const actor = computed<Actor | null>(() =>
    auth.value
      ? {
          role: auth.value.role, programId: auth.value.programId, familyId: auth.value.familyId, providerId: auth.value.providerId,
          ...(auth.value.operatorId ? { operatorId: auth.value.operatorId } : {}),
        }
      : null,
  )

  /** Resolves once the stored activation has been read (the router waits for it). */
  function ready(): Promise<void> {
    if (loaded.value) return Promise.resolve()
    return readAuthRaw()
      .then((s) => s ?? database().then(readAuthState))
      .then((s) => {
        if (!loaded.value) live.value.value = s
      })
  }

  async function activate(code: string, opts: { force?: boolean } = {}): Promise<ActivateOutcome> {
    if (typeof navigator !== 'undefined' && navigator.onLine === false) return { ok: false, reason: 'offline' }
    let res
    try {
      res = await activateCode((input, init) => fetch(input, init), code.trim().toUpperCase(), deviceName())
    } catch (e) {
      if (!(e instanceof SyncHttpError)) throw e
      if (e.kind === 'network') return { ok: false, reason: 'offline' }
      if (e.kind === 'version-skew') return { ok: false, reason: 'version-skew' }
      if (e.kind === 'server') return { ok: false, reason: 'unavailable' }
      if (e.code === 'validation') return { ok: false, reason: 'invalid' }
      return { ok: false, reason: 'bad-code' }
    }
    const previous = auth.value
    const db = await database()
    const pending = await db.outbox.count()
    if (!opts.force && pending > 0 && previous && !sameActor(previous, res)) {
      return { ok: false, reason: 'pending-other-account', pending }
    }
    const how = await saveActivation(db, res)
    forgetWiped() // activated again: the wipe's notice has done its work
    live.value.value = { auth: res, revoked: false }
    void useSyncStore().activated()
    return { ok: true, resumed: how === 'resumed' }
  }

  /** Sign out; refuses (returning the count) while mutations wait in the outbox, unless forced. */
  async function signOut(opts: { force?: boolean } = {}): Promise<{ ok: true } | { ok: false; pending: number }> {
    const db = await database()
    const pending = await db.outbox.count()
    if (pending > 0 && !opts.force) return { ok: false, pending }
    useSyncStore().stop()
    // Offline, the token is kept aside and revoked at the next connection (a lost phone's sign-out counts).
    if (auth.value && !revoked.value && (await revokeToken(fetchFn, auth.value.token)) === 'retry') rememberLogout(auth.value.token)
    await clearAll(db)
    live.value.value = { auth: null, revoked: false }
    return { ok: true }
  }

  /** Revokes the tokens signed out while offline; run at start and whenever the browser is back online. */
  let retrying: Promise<void> | null = null
  function retryLogouts(): Promise<void> {
    retrying ??= (async () => {
      for (const token of pendingLogouts()) if ((await revokeToken(fetchFn, token)) === 'done') forgetLogout(token)
    })().finally(() => (retrying = null))
    return retrying
  }
  if (typeof window !== 'undefined') {
    window.addEventListener('online', () => void retryLogouts())
    if (pendingLogouts().length) void retryLogouts()
  }

  return { loaded, auth, revoked, role, actor, ready, activate, signOut, retryLogouts }
})
