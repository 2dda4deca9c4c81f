/**
 * Storing the server's refusals. A result may arrive twice (push response, then pull until acked):
 * storing is idempotent and keeps the `dismissed` flag and the original mutation once known.
 */
import { REJECTION_CODES, type RejectionCode } from '../../../shared/errors.ts'
import type { MutationResult } from '../../../shared/sync/protocol.ts'
import type { ConciliappDb } from '../db/db.ts'
import type { StoredResult } from '../db/db.types.ts'

export const resultKey = (clientId: string, mutationId: number): string => `${clientId}:${mutationId}`

const asCode = (code: string | undefined): RejectionCode =>
  (REJECTION_CODES as readonly string[]).includes(code ?? '') ? (code as RejectionCode) : 'invalid-state'

/** Call inside a rw transaction over `results` and `outbox`. Applied / already-processed results are not stored. */
export async function storeRejections(db: ConciliappDb, results: MutationResult[], now: Date): Promise<void> {
  for (const r of results) {
    if (r.status !== 'rejected') continue
    const key = resultKey(r.clientId, r.id)
    const existing = await db.results.get(key)
    const entry = await db.outbox.get(r.id)
    const mutation = entry && entry.clientId === r.clientId ? entry : undefined
    const row: StoredResult = {
      key,
      clientId: r.clientId,
      mutationId: r.id,
      name: mutation?.name ?? existing?.name ?? null,
      args: mutation?.args ?? existing?.args ?? null,
      code: asCode(r.code),
      message: r.message ?? null,
      details: r.details ?? null,
      receivedAt: existing?.receivedAt ?? now.toISOString(),
      dismissed: existing?.dismissed ?? 0,
    }
    await db.results.put(row)
  }
}
