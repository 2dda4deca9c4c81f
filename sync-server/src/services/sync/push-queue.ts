/**
 * The push path's front door (one per app). A push that a batch can decide (push-batch.ts) waits for
 * a free batch slot; a batch then takes everything that is waiting. So under light load a push is decided at once, alone, and under heavy
 * load pushes that arrived while earlier batches were being decided share one transaction (group
 * commit): the busier the server, the bigger the batches, and the cheaper each mutation.
 *
 * A batch that fails as a whole wrote nothing; its pushes are then decided one by one
 * (push.service.ts), which refuses precisely the mutation at fault and answers the others.
 */
import type { MutationResult, PushRequest } from '../../../../shared/sync/protocol.ts'
import type { AppDeps } from '../../deps.ts'
import { describeFailure } from '../../errors.ts'
import type { Auth } from '../auth/principal.ts'
import { batchable, pushBatch, type BatchJob } from './push-batch.ts'
import { push as pushOneByOne } from './push.service.ts'

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
}

interface Waiting extends BatchJob {
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

  async function run(jobs: Waiting[]): Promise<void> {
    stats.batches++
    stats.pushes += jobs.length
    try {
      const outcomes = await pushBatch(deps, jobs)
      jobs.forEach((job, i) => {
        const outcome = outcomes[i]!
        if ('error' in outcome) job.reject(outcome.error)
        else job.resolve(outcome.results)
      })
    } catch (e) {
      // Nothing of the batch was written: each push on its own, in arrival order (first come, first
      // served, as in the batch), where each failure has its precise answer. Logged by kind only
      // (describeFailure: never the message, which may quote request data), so a batch that keeps
      // failing — a bug rather than a race — shows.
      stats.fallbacks++
      log(`push batch of ${jobs.length} failed, deciding its pushes one by one: ${describeFailure(e)}`)
      for (const job of jobs) await pushOneByOne(deps, job.auth, job.req).then(job.resolve, job.reject)
    }
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
      void run(take()).finally(() => {
        inFlight--
        kick()
      })
      kick()
    })
  }

  return {
    stats,
    push(auth, req) {
      if (opts.batching === false || !batchable(req)) return pushOneByOne(deps, auth, req)
      return new Promise((resolve, reject) => {
        waiting.push({ auth, req, resolve, reject })
        kick()
      })
    },
  }
}
