/**
 * Who is calling: the actor the mutators see (shared/mutators/store.ts) plus the principal that
 * owns sync clients. A principal is the family, the provider or the officer's code a token was
 * issued for, so both parents' phones are one principal and the office is another.
 */
import type { Actor } from '../../../../shared/mutators/store.ts'

export interface Auth {
  actor: Actor
  principal: string
  displayName: string
  /** sha256 of the bearer token: how the token is stored, and its rate-limit key. */
  tokenHash: string
}

export function principalOf(actor: Actor, codeId: string): string {
  if (actor.role === 'parent' && actor.familyId) return `family:${actor.familyId}`
  if (actor.role === 'provider' && actor.providerId) return `provider:${actor.providerId}`
  if (actor.role === 'operator' && actor.operatorId) return `operator:${actor.operatorId}`
  return `officer:${codeId}`
}
