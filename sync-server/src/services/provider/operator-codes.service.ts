/**
 * A coordinator issues each of its operators their own activation code (issue 9: every person acts
 * under their own code, so `confirmedBy` / `deliveredBy` and the audit log name them). One live code
 * per operator: issuing again (a lost code) revokes the previous one and signs its devices out.
 * Codes: `generateActivationCode('OPR')`, 60 random bits, stored hashed; shown once to the coordinator.
 * Only the provider's own operators; anything else is `not-found`.
 */
import { randomUUID } from 'node:crypto'
import type { Actor } from '../../../../shared/mutators/store.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import type { TxQueryable } from '../../db/db.ts'
import { generateActivationCode } from '../auth/activation-codes.ts'
import { hashCode } from '../auth/auth.service.ts'
import { afterRevoke, revokeWhere } from '../auth/revoke.service.ts'
import { space } from '../sync/spaces.ts'

type Deps = Pick<AppDeps, 'db' | 'clock' | 'notifier' | 'tokens'>

async function ownOperator(tx: TxQueryable, provider: Actor, operatorId: string): Promise<{ name: string }> {
  const [op] = await tx.query<{ name: string }>('SELECT name FROM operators WHERE id = $1 AND provider_id = $2 FOR UPDATE', [operatorId, provider.providerId])
  if (!op) throw new AppError('not-found', { entity: 'operator', id: operatorId })
  return op
}

const revokeLive = async (tx: TxQueryable, operatorId: string, now: string) => {
  const { revokedCodes, revokedTokens } = await revokeWhere(tx, now, 'operator_id = $1', [operatorId])
  return { revokedCodes, revokedTokens }
}

async function signedOut(deps: Deps, operatorId: string, tokens: number) {
  if (tokens > 0) await afterRevoke(deps, [space.principal(`operator:${operatorId}`)])
}

export async function issueOperatorCode(deps: Deps, provider: Actor, operatorId: string): Promise<{ operatorId: string; code: string }> {
  const now = deps.clock.now().toISOString()
  const code = generateActivationCode('OPR')
  const revoked = await deps.db.transaction(async (tx) => {
    const op = await ownOperator(tx, provider, operatorId)
    const before = await revokeLive(tx, operatorId, now)
    await tx.query(
      `INSERT INTO activation_codes (id, code_hash, role, program_id, family_id, provider_id, operator_id, display_name, created_at)
       VALUES ($1, $2, 'operator', $3, NULL, $4, $5, $6, $7)`,
      [`cod-opr-${randomUUID()}`, hashCode(code), provider.programId, provider.providerId, operatorId, op.name, now],
    )
    return before
  })
  await signedOut(deps, operatorId, revoked.revokedTokens)
  return { operatorId, code }
}

export async function revokeOperatorCode(deps: Deps, provider: Actor, operatorId: string): Promise<{ revokedCodes: number; revokedTokens: number }> {
  const now = deps.clock.now().toISOString()
  const answer = await deps.db.transaction(async (tx) => {
    await ownOperator(tx, provider, operatorId)
    return revokeLive(tx, operatorId, now)
  })
  await signedOut(deps, operatorId, answer.revokedTokens)
  return answer
}
