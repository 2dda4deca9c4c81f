/**
 * The push path's front door (one per app): it only chooses the GROUPING; deciding is decide.ts's.
 * A push of one phone whose mutations all opt in to group commit (`batch: true` in
 * shared/mutators/mutators.ts) waits for a free batch slot; a batch then takes everything that is
 * waiting. So under light load a push is decided at once, alone, and under heavy load pushes that
 * arrived while earlier batches were being decided share one transaction (group commit): the busier
 * the server, the bigger the batches, and the cheaper each mutation.
 *
 * Every other push, and every push of a batch that failed as a whole (nothing of it was written), is
 * decided one mutation per transaction (`pushOneByOne`), which refuses precisely the mutation at
 * fault and answers the others. A fallback is counted and logged: a batch that keeps failing is a bug
 * (the property tests fail on any), not a race.
 */
import { isBatched } from '../../../../shared/mutators/mutators.ts'
import { refuse, type Refusal } from '../../../../shared/result.ts'
import type { MutationResult, PushRequest } from '../../../../shared/sync/protocol.ts'
import { isConstraintViolation, isRetryable, sqlState } from '../../db/db.ts'
import type { AppDeps } from '../../deps.ts'
import { AppError, describeFailure } from '../../errors.ts'
import type { Auth } from '../auth/principal.ts'
import { StoreConflict } from '../../../../shared/mutators/overlay-store.ts'
import { decide, prepareJob, type Job } from './decide.ts'

const MAX_ATTEMPTS = 3

/** One phone's push (one client id) of mutations that all opt in to group commit. */
export const batchable = (req: PushRequest): boolean =>
  req.mutations.length > 0 && req.mutations.every((m) => m.clientId === req.mutations[0]!.clientId && isBatched(m.name, m.args))

/** The refusal for a transaction the database failed, when the mutation is at fault (else null: retry or 5xx). */
function refusalOf(e: unknown): Refusal | null {
  // The database refused what the rules allowed: a race the rules could not see. Refuse, never 500.
  if (isConstraintViolation(e) || e instanceof StoreConflict) return refuse('invalid-state', { reason: 'conflict' })
  // A value the database cannot hold (SQLSTATE class 22) that the shared schemas let through: the
  // mutation's fault, refused like bad args; a 5xx would make the phone resend it forever.
  if (sqlState(e)?.startsWith('22')) return refuse('validation', { reason: 'bad-data' })
  return null
}

/** One job of one mutation, retried on deadlock; a failure that is the mutation's own is refused. */
async function decideAlone(deps: Deps, job: Job): Promise<MutationResult | null> {
  for (let attempt = 1; ; attempt++) {
    let outcome
    try {
      ;[outcome] = await decide(deps, [job])
    } catch (e) {
      const refusal = refusalOf(e)
      if (refusal && !job.forced) return decideAlone(deps, { ...job, forced: refusal })
      if (isRetryable(e) && attempt < MAX_ATTEMPTS) continue
      throw e
    }
    if (!outcome || 'error' in outcome) throw outcome?.error ?? new Error('no outcome')
    return outcome.results[0] ?? null // none: a gap
  }
}

/** Every mutation of a push in a transaction of its own, in order; stops at a gap. */
export async function pushOneByOne(deps: Deps, auth: Auth, req: PushRequest): Promise<MutationResult[]> {
  // Fail fast, before anything is written, when a client id belongs to someone else. With one client
  // id (a phone pushing its outbox) the first transaction refuses before anything commits.
  const ids = [...new Set(req.mutations.map((m) => m.clientId))]
  if (ids.length > 1) {
    const owners = await deps.db.query<{ id: string; principal: string }>('SELECT id, principal FROM clients WHERE id = ANY($1)', [ids])
    const foreign = owners.find((o) => o.principal !== auth.principal)
    if (foreign) throw new AppError('client-forbidden', { clientId: foreign.id })
  }
  const results: MutationResult[] = []
  for (const m of req.mutations) {
    const result = await decideAlone(deps, { auth, req: { ...req, mutations: [m] } })
    if (!result) break
    results.push(result)
  }
  return results
}

export interface PushQueueOptions {
  /**
   * Batches being decided at once, each on its own connection. One (the default): while a batch is in
   * the database the next one fills up, so under load batches grow instead of multiplying; bench:push
   * measured 1 slightly ahead of 2 and 3 (fewer, bigger transactions for the same work).
   */
  maxInFlight?: number
  /** A batch stops taking pushes past this many mutations (a phone's outbox may bring hundreds). */
  maxMutations?: number
  /** false: every push one by one (the path before group commit; tests compare the two). */
  batching?: boolean
  /**
   * Write a batch's answers after the next batch has left for the database (in the next turn of the
   * event loop), not before. Default: on Postgres only (see run()).
   */
  overlapAnswers?: boolean
}

interface Waiting extends Job {
  resolve(results: MutationResult[]): void
  reject(error: unknown): void
}

export interface PushQueue {
  push(auth: Auth, req: PushRequest): Promise<MutationResult[]>
  /** Batches decided so far and the pushes they held (tests, diagnostics). */
  readonly stats: { batches: number; pushes: number; fallbacks: number }
}

type Deps = Pick<AppDeps, 'db' | 'clock' | 'notifier' | 'log'>

export function createPushQueue(deps: Deps, opts: PushQueueOptions = {}): PushQueue {
  const maxInFlight = opts.maxInFlight ?? 1
  const maxMutations = opts.maxMutations ?? 500
  const log = deps.log ?? ((line: string) => console.error(line))
  const overlapAnswers = opts.overlapAnswers ?? deps.db.kind === 'postgres'
  const waiting: Waiting[] = []
  const stats = { batches: 0, pushes: 0, fallbacks: 0 }
  let inFlight = 0
  let scheduled = false

  const take = (): Waiting[] => {
    let n = 0
    let size = 0
    while (n < waiting.length && (n === 0 || size + waiting[n]!.req.mutations.length <= maxMutations)) size += waiting[n++]!.req.mutations.length
    return waiting.splice(0, n)
  }

  /** A batch slot is free again: the next batch (if any pushes wait) starts in a microtask. */
  const done = () => {
    inFlight--
    kick()
  }

  async function run(jobs: Waiting[]): Promise<void> {
    stats.batches++
    stats.pushes += jobs.length
    let outcomes: Awaited<ReturnType<typeof decide>>
    try {
      outcomes = await decide(deps, jobs)
    } catch (e) {
      // Nothing of the batch was written: each push on its own, in arrival order (first come, first
      // served, as in the batch), where each failure has its precise answer. Logged by kind only
      // (describeFailure: never the message, which may quote request data), so a batch that keeps
      // failing — a bug rather than a race — shows.
      stats.fallbacks++
      log(`push batch of ${jobs.length} failed, deciding its pushes one by one: ${describeFailure(e)}`)
      try {
        for (const job of jobs) await pushOneByOne(deps, job.auth, job.req).then(job.resolve, job.reject)
      } finally {
        done()
      }
      return
    }
    const answer = () =>
      jobs.forEach((job, i) => {
        const outcome = outcomes[i]!
        if ('error' in outcome) job.reject(outcome.error)
        else job.resolve(outcome.results)
      })
    // Pushes waiting, on Postgres: the next batch is sent to the database BEFORE this one's answers
    // are written. Its statements leave once the microtasks have run (db/postgres.ts uncorks on the
    // next tick), and answering here would put this batch's HTTP answers (the routes' continuations,
    // a socket write each) in front of them; answered in the next turn of the event loop instead,
    // they are written while the database works on that batch. Nobody waiting: answered at once.
    // Not on PGlite: it runs in this thread, so there is nothing to overlap, and an in-process caller
    // that never yields to the event loop (a test's pull loop) would hold the answers back.
    const overlap = overlapAnswers && waiting.length > 0
    done()
    if (overlap) setImmediate(answer)
    else answer()
  }

  const kick = () => {
    if (scheduled || waiting.length === 0 || inFlight >= maxInFlight) return
    scheduled = true
    // Pushes issued by the same callback join one batch. (Not setImmediate: a caller that never yields
    // to the event loop, like an in-process test client on PGlite, would starve the batch.)
    queueMicrotask(() => {
      scheduled = false
      if (waiting.length === 0 || inFlight >= maxInFlight) return
      inFlight++
      void run(take())
      kick()
    })
  }

  return {
    stats,
    push(auth, req) {
      if (opts.batching === false || !batchable(req)) return pushOneByOne(deps, auth, req)
      return new Promise((resolve, reject) => {
        // Parsed now, while earlier batches are in the database, not when its batch starts.
        const job: Job = { auth, req }
        job.prepared = prepareJob(job)
        waiting.push({ ...job, resolve, reject })
        kick()
      })
    },
  }
}
