/**
 * The coordinator's online commands for operator codes (sync-server/src/routes/provider): issuing
 * needs the server (a code is made and stored hashed there), so these are plain requests, not
 * mutations. Errors become SyncHttpError with the server's code.
 */
import { z } from 'zod'
import { classify, SyncHttpError, type FetchFn } from '../../sync/http.ts'

const Issued = z.object({ operatorId: z.string(), code: z.string() })
const Revoked = z.object({ revokedCodes: z.number(), revokedTokens: z.number() })
const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) })

async function call(fetchFn: FetchFn, token: string, operatorId: string, method: 'POST' | 'DELETE'): Promise<unknown> {
  let res: Response
  try {
    res = await fetchFn(`/api/provider/operators/${encodeURIComponent(operatorId)}/code`, { method, headers: { authorization: `Bearer ${token}` } })
  } catch (e) {
    throw new SyncHttpError('network', 0, 'network', e instanceof Error ? e.message : 'network error')
  }
  const body: unknown = await res.json().catch(() => null)
  if (res.ok) return body
  const err = ErrorBody.safeParse(body)
  const code = err.success ? err.data.error.code : `http-${res.status}`
  throw new SyncHttpError(classify(res.status, code), res.status, code, err.success ? err.data.error.message : res.statusText)
}

export async function issueOperatorCode(fetchFn: FetchFn, token: string, operatorId: string): Promise<string> {
  const parsed = Issued.safeParse(await call(fetchFn, token, operatorId, 'POST'))
  if (!parsed.success) throw new SyncHttpError('server', 200, 'bad-response', 'unexpected answer')
  return parsed.data.code
}

export async function revokeOperatorCode(fetchFn: FetchFn, token: string, operatorId: string): Promise<number> {
  const parsed = Revoked.safeParse(await call(fetchFn, token, operatorId, 'DELETE'))
  if (!parsed.success) throw new SyncHttpError('server', 200, 'bad-response', 'unexpected answer')
  return parsed.data.revokedTokens
}
