/**
 * The VAPID keys Web Push is signed with (issue 9): from the environment (VAPID_PUBLIC_KEY,
 * VAPID_PRIVATE_KEY, VAPID_SUBJECT); in demo mode without them, generated once and kept in
 * DATA_DIR/vapid-keys.json so subscriptions survive a restart. Otherwise Web Push is off (the poke
 * stream stays the fast path while the app is open).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import webpush from 'web-push'

export interface VapidKeys {
  publicKey: string
  privateKey: string
  subject: string
}

export const DEMO_VAPID_SUBJECT = 'mailto:conciliapp-demo@example.invalid'

export function loadVapidKeys(env: { vapidPublicKey?: string; vapidPrivateKey?: string; vapidSubject?: string; demo: boolean; dataDir: string }): VapidKeys | null {
  if (env.vapidPublicKey && env.vapidPrivateKey) {
    return { publicKey: env.vapidPublicKey, privateKey: env.vapidPrivateKey, subject: env.vapidSubject ?? DEMO_VAPID_SUBJECT }
  }
  if (!env.demo) return null
  const file = join(env.dataDir, 'vapid-keys.json')
  if (existsSync(file)) {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { publicKey: string; privateKey: string }
    return { ...kept, subject: env.vapidSubject ?? DEMO_VAPID_SUBJECT }
  }
  const made = webpush.generateVAPIDKeys()
  mkdirSync(env.dataDir, { recursive: true })
  writeFileSync(file, JSON.stringify(made), { mode: 0o600 })
  return { ...made, subject: env.vapidSubject ?? DEMO_VAPID_SUBJECT }
}
