/**
 * The notifications switch and the device's token (issue 9, migration 0021): the server keeps a push
 * subscription only while the token that registered it lives, so a browser already subscribed is
 * registered again under the current token whenever the switch is shown (no permission prompt), and
 * wiping the device (sign-out, revocation) unsubscribes the browser. The browser's Push API is stubbed:
 * happy-dom has none, and headless Chromium has no push service to subscribe to.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../db/db.ts'
import { wipe } from '../../sync/engine.ts'
import { activateDevice } from '../../test/device.ts'
import { parentAuth, world } from '../../test/fixtures.ts'
import { mountWithApp } from '../../test/mount.ts'
import EmergencyPushToggle from './EmergencyPushToggle.vue'

const endpoint = 'https://push.example.invalid/send/abc'
let subscribed: boolean
let posted: { url: string; authorization: string | null; body: unknown }[]
const requestPermission = vi.fn(async () => 'granted')
const unsubscribe = vi.fn(async () => {
  subscribed = false
  return true
})
const subscription = () => ({ endpoint, toJSON: () => ({ endpoint, keys: { p256dh: 'p'.repeat(20), auth: 'a'.repeat(20) } }), unsubscribe })

beforeEach(async () => {
  await activateDevice(db, parentAuth, world())
  subscribed = true
  posted = []
  vi.stubGlobal('PushManager', class {})
  vi.stubGlobal('Notification', { permission: 'granted', requestPermission })
  const registration = { pushManager: { getSubscription: async () => (subscribed ? subscription() : null) } }
  Object.defineProperty(navigator, 'serviceWorker', {
    configurable: true, value: { getRegistration: async () => registration, ready: Promise.resolve(registration) },
  })
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    posted.push({ url, authorization: new Headers(init?.headers).get('authorization'), body: init?.body ? JSON.parse(String(init.body)) : null })
    return new Response(null, { status: 201 })
  })
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  Reflect.deleteProperty(navigator, 'serviceWorker')
})

describe('EmergencyPushToggle', () => {
  it('registers the browser’s subscription again under this device’s token when shown, without asking', async () => {
    const { wrapper } = mountWithApp(EmergencyPushToggle)
    await vi.waitFor(() => expect(wrapper.get('[data-testid="push-toggle"]').attributes('data-state')).toBe('on'))
    await vi.waitFor(() => expect(posted).toHaveLength(1))
    expect(posted[0]).toEqual({
      url: '/api/push/subscriptions', authorization: `Bearer ${parentAuth.token}`,
      body: { endpoint, keys: { p256dh: 'p'.repeat(20), auth: 'a'.repeat(20) } },
    })
    expect(requestPermission).not.toHaveBeenCalled()
  })

  it('registers nothing while the browser has no subscription: the switch offers to turn notifications on', async () => {
    subscribed = false
    const { wrapper } = mountWithApp(EmergencyPushToggle)
    await vi.waitFor(() => expect(wrapper.get('[data-testid="push-toggle"]').attributes('data-state')).toBe('off'))
    expect(wrapper.find('button').exists()).toBe(true)
    expect(posted).toEqual([])
  })

  it('a wiped device unsubscribes its browser: whoever signs in next turns notifications on for themselves', async () => {
    await wipe(db)
    expect(unsubscribe).toHaveBeenCalledTimes(1)
    expect(subscribed).toBe(false)
  })
})
