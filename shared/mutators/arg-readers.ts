/**
 * Reading mutation args the phone itself queued (outbox entries, stored refusals) WITHOUT zod: the
 * first screen's stores list pending and refused requests, and zod stays off that screen (issue 10).
 * These check the shape a store reads (each field's type, required or optional), not the rules
 * (id syntax, lengths, ranges): the shared mutators and the server validate with the zod schemas in
 * args.ts. Each reader's shape is typed by its schema's type: a field added to, removed from or
 * retyped in the schema and not here does not compile (arg-readers.test.ts checks them at run time).
 */
import type { BookingRequestArgs, EmergencyRequestArgs, MessageSendArgs } from './args.ts'

/** Mutation args not validated yet (a queued entry, an incoming push) as a record; anything else is empty. */
export const argsRecord = (args: unknown): Record<string, unknown> =>
  typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {}

/** A string field of args not validated yet, or null. */
export const stringArg = (args: unknown, key: string): string | null => {
  const value = argsRecord(args)[key]
  return typeof value === 'string' ? value : null
}

type Kind = 'string' | 'number' | 'boolean' | 'object'
type KindOf<V> = V extends string ? 'string' : V extends number ? 'number' : V extends boolean ? 'boolean' : V extends object ? 'object' : never
/** Every field of T with its kind; optional ones end in `?`. */
export type ArgShape<T> = { readonly [K in keyof T]-?: undefined extends T[K] ? `${KindOf<NonNullable<T[K]>>}?` : KindOf<T[K]> }

/** `args` as T when every field has its kind (optional ones may be absent), else null. */
export function readArgs<T>(args: unknown, shape: ArgShape<T>): T | null {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return null
  const record = args as Record<string, unknown>
  for (const [key, want] of Object.entries(shape) as [string, string][]) {
    const optional = want.endsWith('?')
    const kind = (optional ? want.slice(0, -1) : want) as Kind
    const value = record[key]
    if (value === undefined && optional) continue
    if (typeof value !== kind || (kind === 'number' && !Number.isFinite(value)) || value === null) return null
  }
  return record as T
}

export const BOOKING_REQUEST_SHAPE: ArgShape<BookingRequestArgs> = {
  bookingId: 'string', childId: 'string', sessionId: 'string', quantity: 'number', note: 'string?', address: 'string?', expectedUnitPriceCents: 'number?',
  recurrence: 'object?',
}
export const MESSAGE_SEND_SHAPE: ArgShape<MessageSendArgs> = { messageId: 'string', bookingId: 'string', body: 'string' }
export const EMERGENCY_REQUEST_SHAPE: ArgShape<EmergencyRequestArgs> = {
  requestId: 'string', childId: 'string', startsAt: 'string', endsAt: 'string', address: 'string?', note: 'string?', deadlineAt: 'string?',
  territoryId: 'string?',
}

export const readBookingRequest = (args: unknown) => readArgs<BookingRequestArgs>(args, BOOKING_REQUEST_SHAPE)
export const readMessageSend = (args: unknown) => readArgs<MessageSendArgs>(args, MESSAGE_SEND_SHAPE)
export const readEmergencyRequest = (args: unknown) => readArgs<EmergencyRequestArgs>(args, EMERGENCY_REQUEST_SHAPE)
