/**
 * Push (architecture.md, "Sync protocol"): THE one path that decides mutations. It takes one or more
 * pushes ("jobs") and decides them in ONE transaction; push-queue.ts chooses the grouping (a batch
 * of concurrent pushes, or a single mutation). The protocol's steps:
 *  1. Lock the client rows (creating each bound to its principal on first use), in id order, and in
 *     the same round trip fetch what the mutations declared they will read (prefetch.ts: lock order
 *     booking → session → voucher, each set in id order).
 *  2. Per mutation, in arrival order: id <= lastMutationId → `already-processed`; id > last + 1 → stop
 *     this push here (the phone resends from the gap).
 *  3. Run the shared mutator against the overlay store: the prefetched rows plus the effects of the
 *     mutations decided before it in this transaction, so mutation k sees 1…k-1 exactly as if each had
 *     committed alone. A row nobody fetched is read (and locked) when asked.
 *  4. Applied: its rows are stamped in their spaces. Refused by a rule: the overlay undoes everything
 *     it did and the refusal is stored as a result row, returned by pull until acknowledged.
 *  5. The writes, one statement per table over arrays (registry order: parents before children), the
 *     lastMutationIds, the result rows and the stamps travel with the COMMIT.
 * Anything that fails the transaction (a constraint the rules could not see, a deadlock) rolls ALL of
 * it back; push-queue.ts then decides again one mutation per transaction, where such a failure is
 * refused precisely (`forced`: the refusal is recorded through this same path).
 */
import { refusalMessage } from '../../../../shared/errors.ts'
import { applyPrepared, prepareMutation } from '../../../../shared/mutators/mutators.ts'
import type { Refusal } from '../../../../shared/result.ts'
import type { Mutation, MutationResult, PushRequest } from '../../../../shared/sync/protocol.ts'
import { space } from '../../../../shared/sync/spaces.ts'
import type { TxQueryable } from '../../db/db.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError } from '../../errors.ts'
import type { Auth } from '../auth/principal.ts'
import { sendAudit, type AuditRecord } from '../audit/audit-log.ts'
import { fetchPlans, planReads, seedOverlay } from './prefetch.ts'
import { keepWritten, sendOverlay, serverOverlay } from './server-overlay.ts'
import { versionedWrite } from './versioned-write.ts'

export interface Job {
  auth: Auth
  req: PushRequest
  /** Record this refusal for the job's (single) mutation instead of running it. */
  forced?: Refusal
  /** Its mutations already parsed (prepareJob): push-queue.ts does it while the job waits for a batch. */
  prepared?: Prepared[]
}

/** A job's mutations parsed and checked against the actor's role (pure: the same whenever it runs); null for a forced refusal. */
type Prepared = ReturnType<typeof prepareMutation> | null
export const prepareJob = ({ auth, req, forced }: Job): Prepared[] =>
  req.mutations.map((m) => (forced ? null : prepareMutation(m.name, m.args, auth.actor)))
export type JobOutcome = { results: MutationResult[] } | { error: AppError }

type Deps = Pick<AppDeps, 'db' | 'clock' | 'notifier'>

/** A refusal as the phone is told it (and as pull re-sends it until acknowledged). */
export function rejected(m: Mutation, r: Refusal): MutationResult {
  const { it, en } = refusalMessage(r.code, r.details)
  return { clientId: m.clientId, id: m.id, status: 'rejected', code: r.code, message: it, details: { ...r.details, messageEn: en } }
}

/** Step 1's client rows: upserted and locked in id order, in one statement. */
function lockClients(tx: TxQueryable, jobs: readonly Job[]) {
  const groups = new Map<string, { group: string; principal: string }>()
  for (const { auth, req } of jobs) for (const m of req.mutations) groups.set(m.clientId, { group: req.clientGroupId, principal: auth.principal })
  const ids = [...groups.keys()].sort()
  return tx.query<{ id: string; principal: string; last: number }>(
    `INSERT INTO clients (id, client_group_id, principal)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ORDER BY 1
     ON CONFLICT (id) DO UPDATE SET updated_at = clients.updated_at
     RETURNING id, principal, last_mutation_id AS last`,
    [ids, ids.map((id) => groups.get(id)!.group), ids.map((id) => groups.get(id)!.principal)],
  )
}

/** Decides the jobs in one transaction. Throws when the transaction as a whole failed (nothing written). */
export async function decide(deps: Deps, jobs: readonly Job[]): Promise<JobOutcome[]> {
  return versionedWrite(deps, async (tx, changes) => {
    const now = () => deps.clock.now().toISOString()
    const prepared = jobs.map((job) => job.prepared ?? prepareJob(job))
    const reads = prepared.flatMap((ps, j) => ps.flatMap((p) => (p?.ok && p.value.mutator.reads ? p.value.mutator.reads(p.value.args, jobs[j]!.auth.actor) : [])))
    const plans = planReads(reads)

    const { overlay, rowsOf } = serverOverlay(tx, now)
    // Round trip 1: the clients, then the declared reads, all sent at once.
    const [clients, fetched] = await Promise.all([lockClients(tx, jobs), fetchPlans(tx, plans)])
    seedOverlay(overlay, rowsOf, plans, fetched)

    const owner = new Map(clients.map((c) => [c.id, c.principal]))
    const last = new Map(clients.map((c) => [c.id, c.last]))
    const advanced = new Set<string>()
    const refusals: MutationResult[] = []
    const audited: (AuditRecord & { actor: Auth['actor'] })[] = []
    const outcomes: JobOutcome[] = []
    for (const [j, { auth, req, forced }] of jobs.entries()) {
      const foreign = req.mutations.find((m) => owner.get(m.clientId) !== auth.principal)
      if (foreign) {
        outcomes.push({ error: new AppError('client-forbidden', { clientId: foreign.clientId }) })
        continue
      }
      const results: MutationResult[] = []
      for (const [k, m] of req.mutations.entries()) {
        const done = last.get(m.clientId)!
        if (m.id <= done) {
          results.push({ clientId: m.clientId, id: m.id, status: 'already-processed' })
          continue
        }
        if (m.id > done + 1) break // a gap: the phone resends from it
        const p = prepared[j]![k]
        overlay.begin()
        const outcome = forced ?? (p!.ok ? await applyPrepared(overlay.store, p!.value, { actor: auth.actor, now: now() }) : p!)
        if (outcome.ok) {
          const logged = new Set<string>()
          for (const w of keepWritten(overlay, changes)) {
            // Who changed what (audit-log.ts): every row a provider's or operator's mutation wrote, once.
            if (auth.actor.role === 'parent' || logged.has(`${w.entity}:${w.row.id}`)) continue
            logged.add(`${w.entity}:${w.row.id}`)
            audited.push({ actor: auth.actor, action: m.name, entity: w.entity, entityId: w.row.id })
          }
          results.push({ clientId: m.clientId, id: m.id, status: 'applied' })
        } else {
          overlay.undo()
          const result = rejected(m, outcome)
          refusals.push(result)
          changes.poke(space.principal(auth.principal))
          results.push(result)
        }
        last.set(m.clientId, m.id)
        advanced.add(m.clientId)
      }
      outcomes.push({ results })
    }

    // Step 5: the writes, parents before children (registry order), then the bookkeeping.
    sendOverlay(tx, overlay)
    sendAudit(tx, now(), audited)
    const lastIds = [...advanced].sort()
    if (lastIds.length) {
      tx.send(
        `UPDATE clients c SET last_mutation_id = u.last, updated_at = now()
         FROM unnest($1::text[], $2::int8[]) AS u(id, last) WHERE c.id = u.id`,
        [lastIds, lastIds.map((id) => last.get(id)!)],
      )
    }
    if (refusals.length) {
      tx.send(
        `INSERT INTO mutation_results (client_id, mutation_id, code, message, details)
         SELECT c, m, code, message, details::jsonb FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[], $5::text[])
           AS u(c, m, code, message, details)`,
        [refusals.map((r) => r.clientId), refusals.map((r) => r.id), refusals.map((r) => r.code), refusals.map((r) => r.message),
          refusals.map((r) => JSON.stringify(r.details))],
      )
    }
    return outcomes
  }, { genericPlans: true })
}
