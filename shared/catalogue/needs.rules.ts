/**
 * The needs a service accepts (issue 11, configured by the office). A child's needs are set by the
 * office (from the application); a service cares for the needs it accepts:
 *  - a child with a need the service does not accept is refused (the service has no staff for it);
 *  - a service `needsOnly` (an ADHD lab, a DSA after-school) is for children with one of its needs.
 * Null settings mean "not configured": every need accepted, open to every child.
 */
import { ok, refuse, type Result } from '../result.ts'
import type { Child } from '../family/family.schema.ts'
import type { Service } from './catalogue.schema.ts'

export const NEEDS = ['disability', 'dsa'] as const
export type Need = (typeof NEEDS)[number]

export const needsOf = (c: Pick<Child, 'disability' | 'dsa'>): Need[] => NEEDS.filter((n) => c[n] === true)

type NeedSettings = Pick<Service, 'acceptsDisability' | 'acceptsDsa' | 'needsOnly'>

export const acceptedNeeds = (s: NeedSettings): Need[] =>
  NEEDS.filter((n) => (n === 'disability' ? s.acceptsDisability : s.acceptsDsa) !== false)

/** May this child use this service, as far as needs go? */
export function needsFit(child: Pick<Child, 'disability' | 'dsa'>, service: NeedSettings): Result<void> {
  const has = needsOf(child)
  const accepted = acceptedNeeds(service)
  const missing = has.find((n) => !accepted.includes(n))
  if (missing) return refuse('child-ineligible', { reason: 'need-not-accepted', need: missing })
  if (service.needsOnly === true && !has.some((n) => accepted.includes(n))) {
    return refuse('child-ineligible', { reason: 'needs-only', needs: accepted })
  }
  return ok(undefined)
}
