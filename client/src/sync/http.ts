/**
 * One way to call the server and one classification of what went wrong, so the loop can decide:
 * `network` and `server` (5xx) are transient (back off and retry); `unauthorized` (401) means the
 * device must be activated again; `version-skew` means this app is too old; `rejected` is any other
 * 4xx (for sync: a malformed envelope, a bug). None of them ever drops a queued mutation.
 */
export type FailureKind = 'network' | 'server' | 'unauthorized' | 'version-skew' | 'rejected'

export class SyncHttpError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** The server's Retry-After (429, 503), in ms: the loop waits at least this long. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message)
  }

  get transient(): boolean {
    return this.kind === 'network' || this.kind === 'server'
  }
}

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>

interface ErrorBodyShape {
  error?: { code?: unknown; message?: unknown; details?: unknown }
}

async function readError(res: Response): Promise<ErrorBodyShape['error']> {
  try {
    const body = (await res.json()) as ErrorBodyShape
    return body.error ?? {}
  } catch {
    return {}
  }
}

export function classify(status: number, code: string): FailureKind {
  if (code === 'version-skew') return 'version-skew'
  if (status === 401) return 'unauthorized'
  if (status >= 500 || status === 429 || status === 408) return 'server'
  return 'rejected'
}

/** Retry-After in seconds (the server's form; an HTTP date is read too), as ms. */
export function retryAfterMs(header: string | null, nowMs: number): number | null {
  if (!header) return null
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const at = Date.parse(header)
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs)
}

/** POST (or GET without body) JSON; returns the parsed body or throws SyncHttpError. */
export async function requestJson<T>(
  fetchFn: FetchFn,
  url: string,
  opts: { token?: string | null; body?: unknown; method?: 'GET' | 'POST' },
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (opts.body !== undefined) headers['content-type'] = 'application/json'
  if (opts.token) headers.authorization = `Bearer ${opts.token}`
  let res: Response
  try {
    res = await fetchFn(url, {
      method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    })
  } catch (e) {
    throw new SyncHttpError('network', 0, 'network', e instanceof Error ? e.message : 'network error')
  }
  if (!res.ok) {
    const err = await readError(res)
    const code = typeof err?.code === 'string' ? err.code : `http-${res.status}`
    const message = typeof err?.message === 'string' ? err.message : res.statusText
    const wait = retryAfterMs(res.headers.get('retry-after'), Date.now())
    throw new SyncHttpError(classify(res.status, code), res.status, code, message, err?.details, wait)
  }
  try {
    return (await res.json()) as T
  } catch {
    // A proxy answering HTML (captive portal, offline page) is a transient failure, not data.
    throw new SyncHttpError('server', res.status, 'bad-response', 'response is not JSON')
  }
}
