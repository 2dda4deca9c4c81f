/**
 * The emergency sweep (issue 9): open requests past their deadline expire (the voucher hold goes
 * back), and those whose usual cooperative's head start is over are offered to the territory.
 * Every server process runs it on a timer; several processes on one Postgres never do the same
 * request twice: the due rows are taken `FOR UPDATE SKIP LOCKED` (a row another process is sweeping,
 * or a push is accepting right now, is skipped and looked at next time; the rule re-reads it locked,
 * so an acceptance that committed first wins). The rule is the shared `advanceEmergency`, through the
 * same overlay store, writes and stamps as a push (sync/server-overlay.ts), so the pokes and pulls follow.
 */
import { advanceEmergency } from '../../../../shared/mutators/emergency.mutators.ts'
import type { AnyRow } from '../../../../shared/mutators/overlay-store.ts'
import type { AppDeps } from '../../deps.ts'
import { applyEach, sendOverlay, serverOverlay } from '../sync/server-overlay.ts'
import { sqlOf } from '../sync/sql.ts'
import { versionedWrite } from '../sync/versioned-write.ts'

const BATCH = 100

/** One pass: the due requests (up to BATCH), each advanced; answers how many changed. */
export async function sweepEmergencies(deps: Pick<AppDeps, 'db' | 'clock' | 'notifier' | 'webPush'>): Promise<number> {
  const now = deps.clock.now().toISOString()
  const offered: string[] = []
  const changedCount = await versionedWrite(deps, async (tx, changes) => {
    const due = await tx.query<AnyRow>(
      `${sqlOf('emergencyRequest').select}
       WHERE status = 'open' AND (deadline_at <= $1 OR (stage = 'usual' AND head_start_ends_at <= $1))
       ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      [now],
    )
    if (due.length === 0) return 0
    const { overlay, rowsOf } = serverOverlay(tx, () => now)
    overlay.seed('emergencyRequest', due)
    // A refusal cannot happen unless the data is corrupt: applyEach leaves that row for a person to look at.
    const changed = await applyEach(overlay, changes, due.map((r) => r.id as string), (id) => advanceEmergency(overlay.store, id, now), (id) => {
      const after = rowsOf('emergencyRequest').get(id)
      if (after?.status === 'open' && after.stage === 'territory') offered.push(id)
    })
    sendOverlay(tx, overlay)
    return changed
  })
  // The head start is over: the territory's cooperatives hear of it by Web Push too (after the commit).
  if (deps.webPush) for (const id of offered) await deps.webPush.requestOpened(id).catch(() => undefined)
  return changedCount
}

/** Runs the sweep every `everyMs` until stopped; a failed pass is logged and tried again next time. */
export function startEmergencySweep(deps: Pick<AppDeps, 'db' | 'clock' | 'notifier' | 'log' | 'webPush'>, everyMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve()
  const timer = setInterval(() => {
    running = running.then(() => sweepEmergencies(deps)).catch((e: unknown) => {
      ;(deps.log ?? console.error)(`emergency sweep failed: ${e instanceof Error ? e.message : String(e)}`)
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
