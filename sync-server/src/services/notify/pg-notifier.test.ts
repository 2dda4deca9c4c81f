/** Pokes across processes through Postgres LISTEN/NOTIFY (runs only with TEST_DATABASE_URL). */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { testDatabaseUrl } from '../../env.ts'
import { activate, SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer } from '../../test/test-server.ts'
import { pgNotifier } from './pg-notifier.ts'

const url = testDatabaseUrl()
const channel = () => `test_poke_${randomBytes(4).toString('hex')}`

describe.runIf(url)('pgNotifier', () => {
  it('delivers a publish from one notifier to the subscribers of another, in chunks if long', async () => {
    const ch = channel()
    const [a, b] = await Promise.all([pgNotifier(url ?? '', ch), pgNotifier(url ?? '', ch)])
    try {
      const got: string[] = []
      b.subscribe((spaces) => got.push(...spaces))
      const many = Array.from({ length: 400 }, (_, i) => `catalog:prv-provider-number-${i}`)
      await a.publish(['family:fam-0001', 'orders:prv-altana'])
      await a.publish(many)
      for (let i = 0; i < 500 && got.length < 402; i++) await new Promise((r) => setTimeout(r, 20))
      expect(got.slice(0, 2)).toEqual(['family:fam-0001', 'orders:prv-altana'])
      expect(got.slice(2)).toEqual(many)
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })

  it('pokes a stream on one server process when another process commits a change', async () => {
    const ch = channel()
    const t = await createTestServer({ families: 2, notifier: await pgNotifier(url ?? '', ch), heartbeatMs: 200 })
    try {
      const second = await t.secondApp(await pgNotifier(url ?? '', ch))
      const token = await activate(t.app, 'FAM-0001')
      const res = await t.app.request(`/api/sync/poke?token=${token}`)
      const reader = res.body?.getReader()
      let text = ''
      const reading = (async () => {
        for (;;) {
          const r = await reader?.read().catch(() => undefined)
          if (!r || r.done) return
          text += new TextDecoder().decode(r.value)
        }
      })()
      const other = new SyncClient(second.app, await activate(second.app, 'FAM-0002'))
      const r = await other.push('booking.request', { bookingId: uniqueId('x'), childId: 'chd-0002-1', sessionId: 'ses-altana-babysitting-20261124', quantity: 1 })
      expect(r.status).toBe('applied')
      for (let i = 0; i < 500 && !text.includes('event: poke'); i++) await new Promise((res2) => setTimeout(res2, 20))
      expect(text).toContain('event: poke')
      await reader?.cancel()
      await reading
    } finally {
      await t.close()
    }
  })
})
