/**
 * "Seen by N cooperatives" (issue 9): when a provider's pull hands it an open emergency request for
 * the first time, that cooperative is recorded once (emergency_seen) and the request's `seenCount`
 * goes up. The count is stamped in the family's and the office's spaces only, and providers do not
 * receive it (registry `omit`): fifty cooperatives seeing a request poke its family fifty times, not
 * each other (which would make every provider pull again for every other provider's look).
 */
import type { Change } from '../../../../shared/sync/protocol.ts'
import { space } from '../../../../shared/sync/spaces.ts'
import type { AppDeps } from '../../deps.ts'
import type { Auth } from '../auth/principal.ts'
import { versionedWrite } from '../sync/versioned-write.ts'

/** The open requests in a pull's changes, recorded as seen by the pulling provider. */
export async function markSeen(deps: Pick<AppDeps, 'db' | 'notifier'>, auth: Auth, changes: readonly Change[]): Promise<void> {
  const providerId = auth.actor.role === 'provider' ? auth.actor.providerId : null
  if (!providerId) return
  const open = changes
    .filter((c) => c.entity === 'emergencyRequest' && c.op === 'put' && (c.value as { status?: string } | undefined)?.status === 'open')
    .map((c) => c.key)
  if (open.length === 0) return
  await versionedWrite(deps, async (tx, stamps) => {
    const bumped = await tx.query<{ id: string; familyId: string; programId: string }>(
      `WITH fresh AS (
         INSERT INTO emergency_seen (request_id, provider_id)
         SELECT e.id, $2 FROM emergency_requests e WHERE e.id = ANY($1::text[]) AND e.status = 'open' ORDER BY e.id
         ON CONFLICT DO NOTHING RETURNING request_id)
       UPDATE emergency_requests e SET seen_count = seen_count + 1 FROM fresh WHERE e.id = fresh.request_id
       RETURNING e.id, e.family_id AS "familyId", e.program_id AS "programId"`,
      [open, providerId],
    )
    for (const r of bumped) stamps.touch([space.family(r.familyId), space.office(r.programId)], 'emergencyRequest', r.id)
  })
}
