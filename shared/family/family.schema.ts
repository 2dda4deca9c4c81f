import { z } from 'zod'
import { Id, IsoDate } from '../ids.ts'

export const Family = z.object({ id: Id, programId: Id, name: z.string() })
export type Family = z.infer<typeof Family>

export const Child = z.object({
  id: Id,
  familyId: Id,
  firstName: z.string().trim().min(1).max(60),
  birthDate: IsoDate,
})
export type Child = z.infer<typeof Child>
