/**
 * The poke stream's token travels as a cookie, never in its URL: browserPoke asks the server to set
 * it, then opens the stream; it starts over when it cannot, and stops for good on 401 or when closed.
 */
import { describe, expect, it } from 'vitest'
import { browserPoke, POKE_RETRY_MS } from './triggers.ts'

type Listener = () => void

/** Stand-ins for fetch, EventSource and the timers, recording what browserPoke does. */
function fakeBrowser(answers: (number | 'offline')[]) {
  const posts: { url: string; init: RequestInit | undefined }[] = []
  const sources: FakeSource[] = []
  const timers: { fn: () => void; ms: number; cleared: boolean }[] = []
  class FakeSource {
    static readonly CONNECTING = 0
    static readonly OPEN = 1
    static readonly CLOSED = 2
    readyState = FakeSource.CONNECTING
    closed = false
    readonly listeners = new Map<string, Listener[]>()
    constructor(readonly url: string) {
      sources.push(this)
    }
    addEventListener(type: string, fn: Listener) {
      this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn])
    }
    emit(type: string) {
      for (const fn of this.listeners.get(type) ?? []) fn()
    }
    close() {
      this.closed = true
      this.readyState = FakeSource.CLOSED
    }
  }
  const env = {
    fetch: async (url: RequestInfo | URL, init?: RequestInit) => {
      posts.push({ url: String(url), init })
      const answer = answers.shift() ?? 204
      if (answer === 'offline') throw new TypeError('Failed to fetch')
      return new Response(null, { status: answer })
    },
    EventSource: FakeSource as unknown as typeof EventSource,
    setTimeout: (fn: () => void, ms: number) => timers.push({ fn, ms, cleared: false }) - 1,
    clearTimeout: (handle: unknown) => void (timers[handle as number]!.cleared = true),
  }
  return { env, posts, sources, timers }
}

const settle = () => new Promise((r) => setTimeout(r, 0))

describe('browserPoke', () => {
  it('sets the cookie with the token in a header, then opens the stream without it in the URL', async () => {
    const b = fakeBrowser([204])
    let pokes = 0
    const close = browserPoke('secret-token-123456789', () => pokes++, b.env)
    await settle()
    expect(b.posts).toHaveLength(1)
    expect(b.posts[0]!.url).toBe('/api/sync/poke-session')
    expect(b.posts[0]!.init?.method).toBe('POST')
    expect(b.posts[0]!.init?.headers).toEqual({ authorization: 'Bearer secret-token-123456789' })
    expect(b.sources.map((s) => s.url)).toEqual(['/api/sync/poke'])
    const source = b.sources[0]!
    source.emit('open')
    expect(pokes).toBe(0) // the first open is not a poke…
    source.emit('poke')
    source.emit('open') // …a reconnection is: pokes may have been missed meanwhile
    expect(pokes).toBe(2)
    close()
    expect(source.closed).toBe(true)
  })

  it('tries again later when it cannot set the cookie, backing off, and never after being closed', async () => {
    const b = fakeBrowser(['offline', 503, 204])
    const close = browserPoke('secret-token-123456789', () => {}, b.env)
    await settle()
    expect(b.sources).toHaveLength(0)
    expect(b.timers.map((t) => t.ms)).toEqual([POKE_RETRY_MS.first])
    b.timers[0]!.fn()
    await settle()
    expect(b.timers.map((t) => t.ms)).toEqual([POKE_RETRY_MS.first, POKE_RETRY_MS.first * 2])
    b.timers[1]!.fn()
    await settle()
    expect(b.sources).toHaveLength(1)
    expect(b.posts).toHaveLength(3)
    close()
    expect(b.timers.every((t) => !t.cleared)).toBe(true) // nothing was pending
  })

  it('starts over with a fresh cookie when the server ends the stream for good; stops on 401', async () => {
    const b = fakeBrowser([204, 401])
    browserPoke('secret-token-123456789', () => {}, b.env)
    await settle()
    const first = b.sources[0]!
    first.readyState = 1
    first.emit('error') // a network blip: EventSource reconnects by itself
    expect(b.timers).toHaveLength(0)
    first.readyState = 2
    first.emit('error') // closed for good (an answer that is not a stream)
    expect(b.timers).toHaveLength(1)
    b.timers[0]!.fn()
    await settle()
    expect(b.posts).toHaveLength(2) // a fresh cookie asked for…
    expect(b.sources).toHaveLength(1) // …refused (401): no stream, and no more tries
    expect(b.timers).toHaveLength(1)
  })

  it('cancels a pending try when closed', async () => {
    const b = fakeBrowser(['offline'])
    const close = browserPoke('secret-token-123456789', () => {}, b.env)
    await settle()
    close()
    expect(b.timers[0]!.cleared).toBe(true)
  })
})
