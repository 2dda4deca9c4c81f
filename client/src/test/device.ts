/** Put the test device in a known state: activated (or not) with a given mirror. */
import { ENTITIES, ENTITY_NAMES, type ActivateResponse } from '../../../shared/index.ts'
import { mirrorTables, type ConciliappDb } from '../db/db.ts'
import { clearAll, saveActivation } from '../features/auth/auth.repo.ts'
import type { World } from './fixtures.ts'

export async function resetDevice(db: ConciliappDb): Promise<void> {
  await clearAll(db)
}

export async function activateDevice(db: ConciliappDb, auth: ActivateResponse, mirror?: Partial<World>): Promise<void> {
  await clearAll(db)
  await saveActivation(db, auth)
  if (mirror) await putMirror(db, mirror)
}

export async function putMirror(db: ConciliappDb, m: Partial<World>): Promise<void> {
  await db.transaction('rw', mirrorTables(db), async () => {
    for (const e of ENTITY_NAMES) await db.mirror(e).bulkPut((m[ENTITIES[e].mirror] ?? []) as never[])
  })
}
