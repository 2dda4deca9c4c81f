/**
 * The SQL store's shortcuts never change an answer: reads served from a prefetch equal the plain
 * reads, a read after a write sees the write, and what a prefetch skipped is read as usual.
 * PGlite or Postgres.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '../../../../shared/mutators/store.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'
import { sqlStore } from './sql-store.ts'
import { Changes } from './versioned-write.ts'

let t: TestServer
beforeAll(async () => {
  t = await createTestServer({ families: 2 })
})
afterAll(() => t.close())

const parent = (familyId: string): Actor => ({ role: 'parent', programId: 'prg-conciliare', familyId, providerId: null })

/** Runs `fn` with a store in a transaction that is always rolled back. */
async function inTx<T>(fn: (store: ReturnType<typeof sqlStore>) => Promise<T>): Promise<T> {
  let out: T | undefined
  await t.db.transaction(async (tx) => {
    out = await fn(sqlStore(tx, new Changes(), TEST_NOW))
    throw new Error('rollback')
  }).catch((e: unknown) => {
    if (!(e instanceof Error && e.message === 'rollback')) throw e
  })
  return out as T
}

describe('the SQL store', () => {
  it('answers a prefetched request exactly as without the prefetch', async () => {
    const [session] = await t.db.query<{ id: string }>("SELECT id FROM sessions WHERE status = 'open' ORDER BY id LIMIT 1")
    if (!session) throw new Error('no session')
    const args = { bookingId: 'bk-none', childId: 'chd-0001-1', sessionId: session.id, quantity: 1 }
    const read = async (store: ReturnType<typeof sqlStore>) => {
      const booking = await store.booking(args.bookingId)
      const child = await store.child(args.childId)
      const s = await store.session(args.sessionId)
      const [service, program] = await Promise.all([store.service(s?.serviceId ?? ''), store.program('prg-conciliare')])
      const voucher = await store.voucherOfChild(args.childId, 'prg-conciliare')
      return { booking, child, s, service, program, voucher }
    }
    const plain = await inTx(read)
    const prefetched = await inTx(async (store) => {
      store.prefetch('booking.request', args, parent('fam-0001'))
      return read(store)
    })
    expect(prefetched).toEqual(plain)
    expect(plain.voucher?.id).toBe('vch-0001-1')
    expect(plain.booking).toBeUndefined()
  })

  it('reads what it wrote, even when the row was prefetched', async () => {
    const [session] = await t.db.query<{ id: string }>("SELECT id FROM sessions WHERE status = 'open' ORDER BY id LIMIT 1")
    if (!session) throw new Error('no session')
    const after = await inTx(async (store) => {
      store.prefetch('booking.request', { bookingId: 'bk-x', childId: 'chd-0001-1', sessionId: session.id }, parent('fam-0001'))
      const s = await store.session(session.id)
      if (!s) throw new Error('no session')
      await store.updateSession({ ...s, placesLeft: s.placesLeft - 1 })
      return { before: s.placesLeft, after: (await store.session(session.id))?.placesLeft }
    })
    expect(after.after).toBe(after.before - 1)
  })

  it('reads as usual what the prefetch left out (another family’s voucher)', async () => {
    const voucher = await inTx(async (store) => {
      store.prefetch('booking.request', { bookingId: 'bk-y', childId: 'chd-0002-1', sessionId: 'ses-none' }, parent('fam-0001'))
      return store.voucherOfChild('chd-0002-1', 'prg-conciliare')
    })
    expect(voucher?.id).toBe('vch-0002-1')
  })
})
