/**
 * The outbox: mutations typed on this device. Ids are allocated in one read-write transaction over
 * `meta` and `outbox`, so tabs of the same browser profile (which share one clientId) never reuse an id.
 * An entry leaves the outbox only when a pull reports the server has processed it (see pull.ts).
 */
import type { ConciliappDb } from '../db/db.ts'
import type { OutboxEntry } from '../db/db.types.ts'
import { getMeta, setMeta } from '../db/meta.ts'

export class NotActivatedError extends Error {
  constructor() {
    super('This device is not activated: no client id')
  }
}

export async function enqueue(db: ConciliappDb, name: string, args: unknown, now: Date): Promise<OutboxEntry> {
  return db.transaction('rw', db.meta, db.outbox, async () => {
    const clientId = await getMeta(db, 'clientId')
    if (!clientId) throw new NotActivatedError()
    const next = (await getMeta(db, 'nextMutationId')) ?? 1
    const last = (await getMeta(db, 'lastMutationId')) ?? 0
    const newest = (await db.outbox.orderBy('id').last())?.id ?? 0
    const id = Math.max(next, last + 1, newest + 1)
    const entry: OutboxEntry = { id, clientId, name, args, createdAt: now.toISOString() }
    await db.outbox.add(entry)
    await setMeta(db, 'nextMutationId', id + 1)
    return entry
  })
}

export const pendingEntries = (db: ConciliappDb, limit = Infinity): Promise<OutboxEntry[]> =>
  limit === Infinity ? db.outbox.orderBy('id').toArray() : db.outbox.orderBy('id').limit(limit).toArray()

export const pendingCount = (db: ConciliappDb): Promise<number> => db.outbox.count()
