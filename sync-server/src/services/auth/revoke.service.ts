/**
 * The office revokes activation codes: a family's (a lost phone, a family leaving the program), a
 * provider's (an operator who left), or one code by its text. Revoking a code revokes every token
 * it issued, in the same transaction, so each of its devices gets 401 on its next push, pull or
 * poke; the code no longer activates. Then the revoked principals are poked: their open poke
 * streams re-check their tokens at once, tell the phone to pull (which answers 401) and close.
 * Only codes of the officer's own program can be revoked; anything else is `not-found`.
 * Token caches (token-cache.ts): this app's is cleared once the revocation is committed; the other
 * processes' hear TOKENS_REVOKED with the poke (and forget on their own after the cache's max age).
 */
import type { Actor } from '../../../../shared/mutators/store.ts'
import type { RevokeAnswer, RevokeRequest } from '../../../../shared/office/office.schema.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import { space } from '../sync/spaces.ts'
import { hashCode } from './auth.service.ts'
import { principalOf } from './principal.ts'
import { TOKENS_REVOKED } from './token-cache.ts'

interface CodeRow {
  id: string
  role: Actor['role']
  programId: string
  familyId: string | null
  providerId: string | null
  revoked: boolean
}

function where(target: RevokeRequest): [string, string] {
  if ('code' in target) return ['code_hash = $2', hashCode(target.code)]
  if ('familyId' in target) return ["family_id = $2 AND role = 'parent'", target.familyId]
  return ["provider_id = $2 AND role = 'provider'", target.providerId]
}

export async function revokeCodes(
  deps: Pick<AppDeps, 'db' | 'clock' | 'notifier' | 'tokens'>,
  officer: Actor,
  target: RevokeRequest,
): Promise<RevokeAnswer> {
  const now = deps.clock.now().toISOString()
  const [condition, value] = where(target)
  const { outcome, principals } = await deps.db.transaction(async (tx) => {
    const codes = await tx.query<CodeRow>(
      `SELECT id, role, program_id AS "programId", family_id AS "familyId", provider_id AS "providerId",
         revoked_at IS NOT NULL AS revoked
       FROM activation_codes WHERE program_id = $1 AND ${condition} ORDER BY id FOR UPDATE`,
      [officer.programId, value],
    )
    if (codes.length === 0) throw new AppError('not-found', { entity: 'activation-code' })
    const ids = codes.map((c) => c.id)
    const revokedCodes = await tx.query('UPDATE activation_codes SET revoked_at = $2 WHERE id = ANY($1) AND revoked_at IS NULL RETURNING id', [ids, now])
    const revokedTokens = await tx.query('UPDATE tokens SET revoked_at = $2 WHERE code_id = ANY($1) AND revoked_at IS NULL RETURNING code_id', [ids, now])
    return {
      outcome: { revokedCodes: revokedCodes.length, revokedTokens: revokedTokens.length },
      principals: codes.map((c) => space.principal(principalOf(c, c.id))),
    }
  })
  deps.tokens?.clear()
  // A hint: streams also re-check on heartbeat, other processes' caches also expire.
  await deps.notifier.publish([...new Set(principals), TOKENS_REVOKED]).catch(() => undefined)
  return outcome
}
