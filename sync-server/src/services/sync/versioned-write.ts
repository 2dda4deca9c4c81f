/**
 * The write half of the pull cookie (read half: pull.service.ts; the argument: docs/sync.md).
 *
 * Every writing transaction records the (space, entity, key) rows it touched in a `Changes`. At the
 * END of the transaction it upserts their `row_versions` stamped with its OWN transaction id
 * (`pg_current_xact_id()`, xid8). A stamp therefore becomes visible exactly when the transaction's
 * effects do: at COMMIT, atomically. A pull reads inside one REPEATABLE READ snapshot and its cookie
 * IS that snapshot; the next pull asks for stamps whose transaction that snapshot did not see
 * (`NOT pg_visible_in_snapshot(xid, cookie)`), so a transaction that commits "late" (after others
 * that started after it) is still returned: nothing is skipped, and no shared counter row is locked
 * until COMMIT (writers of one provider no longer queue behind each other's commit).
 * A row_versions row is only ever written by a transaction that already holds the lock of the entity
 * row it describes, so these upserts never wait on each other in an order that could deadlock.
 */
import { def } from '../../../../shared/entities/registry.ts'
import type { EntityName } from '../../../../shared/sync/protocol.ts'
import type { Db, TxOptions, TxQueryable } from '../../db/db.ts'
import type { Notifier } from '../notify/notifier.ts'

interface Touched {
  space: string
  entity: EntityName
  key: string
  deleted: boolean
}

export class Changes {
  readonly #rows = new Map<string, Touched>()
  readonly #pokes = new Set<string>()

  /** A row was inserted/updated (or deleted) in each of these spaces. */
  touch(spaces: readonly string[], entity: EntityName, key: string, deleted = false): void {
    for (const space of spaces) this.#rows.set(`${space}\u0000${entity}\u0000${key}`, { space, entity, key, deleted })
  }

  /** Nothing stored changed, but the space's listeners should pull (e.g. a new refusal result). */
  poke(space: string): void {
    this.#pokes.add(space)
  }

  get rows(): Touched[] {
    return [...this.#rows.values()]
  }

  get pokes(): string[] {
    return [...this.#pokes]
  }
}

/**
 * A written row is stamped in the spaces it lives in now, and as deleted in those it has left since
 * `base` (its value when the transaction first read it): an emergency request accepted by one
 * cooperative leaves the others' inboxes, because their pull then answers `del`.
 */
export function touchWritten(changes: Changes, entity: EntityName, row: { id: string }, base?: { id: string }): void {
  const now = def(entity).spaces(row as never)
  changes.touch(now, entity, row.id)
  if (!base) return
  const gone = def(entity).spaces(base as never).filter((s) => !now.includes(s))
  if (gone.length) changes.touch(gone, entity, row.id, true)
}

/**
 * Stamps the touched rows' row_versions with this transaction's id (sent: it travels with the COMMIT,
 * and fails the transaction if it fails); returns the spaces touched.
 */
export function stampVersions(tx: TxQueryable, changes: Changes): string[] {
  const rows = changes.rows
  if (rows.length > 0) {
    tx.send(
      `INSERT INTO row_versions (space, entity, key, deleted, xid)
       SELECT u.space, u.entity, u.key, u.deleted, pg_current_xact_id()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[]) AS u(space, entity, key, deleted)
       ON CONFLICT (space, entity, key) DO UPDATE SET xid = EXCLUDED.xid, deleted = EXCLUDED.deleted`,
      [rows.map((r) => r.space), rows.map((r) => r.entity), rows.map((r) => r.key), rows.map((r) => r.deleted)],
    )
  }
  return [...new Set(rows.map((r) => r.space))].sort()
}

/**
 * Runs `fn` in a transaction with a fresh `Changes`, stamps versions before COMMIT, and pokes the
 * listeners of the changed spaces after it (without waiting for the poke to leave). A poke that
 * fails to send is logged, never fatal.
 */
export async function versionedWrite<T>(
  deps: { db: Db; notifier: Notifier },
  fn: (tx: TxQueryable, changes: Changes) => Promise<T>,
  opts?: Pick<TxOptions, 'genericPlans'>,
): Promise<T> {
  let changed: string[] = []
  const result = await deps.db.transaction(async (tx) => {
    const changes = new Changes()
    const value = await fn(tx, changes)
    changed = [...stampVersions(tx, changes), ...changes.pokes]
    return value
  }, opts)
  // Not awaited: a poke is a hint, and the answer to the push need not wait for it to leave.
  if (changed.length > 0) {
    void deps.notifier.publish(changed).catch((e: unknown) => console.error('poke failed:', e instanceof Error ? e.message : e))
  }
  return result
}
