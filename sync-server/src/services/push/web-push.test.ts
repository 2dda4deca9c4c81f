/**
 * Web Push end to end on a local endpoint (issue 9): a provider's device and a parent's device
 * subscribe with their own P-256 keys; a new emergency request reaches the provider's endpoint and
 * the acceptance the parent's; operators' own devices receive the requests they may go to (the usual
 * operator during the head start, then the territory's operators on call whose windows cover it), as the push service would receive them from the `web-push` library:
 * VAPID-signed, aes128gcm-encrypted (RFC 8291). The test decrypts them with the devices' private keys.
 * A subscription is its device's (migration 0021): a device signed out, revoked, expired, or whose code
 * was replaced or revoked is never pushed, whoever else still holds a live code.
 */
import { createECDH, createDecipheriv, hkdfSync, randomBytes, type ECDH } from 'node:crypto'
import { Agent, createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import webpush from 'web-push'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../app.ts'
import { sha256 } from '../auth/auth.service.ts'
import { activateAll, json, SyncClient } from '../../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'
import { sweepEmergencies } from '../emergency/sweep.ts'
import { TEST_ENDPOINT_CERT, TEST_ENDPOINT_KEY } from './test-endpoint-cert.ts'
import { createWebPush } from './web-push.service.ts'

interface Received { path: string; headers: Record<string, string | string[] | undefined>; body: Buffer }

/** RFC 8291 / RFC 8188: the plaintext of one aes128gcm Web Push message, with the device's keys. */
function decrypt(body: Buffer, device: ECDH, authSecret: Buffer): string {
  const salt = body.subarray(0, 16)
  const idlen = body[20]!
  const serverKey = body.subarray(21, 21 + idlen)
  const ciphertext = body.subarray(21 + idlen)
  const shared = device.computeSecret(serverKey)
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), device.getPublicKey(), serverKey])
  const ikm = Buffer.from(hkdfSync('sha256', shared, authSecret, keyInfo, 32))
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16))
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12))
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce)
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16))
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()])
  let end = padded.length - 1
  while (end > 0 && padded[end] === 0) end--
  expect(padded[end]).toBe(2) // the last record's delimiter
  return padded.subarray(0, end).toString('utf8')
}

let t: TestServer
let endpoint: Server
let base = ''
const received: Received[] = []
beforeAll(async () => {
  t = await createTestServer({ families: 2 })
  endpoint = createServer({ key: TEST_ENDPOINT_KEY, cert: TEST_ENDPOINT_CERT }, (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) })
      res.writeHead(201).end()
    })
  })
  await new Promise<void>((r) => endpoint.listen(0, '127.0.0.1', r))
  base = `https://127.0.0.1:${(endpoint.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((r) => endpoint.close(r))
  await t.close()
})

const device = () => {
  const ecdh = createECDH('prime256v1')
  ecdh.generateKeys()
  return { ecdh, auth: randomBytes(16) }
}
const subscribe = async (app: ReturnType<typeof createApp>, token: string, path: string, d: ReturnType<typeof device>) => {
  const res = await app.request('/api/push/subscriptions', json(token, {
    endpoint: `${base}/${path}`, keys: { p256dh: d.ecdh.getPublicKey('base64url'), auth: d.auth.toString('base64url') },
  }))
  expect(res.status).toBe(201)
}
/** The endpoints' paths the table holds. */
const stored = async () => (await t.db.query<{ endpoint: string }>('SELECT endpoint FROM push_subscriptions ORDER BY endpoint'))
  .map((r) => r.endpoint.slice(base.length))
const waitFor = async (path: string) => {
  for (let i = 0; i < 200 && !received.some((r) => r.path === path); i++) await new Promise((r) => setTimeout(r, 25))
  const hit = received.find((r) => r.path === path)
  if (!hit) throw new Error(`nothing pushed to ${path}`)
  return hit
}

describe('Web Push', () => {
  it('sends a new request to the cooperatives that may take it and the acceptance to the family, encrypted for each device', async () => {
    const keys = webpush.generateVAPIDKeys()
    const agent = new Agent({ ca: TEST_ENDPOINT_CERT })
    const wp = createWebPush(t.deps, { ...keys, subject: 'mailto:test@example.invalid' }, { agent })
    const app = createApp({ ...t.deps, webPush: wp })
    const [parent, altana, umana, parentPhone2, altanaTablet, lostPhone] = await activateAll(app, ['FAM-0001', 'PRV-ALTANA', 'PRV-UMANA', 'FAM-0001', 'PRV-ALTANA', 'FAM-0001'] as const)
    expect(await (await app.request('/api/push/key')).json()).toEqual({ publicKey: keys.publicKey })

    const devices = { parent: device(), altana: device(), umana: device() }
    for (const [name, who] of [['parent', parent], ['altana', altana], ['umana', umana]] as const) {
      const d = devices[name]
      const res = await app.request('/api/push/subscriptions', json(who.token, {
        endpoint: `${base}/${name}`, keys: { p256dh: d.ecdh.getPublicKey('base64url'), auth: d.auth.toString('base64url') },
      }))
      expect(res.status).toBe(201)
    }
    for (const endpoint of ['not a url', 'http://127.0.0.1/plain']) {
      const bad = await app.request('/api/push/subscriptions', json(altana.token, { endpoint, keys: { p256dh: 'x'.repeat(20), auth: 'y'.repeat(20) } }))
      expect(bad.status).toBe(400)
    }
    // The other parent's phone turned notifications on, then signed out: its subscription went with its token.
    await subscribe(app, parentPhone2.token, 'parent-2', device())
    expect((await app.request('/api/auth/logout', json(parentPhone2.token, {}))).status).toBe(200)
    // A lost phone the family signs out from the other one (its devices page): its subscription goes too.
    await subscribe(app, lostPhone.token, 'parent-lost', device())
    const listed = await (await app.request('/api/family/devices', { headers: { authorization: `Bearer ${lostPhone.token}` } })).json() as { devices: { id: string; current: boolean }[] }
    const lost = listed.devices.find((d) => d.current)!
    expect((await app.request(`/api/family/devices/${lost.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${parent.token}` } })).status).toBe(200)
    // The cooperative's tablet, unused for longer than a token lives: its row stays, but it is not pushed.
    await subscribe(app, altanaTablet.token, 'altana-tablet', device())
    await t.db.query(`UPDATE tokens SET expires_at = $2 WHERE token_hash = $1`, [sha256(altanaTablet.token), TEST_NOW])
    expect(await stored()).toEqual(['/altana', '/altana-tablet', '/parent', '/umana'])
    // Only the device that registered an endpoint removes it.
    expect((await app.request('/api/push/subscriptions', { ...json(parent.token, { endpoint: `${base}/altana` }), method: 'DELETE' })).status).toBe(204)
    expect(await stored()).toContain('/altana')

    const requestId = 'push-em-1'
    expect(await parent.push('emergency.request', {
      requestId, childId: 'chd-0001-1', startsAt: '2026-11-23T04:30:00.000Z', endsAt: '2026-11-23T13:00:00.000Z', territoryId: 'ter-crema', address: 'Via Mazzini 3',
    })).toMatchObject({ status: 'applied' })
    const toAltana = await waitFor('/altana')
    expect(toAltana.headers['content-encoding']).toBe('aes128gcm')
    expect(String(toAltana.headers.authorization)).toMatch(/^vapid t=.+, k=/)
    const offer = JSON.parse(decrypt(toAltana.body, devices.altana.ecdh, devices.altana.auth)) as { title: string; body: string; url: string }
    expect(offer).toMatchObject({ title: 'Richiesta urgente: babysitter per Giulia', url: '/inbox' })
    expect(offer.body).toContain('Crema')
    expect(offer.body).not.toContain('Mazzini') // no address on a locked screen

    expect(await altana.push('emergency.accept', { requestId })).toMatchObject({ status: 'applied' })
    const toParent = await waitFor('/parent')
    const news = JSON.parse(decrypt(toParent.body, devices.parent.ecdh, devices.parent.auth)) as { title: string; body: string }
    expect(news).toMatchObject({ title: 'Babysitter confermata' })
    expect(news.body).toContain('Chiara Bettoni')
    // Cremona's cooperative was not asked; the parent's signed-out phone and the expired tablet were not pushed.
    expect(received.map((r) => r.path).sort()).toEqual(['/altana', '/parent'])
    expect(await wp.requestAccepted(requestId)).toBe(1)
  })

  it('sends a new request to the operators who may go: the usual one during the head start, then those on call whose windows cover it', async () => {
    received.length = 0
    const keys = webpush.generateVAPIDKeys()
    const agent = new Agent({ ca: TEST_ENDPOINT_CERT })
    const wp = createWebPush(t.deps, { ...keys, subject: 'mailto:test@example.invalid' }, { agent })
    const app = createApp({ ...t.deps, webPush: wp })
    const [parent, altana, koala, umana] = await activateAll(app, ['FAM-0001', 'PRV-ALTANA', 'PRV-KOALA', 'PRV-UMANA'] as const)
    const codeOf = async (coordinator: { token: string }, operatorId: string) => {
      const res = await app.request(`/api/provider/operators/${operatorId}/code`, { method: 'POST', headers: { authorization: `Bearer ${coordinator.token}` } })
      expect(res.status).toBe(201)
      return SyncClient.activate(app, ((await res.json()) as { code: string }).code)
    }
    // Chiara (altana-1) went last time (the first test): the family's usual operator. Marta (koala-1) is on
    // call round the clock; Luca (koala-2) is on call but only until 10:00; Paolo (altana-2) is not on
    // call; Anna (umana-1) is on call in Cremona.
    const operators = {
      'altana-1': await codeOf(altana, 'opr-altana-1'), 'altana-2': await codeOf(altana, 'opr-altana-2'),
      'koala-1': await codeOf(koala, 'opr-koala-1'), 'koala-2': await codeOf(koala, 'opr-koala-2'), 'umana-1': await codeOf(umana, 'opr-umana-1'),
    }
    await t.db.query("UPDATE operators SET on_call = true, on_call_windows = '1-5 05:30-10:00' WHERE id = 'opr-koala-2'")
    const devices = Object.fromEntries(Object.keys(operators).map((k) => [k, device()])) as Record<keyof typeof operators, ReturnType<typeof device>>
    for (const [name, who] of Object.entries(operators) as [keyof typeof operators, SyncClient][]) {
      const d = devices[name]
      const res = await app.request('/api/push/subscriptions', json(who.token, {
        endpoint: `${base}/op-${name}`, keys: { p256dh: d.ecdh.getPublicKey('base64url'), auth: d.auth.toString('base64url') },
      }))
      expect(res.status).toBe(201)
    }
    // The same validation as anyone's.
    const bad = await app.request('/api/push/subscriptions', json(operators['koala-1'].token, { endpoint: 'http://127.0.0.1/plain', keys: { p256dh: 'x'.repeat(20), auth: 'y'.repeat(20) } }))
    expect(bad.status).toBe(400)
    const offerTo = async (name: keyof typeof operators) => {
      const hit = await waitFor(`/op-${name}`)
      return JSON.parse(decrypt(hit.body, devices[name].ecdh, devices[name].auth)) as { title: string; body: string; url: string }
    }
    const pushedTo = () => received.map((r) => r.path).filter((p) => p.startsWith('/op-')).sort()

    const requestId = 'push-em-2'
    try {
      expect(await parent.push('emergency.request', {
        requestId, childId: 'chd-0001-2', startsAt: '2026-11-23T04:30:00.000Z', endsAt: '2026-11-23T13:00:00.000Z', territoryId: 'ter-crema', address: 'Via Mazzini 3',
      })).toMatchObject({ status: 'applied' })
      expect(await offerTo('altana-1')).toMatchObject({ title: 'Richiesta urgente: babysitter per Marco', url: '/inbox' })
      // Head start: ALTANA's coordinator and Chiara only (sent again here and awaited, so nothing else is on its way).
      expect(await wp.requestOpened(requestId)).toBe(2)
      expect(pushedTo()).toEqual(['/op-altana-1', '/op-altana-1'])
      // Chiara lost her phone: her coordinator gives her a new code, she signs in on a new phone and turns
      // notifications on. The old phone is not pushed (its subscription went with its token); the new one is.
      const chiaraNew = await codeOf(altana, 'opr-altana-1')
      const newPhone = device()
      await subscribe(app, chiaraNew.token, 'op-altana-1-new', newPhone)
      expect(await stored()).not.toContain('/op-altana-1')
      received.length = 0
      expect(await wp.requestOpened(requestId)).toBe(2)
      expect(pushedTo()).toEqual(['/op-altana-1-new'])
      const toNewPhone = await waitFor('/op-altana-1-new')
      expect(JSON.parse(decrypt(toNewPhone.body, newPhone.ecdh, newPhone.auth))).toMatchObject({ title: 'Richiesta urgente: babysitter per Marco' })
      // Her code revoked (she left): no phone of hers is pushed, and no subscription of hers is kept.
      expect((await app.request('/api/provider/operators/opr-altana-1/code', { method: 'DELETE', headers: { authorization: `Bearer ${altana.token}` } })).status).toBe(200)
      expect(await stored()).not.toContain('/op-altana-1-new')
      expect(await wp.requestOpened(requestId)).toBe(1)

      // The head start is over: the territory's operators on call whose windows cover 05:30–14:00.
      t.clock.set(new Date(Date.parse(TEST_NOW) + 10 * 60_000).toISOString())
      received.length = 0
      expect(await sweepEmergencies({ ...t.deps, webPush: wp })).toBeGreaterThanOrEqual(1)
      const offer = await offerTo('koala-1')
      expect(offer.title).toMatch(/^Richiesta urgente/)
      expect(offer.body).not.toContain('Mazzini')
      expect(pushedTo()).toEqual(['/op-koala-1'])
      expect(received.some((r) => r.path === '/umana')).toBe(false)

      // Marta takes it from her phone; the family hears, and nobody else is asked again.
      expect(await operators['koala-1'].push('emergency.accept', { requestId })).toMatchObject({ status: 'applied' })
      expect(await wp.requestOpened(requestId)).toBe(0)

      // The office revokes ALTANA's coordinator code: none of its devices is pushed again, nor kept.
      const office = await SyncClient.activate(app, 'OFFICER-1')
      const nextId = 'push-em-3'
      received.length = 0
      const asked = await parent.push('emergency.request', {
        requestId: nextId, childId: 'chd-0001-2', startsAt: '2026-11-24T05:00:00.000Z', endsAt: '2026-11-24T08:00:00.000Z', territoryId: 'ter-crema', address: 'Via Mazzini 3',
      })
      expect(asked.status, JSON.stringify(asked)).toBe('applied')
      // ALTANA's head start (Chiara, its usual operator, has no live code: only its coordinator's devices).
      expect(await t.db.query('SELECT usual_provider_id AS "usual", stage FROM emergency_requests WHERE id = $1', [nextId])).toEqual([{ usual: 'prv-altana', stage: 'usual' }])
      await waitFor('/altana')
      expect(await wp.requestOpened(nextId)).toBe(1)
      expect((await app.request('/api/office/codes/revoke', json(office.token, { providerId: 'prv-altana' }))).status).toBe(200)
      expect(await stored()).not.toContain('/altana')
      received.length = 0
      expect(await wp.requestOpened(nextId)).toBe(0)
    } finally {
      t.clock.set(TEST_NOW)
      await t.db.query("UPDATE operators SET on_call = false, on_call_windows = '' WHERE id = 'opr-koala-2'")
    }
  })
})
