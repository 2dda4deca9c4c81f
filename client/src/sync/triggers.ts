/**
 * What makes the phone sync, wired to the browser: coming back online, the app becoming visible,
 * a slow interval, and the server's poke stream (Server-Sent Events: "pull now"). A local mutation
 * triggers a run from the store that enqueued it.
 */
import type { SyncEngine } from './engine.ts'

export const SYNC_INTERVAL_MS = 60_000

/** Opens `/api/sync/poke`; on reconnection we may have missed pokes, so that counts as a poke too. */
export function browserPoke(token: string, onPoke: () => void): () => void {
  if (typeof EventSource === 'undefined') return () => {}
  const source = new EventSource(`/api/sync/poke?token=${encodeURIComponent(token)}`)
  let opened = false
  source.addEventListener('poke', onPoke)
  source.addEventListener('open', () => {
    if (opened) onPoke()
    opened = true
  })
  return () => source.close()
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
