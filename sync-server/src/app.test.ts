/** The one error mapping: database trouble is 503 `unavailable` (the phone retries), never a 500. */
import { describe, expect, it } from 'vitest'
import { createApp } from './app.ts'
import type { Db } from './db/db.ts'
import { memoryNotifier } from './services/notify/notifier.ts'
import { json } from './test/sync-client.ts'
import { createTestServer, TestClock } from './test/test-server.ts'

function failingDb(error: Error): Db {
  const fail = async (): Promise<never> => {
    throw error
  }
  return { kind: 'postgres', query: fail, exec: fail, transaction: fail, close: async () => undefined }
}

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code })

describe('database failures', () => {
  it.each([
    ['connection refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['server shutting down', withCode('terminating connection due to administrator command', '57P01')],
    ['pool ended', new Error('Cannot use a pool after calling end on the pool')],
  ])('answer 503 unavailable: %s', async (_name, error) => {
    const app = createApp({ db: failingDb(error), clock: new TestClock(), notifier: memoryNotifier(), log: () => undefined })
    for (const res of [
      await app.request('/api/health'),
      await app.request('/api/auth/activate', json(null, { code: 'FAM-0001' })),
      await app.request('/api/sync/pull', json('x'.repeat(43), { protocolVersion: 1, clientGroupId: 'g', cookie: null })),
    ]) {
      expect(res.status).toBe(503)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unavailable')
    }
  })

  it('answer 503 when the real database has gone away', async () => {
    const t = await createTestServer({ seed: false })
    await t.db.close()
    const res = await t.app.request('/api/health')
    expect(res.status).toBe(503)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unavailable')
    await t.close()
  })
})
