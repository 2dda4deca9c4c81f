/** Monitoring (online only), parsed with shared/office/monitoring.schema.ts. */
import { MonitoringAnswer } from '../../../../shared/office/monitoring.schema.ts'
import type { FetchFn } from '../../sync/http.ts'
import { officeJson, officeRequest } from './office.http.ts'

export interface MonitoringFilter {
  from: string
  to: string
  territoryId: string | null
}

const url = (q: MonitoringFilter, csv = false) =>
  `/api/office/monitoring?from=${encodeURIComponent(q.from)}&to=${encodeURIComponent(q.to)}` +
  `${q.territoryId ? `&territoryId=${encodeURIComponent(q.territoryId)}` : ''}${csv ? '&format=csv' : ''}`

export const fetchMonitoring = (f: FetchFn, token: string, q: MonitoringFilter) => officeJson(f, token, MonitoringAnswer, url(q))

export const fetchMonitoringCsv = async (f: FetchFn, token: string, q: MonitoringFilter): Promise<Blob> =>
  (await officeRequest(f, token, url(q, true), { headers: { accept: 'text/csv' } })).blob()
