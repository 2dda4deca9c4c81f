/** Who acts: a role within a program, and the family or provider it acts for. */
export type Role = 'parent' | 'provider' | 'officer'

export interface Actor {
  role: Role
  programId: string
  familyId: string | null
  providerId: string | null
}
