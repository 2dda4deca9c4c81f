/**
 * Web Push on this device (issue 9): ask the browser for a push subscription signed for the server's
 * VAPID key (GET /api/push/key) and register it (POST /api/push/subscriptions). A cooperative's
 * devices are then told of new urgent requests, a family's of an acceptance, with the app closed.
 * The poke stream stays the fast path while the app is open.
 *
 * The server binds a subscription to the device's token (migration 0021) and drops it when that token
 * is revoked (signed out, a code replaced or revoked). So the browser's subscription is registered again
 * under the current token whenever the switch is shown (`renewPush`: after a new activation on the same
 * phone, it is pushed again without asking), and unsubscribed when the device is wiped (`forgetPush`:
 * whoever signs in next on this phone turns notifications on for themselves).
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

async function register(token: string, sub: PushSubscription): Promise<boolean> {
  const body = sub.toJSON()
  const res = await fetch('/api/push/subscriptions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ endpoint: body.endpoint, keys: body.keys }),
  })
  return res.ok
}

/** The browser's subscription, registered again under this device's token; answers the state (no prompt). */
export async function renewPush(token: string): Promise<PushState> {
  const state = await pushState()
  if (state !== 'on') return state
  const sub = await (await navigator.serviceWorker.getRegistration())?.pushManager.getSubscription()
  if (!sub) return 'off'
  // Offline or refused: the switch still says on; the next time it is shown tries again.
  await register(token, sub).catch(() => false)
  return 'on'
}

/** The device is wiped (signed out, revoked): its browser subscription goes too (best effort). */
export async function forgetPush(): Promise<void> {
  if (!pushSupported()) return
  const sub = await (await navigator.serviceWorker.getRegistration())?.pushManager.getSubscription()
  await sub?.unsubscribe()
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
  return (await register(token, sub)) ? 'on' : 'off'
}
