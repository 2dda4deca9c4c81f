/**
 * Web Push on this device (issue 9): ask the browser for a push subscription signed for the server's
 * VAPID key (GET /api/push/key) and register it (POST /api/push/subscriptions). A cooperative's
 * devices are then told of new urgent requests, a family's of an acceptance, with the app closed.
 * The poke stream stays the fast path while the app is open.
 */
export type PushState = 'unsupported' | 'off' | 'on' | 'denied'

export function pushSupported(): boolean {
  return typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window
}

export async function pushState(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported'
  if (Notification.permission === 'denied') return 'denied'
  const reg = await navigator.serviceWorker.getRegistration()
  return (await reg?.pushManager.getSubscription()) ? 'on' : 'off'
}

const fromBase64Url = (s: string) => {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4))
  return Uint8Array.from(b, (c) => c.charCodeAt(0))
}

/** Asks permission, subscribes and registers; answers the state it ended in. */
export async function enablePush(token: string): Promise<PushState> {
  if (!pushSupported()) return 'unsupported'
  if ((await Notification.requestPermission()) !== 'granted') return 'denied'
  const keyRes = await fetch('/api/push/key')
  if (!keyRes.ok) return 'unsupported' // Web Push is off on this server
  const { publicKey } = (await keyRes.json()) as { publicKey: string }
  const reg = await navigator.serviceWorker.ready
  const sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64Url(publicKey) }))
  const body = sub.toJSON()
  const res = await fetch('/api/push/subscriptions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ endpoint: body.endpoint, keys: body.keys }),
  })
  return res.ok ? 'on' : 'off'
}
