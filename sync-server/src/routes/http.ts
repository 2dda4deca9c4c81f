/**
 * What every route shares: the Hono env (the caller's Auth), bearer-token authentication,
 * and reading a JSON body through a zod schema. Bad input becomes `AppError('validation')`
 * (400) before anything is written; a client speaking another protocol version gets `version-skew`.
 */
import type { Context, MiddlewareHandler } from 'hono'
import type { z } from 'zod'
import type { Role } from '../../../shared/mutators/store.ts'
import { PROTOCOL_VERSION } from '../../../shared/sync/protocol.ts'
import type { AppDeps } from '../deps.ts'
import { AppError } from '../errors.ts'
import { authenticate } from '../services/auth/auth.service.ts'
import type { Auth } from '../services/auth/principal.ts'

export type AppEnv = { Variables: { auth: Auth; token: string } }

/** Bearer token from the Authorization header; `?token=` too where EventSource cannot set headers. */
export function requireAuth(deps: Pick<AppDeps, 'db' | 'clock'>, opts: { allowQueryToken?: boolean } = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let token = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1]
    if (!token && opts.allowQueryToken) token = c.req.query('token')
    if (!token) throw new AppError('unauthorized', { reason: 'missing-token' })
    const auth = await authenticate(deps.db, token, deps.clock.now())
    if (!auth) throw new AppError('unauthorized', { reason: 'unknown-token' })
    c.set('auth', auth)
    c.set('token', token)
    await next()
  }
}

export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get('auth').actor.role !== role) throw new AppError('forbidden', { required: role })
    await next()
  }
}

export const issuesOf = (error: z.ZodError) => ({
  issues: error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
})

/** Parses the body as JSON, then with `schema`; `versioned` bodies must carry PROTOCOL_VERSION. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S, opts: { versioned?: boolean } = {}): Promise<z.infer<S>> {
  let raw: unknown
  try {
    raw = JSON.parse(await c.req.text())
  } catch (e) {
    if ((e as Error | null)?.name === 'BodyLimitError') throw new AppError('payload-too-large')
    throw new AppError('validation', { reason: 'invalid-json' })
  }
  if (opts.versioned && typeof raw === 'object' && raw !== null) {
    const v = (raw as { protocolVersion?: unknown }).protocolVersion
    if (typeof v === 'number' && v !== PROTOCOL_VERSION) {
      throw new AppError('version-skew', { serverVersion: PROTOCOL_VERSION, clientVersion: v })
    }
  }
  const parsed = schema.safeParse(raw)
  if (!parsed.success) throw new AppError('validation', issuesOf(parsed.error))
  return parsed.data
}
