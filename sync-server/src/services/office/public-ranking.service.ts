/**
 * The published ranking (shared/office/public-ranking.schema.ts): what the assignment stored, read
 * without a token, so only what may be published leaves this query (protocol, rank, score, funded).
 * An unknown call is 404; a call not yet assigned answers `published: false`.
 */
import type { PublicRankingAnswer, PublicRankingEntry } from '../../../../shared/office/public-ranking.schema.ts'
import type { Queryable } from '../../db/db.ts'
import { AppError } from '../../errors.ts'

export async function publicRanking(q: Queryable, callId: string): Promise<PublicRankingAnswer> {
  const [call] = await q.query<{ name: string; programName: string; assignedAt: string | null }>(
    `SELECT c.name, p.name AS "programName", c.assigned_at AS "assignedAt" FROM calls c JOIN programs p ON p.id = c.program_id WHERE c.id = $1`,
    [callId],
  )
  if (!call) throw new AppError('not-found', { entity: 'call', id: callId })
  const entries = call.assignedAt === null ? [] : await q.query<PublicRankingEntry>(
    `SELECT protocol, rank, score, funded FROM applications WHERE call_id = $1 AND rank IS NOT NULL ORDER BY rank, protocol`,
    [callId],
  )
  return { callId, callName: call.name, programName: call.programName, published: call.assignedAt !== null, publishedAt: call.assignedAt, entries }
}
