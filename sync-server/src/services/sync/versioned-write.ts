/**
 * The write half of the pull cookie (read half: pull.service.ts; the argument: docs/sync.md).
 *
 * Every writing transaction records the (space, entity, key) rows it touched in a `Changes`. At the
 * END of the transaction, after every row lock it needed, it bumps each touched space in sorted order
 * (`version = version + 1 … RETURNING`, which locks the space row until commit) and stamps the rows'
 * `row_versions` with the new version. Two writers of one space therefore commit their versions in
 * order: whoever holds version v has committed before anyone gets v+1. A reader that first reads the
 * space's committed version V and then asks for row_versions in (cookie, V] can never miss a row
 * that a later pull would not return either.
 * Sorted order + "spaces last" keeps the lock order global (client → booking → session → voucher →
 * spaces), so the bump cannot deadlock with the mutators' own locks.
 */
import type { EntityName } from '../../../../shared/sync/protocol.ts'
import type { Db, Queryable } from '../../db/db.ts'
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

/** Bumps the touched spaces (sorted) and stamps row_versions; returns the spaces bumped. */
export async function stampVersions(tx: Queryable, changes: Changes): Promise<string[]> {
  const rows = changes.rows
  const spaces = [...new Set(rows.map((r) => r.space))].sort()
  const versionOf = new Map<string, number>()
  for (const s of spaces) {
    const [row] = await tx.query<{ version: number }>(
      `INSERT INTO spaces (id, version) VALUES ($1, 1)
       ON CONFLICT (id) DO UPDATE SET version = spaces.version + 1 RETURNING version`,
      [s],
    )
    if (!row) throw new Error(`space ${s}: no version returned`)
    versionOf.set(s, row.version)
  }
  if (rows.length > 0) {
    await tx.query(
      `INSERT INTO row_versions (space, entity, key, version, deleted)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::boolean[])
       ON CONFLICT (space, entity, key) DO UPDATE SET version = EXCLUDED.version, deleted = EXCLUDED.deleted`,
      [rows.map((r) => r.space), rows.map((r) => r.entity), rows.map((r) => r.key), rows.map((r) => versionOf.get(r.space)), rows.map((r) => r.deleted)],
    )
  }
  return spaces
}

/**
 * Runs `fn` in a transaction with a fresh `Changes`, stamps versions before COMMIT, and pokes the
 * listeners of the changed spaces after it. A poke that fails to send is logged, never fatal.
 */
export async function versionedWrite<T>(
  deps: { db: Db; notifier: Notifier },
  fn: (tx: Queryable, changes: Changes) => Promise<T>,
): Promise<T> {
  let changed: string[] = []
  const result = await deps.db.transaction(async (tx) => {
    const changes = new Changes()
    const value = await fn(tx, changes)
    changed = [...(await stampVersions(tx, changes)), ...changes.pokes]
    return value
  })
  if (changed.length > 0) {
    await deps.notifier.publish(changed).catch((e: unknown) => console.error('poke failed:', e instanceof Error ? e.message : e))
  }
  return result
}
