/**
 * Push (architecture.md, "Sync protocol"), one by one: the path of pushes a batch does not take
 * (push-queue.ts: session.close, child.upsert, several client ids) and of every push of a batch that
 * failed as a whole (push-batch.ts decides the rest, with the same outcome). For each mutation, in order:
 *  1. One transaction: lock the client row (creating it bound to this principal on first use).
 *  2. id <= lastMutationId → `already-processed`; id > lastMutationId + 1 → stop the batch here
 *     (the phone resends from the gap).
 *  3. Run the shared mutator against the SQL store (row locks booking → session → voucher).
 *  4. Applied: lastMutationId = id in the SAME transaction as the effects; commit.
 *  5. Refused (a rule said no, or a constraint backstopped a race): roll the effects back, then in a
 *     NEW transaction advance lastMutationId and store the refusal as a result row, returned by
 *     pull until acknowledged.
 * Deadlocks/serialization failures retry the mutation; any other database failure propagates (503)
 * and the phone retries: whatever committed is then reported `already-processed`.
 */
import { MESSAGES } from '../../../../shared/errors.ts'
import { runMutation } from '../../../../shared/mutators/mutators.ts'
import type { Refusal } from '../../../../shared/result.ts'
import { refuse } from '../../../../shared/result.ts'
import type { Mutation, MutationResult, PushRequest } from '../../../../shared/sync/protocol.ts'
import { isConstraintViolation, isRetryable, sqlState, type Queryable, type TxQueryable } from '../../db/db.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import type { Auth } from '../auth/principal.ts'
import { space } from './spaces.ts'
import { sqlStore, StoreConflict } from './sql-store.ts'
import { versionedWrite } from './versioned-write.ts'

const MAX_ATTEMPTS = 3

/** Thrown inside the mutation's transaction to roll its effects back. */
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.code)
  }
}

type Deps = Pick<AppDeps, 'db' | 'clock' | 'notifier'>
type Step = { kind: 'result'; result: MutationResult } | { kind: 'gap' }

/**
 * Step 1: the client row, locked (ON CONFLICT DO UPDATE locks the existing row like FOR UPDATE, and
 * inserts it bound to this principal if new): one statement.
 */
async function lockClient(tx: Queryable, m: Mutation, clientGroupId: string, auth: Auth): Promise<number> {
  const [client] = await tx.query<{ principal: string; last: number }>(
    `INSERT INTO clients (id, client_group_id, principal) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET updated_at = clients.updated_at
     RETURNING principal, last_mutation_id AS last`,
    [m.clientId, clientGroupId, auth.principal],
  )
  if (!client || client.principal !== auth.principal) throw new AppError('client-forbidden', { clientId: m.clientId })
  return client.last
}

/** Sent, not awaited: it travels with the COMMIT, and fails the transaction if it fails. */
const setLast = (tx: TxQueryable, m: Mutation) =>
  tx.send('UPDATE clients SET last_mutation_id = $2, updated_at = now() WHERE id = $1', [m.clientId, m.id])

/** A refusal as the phone is told it (and as pull re-sends it until acknowledged). */
export function rejected(m: Mutation, r: Refusal): MutationResult {
  const { it, en } = MESSAGES[r.code]
  return { clientId: m.clientId, id: m.id, status: 'rejected', code: r.code, message: it, details: { ...r.details, messageEn: en } }
}

async function tryApply(deps: Deps, m: Mutation, req: PushRequest, auth: Auth): Promise<Step> {
  return versionedWrite(deps, async (tx, changes) => {
    const now = deps.clock.now().toISOString()
    const store = sqlStore(tx, changes, now)
    const locked = lockClient(tx, m, req.clientGroupId, auth)
    store.prefetch(m.name, m.args, auth.actor) // right behind the client lock, same round trip
    const last = await locked
    if (m.id <= last) return { kind: 'result', result: { clientId: m.clientId, id: m.id, status: 'already-processed' } }
    if (m.id > last + 1) return { kind: 'gap' }
    const outcome = await runMutation(store, m.name, m.args, { actor: auth.actor, now })
    if (!outcome.ok) throw new Refused(outcome)
    setLast(tx, m)
    return { kind: 'result', result: { clientId: m.clientId, id: m.id, status: 'applied' } }
  })
}

/** Step 5: the refusal is recorded on its own, after the effects were rolled back. */
async function recordRefusal(deps: Deps, m: Mutation, req: PushRequest, auth: Auth, refusal: Refusal): Promise<Step> {
  return versionedWrite(deps, async (tx, changes) => {
    const last = await lockClient(tx, m, req.clientGroupId, auth)
    if (m.id <= last) return { kind: 'result', result: { clientId: m.clientId, id: m.id, status: 'already-processed' } }
    if (m.id > last + 1) return { kind: 'gap' }
    const result = rejected(m, refusal)
    setLast(tx, m)
    tx.send(
      'INSERT INTO mutation_results (client_id, mutation_id, code, message, details) VALUES ($1, $2, $3, $4, $5)',
      [m.clientId, m.id, result.code, result.message, JSON.stringify(result.details)],
    )
    changes.poke(space.principal(auth.principal))
    return { kind: 'result', result }
  })
}

async function processOne(deps: Deps, m: Mutation, req: PushRequest, auth: Auth): Promise<Step> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await tryApply(deps, m, req, auth)
    } catch (e) {
      if (e instanceof Refused) return recordRefusal(deps, m, req, auth, e.refusal)
      // The database refused what the rules allowed: a race the rules could not see. Refuse, never 500.
      if (isConstraintViolation(e) || e instanceof StoreConflict) {
        return recordRefusal(deps, m, req, auth, refuse('invalid-state', { reason: 'conflict' }))
      }
      // A value the database cannot hold (SQLSTATE class 22) that the shared schemas let through:
      // the mutation's fault, refused like bad args; a 5xx would make the phone resend it forever.
      if (sqlState(e)?.startsWith('22')) return recordRefusal(deps, m, req, auth, refuse('validation', { reason: 'bad-data' }))
      if (isRetryable(e) && attempt < MAX_ATTEMPTS) continue
      throw e
    }
  }
}

export async function push(deps: Deps, auth: Auth, req: PushRequest): Promise<MutationResult[]> {
  // Fail fast, before anything is written, when a client id belongs to someone else. With one client
  // id (a phone pushing its outbox) step 1 already refuses before anything commits: no extra query.
  const ids = [...new Set(req.mutations.map((m) => m.clientId))]
  if (ids.length > 1) {
    const owners = await deps.db.query<{ id: string; principal: string }>('SELECT id, principal FROM clients WHERE id = ANY($1)', [ids])
    const foreign = owners.find((o) => o.principal !== auth.principal)
    if (foreign) throw new AppError('client-forbidden', { clientId: foreign.id })
  }
  const results: MutationResult[] = []
  for (const m of req.mutations) {
    const step = await processOne(deps, m, req, auth)
    if (step.kind === 'gap') break
    results.push(step.result)
  }
  return results
}
