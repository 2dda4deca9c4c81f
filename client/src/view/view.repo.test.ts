import type { DBCore, DBCoreTable } from 'dexie'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ConciliappDb } from '../db/db.ts'
import { setMeta } from '../db/meta.ts'
import { enqueue } from '../sync/outbox.ts'
import { putMirror } from '../test/device.ts'
import { booking, roomy, territory, world } from '../test/fixtures.ts'
import { readTables, type MirrorReader, type TableRows } from './view.repo.ts'
import { PHASES } from './view.store.ts'

/** Makes the next read by key of a table fail once (a database closed under the reader, say). */
const failing = { next: false }
const failOnce = {
  stack: 'dbcore' as const,
  name: 'fail-once',
  create: (down: DBCore): DBCore => ({
    ...down,
    table(name: string): DBCoreTable {
      const t = down.table(name)
      return {
        ...t,
        getMany: (req) => {
          if (!failing.next) return t.getMany(req)
          failing.next = false
          return Promise.reject(new Error('read failed'))
        },
      }
    },
  }),
}

/** Every request IndexedDB answers for a table, counted below Dexie (whatever API asked): rows by key, or whole reads. */
type Reads = Map<string, { keys: number; scans: number }>
function counting(reads: Reads) {
  const count = (t: string, keys: number, scans: number) => {
    const r = reads.get(t) ?? { keys: 0, scans: 0 }
    reads.set(t, { keys: r.keys + keys, scans: r.scans + scans })
  }
  return {
    stack: 'dbcore' as const,
    name: 'count-reads',
    create: (down: DBCore): DBCore => ({
      ...down,
      table(name: string): DBCoreTable {
        const t = down.table(name)
        return {
          ...t,
          get: (req) => (count(name, 1, 0), t.get(req)),
          getMany: (req) => (count(name, req.keys.length, 0), t.getMany(req)),
          query: (req) => (count(name, 0, 1), t.query(req)),
          openCursor: (req) => (count(name, 0, 1), t.openCursor(req)),
          count: (req) => (count(name, 0, 1), t.count(req)),
        }
      },
    }),
  }
}

let db: ConciliappDb
let reader: MirrorReader | null = null
let reads: Reads
let batches: { changed: Map<string, TableRows>; phase: number | null }[]
let errors: unknown[]
let n = 0

function start() {
  batches = []
  errors = []
  reader = readTables(db, { phases: PHASES, onBatch: (changed, phase) => batches.push({ changed, phase }), onError: (e) => errors.push(e) })
  return reader
}
const settle = async () => {
  await new Promise((r) => setTimeout(r, 0))
  await reader!.settled()
}

beforeEach(async () => {
  reads = new Map()
  db = new ConciliappDb(`view-repo-${n++}`)
  db.use(counting(reads))
  db.use(failOnce)
  await putMirror(db, world({ bookings: [booking({ id: 'b1', status: 'requested' }), booking({ id: 'b2', status: 'confirmed' })] }))
  await setMeta(db, 'clientId', 'c1')
  await setMeta(db, 'cookie', 'k1')
  reads.clear()
})
afterEach(async () => {
  reader?.stop()
  reader = null
  db.close()
  await db.delete()
})

describe('the view reads table by table', () => {
  it('reads every table whole once, the first screens’ tables first and messages after', async () => {
    start()
    await settle()
    expect(batches.map((b) => b.phase)).toEqual([0, 1])
    expect([...batches[0]!.changed.keys()].sort()).toEqual([...PHASES[0]!].sort())
    expect([...batches[1]!.changed.keys()]).toEqual(['messages', 'childChanges', 'birthDateRequests'])
    for (const t of PHASES.flat()) expect(reads.get(t), t).toEqual({ keys: 0, scans: 1 })
    expect(reader!.tables.get('bookings')?.size).toBe(2)
  })

  it('a change to one row of one table reads that row only, and hands on that table only', async () => {
    start()
    await settle()
    const before = new Map(reader!.tables)
    const b1 = before.get('bookings')!.get('b1')
    reads.clear()
    await db.bookings.put(booking({ id: 'b2', status: 'cancelled' }))
    await settle()
    expect(Object.fromEntries(reads)).toEqual({ bookings: { keys: 1, scans: 0 }, meta: { keys: 1, scans: 0 } }) // the row, and the cookie
    expect(batches.at(-1)!.changed.size).toBe(1)
    const after = reader!.tables
    expect(after.get('bookings')).not.toBe(before.get('bookings'))
    expect((after.get('bookings')!.get('b2') as { status: string }).status).toBe('cancelled')
    expect(after.get('bookings')!.get('b1')).toBe(b1) // unchanged rows keep their objects
    for (const t of PHASES.flat().filter((t) => t !== 'bookings')) expect(after.get(t), t).toBe(before.get(t))
  })

  it('a row written again with the same values changes nothing', async () => {
    start()
    await settle()
    const n = batches.length
    await db.territories.put({ ...territory })
    await settle()
    expect(batches.length).toBe(n)
  })

  it('a transaction over several tables arrives as one batch (no screen sees half of a pull)', async () => {
    await enqueue(db, 'booking.request', { bookingId: 'b3', childId: 'ch-1', sessionId: roomy.id, quantity: 1 }, new Date())
    start()
    await settle()
    const n = batches.length
    // What a pull does: the server's row arrives and the outbox entry leaves, with a new cookie.
    await db.transaction('rw', [db.bookings, db.outbox, db.meta], async () => {
      await db.bookings.put(booking({ id: 'b3', status: 'requested' }))
      await db.outbox.clear()
      await setMeta(db, 'cookie', 'k2')
    })
    await settle()
    expect(batches.length).toBe(n + 1)
    expect([...batches.at(-1)!.changed.keys()].sort()).toEqual(['bookings', 'outbox'])
    expect(reader!.tables.get('outbox')!.size).toBe(0)
    expect(reader!.tables.get('bookings')!.has('b3')).toBe(true)
  })

  it('reads every table whole when the cookie moved without a report (a pull in another tab not relayed yet)', async () => {
    start()
    await settle()
    // Written below Dexie: no report reaches this tab.
    const idb = await new Promise<IDBDatabase>((resolve) => {
      const req = indexedDB.open(db.name)
      req.onsuccess = () => resolve(req.result)
    })
    const tx = idb.transaction(['bookings', 'meta'], 'readwrite')
    tx.objectStore('bookings').put(booking({ id: 'b1', status: 'declined' }))
    tx.objectStore('meta').put({ key: 'cookie', value: 'k9' })
    await new Promise((r) => (tx.oncomplete = r))
    idb.close()
    reads.clear()
    await db.territories.put({ ...territory, name: 'Cremona' }) // a change that is reported
    await settle()
    for (const t of PHASES.flat()) expect(reads.get(t)?.scans, t).toBe(1)
    expect((reader!.tables.get('bookings')!.get('b1') as { status: string }).status).toBe('declined')
  })

  it('loses nothing when a read fails: the keys are read with the next change', async () => {
    start()
    await settle()
    failing.next = true
    await db.bookings.put(booking({ id: 'b1', status: 'cancelled' }))
    await settle()
    expect(errors).toHaveLength(1)
    expect((reader!.tables.get('bookings')!.get('b1') as { status: string }).status).toBe('requested')
    await db.bookings.put(booking({ id: 'b2', status: 'cancelled' }))
    await settle()
    const rows = reader!.tables.get('bookings')!
    expect([rows.get('b1'), rows.get('b2')].map((r) => (r as { status: string }).status)).toEqual(['cancelled', 'cancelled'])
  })

  it('reads a cleared table whole', async () => {
    start()
    await settle()
    reads.clear()
    await db.bookings.clear()
    await settle()
    expect(reads.get('bookings')).toEqual({ keys: 0, scans: 1 })
    expect(reader!.tables.get('bookings')!.size).toBe(0)
  })
})
