/**
 * Checks a booking request and a place on the waiting list both make, in the same words: the child
 * and the quantity fit the session's service, and the child's voucher covers its share. One place,
 * so a new rule (a need, a limit) reaches both paths.
 */
import { eligibility } from '../catalogue/session.rules.ts'
import { needsFit } from '../catalogue/needs.rules.ts'
import type { Service, Session } from '../catalogue/catalogue.schema.ts'
import type { Child } from '../family/family.schema.ts'
import { ok, refuse, type Result } from '../result.ts'
import { hold } from '../voucher/voucher.rules.ts'
import type { Voucher } from '../voucher/voucher.schema.ts'

/** The quantity within the session's units, the child's age and needs within the service's. */
export function fitsSession(session: Session, child: Child, service: Service, quantity: number): Result<void> {
  if (quantity > session.unitsMax) return refuse('validation', { reason: 'quantity-too-large', unitsMax: session.unitsMax })
  const { age, fits } = eligibility(child.birthDate, service, session)
  if (!fits) return refuse('child-ineligible', { age, ageMinYears: service.ageMinYears, ageMaxYears: service.ageMaxYears })
  const needs = needsFit(child, service)
  return needs.ok ? ok(undefined) : needs
}

/** The voucher with `cents` held (no voucher: nothing to hold, refused as an empty one). */
export function holdShare(voucher: Voucher | null | undefined, cents: number): Result<Voucher> {
  if (!voucher) return refuse('voucher-insufficient', { balanceCents: 0, neededCents: cents })
  return hold(voucher, cents)
}
