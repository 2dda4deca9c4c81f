/**
 * Sending a request typed without signal even when the app is then closed (issue 9). The service
 * worker routes `POST /api/sync/push` through Workbox's Background Sync (vite.config.ts): a push that
 * fails for want of a network is kept by the worker and sent again when the browser regains a
 * connection, with the app open or not. Pushes are idempotent (numbered per client), so the worker's
 * copy and the app's own retry never apply a mutation twice.
 * Where the browser has no Background Sync (Firefox, Safari), the screen says so plainly: the request
 * leaves when the app is next open with a connection.
 */
export function backgroundSyncAvailable(): boolean {
  return typeof window !== 'undefined' && 'serviceWorker' in navigator && 'SyncManager' in window && navigator.serviceWorker.controller !== null
}

/** Offline: try the push once now, so the worker's queue holds a copy of it. */
export async function requestBackgroundPush(tryPush: () => Promise<void>): Promise<void> {
  if (backgroundSyncAvailable()) await tryPush().catch(() => undefined)
}
