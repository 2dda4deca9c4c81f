/**
 * What each rejection code's `details` holds, as zod schemas: the rules and mutators build them
 * (`refuse` in result.ts is typed by these, so a wrong shape does not compile) and the phone parses
 * them before putting numbers into words (client/src/i18n/errors.ts).
 * Loose objects: a refusal stored by an older server, or carrying keys added later (the server adds
 * `messageEn` when it stores one), still parses. A field is required only where every rule that
 * refuses with that code has always sent it; otherwise it is optional and the words fall back.
 * Contract: codes and fields are extended, never renamed or dropped.
 */
import { z } from 'zod'
import type { RejectionCode } from './errors.ts'

/** Another session a family could book instead (booking.request, when full or closed). */
export const Alternative = z.looseObject({
  sessionId: z.string(),
  providerId: z.string(),
  startsAt: z.string(),
  placesLeft: z.number(),
  unitPriceCents: z.number(),
})
export type Alternative = z.infer<typeof Alternative>

const alternatives = z.array(Alternative).optional()
/** Sent by the server with every stored refusal: its English words (the Italian are `message`). */
const messageEn = z.string().optional()
const count = z.number()

export const REFUSAL_DETAILS = {
  /** session.rules `takePlace` (+ alternatives from booking.request). */
  'capacity-full': z.looseObject({ places: count.optional(), placesLeft: count.optional(), alternatives, messageEn }),
  /** voucher.rules `hold`, booking.request without a voucher (balance 0). */
  'voucher-insufficient': z.looseObject({ balanceCents: count, neededCents: count, messageEn }),
  /** session.rules `bookable` (status, startsAt + alternatives), session.close on a closed session. */
  /** … and {reason: 'outside-program-period', startsAt, periodFrom?, periodTo?} (a session outside the program's period). */
  'session-closed': z.looseObject({
    status: z.string().optional(), startsAt: z.string().optional(), reason: z.string().optional(), periodFrom: z.string().optional(),
    periodTo: z.string().optional(), alternatives, messageEn,
  }),
  /** booking.request with an expected unit price the session no longer has. */
  'price-changed': z.looseObject({ unitPriceCents: count, totalCents: count, messageEn }),
  /**
   * booking.request for a child outside the service's age range {age, ageMinYears, ageMaxYears}, or
   * whose needs the service does not take (needs.rules.ts): {reason: 'need-not-accepted', need} or
   * {reason: 'needs-only', needs} (the service is only for children with one of `needs`).
   */
  'child-ineligible': z.looseObject({
    age: count.optional(),
    ageMinYears: count.optional(),
    ageMaxYears: count.optional(),
    reason: z.string().optional(),
    need: z.string().optional(),
    needs: z.array(z.string()).optional(),
    messageEn,
  }),
  /**
   * booking.rules `transition` {status, action}; voucher.rules release/consume {heldCents, …};
   * session.rules `releasePlace` {places, placesLeft}; booking.request {reason: 'booking-exists'};
   * booking.request {reason: 'already-booked', bookingId, quantity, status}: the child already holds a
   * live booking of the session (the phone offers booking.changeQuantity on `bookingId` instead);
   * the server on a race the rules could not see {reason: 'conflict'};
   * booking.cancel too close to the session {reason: 'cancellation-window', windowHours, startsAt}.
   */
  'invalid-state': z.looseObject({
    status: z.string().optional(),
    action: z.string().optional(),
    reason: z.string().optional(),
    heldCents: count.optional(),
    releaseCents: count.optional(),
    consumeCents: count.optional(),
    places: count.optional(),
    placesLeft: count.optional(),
    bookingId: z.string().optional(),
    quantity: count.optional(),
    windowHours: count.optional(),
    startsAt: z.string().optional(),
    messageEn,
  }),
  /**
   * The actor's role when the mutation is not for it; nothing when the row is someone else's;
   * {reason: 'same-officer'} when an officer approves the statement they prepared (office);
   * {reason: 'not-accredited', serviceId} a session of a service the provider is not accredited for;
   * {reason: 'provider-suspended'} a suspended provider's new or changed session.
   */
  forbidden: z.looseObject({ role: z.string().optional(), reason: z.string().optional(), serviceId: z.string().optional(), messageEn }),
  /** Which kind of row was missing and, where known, its id (or the child it was looked up by). */
  'not-found': z.looseObject({ entity: z.string().optional(), id: z.string().optional(), childId: z.string().optional(), messageEn }),
  /** emergency.accept of a request someone else accepted first: nothing more to say. */
  'already-taken': z.looseObject({ messageEn }),
  /**
   * Bad args: {issues} (zod's tree), {reason: 'unknown-mutation', name?},
   * {reason: 'quantity-too-large', unitsMax}, {reason: 'bad-data'} (a value the database refused),
   * {reason: 'quantity-unchanged'} (booking.changeQuantity to the quantity it already has),
   * {reason: 'price-above-accredited', maxUnitPriceCents} (a session priced above the accredited ceiling).
   */
  validation: z.looseObject({
    reason: z.string().optional(), issues: z.unknown().optional(), unitsMax: count.optional(), name: z.string().optional(),
    maxUnitPriceCents: count.optional(), messageEn,
  }),
} satisfies Record<RejectionCode, z.ZodType<Record<string, unknown>>>

/** The details a rule may send with code `C` (what `refuse` accepts). */
export type RefusalDetails<C extends RejectionCode = RejectionCode> = z.input<(typeof REFUSAL_DETAILS)[C]>
/** The details of code `C` once parsed (what the phone's words receive). */
export type ParsedRefusalDetails<C extends RejectionCode = RejectionCode> = z.output<(typeof REFUSAL_DETAILS)[C]>

/** `details` (absent: `{}`) parsed with `code`'s schema, or null when they do not fit it. */
export function parseRefusalDetails<C extends RejectionCode>(code: C, details: unknown): ParsedRefusalDetails<C> | null {
  const parsed = REFUSAL_DETAILS[code].safeParse(details ?? {})
  return parsed.success ? (parsed.data as ParsedRefusalDetails<C>) : null
}
