/**
 * GET /api/sync/poke: Server-Sent Events. `event: poke` (data "pull") whenever a space this token
 * sees changes, or one of its own mutations is refused; a `: heartbeat` comment every ~25 s keeps
 * proxies from closing the stream. No data travels here: the client pulls. Pokes arriving close
 * together are coalesced into one. Auth: Bearer header, or `?token=` for EventSource.
 * A stream outlives nothing its token does not: the token is checked again on every heartbeat and
 * whenever its own principal is poked (as the office does after revoking a code); once revoked or
 * expired, the stream sends a last poke (the phone pulls, hears 401 and signs out) and closes.
 */
import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { AppDeps } from '../../deps.ts'
import { authenticateHash } from '../../services/auth/auth.service.ts'
import { space, spacesOf } from '../../services/sync/spaces.ts'
import type { AppEnv } from '../http.ts'

export const HEARTBEAT_MS = 25_000
/**
 * Open streams per token: a phone needs one (its tabs share it through the service worker's client, at
 * worst one per tab); when one more opens, the oldest is closed. One token can therefore hold a few
 * streams, never thousands (docs/security.md).
 */
export const MAX_STREAMS_PER_TOKEN = 5

/** Still signed in? A database hiccup is not a revocation: the stream stays open. */
async function stillValid(deps: Pick<AppDeps, 'db' | 'clock' | 'demo'>, tokenHash: string): Promise<boolean> {
  try {
    return (await authenticateHash(deps.db, tokenHash, deps.clock.now(), undefined, deps.demo)) !== null
  } catch {
    return true
  }
}

export function pokeHandler(deps: Pick<AppDeps, 'db' | 'clock' | 'notifier' | 'heartbeatMs' | 'demo'>) {
  const heartbeatMs = deps.heartbeatMs ?? HEARTBEAT_MS
  /** The streams open on each token (by its hash), oldest first. */
  const open = new Map<string, { close(): void }[]>()
  return (c: Context<AppEnv>) => {
    const auth = c.get('auth')
    c.header('X-Accel-Buffering', 'no')
    return streamSSE(c, async (stream) => {
      const watched = new Set(await spacesOf(deps.db, auth.actor))
      const own = space.principal(auth.principal)
      watched.add(own)
      let pending = false
      let recheck = false
      let superseded = false
      let wake: (() => void) | null = null
      const me = { close: () => ((superseded = true), wake?.()) }
      const mine = open.get(auth.tokenHash) ?? []
      open.set(auth.tokenHash, mine)
      mine.push(me)
      while (mine.length > MAX_STREAMS_PER_TOKEN) mine.shift()!.close()
      const unsubscribe = deps.notifier.subscribe((spaces) => {
        if (spaces.includes(own)) recheck = true
        if (!spaces.some((s) => watched.has(s))) return
        pending = true
        wake?.()
      })
      stream.onAbort(() => {
        unsubscribe()
        wake?.()
      })
      try {
        await stream.writeSSE({ event: 'ready', data: 'ok', retry: 5000 })
        while (!stream.aborted && !stream.closed && !superseded) {
          if (!pending) {
            let timer: ReturnType<typeof setTimeout> | undefined
            await new Promise<void>((resolve) => {
              wake = resolve
              timer = setTimeout(resolve, heartbeatMs)
            })
            clearTimeout(timer)
            wake = null
          }
          if (stream.aborted || superseded) break
          if (recheck || !pending) {
            recheck = false
            if (!(await stillValid(deps, auth.tokenHash))) {
              await stream.writeSSE({ event: 'poke', data: 'pull' })
              break
            }
          }
          if (pending) {
            pending = false
            await stream.writeSSE({ event: 'poke', data: 'pull' })
          } else {
            await stream.write(': heartbeat\n\n')
          }
        }
      } finally {
        unsubscribe()
        const left = (open.get(auth.tokenHash) ?? []).filter((s) => s !== me)
        if (left.length) open.set(auth.tokenHash, left)
        else open.delete(auth.tokenHash)
      }
    })
  }
}
