/**
 * The published ranking of a call (issue 11): `GET /api/public/calls/:id/ranking`, no token. Protocol
 * numbers, scores, ranks and whether each was funded: never a name, an ISEE, a child, a breakdown (its
 * disability and DSA points are health data) or an activation code. Before the assignment there is no
 * ranking to publish: `published: false` and no entries.
 */
import { z } from 'zod'

export const PublicRankingEntry = z.object({
  protocol: z.string(),
  rank: z.number().int().positive(),
  score: z.number().int().nonnegative(),
  funded: z.boolean(),
})
export type PublicRankingEntry = z.infer<typeof PublicRankingEntry>

export const PublicRankingAnswer = z.object({
  callId: z.string(),
  callName: z.string(),
  programName: z.string(),
  published: z.boolean(),
  publishedAt: z.string().nullable(),
  entries: z.array(PublicRankingEntry),
})
export type PublicRankingAnswer = z.infer<typeof PublicRankingAnswer>
