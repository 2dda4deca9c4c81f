import { z } from 'zod'
import { Id, IsoDate } from '../ids.ts'

export const Family = z.object({ id: Id, programId: Id, name: z.string() })
export type Family = z.infer<typeof Family>

export const Child = z.object({
  id: Id,
  familyId: Id,
  firstName: z.string().trim().min(1).max(60),
  birthDate: IsoDate,
  /**
   * Needs that decide which services the child may use (needs.rules.ts): set by the office from the
   * application (a disability; DSA/ADHD), never by the phone. Null: none declared.
   */
  disability: z.boolean().nullish(),
  dsa: z.boolean().nullish(),
})
export type Child = z.infer<typeof Child>
