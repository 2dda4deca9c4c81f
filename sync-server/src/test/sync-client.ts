/**
 * A minimal sync client for tests: activates with a code, numbers its mutations, pushes, pulls
 * with its cookie and keeps a mirror of what it pulled (entity → key → value).
 */
import type { Hono } from 'hono'
import type { MutationResult } from '../../../shared/sync/protocol.ts'
import { PROTOCOL_VERSION } from '../../../shared/sync/protocol.ts'
import type { AppEnv } from '../routes/http.ts'
import type { PullOutcome } from '../services/sync/pull.service.ts'

type App = Hono<AppEnv>

export const json = (token: string | null, body: unknown, extra: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra },
  body: typeof body === 'string' ? body : JSON.stringify(body),
})

export async function activate(app: App, code: string, deviceName?: string): Promise<string> {
  const res = await app.request('/api/auth/activate', json(null, { code, deviceName }))
  if (res.status !== 200) throw new Error(`activate ${code}: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}

let counter = 0
export const uniqueId = (prefix: string): string => `${prefix}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`

export class SyncClient {
  cookie: string | null = null
  nextId = 1
  readonly mirror = new Map<string, Map<string, Record<string, unknown>>>()
  results: MutationResult[] = []
  acked: Record<string, number> = {}

  constructor(
    readonly app: App,
    readonly token: string,
    readonly clientId = uniqueId('c'),
    readonly clientGroupId = uniqueId('g'),
  ) {}

  static async activate(app: App, code: string): Promise<SyncClient> {
    return new SyncClient(app, await activate(app, code))
  }

  mutation(name: string, args: unknown, id = this.nextId++) {
    return { clientId: this.clientId, id, name, args, createdAt: '2026-11-22T06:59:00.000Z' }
  }

  async pushRaw(mutations: ReturnType<SyncClient['mutation']>[]): Promise<Response> {
    return this.app.request('/api/sync/push', json(this.token, { protocolVersion: PROTOCOL_VERSION, clientGroupId: this.clientGroupId, mutations }))
  }

  async pushMany(mutations: ReturnType<SyncClient['mutation']>[]): Promise<MutationResult[]> {
    const res = await this.pushRaw(mutations)
    if (res.status !== 200) throw new Error(`push: ${res.status} ${await res.text()}`)
    return ((await res.json()) as { results: MutationResult[] }).results
  }

  async push(name: string, args: unknown): Promise<MutationResult> {
    const [result] = await this.pushMany([this.mutation(name, args)])
    if (!result) throw new Error('push: no result')
    return result
  }

  async pull(opts: { cookie?: string | null; ack?: boolean } = {}): Promise<PullOutcome> {
    const cookie = opts.cookie === undefined ? this.cookie : opts.cookie
    const body = { protocolVersion: PROTOCOL_VERSION, clientGroupId: this.clientGroupId, cookie, resultsAcked: opts.ack === false ? {} : this.acked }
    const res = await this.app.request('/api/sync/pull', json(this.token, body))
    if (res.status !== 200) throw new Error(`pull: ${res.status} ${await res.text()}`)
    const out = (await res.json()) as PullOutcome
    if (out.reset) this.mirror.clear()
    for (const c of out.changes) {
      const table = this.mirror.get(c.entity) ?? new Map<string, Record<string, unknown>>()
      this.mirror.set(c.entity, table)
      if (c.op === 'put') table.set(c.key, c.value as Record<string, unknown>)
      else table.delete(c.key)
    }
    this.results = out.results
    for (const r of out.results) this.acked[r.clientId] = Math.max(this.acked[r.clientId] ?? 0, r.id)
    this.cookie = out.cookie
    return out
  }

  rows<T = Record<string, unknown>>(entity: string): T[] {
    return [...(this.mirror.get(entity)?.values() ?? [])] as T[]
  }

  get<T = Record<string, unknown>>(entity: string, key: string): T | undefined {
    return this.mirror.get(entity)?.get(key) as T | undefined
  }
}

/** Activates several codes at once: `const [a, b] = await activateAll(app, ['FAM-0001', 'PRV-ALTANA'] as const)`. */
export function activateAll<const C extends readonly string[]>(app: App, codes: C): Promise<{ -readonly [K in keyof C]: SyncClient }> {
  return Promise.all(codes.map((c) => SyncClient.activate(app, c))) as Promise<{ -readonly [K in keyof C]: SyncClient }>
}
