/**
 * The retention schedule's purge job (docs/privacy-record.md): what is only needed while a service
 * is being arranged goes once that is long over. Booking notes and decline reasons (may be health
 * data) and messages of bookings closed (delivered, liquidated, cancelled, declined) more than
 * NOTE_DAYS ago; refusal results a phone never acknowledged after RESULT_DAYS; Web Push subscriptions
 * of devices whose token has expired (never pushed again: the device must activate anew, and then
 * registers again; a revoked token's went at once, migration 0021). The bookings
 * themselves, vouchers and ledger stay (accounts). Changed rows go through the versioned write, so
 * phones drop what was purged. Run at start and once a day by main.ts; idempotent.
 */
import { def } from '../../../../shared/entities/registry.ts'
import type { AppDeps } from '../../deps.ts'
import { space } from '../sync/spaces.ts'
import { versionedWrite } from '../sync/versioned-write.ts'

export const NOTE_DAYS = 365
export const RESULT_DAYS = 90

export interface PurgeOutcome {
  notes: number
  messages: number
  results: number
  subscriptions: number
}

export async function purgeExpired(deps: Pick<AppDeps, 'db' | 'clock' | 'notifier'>): Promise<PurgeOutcome> {
  const now = deps.clock.now().getTime()
  const notesBefore = new Date(now - NOTE_DAYS * 86_400_000).toISOString()
  const resultsBefore = new Date(now - RESULT_DAYS * 86_400_000).toISOString()
  return versionedWrite(deps, async (tx, changes) => {
    // Bookings first (the push path's lock order), only those closed long ago.
    const notes = await tx.query<{ id: string; familyId: string; providerId: string }>(
      `UPDATE bookings SET note = NULL, decline_reason = NULL
       WHERE id IN (SELECT id FROM bookings WHERE status IN ('delivered', 'liquidated', 'cancelled', 'declined') AND updated_at < $1
                      AND (note IS NOT NULL OR decline_reason IS NOT NULL) ORDER BY id FOR UPDATE)
       RETURNING id, family_id AS "familyId", provider_id AS "providerId"`,
      [notesBefore],
    )
    for (const b of notes) changes.touch(def('booking').spaces(b as never), 'booking', b.id)
    const messages = await tx.query<{ id: string; familyId: string; providerId: string }>(
      `DELETE FROM messages m USING bookings b WHERE b.id = m.booking_id
         AND b.status IN ('delivered', 'liquidated', 'cancelled', 'declined') AND b.updated_at < $1
       RETURNING m.id, m.family_id AS "familyId", m.provider_id AS "providerId"`,
      [notesBefore],
    )
    for (const m of messages) changes.touch([space.family(m.familyId), space.orders(m.providerId)], 'message', m.id, true)
    const results = await tx.query('DELETE FROM mutation_results WHERE created_at < $1 RETURNING mutation_id', [resultsBefore])
    const subscriptions = await tx.query(
      'DELETE FROM push_subscriptions s USING tokens t WHERE t.token_hash = s.token_hash AND t.expires_at <= $1 RETURNING s.endpoint',
      [new Date(now).toISOString()])
    return { notes: notes.length, messages: messages.length, results: results.length, subscriptions: subscriptions.length }
  })
}
