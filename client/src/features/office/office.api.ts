/** The office's liquidation report (online only: it is computed by the server over all families). */
import { z } from 'zod'
import { SyncHttpError, requestJson, type FetchFn } from '../../sync/http.ts'

export const LiquidationReport = z.object({
  providers: z.array(z.object({ providerId: z.string(), name: z.string(), deliveredCount: z.number(), amountCents: z.number() })),
  totalCents: z.number(),
})
export type LiquidationReport = z.infer<typeof LiquidationReport>

const url = (from: string, to: string, csv = false) =>
  `/api/office/liquidation?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}${csv ? '&format=csv' : ''}`

export async function fetchLiquidation(fetchFn: FetchFn, token: string, from: string, to: string): Promise<LiquidationReport> {
  const parsed = LiquidationReport.safeParse(await requestJson<unknown>(fetchFn, url(from, to), { token }))
  if (!parsed.success) throw new SyncHttpError('server', 200, 'bad-response', 'unexpected liquidation report')
  return parsed.data
}

/** The same report as CSV, fetched with the token (a plain link could not send it) and returned as a Blob. */
export async function fetchLiquidationCsv(fetchFn: FetchFn, token: string, from: string, to: string): Promise<Blob> {
  let res: Response
  try {
    res = await fetchFn(url(from, to, true), { headers: { authorization: `Bearer ${token}`, accept: 'text/csv' } })
  } catch (e) {
    throw new SyncHttpError('network', 0, 'network', e instanceof Error ? e.message : 'network error')
  }
  if (!res.ok) throw new SyncHttpError(res.status >= 500 ? 'server' : 'rejected', res.status, `http-${res.status}`, res.statusText)
  return new Blob([await res.text()], { type: 'text/csv;charset=utf-8' })
}
