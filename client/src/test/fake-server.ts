/**
 * A fake sync server for tests that implements the contract (architecture.md) over the shared
 * mutators: per-client lastMutationId, refusals stored as results until acknowledged, a version
 * counter as cookie. `fail()` queues HTTP failures; `offline` makes fetch throw like a dead network.
 */
import {
  cloneState, ENTITY_NAMES, memoryStore, project, receives, rowsOf, runMutation, stateFrom, PullRequest, PushRequest,
  type Actor, type Change, type EntityName, type MemoryState, type MutationResult,
} from '../../../shared/index.ts'
import type { FetchFn } from '../sync/http.ts'
import type { World } from './fixtures.ts'

export function createFakeServer(initial: World, actorOfToken: Record<string, Actor>, now = () => new Date().toISOString()) {
  let state: MemoryState = stateFrom(initial)
  let version = 1
  const versions = new Map<string, { entity: EntityName; key: string; version: number }>()
  const lastMutationIds: Record<string, number> = {}
  let results: MutationResult[] = []
  const failures: { path: string; status: number; body: unknown; headers?: Record<string, string> }[] = []
  const requests: { path: string; body: unknown }[] = []
  const server = { offline: false }

  const touch = (entity: EntityName, key: string) => versions.set(`${entity}:${key}`, { entity, key, version })
  for (const e of ENTITY_NAMES) for (const id of rowsOf(state, e).keys()) touch(e, id)

  /** Run a mutation as the server would: on a copy, committed (with version bumps) only if it passes. */
  async function apply(name: string, args: unknown, actor: Actor) {
    const copy = cloneState(state)
    const r = await runMutation(memoryStore(copy), name, args, { actor, now: now() })
    if (!r.ok) return r
    version += 1
    for (const e of ENTITY_NAMES) {
      const before = rowsOf(state, e) as Map<string, unknown>
      for (const [id, row] of rowsOf(copy, e) as Map<string, unknown>) if (before.get(id) !== row) touch(e, id)
    }
    state = copy
    return r
  }

  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

  async function push(body: unknown, actor: Actor) {
    const req = PushRequest.parse(body)
    const out: MutationResult[] = []
    for (const m of req.mutations) {
      const last = lastMutationIds[m.clientId] ?? 0
      if (m.id <= last) { out.push({ clientId: m.clientId, id: m.id, status: 'already-processed' }); continue }
      if (m.id > last + 1) break
      const r = await apply(m.name, m.args, actor)
      lastMutationIds[m.clientId] = m.id
      if (r.ok) out.push({ clientId: m.clientId, id: m.id, status: 'applied' })
      else {
        const rejected: MutationResult = { clientId: m.clientId, id: m.id, status: 'rejected', code: r.code, message: r.code, details: r.details ?? {} }
        results.push(rejected)
        out.push(rejected)
      }
    }
    return { results: out }
  }

  function pull(body: unknown, actor: Actor) {
    const req = PullRequest.parse(body)
    for (const [clientId, acked] of Object.entries(req.resultsAcked ?? {})) results = results.filter((r) => r.clientId !== clientId || r.id > acked)
    const since = req.cookie === null ? 0 : Number(req.cookie)
    // Every row in scope (a fake: no spaces), as the actor's role receives it (the registry's projection).
    const changes: Change[] = [...versions.values()].filter((v) => v.version > since && receives(v.entity, actor.role)).map((v) => {
      const value = rowsOf(state, v.entity).get(v.key)
      return value
        ? { entity: v.entity, key: v.key, op: 'put' as const, value: project(v.entity, value, actor.role) }
        : { entity: v.entity, key: v.key, op: 'del' as const }
    })
    return { cookie: String(version), lastMutationIds: { ...lastMutationIds }, changes, results: [...results] }
  }

  const fetch: FetchFn = async (url, init) => {
    if (server.offline) throw new TypeError('Failed to fetch')
    const path = url.split('?')[0] ?? url
    const body = init?.body ? JSON.parse(String(init.body)) : undefined
    requests.push({ path, body })
    const fi = failures.findIndex((f) => f.path === path || f.path === '*')
    if (fi >= 0) {
      const [f] = failures.splice(fi, 1)
      return new Response(JSON.stringify(f!.body), { status: f!.status, headers: { 'content-type': 'application/json', ...f!.headers } })
    }
    const token = (init?.headers as Record<string, string> | undefined)?.authorization?.replace('Bearer ', '') ?? ''
    const actor = actorOfToken[token]
    if (!actor) return json(401, { error: { code: 'unauthorized', message: 'unknown token' } })
    if (path === '/api/sync/push') return json(200, await push(body, actor))
    if (path === '/api/sync/pull') return json(200, pull(body, actor))
    return json(404, { error: { code: 'not-found', message: path } })
  }

  return {
    fetch,
    server,
    requests,
    apply,
    get state() { return state },
    get results() { return results },
    lastMutationIds,
    /** The next request to `path` ('*' = any) answers this status and body. */
    fail(path: string, status: number, body: unknown = { error: { code: status >= 500 ? 'unavailable' : 'validation', message: 'fail' } }, headers?: Record<string, string>) {
      failures.push({ path, status, body, headers })
    },
  }
}

export type FakeServer = ReturnType<typeof createFakeServer>
