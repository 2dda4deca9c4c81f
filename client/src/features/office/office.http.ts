/**
 * The office's requests (online only: nothing the office reads is mirrored on the device). A non-2xx
 * answer becomes a SyncHttpError carrying the server's code and details, parsed with `OfficeError`;
 * a network failure is kind 'network'. Answers are parsed by each api file with the shared schemas.
 */
import type { z } from 'zod'
import { OfficeError } from '../../../../shared/office/office.schema.ts'
import { classify, SyncHttpError, type FetchFn } from '../../sync/http.ts'

export async function officeRequest(fetchFn: FetchFn, token: string, path: string, init: { method?: 'GET' | 'POST'; accept?: string; body?: unknown } = {}): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: init.accept ?? 'application/json' }
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  let res: Response
  try {
    res = await fetchFn(path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) })
  } catch (e) {
    throw new SyncHttpError('network', 0, 'network', e instanceof Error ? e.message : 'network error')
  }
  if (res.ok) return res
  const body = OfficeError.safeParse(await res.json().catch(() => null))
  const error = body.success ? body.data.error : { code: `http-${res.status}`, message: res.statusText, details: undefined }
  throw new SyncHttpError(classify(res.status, error.code), res.status, error.code, error.message, error.details)
}

/** GET with the officer's token (kept for the liquidation's api). */
export const officeGet = (fetchFn: FetchFn, token: string, path: string, accept: string): Promise<Response> => officeRequest(fetchFn, token, path, { accept })

/** The JSON answer parsed with `schema`; anything else is a `bad-response` failure, never data on screen. */
export async function officeJson<S extends z.ZodType>(res: Response, schema: S): Promise<z.infer<S>> {
  const parsed = schema.safeParse(await res.json().catch(() => null))
  if (!parsed.success) throw new SyncHttpError('server', res.status, 'bad-response', 'unexpected office answer')
  return parsed.data
}

/** The error's words key: 'offline', or the server's code. */
export const errorKey = (e: unknown): string => (e instanceof SyncHttpError ? (e.kind === 'network' ? 'offline' : e.code) : 'internal')
