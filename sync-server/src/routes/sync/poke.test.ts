import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryNotifier, type Notifier } from '../../services/notify/notifier.ts'
import { activate, SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, type TestServer } from '../../test/test-server.ts'
import { POKE_CREDENTIAL_MINUTES } from '../../services/auth/poke-credential.ts'
import { STREAM_TOKEN_ACCEPTED_UNTIL } from '../http.ts'
import { MAX_STREAMS_PER_TOKEN } from './poke.handler.ts'

/** A memory notifier that counts its live subscriptions, to see streams clean up after themselves. */
function countingNotifier(): Notifier & { live: () => number } {
  const inner = memoryNotifier()
  let live = 0
  return {
    ...inner,
    subscribe(listener) {
      live++
      const off = inner.subscribe(listener)
      let done = false
      return () => {
        if (!done) live--
        done = true
        off()
      }
    },
    live: () => live,
  }
}

let t: TestServer
const notifier = countingNotifier()
beforeAll(async () => {
  t = await createTestServer({ families: 2, heartbeatMs: 150, notifier })
})
afterAll(() => t.close())

/** Opens a poke stream and collects its text as it arrives. */
async function openPoke(url: string, init: RequestInit = {}) {
  const controller = new AbortController()
  const res = await t.app.request(url, { ...init, signal: controller.signal })
  let text = ''
  const reader = res.body?.getReader()
  const decoder = new TextDecoder()
  let ended = false
  const reading = (async () => {
    if (!reader) return
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }))
      if (done) return void (ended = true)
      text += decoder.decode(value)
    }
  })()
  return {
    res,
    text: () => text,
    /** The server ended the stream. */
    ended: () => ended,
    pokes: () => text.split('\n').filter((l) => l === 'event: poke').length,
    async waitFor(pred: () => boolean, ms = 10_000) {
      const until = Date.now() + ms
      while (!pred() && Date.now() < until) await new Promise((r) => setTimeout(r, 20))
      return pred()
    },
    async close() {
      await reader?.cancel().catch(() => undefined)
      controller.abort()
      await reading
    },
  }
}

const cookieOf = (res: Response) => res.headers.get('set-cookie') ?? ''

describe('POST /api/sync/poke-session: a credential for the stream as a cookie, never the token, never in its URL', () => {

  it('sets an HttpOnly, SameSite=Strict cookie scoped to the poke stream, carrying a credential, not the token', async () => {
    const token = await activate(t.app, 'FAM-0001')
    expect((await t.app.request('/api/sync/poke-session', { method: 'POST' })).status).toBe(401)
    const res = await t.app.request('/api/sync/poke-session', { method: 'POST', headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(204)
    const cookie = cookieOf(res)
    expect(cookie).toMatch(/^conciliapp_poke=v1\.[0-9a-f]{64}\.\d+\.[\w-]{43};/)
    expect(cookie).not.toContain(token)
    expect(cookie).toMatch(/; Path=\/api\/sync\/poke(;|$)/)
    expect(cookie).toMatch(/; HttpOnly(;|$)/)
    expect(cookie).toMatch(/; SameSite=Strict(;|$)/)
    expect(cookie).toMatch(new RegExp(`; Max-Age=${POKE_CREDENTIAL_MINUTES * 60}(;|$)`))
    expect(cookie).not.toMatch(/Secure/) // plain HTTP here (the demo on a LAN)
    const https = await t.app.request('https://conciliapp.example/api/sync/poke-session', { method: 'POST', headers: { authorization: `Bearer ${token}` } })
    expect(cookieOf(https)).toMatch(/; Secure(;|$)/)
  })

  it('opens the stream with the cookie alone; refuses a cookie whose token is revoked; logout clears it', async () => {
    const token = await activate(t.app, 'FAM-0002')
    const credential = await credentialOf(token)
    const stream = await openPoke('/api/sync/poke', { headers: { cookie: credential } })
    try {
      expect(stream.res.status).toBe(200)
      expect(await stream.waitFor(() => stream.text().includes('event: ready'))).toBe(true)
    } finally {
      await stream.close()
    }
    const logout = await t.app.request('/api/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } })
    expect(logout.status).toBe(200)
    expect(cookieOf(logout)).toMatch(/^conciliapp_poke=; Max-Age=0; Path=\/api\/sync\/poke/)
    expect((await t.app.request('/api/sync/poke', { headers: { cookie: credential } })).status).toBe(401)
  })

  it('is refused when tampered with or expired, and is no bearer token anywhere else', async () => {
    const token = await activate(t.app, 'FAM-0001')
    const credential = await credentialOf(token)
    const value = credential.split('=')[1]!
    const [v, hash, expiry, sig] = value.split('.')
    const forged = [
      `${v}.${hash}.${Number(expiry) + 3_600_000}.${sig}`, // a later expiry, same signature
      `${v}.${'0'.repeat(64)}.${expiry}.${sig}`, // another token's hash
      `${v}.${hash}.${expiry}.${sig!.slice(0, -2)}AA`, // another signature
    ]
    for (const f of forged) expect((await t.app.request('/api/sync/poke', { headers: { cookie: `conciliapp_poke=${f}` } })).status, f).toBe(401)
    expect((await t.app.request('/api/sync/poke', { headers: { authorization: `Bearer ${value}` } })).status).toBe(401)
    expect((await t.app.request('/api/me', { headers: { authorization: `Bearer ${value}` } })).status).toBe(401)
    expect((await t.app.request('/api/me', { headers: { cookie: credential } })).status).toBe(401)
    const start = t.clock.now()
    try {
      t.clock.set(new Date(start.getTime() + POKE_CREDENTIAL_MINUTES * 60_000 + 1000).toISOString())
      expect((await t.app.request('/api/sync/poke', { headers: { cookie: credential } })).status).toBe(401) // expired
    } finally {
      t.clock.set(start.toISOString())
    }
  })

  it('is read by the poke stream only: other routes take the Authorization header', async () => {
    const token = await activate(t.app, 'FAM-0001')
    expect((await t.app.request('/api/me', { headers: { cookie: `conciliapp_poke=${token}` } })).status).toBe(401)
    const pull = await t.app.request('/api/sync/pull', { method: 'POST', headers: { cookie: `conciliapp_poke=${token}`, 'content-type': 'application/json' }, body: '{}' })
    expect(pull.status).toBe(401)
  })

  it('accepts a raw token in the cookie or in ?token= (older clients) only until STREAM_TOKEN_ACCEPTED_UNTIL', async () => {
    const start = t.clock.now()
    expect(start.getTime() < Date.parse(STREAM_TOKEN_ACCEPTED_UNTIL)).toBe(true)
    try {
      t.clock.set(STREAM_TOKEN_ACCEPTED_UNTIL)
      const token = await activate(t.app, 'FAM-0001')
      expect((await t.app.request(`/api/sync/poke?token=${token}`)).status).toBe(401)
      expect((await t.app.request('/api/sync/poke', { headers: { cookie: `conciliapp_poke=${token}` } })).status).toBe(401)
      const stream = await openPoke('/api/sync/poke', { headers: { cookie: await credentialOf(token) } })
      try {
        expect(stream.res.status).toBe(200) // the credential still opens it
      } finally {
        await stream.close()
      }
    } finally {
      t.clock.set(start.toISOString())
    }
  })
})

/** The poke cookie (`name=value`) the server sets for this token. */
async function credentialOf(token: string): Promise<string> {
  const res = await t.app.request('/api/sync/poke-session', { method: 'POST', headers: { authorization: `Bearer ${token}` } })
  return cookieOf(res).split(';')[0]!
}

describe('GET /api/sync/poke', () => {
  it('needs a token (header, poke cookie, or ?token= from older clients)', async () => {
    const res = await t.app.request('/api/sync/poke')
    expect(res.status).toBe(401)
    expect((await t.app.request('/api/sync/poke?token=nope')).status).toBe(401)
  })

  it('streams SSE: ready, heartbeats, and a poke when something the token sees changes', async () => {
    const token = await activate(t.app, 'FAM-0001')
    const stream = await openPoke(`/api/sync/poke?token=${token}`)
    try {
      expect(stream.res.status).toBe(200)
      expect(stream.res.headers.get('content-type')).toMatch(/^text\/event-stream/)
      expect(await stream.waitFor(() => stream.text().includes('event: ready'))).toBe(true)
      expect(await stream.waitFor(() => stream.text().includes(': heartbeat'))).toBe(true)
      expect(stream.pokes()).toBe(0)

      // Another family books a session this family sees (its availability changes): poke.
      const other = new SyncClient(t.app, await activate(t.app, 'FAM-0002'))
      await other.push('booking.request', { bookingId: uniqueId('p'), childId: 'chd-0002-1', sessionId: 'ses-koala-babysitting-20261124', quantity: 1 })
      expect(await stream.waitFor(() => stream.pokes() >= 1)).toBe(true)
      expect(stream.text()).toContain('event: poke\ndata: pull')
    } finally {
      await stream.close()
    }
  })

  it('does not poke for changes outside the token’s spaces', async () => {
    const token = await activate(t.app, 'FAM-0001')
    const stream = await openPoke('/api/sync/poke', { headers: { authorization: `Bearer ${token}` } })
    try {
      expect(await stream.waitFor(() => stream.text().includes('event: ready'))).toBe(true)
      // Family 2 renames its own child: only family:fam-0002 changes.
      const other = new SyncClient(t.app, await activate(t.app, 'FAM-0002'))
      expect((await other.push('child.upsert', { childId: 'chd-0002-2', firstName: 'Luca M', birthDate: '2014-08-17' })).status).toBe('applied')
      await new Promise((r) => setTimeout(r, 400))
      expect(stream.pokes()).toBe(0)
      // …while its own change pokes it, and so does a refusal of its own mutation.
      const mine = new SyncClient(t.app, token)
      expect((await mine.push('child.upsert', { childId: 'chd-0001-2', firstName: 'Marco Maria', birthDate: '2018-09-03' })).status).toBe('applied')
      expect(await stream.waitFor(() => stream.pokes() === 1)).toBe(true)
      expect((await mine.push('booking.cancel', { bookingId: 'missing' })).code).toBe('not-found')
      expect(await stream.waitFor(() => stream.pokes() === 2)).toBe(true)
    } finally {
      await stream.close()
    }
  })

  it('keeps at most a few streams per token: the 6th closes the 1st', async () => {
    const token = await activate(t.app, 'FAM-0001')
    const idle = notifier.live()
    const streams = []
    for (let i = 0; i < MAX_STREAMS_PER_TOKEN + 1; i++) {
      const s = await openPoke('/api/sync/poke', { headers: { authorization: `Bearer ${token}` } })
      expect(await s.waitFor(() => s.text().includes('event: ready'))).toBe(true)
      streams.push(s)
    }
    const [first, ...rest] = streams
    expect(await first!.waitFor(() => first!.ended())).toBe(true)
    for (const s of rest) expect(s.ended()).toBe(false)
    expect(notifier.live()).toBe(idle + MAX_STREAMS_PER_TOKEN)
    await Promise.all(streams.map((s) => s.close()))
  })

  it('unsubscribes when the stream closes', async () => {
    const token = await activate(t.app, 'FAM-0002')
    const idle = notifier.live() // the app's own: its token cache listens for revocations
    expect(idle).toBe(1)
    const streams = await Promise.all([1, 2, 3].map(() => openPoke(`/api/sync/poke?token=${token}`)))
    for (const s of streams) expect(await s.waitFor(() => s.text().includes('event: ready'))).toBe(true)
    expect(notifier.live()).toBe(idle + 3)
    await Promise.all(streams.map((s) => s.close()))
    const gone = async () => {
      for (let i = 0; i < 100 && notifier.live() > idle; i++) await new Promise((r) => setTimeout(r, 20))
      return notifier.live()
    }
    expect(await gone()).toBe(idle)
  })
})
