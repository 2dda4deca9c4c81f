/**
 * A phone as the sync protocol sees it, modelled on the real client (client/src/sync/push.ts, pull.ts)
 * but with no Dexie and a pluggable transport, so the fault tests can lose, duplicate, delay and
 * reorder its requests, or send them to a server process that is being killed:
 *
 * - mutations are numbered 1, 2, 3… and wait in an outbox;
 * - a push sends the outbox in id order (PUSH_BATCH at most); its answer only stores refusals:
 *   nothing leaves the outbox on a push;
 * - a pull applies the changes (dropping the mirror on `reset`), stores the refusals it carries,
 *   acknowledges them on the next pull (`resultsAcked`), and removes from the outbox every entry
 *   with `id <= lastMutationIds[clientId]`.
 *
 * On top of the real client it remembers everything it was told, and records a contradiction when
 * two answers about one mutation disagree (applied here, rejected there; two different codes).
 */
import type { Mutation, MutationResult } from '../../shared/sync/protocol.ts'
import { PROTOCOL_VERSION } from '../../shared/sync/protocol.ts'
import type { PullOutcome } from '../src/services/sync/pull.service.ts'

export const PUSH_BATCH = 100

/** Sends one request: `app.request` in process, or `fetch` to a server process. */
export type Transport = (path: string, init: RequestInit) => Promise<Response>

export const post = (token: string, body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: JSON.stringify(body),
})

let counter = 0
export const freshId = (prefix: string): string => `${prefix}-${process.pid.toString(36)}-${Date.now().toString(36)}-${(counter++).toString(36)}`

export interface PushBody {
  protocolVersion: number
  clientGroupId: string
  mutations: Mutation[]
}

export class Phone {
  cookie: string | null = null
  nextId = 1
  /** Pending mutations, in id order (the real client's Dexie outbox). */
  outbox: Mutation[] = []
  /** Every mutation this phone ever made, by id. */
  readonly made = new Map<number, Mutation>()
  /** The highest id the server reported processed in a pull. */
  lastMutationId = 0
  readonly mirror = new Map<string, Map<string, Record<string, unknown>>>()
  resultsAcked: Record<string, number> = {}
  /** Refusals the phone stored (from a push answer or a pull), by mutation id. */
  readonly rejected = new Map<number, MutationResult>()
  /** Mutations a push answer said were applied: "acknowledged" for the crash tests. */
  readonly applied = new Set<number>()
  /** Answers that disagree with an earlier one about the same mutation. Must stay empty. */
  readonly contradictions: string[] = []

  constructor(
    readonly token: string,
    readonly clientId = freshId('ph'),
    readonly clientGroupId = freshId('pg'),
  ) {}

  enqueue(name: string, args: unknown, createdAt = '2026-11-22T06:59:00.000Z'): Mutation {
    const m: Mutation = { clientId: this.clientId, id: this.nextId++, name, args, createdAt }
    this.outbox.push(m)
    this.made.set(m.id, m)
    return m
  }

  /** What the real client sends: the outbox from its first entry, at most PUSH_BATCH. */
  pushBody(mutations: Mutation[] = this.outbox.slice(0, PUSH_BATCH)): PushBody {
    return { protocolVersion: PROTOCOL_VERSION, clientGroupId: this.clientGroupId, mutations }
  }

  /** The push answer reached the phone. */
  receivePush(results: MutationResult[]): void {
    for (const r of results) {
      if (r.clientId !== this.clientId) {
        this.contradictions.push(`result for another client: ${JSON.stringify(r)}`)
        continue
      }
      if (r.status === 'applied') {
        if (this.rejected.has(r.id)) this.contradictions.push(`#${r.id} applied, but was rejected before`)
        this.applied.add(r.id)
      } else if (r.status === 'rejected') this.noteRejected(r)
    }
  }

  private noteRejected(r: MutationResult): void {
    if (this.applied.has(r.id)) this.contradictions.push(`#${r.id} rejected (${r.code}), but was applied before`)
    const before = this.rejected.get(r.id)
    if (before && before.code !== r.code) this.contradictions.push(`#${r.id} rejected as ${r.code}, before as ${before.code}`)
    this.rejected.set(r.id, r)
  }

  pullBody() {
    return { protocolVersion: PROTOCOL_VERSION, clientGroupId: this.clientGroupId, cookie: this.cookie, resultsAcked: { ...this.resultsAcked } }
  }

  /** The pull answer reached the phone: apply it as client/src/sync/pull.ts does, in one step. */
  receivePull(out: PullOutcome): void {
    if (this.cookie === null || out.reset) this.mirror.clear()
    for (const c of out.changes) {
      const table = this.mirror.get(c.entity) ?? new Map<string, Record<string, unknown>>()
      this.mirror.set(c.entity, table)
      if (c.op === 'put') table.set(c.key, c.value as Record<string, unknown>)
      else table.delete(c.key)
    }
    for (const r of out.results) {
      if (r.clientId === this.clientId) this.noteRejected(r)
      this.resultsAcked[r.clientId] = Math.max(this.resultsAcked[r.clientId] ?? 0, r.id)
    }
    const last = out.lastMutationIds[this.clientId]
    if (last !== undefined) {
      if (last < this.lastMutationId) this.contradictions.push(`lastMutationId went back from ${this.lastMutationId} to ${last}`)
      if (last >= this.nextId) this.contradictions.push(`lastMutationId ${last} beyond the last mutation made (${this.nextId - 1})`)
      this.lastMutationId = Math.max(this.lastMutationId, last)
      this.outbox = this.outbox.filter((m) => m.id > this.lastMutationId)
    }
    this.cookie = out.cookie
  }

  async push(send: Transport, mutations?: Mutation[]): Promise<MutationResult[]> {
    const res = await send('/api/sync/push', post(this.token, this.pushBody(mutations)))
    if (res.status !== 200) throw new HttpError('push', res.status, await res.text())
    const { results } = (await res.json()) as { results: MutationResult[] }
    this.receivePush(results)
    return results
  }

  async pull(send: Transport): Promise<PullOutcome> {
    const res = await send('/api/sync/pull', post(this.token, this.pullBody()))
    if (res.status !== 200) throw new HttpError('pull', res.status, await res.text())
    const out = (await res.json()) as PullOutcome
    this.receivePull(out)
    return out
  }

  /** Every mutation's outcome as this phone knows it. */
  outcome(id: number): 'applied' | 'rejected' | 'pending' {
    if (this.rejected.has(id)) return 'rejected'
    return id <= this.lastMutationId ? 'applied' : 'pending'
  }

  rows<T = Record<string, unknown>>(entity: string): T[] {
    return [...(this.mirror.get(entity)?.values() ?? [])] as T[]
  }

  get<T = Record<string, unknown>>(entity: string, key: string): T | undefined {
    return this.mirror.get(entity)?.get(key) as T | undefined
  }
}

export class HttpError extends Error {
  constructor(
    readonly what: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${what}: ${status} ${body.slice(0, 300)}`)
  }
}

/** A full pull from nothing with the same token: the server's view as a new phone sees it. */
export async function freshView(send: Transport, token: string): Promise<Phone['mirror']> {
  const phone = new Phone(token)
  await phone.pull(send)
  return phone.mirror
}
