/**
 * Push: send the outbox, in id order, as one envelope. The server processes each mutation in its own
 * transaction and answers one result per mutation it looked at. Refusals are stored right away (the
 * pending item turns into a refused one); nothing leaves the outbox here: only a pull that reports
 * `lastMutationIds[clientId] >= id` removes an entry, so the optimistic effect never flickers away.
 */
import { PROTOCOL_VERSION, PushResponse, type PushRequest } from '../../../shared/index.ts'
import type { ConciliappDb } from '../db/db.ts'
import { getMeta } from '../db/meta.ts'
import { requestJson, SyncHttpError, type FetchFn } from './http.ts'
import { pendingEntries } from './outbox.ts'
import { storeRejections } from './results.ts'

export const PUSH_BATCH = 100

export interface PushOutcome {
  sent: number
  rejected: number
}

export async function push(db: ConciliappDb, fetchFn: FetchFn, token: string, now: () => Date): Promise<PushOutcome> {
  const [entries, clientGroupId] = await Promise.all([pendingEntries(db, PUSH_BATCH), getMeta(db, 'clientGroupId')])
  if (entries.length === 0 || !clientGroupId) return { sent: 0, rejected: 0 }
  const body: PushRequest = {
    protocolVersion: PROTOCOL_VERSION,
    clientGroupId,
    mutations: entries.map(({ clientId, id, name, args, createdAt }) => ({ clientId, id, name, args, createdAt })),
  }
  const raw = await requestJson<unknown>(fetchFn, '/api/sync/push', { token, body })
  const parsed = PushResponse.safeParse(raw)
  if (!parsed.success) throw new SyncHttpError('server', 200, 'bad-response', 'push response does not match the protocol')
  const { results } = parsed.data
  await db.transaction('rw', db.results, db.outbox, () => storeRejections(db, results, now()))
  return { sent: entries.length, rejected: results.filter((r) => r.status === 'rejected').length }
}
