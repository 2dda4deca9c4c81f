/**
 * What every route shares: the Hono env (the caller's Auth), bearer-token authentication,
 * the body size limit, and reading a JSON body through a zod schema. Bad input becomes
 * `AppError('validation')` (400) before anything is written; a client speaking another protocol
 * version gets `version-skew`. Routes read bodies through `readJson` only.
 */
import type { IncomingMessage } from 'node:http'
import type { Http2ServerRequest } from 'node:http2'
import { Readable } from 'node:stream'
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { compress } from 'hono/compress'
import { getCookie } from 'hono/cookie'
import type { z } from 'zod'
import type { Role } from '../../../shared/mutators/store.ts'
import { PROTOCOL_VERSION } from '../../../shared/sync/protocol.ts'
import type { AppDeps } from '../deps.ts'
import { AppError, errorResponse } from '../errors.ts'
import { authenticate, authenticateHash, refusedBecause } from '../services/auth/auth.service.ts'
import { looksLikePokeCredential, pokeKey, verifyPokeCredential } from '../services/auth/poke-credential.ts'
import type { Auth } from '../services/auth/principal.ts'
import type { SecurityLog } from '../services/audit/security-log.ts'
import { tooMany, type RateLimiter } from './rate-limit.ts'

/** Node's own request, which @hono/node-server (main.ts) hands over as `c.env.incoming`. */
type NodeRequest = IncomingMessage | Http2ServerRequest

export type AppEnv = {
  Bindings: { incoming?: NodeRequest }
  Variables: {
    auth: Auth
    token: string
    limiter?: RateLimiter
    /** The security log (services/audit/security-log.ts), set by the app for every /api request. */
    security?: SecurityLog
    /** A body without Content-Length, already read by limitBody. */
    body?: Buffer
  }
}

/**
 * Under @hono/node-server; undefined for in-process requests (app.request in tests), which have no
 * env or, in the rate-limit tests, a stand-in for Node's request that only carries a socket address.
 */
function nodeRequest(c: Context<AppEnv>): NodeRequest | undefined {
  const incoming = (c.env as AppEnv['Bindings'] | undefined)?.incoming
  return incoming instanceof Readable ? incoming : undefined
}

/**
 * The cookie that carries the token to the poke stream, where EventSource cannot set headers: set by
 * POST /api/sync/poke-session, sent only to GET /api/sync/poke (its Path), never readable by scripts.
 */
export const POKE_COOKIE = 'conciliapp_poke'
export const POKE_PATH = '/api/sync/poke'

/**
 * `?token=` in the poke stream's URL, as clients before the poke cookie sent it, and a raw token in the
 * poke cookie, as servers before the poke credential set it, are accepted until this day (the
 * business clock's, UTC) and refused from it: a URL ends up in proxy logs, and a cookie should carry
 * no more than the stream needs (docs/security.md).
 */
export const STREAM_TOKEN_ACCEPTED_UNTIL = '2027-03-01T00:00:00Z'

/**
 * Bearer token from the Authorization header. Where EventSource cannot set headers (the poke stream,
 * `allowStreamToken`), also the poke cookie's credential (poke-credential.ts: it names the token by its
 * hash, signed, and expires), and until STREAM_TOKEN_ACCEPTED_UNTIL a raw token in that cookie or in
 * `?token=`. Looked up through the app's token cache (`deps.tokens`, made by createApp; token-cache.ts).
 * A known token then pays one token of its own rate-limit bucket (429 when empty).
 */
export function requireAuth(deps: Pick<AppDeps, 'db' | 'clock' | 'tokens' | 'demo'>, opts: { allowStreamToken?: boolean } = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const now = deps.clock.now()
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1]
    const found = bearer ? { token: bearer } : opts.allowStreamToken ? await streamCredential(c, deps, now) : null
    if (!found) throw new AppError('unauthorized', { reason: 'missing-token' })
    const auth = 'auth' in found ? found.auth : await authenticate(deps.db, found.token, now, deps.tokens, deps.demo)
    if (!auth) throw new AppError('unauthorized', { reason: 'token' in found ? await refusedBecause(deps.db, found.token) : 'unknown-token' })
    // Per-token limit, for tokens that exist only (unknown ones are the address bucket's business).
    const wait = c.get('limiter')?.take('token', auth.tokenHash) ?? 0
    if (wait > 0) return tooMany(c, wait, 'token')
    c.set('auth', auth)
    c.set('token', 'token' in found ? found.token : '')
    await next()
  }
}

/**
 * The poke stream's credential from its cookie (the caller it names, or null if that token is no longer
 * valid), or until STREAM_TOKEN_ACCEPTED_UNTIL a raw token in the cookie or `?token=`; null: none.
 */
async function streamCredential(c: Context<AppEnv>, deps: Pick<AppDeps, 'db' | 'tokens' | 'demo'>, now: Date): Promise<{ auth: Auth | null } | { token: string } | null> {
  const cookie = getCookie(c, POKE_COOKIE)
  if (cookie && looksLikePokeCredential(cookie)) {
    const tokenHash = verifyPokeCredential(await pokeKey(deps.db), cookie, now)
    if (!tokenHash) throw new AppError('unauthorized', { reason: 'bad-stream-credential' })
    return { auth: await authenticateHash(deps.db, tokenHash, now, deps.tokens, deps.demo) }
  }
  if (now.getTime() >= Date.parse(STREAM_TOKEN_ACCEPTED_UNTIL)) return null
  const token = cookie || c.req.query('token')
  return token ? { token } : null
}

export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get('auth').actor.role !== role) throw new AppError('forbidden', { required: role })
    await next()
  }
}

/** Answers this large and larger are compressed for a client that accepts gzip (compressLarge). */
export const COMPRESS_FROM_BYTES = 8 * 1024

/**
 * Hono's compress, on the routes whose answers can be large (pull): gzip when the client accepts it
 * (its q-values honoured) and the answer's Content-Length is COMPRESS_FROM_BYTES or more, so jsonAnswer
 * sets one. A first pull after a year of a program is ~140 KiB of JSON, ~10 times less on the wire.
 * Small answers, like every push's, go as they are: compressing them would cost more CPU than the bytes
 * it saves. Node's CompressionStream is zlib underneath, which deflates on libuv's thread pool, off
 * the event loop.
 */
export const compressLarge = (): MiddlewareHandler<AppEnv> => compress({ encoding: 'gzip', threshold: COMPRESS_FROM_BYTES })

/** A JSON answer with its Content-Length, which compressLarge judges it by. */
export function jsonAnswer(c: Context<AppEnv>, value: unknown): Response {
  const text = JSON.stringify(value)
  return c.body(text, 200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) })
}

export const issuesOf = (error: z.ZodError) => ({
  issues: error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
})

export const MAX_BODY_BYTES = 1024 * 1024
/** Deeper than any envelope needs (push args are ~5 levels); stops 100k-level bodies before JSON.parse. */
export const MAX_JSON_DEPTH = 32

/**
 * 413 `payload-too-large` for a body over `max`, before the route runs (app.ts, on /api/*). Under
 * @hono/node-server it looks at Node's request only: hono's bodyLimit asks for `c.req.raw.body`, which
 * alone makes the adapter build a whole web Request (AbortController, Readable.toWeb…) for every
 * request: A/B on bench:push, 7 % less push throughput and 49 % more server CPU per push with
 * bodyLimit (docs/security.md, "Hostile input"). The answers are bodyLimit's: a
 * Content-Length over `max` is refused before a byte is read; a body without one (chunked) is read
 * here, counting bytes, and kept for readJson, so even a route that never reads its body refuses an
 * oversized one. In-process requests (app.request in tests) still go through hono's bodyLimit.
 */
export function limitBody(max = MAX_BODY_BYTES): MiddlewareHandler<AppEnv> {
  const webLimit = bodyLimit({ maxSize: max, onError: (c) => errorResponse(c, 'payload-too-large') })
  return async (c, next) => {
    const incoming = nodeRequest(c)
    if (!incoming) return webLimit(c, next)
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next() // no body, as for bodyLimit
    const declared = incoming.headers['content-length']
    if (declared !== undefined && incoming.headers['transfer-encoding'] === undefined) {
      return Number.parseInt(declared, 10) > max ? errorResponse(c, 'payload-too-large') : next()
    }
    c.set('body', await readNodeBody(incoming, max))
    return next()
  }
}

/**
 * Node's request body, counting bytes as they arrive (Node holds a Content-Length to its word; a
 * chunked body has none): past `max`, 413, and the rest is left unread (the adapter drains a little
 * or closes the connection once the answer is out). Node destroys the request of a client that
 * half-closes its socket even after sending all of it; what was received whole is still read, as
 * the adapter itself does for web bodies.
 */
function readNodeBody(incoming: NodeRequest, max: number): Promise<Buffer> {
  const stream: Readable = incoming
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    const settle = (error: AppError | null) => {
      if (settled) return
      settled = true
      stream.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onClose)
      if (error) reject(error)
      else resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, size))
    }
    /** False once over `max` (then 413, and reading stops). */
    const take = (chunk: Buffer): boolean => {
      size += chunk.byteLength
      if (size > max) {
        stream.pause()
        settle(new AppError('payload-too-large'))
        return false
      }
      chunks.push(chunk)
      return true
    }
    const onData = (chunk: Buffer) => void take(chunk)
    const onEnd = () => settle(null)
    const onGone = () => {
      if (settled) return
      stream.off('data', onData) // read() below would emit 'data' too
      if (!incoming.complete) return settle(new AppError('validation', { reason: 'unreadable-body' }))
      for (let chunk = stream.read() as Buffer | null; chunk !== null; chunk = stream.read() as Buffer | null) if (!take(chunk)) return
      settle(null)
    }
    const onClose = () => void (stream.readableEnded || onGone()) // closed before its end
    if (stream.readableEnded) return settle(new AppError('validation', { reason: 'unreadable-body' })) // read already
    if (stream.destroyed) return onGone()
    stream.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onClose)
  })
}

/** The body as text, read once, whichever way the request came (see limitBody). */
/** The body as UTF-8 text, within the body limit (a CSV upload; JSON bodies go through readJson). */
export async function bodyText(c: Context<AppEnv>, max = MAX_BODY_BYTES): Promise<string> {
  const early = c.get('body')
  if (early) return early.toString('utf8')
  const incoming = nodeRequest(c)
  return incoming ? (await readNodeBody(incoming, max)).toString('utf8') : readBodyText(c.req.raw, max)
}

/**
 * A web Request's body as text (in-process requests), counting bytes as they arrive: a Content-Length
 * that lies (or is absent, as with chunked bodies) cannot get more than `max` bytes read. limitBody
 * already refuses an honest oversized Content-Length before any byte is read.
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
export async function readJson<S extends z.ZodType>(c: Context<AppEnv>, schema: S, opts: { versioned?: boolean } = {}): Promise<z.infer<S>> {
  const text = await bodyText(c)
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
