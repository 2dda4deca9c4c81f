/** Who acts: a role within a program, and the family or provider it acts for. */
/** `operator`: an operator of a provider (carries its providerId and operatorId), under their own code. */
export type Role = 'parent' | 'provider' | 'officer' | 'operator'

export interface Actor {
  role: Role
  programId: string
  familyId: string | null
  providerId: string | null
  /**
   * Which person acted: the activation code behind the token (a family's code is shared by both
   * parents; a provider's code by its coordinator's devices; an operator's and an officer's is one
   * person). Set by the server's auth for the audit log and the statements' four-eyes rule; absent on the phone.
   */
  personId?: string | null
  /** An operator of a provider acting under their own code (role `operator`). */
  operatorId?: string | null
}

/**
 * How a booking records who acted (`confirmedBy`, `deliveredBy`): `operator:<operatorId>` for an
 * operator (the provider's phone shows the name), `person:<codeId>` for anyone else (the coordinator's
 * code; the audit trail names it), null when unknown (rule tests).
 */
export const personOf = (a: Actor): string | null =>
  a.operatorId ? `operator:${a.operatorId}` : a.personId ? `person:${a.personId}` : null
