/** The activation call: a code from the program office (families) or a provider (operators) → a token. */
import type { ActivateResponse } from '../../../../shared/sync/protocol.ts'
import { requestJson, SyncHttpError, type FetchFn } from '../../sync/http.ts'

export async function activateCode(fetchFn: FetchFn, code: string, deviceName: string): Promise<ActivateResponse> {
  const raw = await requestJson<unknown>(fetchFn, '/api/auth/activate', { body: { code, deviceName } })
  // The protocol's schemas (zod) load with the activation only: the auth store is on the first screen (issue 10).
  const { ActivateResponse } = await import('../../../../shared/sync/protocol.ts')
  const parsed = ActivateResponse.safeParse(raw)
  if (!parsed.success) throw new SyncHttpError('server', 200, 'bad-response', 'activation response does not match the protocol')
  return parsed.data
}

export function deviceName(nav: Navigator = navigator): string {
  const ua = nav.userAgent
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS/.test(ua) ? 'macOS' : 'Linux'
  return `Conciliapp web (${os})`
}

/**
 * Revoke a device token on the server. 'done' when the server revoked it or no longer knows it (401);
 * 'retry' when it could not be reached (offline, 5xx): the caller keeps the token to try again later.
 */
export async function revokeToken(fetchFn: FetchFn, token: string): Promise<'done' | 'retry'> {
  try {
    await requestJson<unknown>(fetchFn, '/api/auth/logout', { token, body: {} })
    return 'done'
  } catch (e) {
    return e instanceof SyncHttpError && e.status >= 400 && e.status < 500 && e.status !== 429 ? 'done' : 'retry'
  }
}
