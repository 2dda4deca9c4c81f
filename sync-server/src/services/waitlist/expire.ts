/**
 * The waiting list's sweep (issue 10): an entry still `waiting` when its session starts ends `expired`
 * (no place freed in time), so the family's phone stops showing a wait that cannot end well, and the
 * session's `waiting` counter (0016) goes down with it. Like the emergency sweep (emergency/sweep.ts):
 * every server process runs it on a timer; it locks in the registry's lock order, the sessions first
 * (`FOR UPDATE SKIP LOCKED`: a session a push holds right now is looked at next time), then their
 * waiting entries; the shared `expireWaiting` runs over the server's overlay store (sync/server-overlay.ts)
 * and its rows are stamped and written as a push's, so the pokes and pulls follow.
 */
import { expireWaiting } from '../../../../shared/mutators/waitlist.mutators.ts'
import type { AnyRow } from '../../../../shared/mutators/overlay-store.ts'
import type { AppDeps } from '../../deps.ts'
import { applyEach, sendOverlay, serverOverlay } from '../sync/server-overlay.ts'
import { sqlOf } from '../sync/sql.ts'
import { versionedWrite } from '../sync/versioned-write.ts'

const BATCH = 200

/** One pass: the entries of up to BATCH started sessions expired; answers how many changed. */
export async function expireWaitlist(deps: Pick<AppDeps, 'db' | 'clock' | 'notifier'>): Promise<number> {
  const now = deps.clock.now().toISOString()
  return versionedWrite(deps, async (tx, changes) => {
    // The sessions with someone still waiting that have started (the waiting entries: a partial index, few rows).
    const started = await tx.query<{ id: string }>(
      `SELECT DISTINCT s.id FROM waitlist_entries w JOIN sessions s ON s.id = w.session_id
       WHERE w.status = 'waiting' AND s.starts_at <= $1 ORDER BY s.id LIMIT ${BATCH}`,
      [now],
    )
    if (started.length === 0) return 0
    const sessions = await tx.query<AnyRow>(`${sqlOf('session').select} WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE SKIP LOCKED`, [started.map((r) => r.id)])
    if (sessions.length === 0) return 0
    const due = await tx.query<AnyRow>(
      `${sqlOf('waitlistEntry').select} WHERE status = 'waiting' AND session_id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
      [sessions.map((r) => r.id)],
    )
    const { overlay } = serverOverlay(tx, () => now) // the rule reads only the rows seeded here
    overlay.seed('session', sessions)
    overlay.seed('waitlistEntry', due)
    const changed = await applyEach(overlay, changes, due.map((w) => w.id as string), (id) => expireWaiting(overlay.store, id, now))
    sendOverlay(tx, overlay)
    return changed
  })
}

/** Runs the sweep every `everyMs` until stopped; a failed pass is logged and tried again next time. */
export function startWaitlistSweep(deps: Pick<AppDeps, 'db' | 'clock' | 'notifier' | 'log'>, everyMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve()
  const timer = setInterval(() => {
    running = running.then(() => expireWaitlist(deps)).catch((e: unknown) => {
      ;(deps.log ?? console.error)(`waiting-list sweep failed: ${e instanceof Error ? e.message : String(e)}`)
    })
  }, everyMs)
  timer.unref()
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
