/** Reads everything the derived view needs in one read transaction, so the snapshot is consistent. */
import type { ConciliappDb } from '../db/db.ts'
import type { MirrorSnapshot } from './derive.ts'

export function readSnapshot(db: ConciliappDb): Promise<MirrorSnapshot> {
  return db.transaction('r', [db.programs, db.territories, db.providers, db.operators, db.services, db.sessions,
    db.families, db.children, db.vouchers, db.bookings, db.outbox, db.results], async () => {
    const [programs, territories, providers, operators, services, sessions, families, children, vouchers, bookings, outbox, results] =
      await Promise.all([
        db.programs.toArray(), db.territories.toArray(), db.providers.toArray(), db.operators.toArray(),
        db.services.toArray(), db.sessions.toArray(), db.families.toArray(), db.children.toArray(),
        db.vouchers.toArray(), db.bookings.toArray(), db.outbox.toArray(), db.results.toArray(),
      ])
    return { programs, territories, providers, operators, services, sessions, families, children, vouchers, bookings, outbox, results }
  })
}
