/**
 * The office's liquidation report (online only: it is computed by the server over all families).
 * What arrives is parsed with the shared schemas (shared/office/office.schema.ts): the report with
 * `LiquidationReport`, an error body with `OfficeError`, so a garbled answer is a `bad-response`
 * failure, never data on screen, and the CSV download's errors carry the server's code too.
 */
import { LiquidationReport } from '../../../../shared/office/office.schema.ts'
import { SyncHttpError, type FetchFn } from '../../sync/http.ts'
import { officeGet } from './office.http.ts'

const url = (from: string, to: string, csv = false) =>
  `/api/office/liquidation?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}${csv ? '&format=csv' : ''}`

export async function fetchLiquidation(fetchFn: FetchFn, token: string, from: string, to: string): Promise<LiquidationReport> {
  const res = await officeGet(fetchFn, token, url(from, to), 'application/json')
  const parsed = LiquidationReport.safeParse(await res.json().catch(() => null))
  if (!parsed.success) throw new SyncHttpError('server', res.status, 'bad-response', 'unexpected liquidation report')
  return parsed.data
}

/** The same report as CSV, fetched with the token (a plain link could not send it) and returned as a Blob. */
export async function fetchLiquidationCsv(fetchFn: FetchFn, token: string, from: string, to: string): Promise<Blob> {
  const res = await officeGet(fetchFn, token, url(from, to, true), 'text/csv')
  return new Blob([await res.text()], { type: 'text/csv;charset=utf-8' })
}
