/** Device activation state in `meta`: saving an activation, signing out (clearing the whole database). */
import { v7 as uuidv7 } from 'uuid'
import type { ActivateResponse } from '../../../../shared/sync/protocol.ts'
import type { ConciliappDb } from '../../db/db.ts'
import { forgetDrafts } from '../../db/drafts.ts'
import type { Auth } from '../../db/db.types.ts'
import { getMeta, setMeta } from '../../db/meta.ts'
import { forgetWiped } from '../../db/wiped.ts'
import { forgetPush } from '../emergency/push-subscription.ts'

/** Same family / provider / office: the pending outbox can be sent with the new token. */
export const sameActor = (a: Auth, b: ActivateResponse): boolean =>
  a.role === b.role && a.programId === b.programId && a.familyId === b.familyId && a.providerId === b.providerId

export async function readAuthState(db: ConciliappDb): Promise<{ auth: Auth | null; revoked: boolean }> {
  const [auth, revoked] = await Promise.all([getMeta(db, 'auth'), getMeta(db, 'authRevoked')])
  return { auth: auth ?? null, revoked: revoked ?? false }
}

// Every table (`db.tables`: db.ts's allTables, without importing Dexie onto the first screen).
export async function clearAll(db: ConciliappDb): Promise<void> {
  await db.transaction('rw', db.tables, () => Promise.all(db.tables.map((t) => t.clear())))
  forgetDrafts()
  forgetWiped()
  await forgetPush().catch(() => undefined) // signed out: this phone is no longer pushed for anyone
}

/**
 * Store a new activation. If the device was signed out by the server (401) and the code is for the same
 * actor, everything is kept (outbox, mirror, client id): only the token changes. Otherwise a fresh start.
 */
export async function saveActivation(db: ConciliappDb, res: ActivateResponse): Promise<'resumed' | 'fresh'> {
  return db.transaction('rw', db.tables, async () => {
    const previous = await getMeta(db, 'auth')
    if (previous && sameActor(previous, res) && (await getMeta(db, 'clientId'))) {
      await setMeta(db, 'auth', res)
      await setMeta(db, 'authRevoked', false)
      await setMeta(db, 'lastError', null)
      return 'resumed'
    }
    await Promise.all(db.tables.map((t) => t.clear()))
    await setMeta(db, 'auth', res)
    await setMeta(db, 'authRevoked', false)
    await setMeta(db, 'clientId', uuidv7())
    await setMeta(db, 'clientGroupId', uuidv7())
    await setMeta(db, 'cookie', null)
    await setMeta(db, 'nextMutationId', 1)
    await setMeta(db, 'lastMutationId', 0)
    await setMeta(db, 'resultsAcked', {})
    await setMeta(db, 'lastSyncedAt', null)
    await setMeta(db, 'lastError', null)
    return 'fresh'
  })
}

/**
 * Tokens signed out while offline, to revoke on the server at the next connection. Kept outside the
 * database, which signing out clears (`localStorage`: the same origin that held the token anyway).
 */
const PENDING_LOGOUTS = 'conciliapp.pendingLogouts'
export const pendingLogouts = (): string[] => {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(PENDING_LOGOUTS) ?? '[]')
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : []
  } catch {
    return []
  }
}
const savePendingLogouts = (tokens: string[]) =>
  tokens.length ? localStorage.setItem(PENDING_LOGOUTS, JSON.stringify(tokens)) : localStorage.removeItem(PENDING_LOGOUTS)
export const rememberLogout = (token: string) => savePendingLogouts([...new Set([...pendingLogouts(), token])])
export const forgetLogout = (token: string) => savePendingLogouts(pendingLogouts().filter((t) => t !== token))
