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
import { tooMany, type RateLimiter } from './rate-limit.ts'

export type AppEnv = { Variables: { auth: Auth; token: string; limiter?: RateLimiter } }

/**
 * Bearer token from the Authorization header; `?token=` too where EventSource cannot set headers.
 * Looked up through the app's token cache (`deps.tokens`, made by createApp; token-cache.ts).
 * A known token then pays one token of its own rate-limit bucket (429 when empty).
 */
export function requireAuth(deps: Pick<AppDeps, 'db' | 'clock' | 'tokens'>, opts: { allowQueryToken?: boolean } = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let token = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1]
    if (!token && opts.allowQueryToken) token = c.req.query('token')
    if (!token) throw new AppError('unauthorized', { reason: 'missing-token' })
    const auth = await authenticate(deps.db, token, deps.clock.now(), deps.tokens)
    if (!auth) throw new AppError('unauthorized', { reason: 'unknown-token' })
    // Per-token limit, for tokens that exist only (unknown ones are the address bucket's business).
    const wait = c.get('limiter')?.take('token', auth.tokenHash) ?? 0
    if (wait > 0) return tooMany(c, wait)
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

export const MAX_BODY_BYTES = 1024 * 1024
/** Deeper than any envelope needs (push args are ~5 levels); stops 100k-level bodies before JSON.parse. */
export const MAX_JSON_DEPTH = 32

/**
 * The body as text, counting bytes as they arrive: a Content-Length that lies (or is absent, as with
 * chunked bodies) cannot get more than `max` bytes read. The bodyLimit middleware (app.ts) already
 * refuses an honest oversized Content-Length before any byte is read.
 */
export async function readBodyText(req: Request, max = MAX_BODY_BYTES): Promise<string> {
  if (!req.body) return ''
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > max) {
        await reader.cancel().catch(() => undefined)
        throw new AppError('payload-too-large')
      }
      chunks.push(value)
    }
  } catch (e) {
    if (e instanceof AppError) throw e
    if ((e as Error | null)?.name === 'BodyLimitError') throw new AppError('payload-too-large')
    throw new AppError('validation', { reason: 'unreadable-body' })
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Nesting depth of JSON text (brackets outside strings), stopping as soon as it exceeds `max`. */
export function jsonDepthExceeds(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (inString) {
      if (ch === 92) i++ // backslash: skip the escaped character
      else if (ch === 34) inString = false
    } else if (ch === 34) inString = true
    else if (ch === 91 || ch === 123) {
      if (++depth > max) return true
    } else if (ch === 93 || ch === 125) depth--
  }
  return false
}

/** Parses the body as JSON, then with `schema`; `versioned` bodies must carry PROTOCOL_VERSION. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S, opts: { versioned?: boolean } = {}): Promise<z.infer<S>> {
  const text = await readBodyText(c.req.raw)
  if (jsonDepthExceeds(text)) throw new AppError('validation', { reason: 'too-deep', maxDepth: MAX_JSON_DEPTH })
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
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
