/** Who acts: a role within a program, and the family or provider it acts for. */
export type Role = 'parent' | 'provider' | 'officer'

export interface Actor {
  role: Role
  programId: string
  familyId: string | null
  providerId: string | null
  /**
   * Which person acted: the activation code behind the token (a family's code is shared by both
   * parents; a provider's code by its coordinator's devices; an officer's is one person). Set by the
   * server's auth for the audit log and the statements' four-eyes rule; absent on the phone.
   */
  personId?: string | null
}
