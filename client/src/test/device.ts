/** Put the test device in a known state: activated (or not) with a given mirror. */
import type { ActivateResponse } from '../../../shared/index.ts'
import type { ConciliappDb } from '../db/db.ts'
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
  await db.transaction('rw', [db.programs, db.territories, db.providers, db.operators, db.services, db.sessions, db.families, db.children, db.vouchers, db.bookings], async () => {
    await db.programs.bulkPut(m.programs ?? [])
    await db.territories.bulkPut(m.territories ?? [])
    await db.providers.bulkPut(m.providers ?? [])
    await db.operators.bulkPut(m.operators ?? [])
    await db.services.bulkPut(m.services ?? [])
    await db.sessions.bulkPut(m.sessions ?? [])
    await db.families.bulkPut(m.families ?? [])
    await db.children.bulkPut(m.children ?? [])
    await db.vouchers.bulkPut(m.vouchers ?? [])
    await db.bookings.bulkPut(m.bookings ?? [])
  })
}
