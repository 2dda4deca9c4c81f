/**
 * What a mutator may read and write. Two implementations, one contract:
 * - the server's, inside one Postgres transaction, reading with row locks (SELECT … FOR UPDATE)
 *   in the order booking → session → voucher, so concurrent mutations serialise instead of racing;
 * - the phone's, an in-memory overlay over the Dexie mirror, used to replay pending mutations.
 * Mutators read everything they need, decide, and only then write: a refusal writes nothing.
 */
import type { Booking } from '../booking/booking.schema.ts'
import type { Operator, Program, Service, Session } from '../catalogue/catalogue.schema.ts'
import type { Child } from '../family/family.schema.ts'
import type { LedgerEntry, Voucher } from '../voucher/voucher.schema.ts'

export type Role = 'parent' | 'provider' | 'officer'

export interface Actor {
  role: Role
  programId: string
  familyId: string | null
  providerId: string | null
}

export interface MutationContext {
  actor: Actor
  /** ISO timestamp of the deciding side's clock: the server's on the server. */
  now: string
}

export interface MutatorStore {
  program(id: string): Promise<Program | undefined>
  service(id: string): Promise<Service | undefined>
  operator(id: string): Promise<Operator | undefined>
  child(id: string): Promise<Child | undefined>
  /** Locks the row on the server. */
  booking(id: string): Promise<Booking | undefined>
  /** Locks the row on the server. */
  session(id: string): Promise<Session | undefined>
  /**
   * Every booking of a session, in id order; locks the rows on the server (in that order), so a
   * caller that reads them before the session keeps the lock order booking → session → voucher.
   */
  bookingsOfSession(sessionId: string): Promise<Booking[]>
  /** Other sessions of a service, unlocked: only used to suggest alternatives. */
  sessionsOfService(serviceId: string): Promise<Session[]>
  /** Locks the row on the server. */
  voucherOfChild(childId: string, programId: string): Promise<Voucher | undefined>

  insertBooking(b: Booking): Promise<void>
  updateBooking(b: Booking): Promise<void>
  updateSession(s: Session): Promise<void>
  updateVoucher(v: Voucher, entry: LedgerEntry): Promise<void>
  /**
   * Writes the child, and copies its first name onto the child's bookings (`childFirstName`: the
   * provider, who cannot see the family's children, reads it there).
   */
  upsertChild(c: Child): Promise<void>
}
