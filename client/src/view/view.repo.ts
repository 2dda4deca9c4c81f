/** Reads everything the derived view needs in one read transaction, so the snapshot is consistent. */
import { ENTITIES, ENTITY_NAMES } from '../../../shared/index.ts'
import type { ConciliappDb } from '../db/db.ts'
import { mirrorTables } from '../db/db.ts'
import type { MirrorSnapshot } from './derive.ts'

export function readSnapshot(db: ConciliappDb): Promise<MirrorSnapshot> {
  return db.transaction('r', [...mirrorTables(db), db.outbox, db.results], async () => {
    const [outbox, results, ...mirrors] = await Promise.all([db.outbox.toArray(), db.results.toArray(), ...ENTITY_NAMES.map((e) => db.mirror(e).toArray())])
    const rows = Object.fromEntries(ENTITY_NAMES.map((e, i) => [ENTITIES[e].mirror, mirrors[i]]))
    return { ...rows, outbox, results } as MirrorSnapshot
  })
}
