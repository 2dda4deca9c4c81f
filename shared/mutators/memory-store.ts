/**
 * A MutatorStore over plain maps. The phone replays its pending mutations through it on top of
 * a copy of the mirror (the optimistic view); property tests use it as a model of the server.
 */
import type { Booking } from '../booking/booking.schema.ts'
import type { Operator, Program, Service, Session } from '../catalogue/catalogue.schema.ts'
import type { Child } from '../family/family.schema.ts'
import type { LedgerEntry, Voucher } from '../voucher/voucher.schema.ts'
import type { MutatorStore } from './store.ts'

export interface MemoryState {
  programs: Map<string, Program>
  services: Map<string, Service>
  operators: Map<string, Operator>
  children: Map<string, Child>
  bookings: Map<string, Booking>
  sessions: Map<string, Session>
  vouchers: Map<string, Voucher>
  ledger: LedgerEntry[]
}

export const emptyState = (): MemoryState => ({
  programs: new Map(),
  services: new Map(),
  operators: new Map(),
  children: new Map(),
  bookings: new Map(),
  sessions: new Map(),
  vouchers: new Map(),
  ledger: [],
})

const byId = <T extends { id: string }>(rows: Iterable<T>): Map<string, T> => new Map([...rows].map((r) => [r.id, r]))

export function stateFrom(rows: {
  programs?: Iterable<Program>
  services?: Iterable<Service>
  operators?: Iterable<Operator>
  children?: Iterable<Child>
  bookings?: Iterable<Booking>
  sessions?: Iterable<Session>
  vouchers?: Iterable<Voucher>
}): MemoryState {
  return {
    programs: byId(rows.programs ?? []),
    services: byId(rows.services ?? []),
    operators: byId(rows.operators ?? []),
    children: byId(rows.children ?? []),
    bookings: byId(rows.bookings ?? []),
    sessions: byId(rows.sessions ?? []),
    vouchers: byId(rows.vouchers ?? []),
    ledger: [],
  }
}

export function memoryStore(state: MemoryState): MutatorStore {
  return {
    program: async (id) => state.programs.get(id),
    service: async (id) => state.services.get(id),
    operator: async (id) => state.operators.get(id),
    child: async (id) => state.children.get(id),
    booking: async (id) => state.bookings.get(id),
    session: async (id) => state.sessions.get(id),
    bookingsOfSession: async (sessionId) =>
      [...state.bookings.values()].filter((b) => b.sessionId === sessionId).sort((a, b) => a.id.localeCompare(b.id)),
    sessionsOfService: async (serviceId) => [...state.sessions.values()].filter((s) => s.serviceId === serviceId),
    voucherOfChild: async (childId, programId) =>
      [...state.vouchers.values()].find((v) => v.childId === childId && v.programId === programId),
    insertBooking: async (b) => void state.bookings.set(b.id, b),
    updateBooking: async (b) => void state.bookings.set(b.id, b),
    updateSession: async (s) => void state.sessions.set(s.id, s),
    updateVoucher: async (v, entry) => {
      state.vouchers.set(v.id, v)
      state.ledger.push(entry)
    },
    upsertChild: async (c) => {
      state.children.set(c.id, c)
      for (const b of state.bookings.values()) {
        if (b.childId === c.id && b.childFirstName !== c.firstName) state.bookings.set(b.id, { ...b, childFirstName: c.firstName })
      }
    },
  }
}
