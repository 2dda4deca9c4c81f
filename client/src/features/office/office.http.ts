/**
 * One request of the office's screens: the officer's token, a non-2xx answer turned into a
 * SyncHttpError carrying the server's code (parsed with the shared `OfficeError`), an answer parsed
 * with its shared schema (a garbled one is `bad-response`, never data on screen).
 * (office.api.ts keeps its own `officeGet` for the liquidation; both can share this one.)
 */
import type { z } from 'zod'
import { OfficeError } from '../../../../shared/office/office.schema.ts'
import { classify, SyncHttpError, type FetchFn } from '../../sync/http.ts'

export async function officeRequest(fetchFn: FetchFn, token: string, path: string, init: RequestInit = {}): Promise<Response> {
  let res: Response
  try {
    res = await fetchFn(path, { ...init, headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(init.headers as Record<string, string> | undefined) } })
  } catch (e) {
    throw new SyncHttpError('network', 0, 'network', e instanceof Error ? e.message : 'network error')
  }
  if (res.ok) return res
  const body = OfficeError.safeParse(await res.json().catch(() => null))
  const error = body.success ? body.data.error : { code: `http-${res.status}`, message: res.statusText, details: undefined }
  throw new SyncHttpError(classify(res.status, error.code), res.status, error.code, error.message, error.details)
}

export async function officeJson<S extends z.ZodType>(fetchFn: FetchFn, token: string, schema: S, path: string, init?: RequestInit): Promise<z.infer<S>> {
  const res = await officeRequest(fetchFn, token, path, init)
  const parsed = schema.safeParse(await res.json().catch(() => null))
  if (!parsed.success) throw new SyncHttpError('server', res.status, 'bad-response', `unexpected answer from ${path}`)
  return parsed.data
}

export const jsonBody = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

/** GET with the officer's token and an Accept (the liquidation's api). */
export const officeGet = (fetchFn: FetchFn, token: string, path: string, accept: string): Promise<Response> =>
  officeRequest(fetchFn, token, path, { headers: { accept } })

/** The words key of a failure: 'offline', or the server's code. */
export const errorKey = (e: unknown): string => (e instanceof SyncHttpError ? (e.kind === 'network' ? 'offline' : e.code) : 'internal')
