/**
 * What makes the phone sync, wired to the browser: coming back online, the app becoming visible,
 * a slow interval, and the server's poke stream (Server-Sent Events: "pull now"). A local mutation
 * triggers a run from the store that enqueued it.
 */
import type { SyncEngine } from './engine.ts'

export const SYNC_INTERVAL_MS = 60_000

interface PokeEnvironment {
  fetch: typeof fetch
  EventSource: typeof EventSource
  setTimeout: (fn: () => void, ms: number) => unknown
  clearTimeout: (handle: unknown) => void
}

const browserEnvironment = (): PokeEnvironment | null =>
  typeof EventSource === 'undefined' ? null : {
    fetch: (...args) => fetch(...args),
    EventSource,
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  }

export const POKE_RETRY_MS = { first: 5_000, max: 60_000 }

/**
 * Opens the server's poke stream. Its token travels as a cookie, never in the URL (EventSource cannot
 * send headers, and a URL ends up in proxy logs): POST /api/sync/poke-session sets the cookie, then
 * the stream opens at `/api/sync/poke`. When that POST fails (offline, server away), or the server
 * ends the stream for good, it starts again after a while (5 s, doubling up to 60 s); a 401 stops it
 * (the engine's next sync hears it too and signs the device out). On reconnection we may have missed
 * pokes, so that counts as a poke too.
 */
export function browserPoke(token: string, onPoke: () => void, environment: PokeEnvironment | null = browserEnvironment()): () => void {
  if (!environment) return () => {}
  const env: PokeEnvironment = environment
  let source: EventSource | null = null
  let timer: unknown = null
  let closed = false
  let delay = POKE_RETRY_MS.first
  const later = () => {
    if (closed) return
    timer = env.setTimeout(() => void open(), delay)
    delay = Math.min(delay * 2, POKE_RETRY_MS.max)
  }
  async function open() {
    timer = null
    let status: number
    try {
      status = (await env.fetch('/api/sync/poke-session', { method: 'POST', headers: { authorization: `Bearer ${token}` }, credentials: 'same-origin' })).status
    } catch {
      return later()
    }
    if (closed || status === 401) return
    if (status < 200 || status > 299) return later()
    const opening = new env.EventSource('/api/sync/poke')
    source = opening
    let opened = false
    opening.addEventListener('poke', onPoke)
    opening.addEventListener('open', () => {
      if (opened) onPoke()
      opened = true
      delay = POKE_RETRY_MS.first
    })
    // Network errors: EventSource reconnects by itself (with the cookie). An answer that is not a
    // stream (the cookie gone, a 5xx) closes it for good: start over with a fresh cookie.
    opening.addEventListener('error', () => {
      if (opening.readyState !== env.EventSource.CLOSED || closed) return
      source = null
      later()
    })
  }
  void open()
  return () => {
    closed = true
    if (timer !== null) env.clearTimeout(timer)
    source?.close()
  }
}

export function attachBrowserTriggers(engine: SyncEngine, win: Window = window, intervalMs = SYNC_INTERVAL_MS): () => void {
  const doc = win.document
  const onOnline = () => engine.setOnline(true)
  const onOffline = () => engine.setOnline(false)
  const onVisible = () => {
    if (doc.visibilityState === 'visible') void engine.request('visible')
  }
  engine.setOnline(win.navigator.onLine)
  win.addEventListener('online', onOnline)
  win.addEventListener('offline', onOffline)
  doc.addEventListener('visibilitychange', onVisible)
  const interval = win.setInterval(() => void engine.request('interval'), intervalMs)
  void engine.request('start')
  return () => {
    win.removeEventListener('online', onOnline)
    win.removeEventListener('offline', onOffline)
    doc.removeEventListener('visibilitychange', onVisible)
    win.clearInterval(interval)
    engine.stop()
  }
}
