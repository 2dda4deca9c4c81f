/** The family's own data (issue 10): online only, with the parent's token (sync-server/src/routes/family/family-data.routes.ts). */
import { DevicesAnswer, ErasureRequestAnswer } from '../../../../shared/office/family-requests.schema.ts'
import type { FetchFn } from '../../sync/http.ts'
import { officeJson, officeRequest } from '../office/office.http.ts'

export const listDevices = (f: FetchFn, token: string) => officeJson(f, token, DevicesAnswer, '/api/family/devices')
export const revokeDevice = (f: FetchFn, token: string, id: string) =>
  officeRequest(f, token, `/api/family/devices/${encodeURIComponent(id)}`, { method: 'DELETE' }).then(() => undefined)
export const erasureRequest = (f: FetchFn, token: string) => officeJson(f, token, ErasureRequestAnswer, '/api/family/erasure-request')
export const askErasure = (f: FetchFn, token: string) =>
  officeJson(f, token, ErasureRequestAnswer, '/api/family/erasure-request', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })

/** The export as a file: fetched with the token (a link cannot carry it), then handed to the browser to save. */
export async function downloadExport(f: FetchFn, token: string, format: 'json' | 'html', lang: 'it' | 'en'): Promise<void> {
  const res = await officeRequest(f, token, `/api/family/export?format=${format}&lang=${lang}`, { headers: { accept: format === 'json' ? 'application/json' : 'text/html' } })
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `i-miei-dati.${format}`
  const url = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
