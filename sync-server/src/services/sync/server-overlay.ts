/**
 * The shared mutators, run on the server over one overlay store per transaction
 * (shared/mutators/overlay-store.ts). Three callers decide with them: the push (decide.ts), the
 * emergency sweep (emergency/sweep.ts) and the office's commands that decide as a provider
 * (providers.service.ts: a suspension closes the provider's sessions with `session.close`). They read,
 * stamp and write alike through these helpers:
 * - `serverOverlay(tx, now)`: the store over the transaction (a row nobody seeded is read, and locked,
 *   when a rule asks for it);
 * - `keepWritten(overlay, changes)`: a mutation applied, its rows are stamped in their spaces (and as
 *   deleted in those they left, touchWritten);
 * - `sendOverlay(tx, overlay)`: once, at the end, every row written, one statement per table (registry
 *   order: parents before children), then the ledger rows.
 */
import { ENTITY_NAMES, type EntityName } from '../../../../shared/entities/registry.ts'
import { overlayStore, type AnyRow, type Backing, type Overlay, type Written } from '../../../../shared/mutators/overlay-store.ts'
import type { Result } from '../../../../shared/result.ts'
import type { TxQueryable } from '../../db/db.ts'
import { lookupQuery, sendLedger, sendWrites, sqlOf } from './sql.ts'
import { touchWritten, type Changes } from './versioned-write.ts'

/** Reads of the overlay's misses: by ids, or by a registry lookup (with its lock). */
export const backingOf = (tx: TxQueryable, now: () => string): Backing => ({
  byIds: (e, ids) => tx.query<AnyRow>(sqlOf(e).byIds, [ids]),
  find: (e, lookup, key) => {
    const q = lookupQuery(e, lookup, key, now())
    return tx.query<AnyRow>(q.sql, q.params)
  },
})

/** A fresh overlay over `tx`; `rowsOf(e)`: the rows of `e` it knows (seeded, read or written). */
export function serverOverlay(tx: TxQueryable, now: () => string): { overlay: Overlay; rowsOf: (e: EntityName) => Map<string, AnyRow> } {
  const known = new Map<EntityName, Map<string, AnyRow>>(ENTITY_NAMES.map((e) => [e, new Map()]))
  const rowsOf = (e: EntityName) => known.get(e)!
  return { overlay: overlayStore(rowsOf, backingOf(tx, now)), rowsOf }
}

/** The mutation since `overlay.begin()` applied: its rows are stamped in their spaces; returns them. */
export function keepWritten(overlay: Overlay, changes: Changes): Written[] {
  const written = overlay.keep()
  for (const w of written) touchWritten(changes, w.entity, w.row, overlay.dirty.get(w.entity)?.get(w.row.id)?.base)
  return written
}

/**
 * A sweep's pass (waiting entries expiring, emergencies advancing): the rule run on each id, one at a
 * time on the overlay; a refusal is undone (left for a person to look at), a change kept and stamped.
 * `onChanged` sees each id the rule changed. Returns how many it changed; the caller then sends the overlay.
 */
export async function applyEach(overlay: Overlay, changes: Changes, ids: readonly string[],
  rule: (id: string) => Promise<Result<boolean>>, onChanged?: (id: string) => void): Promise<number> {
  let changed = 0
  for (const id of ids) {
    overlay.begin()
    const result = await rule(id)
    if (!result.ok) {
      overlay.undo()
      continue
    }
    if (result.value) {
      changed++
      onChanged?.(id)
    }
    keepWritten(overlay, changes)
  }
  return changed
}

/** Every row the kept mutations wrote, one statement per table (parents before children), then the ledger. */
export function sendOverlay(tx: TxQueryable, overlay: Overlay): void {
  for (const e of ENTITY_NAMES) {
    const dirty = overlay.dirty.get(e)
    if (dirty?.size) sendWrites(tx, e, dirty.values())
  }
  sendLedger(tx, overlay.ledger)
}
