/**
 * Reading a refusal's `details` WITHOUT zod, for the phone's words on its first screen (a refused
 * booking on the plan; issue 10 keeps zod off that screen). The same fields as the schemas in
 * refusals.ts, which stay the source of truth for the rules and the server: refusal-reader.test.ts
 * checks that every code has the same fields, optional where the schema's are, and that both
 * accept and refuse the same details.
 */
import type { RejectionCode } from './errors.ts'
import type { ParsedRefusalDetails } from './refusals.ts'

/** A field's kind: `alternatives` is an array of refusals.ts `Alternative`; `?` marks optional fields. */
type Kind = 'number' | 'string' | 'strings' | 'unknown' | 'alternatives'
type Field = Kind | `${Kind}?`

const common = { messageEn: 'string?' } as const
export const REFUSAL_FIELDS: { readonly [C in RejectionCode]: Readonly<Record<string, Field>> } = {
  'capacity-full': { places: 'number?', placesLeft: 'number?', alternatives: 'alternatives?', ...common },
  'voucher-insufficient': { balanceCents: 'number', neededCents: 'number', ...common },
  'session-closed': {
    status: 'string?', startsAt: 'string?', reason: 'string?', periodFrom: 'string?', periodTo: 'string?', alternatives: 'alternatives?', ...common,
  },
  'price-changed': { unitPriceCents: 'number', totalCents: 'number', ...common },
  'child-ineligible': {
    age: 'number?', ageMinYears: 'number?', ageMaxYears: 'number?', reason: 'string?', need: 'string?', needs: 'strings?', ...common,
  },
  'invalid-state': {
    status: 'string?', action: 'string?', reason: 'string?', heldCents: 'number?', releaseCents: 'number?', consumeCents: 'number?',
    places: 'number?', placesLeft: 'number?', bookingId: 'string?', quantity: 'number?', windowHours: 'number?', startsAt: 'string?', ...common,
  },
  forbidden: { role: 'string?', reason: 'string?', serviceId: 'string?', ...common },
  'not-found': { entity: 'string?', id: 'string?', childId: 'string?', ...common },
  'already-taken': { ...common },
  validation: { reason: 'string?', issues: 'unknown?', unitsMax: 'number?', name: 'string?', maxUnitPriceCents: 'number?', ...common },
}

/** The fields of one alternative session (refusals.ts `Alternative`). */
export const ALTERNATIVE_FIELDS = { sessionId: 'string', providerId: 'string', startsAt: 'string', placesLeft: 'number', unitPriceCents: 'number' } as const

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function fits(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'unknown': return true
    case 'number': return typeof value === 'number' && Number.isFinite(value)
    case 'string': return typeof value === 'string'
    case 'strings': return Array.isArray(value) && value.every((x) => typeof x === 'string')
    case 'alternatives':
      return Array.isArray(value) && value.every((a) => isRecord(a) && Object.entries(ALTERNATIVE_FIELDS).every(([k, t]) => fits(a[k], t)))
  }
}

/** `details` (absent: `{}`) read by `code`'s fields, or null when they do not fit (as parseRefusalDetails). */
export function readRefusalDetails<C extends RejectionCode>(code: C, details: unknown): ParsedRefusalDetails<C> | null {
  const d = details ?? {}
  if (!isRecord(d)) return null
  for (const [key, field] of Object.entries(REFUSAL_FIELDS[code])) {
    const optional = field.endsWith('?')
    const kind = (optional ? field.slice(0, -1) : field) as Kind
    if (d[key] === undefined && optional) continue
    if (!fits(d[key], kind)) return null
  }
  return d as ParsedRefusalDetails<C>
}
