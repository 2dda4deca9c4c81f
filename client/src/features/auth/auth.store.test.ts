/**
 * Signing out offline: the device is signed out at once (its data cleared), and the token is revoked on
 * the server at the next connection, so a phone signed out in a tunnel is not left with a live token.
 */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { activateDevice } from '../../test/device.ts'
import { parentAuth, world } from '../../test/fixtures.ts'
import { useAuthStore } from './auth.store.ts'
import { pendingLogouts } from './auth.repo.ts'

describe('signing out offline', () => {
  const calls: { url: string; auth: string | undefined }[] = []
  let online = false
  beforeEach(async () => {
    localStorage.clear()
    calls.length = 0
    online = false
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      if (!online) throw new TypeError('Failed to fetch')
      calls.push({ url, auth: (init?.headers as Record<string, string> | undefined)?.authorization })
      return new Response(JSON.stringify({ ok: true }), { status: 200, headers: { 'content-type': 'application/json' } })
    })
    await activateDevice(db, parentAuth, world())
    setActivePinia(createPinia())
  })
  afterEach(() => vi.unstubAllGlobals())

  it('signs out at once, and revokes the token when the connection is back', async () => {
    const auth = useAuthStore()
    await auth.ready()
    expect(await auth.signOut()).toEqual({ ok: true })
    expect(auth.auth).toBeNull()
    expect(await db.children.count()).toBe(0)
    expect(pendingLogouts()).toEqual([parentAuth.token])

    await auth.retryLogouts() // still offline: kept
    expect(pendingLogouts()).toEqual([parentAuth.token])

    online = true
    window.dispatchEvent(new Event('online'))
    await vi.waitFor(() => expect(pendingLogouts()).toEqual([]))
    expect(calls).toEqual([{ url: '/api/auth/logout', auth: `Bearer ${parentAuth.token}` }])
  })

  it('does not keep the token when the server answered', async () => {
    online = true
    const auth = useAuthStore()
    await auth.ready()
    await auth.signOut()
    expect(pendingLogouts()).toEqual([])
    expect(calls.map((c) => c.url)).toEqual(['/api/auth/logout'])
  })
})
