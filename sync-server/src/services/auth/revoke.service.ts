/**
 * The office revokes activation codes: a family's (a lost phone, a family leaving the program), a
 * provider's (an operator who left), or one code by its text. Revoking a code revokes every token
 * it issued, in the same transaction, so each of its devices gets 401 on its next push, pull or
 * poke; the code no longer activates. Then the revoked principals are poked: their open poke
 * streams re-check their tokens at once, tell the phone to pull (which answers 401) and close.
 * Only codes of the officer's own program can be revoked; anything else is `not-found`.
 * Token caches (token-cache.ts): this app's is cleared once the revocation is committed; the other
 * processes' hear TOKENS_REVOKED with the poke (and forget on their own after the cache's max age).
 * Every other revocation (a code reissued, a family erased, a family's device, an operator's code)
 * uses the same two steps: `revokeWhere` in its transaction, `afterRevoke` after the commit. (The
 * activation's cap on devices per code, auth.service.ts, signs out the oldest on its own.)
 */
import type { Actor } from '../../../../shared/mutators/store.ts'
import type { RevokeAnswer, RevokeRequest } from '../../../../shared/office/office.schema.ts'
import type { Queryable } from '../../db/db.ts'
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
  operatorId: string | null
}

/** What a revocation did: codes and tokens revoked now (not those already revoked), and who to poke. */
export interface Revoked {
  revokedCodes: number
  revokedTokens: number
  /** The principals' poke spaces (each once) of the codes matched. */
  principals: string[]
}

/**
 * The one revocation, inside the caller's transaction: the activation codes `where` selects (a
 * condition on activation_codes, its parameters from $1) are locked, revoked, and so is every token
 * they issued; with `device`, the codes stay and only that device's tokens are revoked (a family
 * signing out one phone). Every revocation goes through here: the office's (revokeCodes), a code
 * reissued, a family erased or signing out a device, an operator's code replaced or revoked. After
 * the commit, `afterRevoke`.
 */
export async function revokeWhere(
  tx: Queryable, now: string, where: string, params: readonly unknown[], device?: string,
): Promise<{ codes: CodeRow[] } & Revoked> {
  const codes = await tx.query<CodeRow>(
    `SELECT id, role, program_id AS "programId", family_id AS "familyId", provider_id AS "providerId", operator_id AS "operatorId"
     FROM activation_codes WHERE ${where} ORDER BY id FOR UPDATE`, params)
  const ids = codes.map((c) => c.id)
  if (ids.length === 0) return { codes, revokedCodes: 0, revokedTokens: 0, principals: [] }
  const revokedCodes = device === undefined
    ? await tx.query('UPDATE activation_codes SET revoked_at = $2 WHERE id = ANY($1) AND revoked_at IS NULL RETURNING id', [ids, now])
    : []
  const revokedTokens = await tx.query<{ codeId: string }>(
    `UPDATE tokens SET revoked_at = $2 WHERE code_id = ANY($1) AND revoked_at IS NULL${device === undefined ? '' : ' AND device_id = $3'}
     RETURNING code_id AS "codeId"`, device === undefined ? [ids, now] : [ids, now, device])
  // The principals whose devices lost a token (a device revoked) or, revoking codes, every code's.
  const poked = device === undefined ? codes : codes.filter((c) => revokedTokens.some((t) => t.codeId === c.id))
  return {
    codes, revokedCodes: revokedCodes.length, revokedTokens: revokedTokens.length,
    principals: [...new Set(poked.map((c) => space.principal(principalOf(c, c.id))))],
  }
}

/**
 * After the revocation's commit: this app's token cache is cleared, and the revoked principals are
 * poked with the TOKENS_REVOKED hint in one message (their open poke streams re-check their tokens
 * at once, the other processes clear their caches before re-checking).
 */
export async function afterRevoke(deps: Pick<AppDeps, 'notifier' | 'tokens'>, principals: readonly string[]): Promise<void> {
  deps.tokens?.clear()
  // A hint: streams also re-check on heartbeat, other processes' caches also expire.
  await deps.notifier.publish([...new Set(principals), TOKENS_REVOKED]).catch(() => undefined)
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
  const { revokedCodes, revokedTokens, principals } = await deps.db.transaction(async (tx) => {
    const revoked = await revokeWhere(tx, now, `program_id = $1 AND ${condition}`, [officer.programId, value])
    if (revoked.codes.length === 0) throw new AppError('not-found', { entity: 'activation-code' })
    return revoked
  })
  await afterRevoke(deps, principals)
  return { revokedCodes, revokedTokens }
}
