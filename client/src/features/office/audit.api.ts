/** The audit log as the office reads it (issue 11): the answer parsed with shared/office/audit.schema.ts. */
import { AuditAnswer } from '../../../../shared/office/audit.schema.ts'
import type { FetchFn } from '../../sync/http.ts'
import { officeJson } from './office.http.ts'

export interface AuditFilter {
  entity?: string
  entityId?: string
  personId?: string
}

/** One page, newest first; `before` from the previous page's answer for the next (older) one. */
export function fetchAudit(f: FetchFn, token: string, filter: AuditFilter, before?: number | null, limit = 50) {
  const q = new URLSearchParams()
  for (const k of ['entity', 'entityId', 'personId'] as const) if (filter[k]) q.set(k, filter[k])
  if (before) q.set('before', String(before))
  q.set('limit', String(limit))
  return officeJson(f, token, AuditAnswer, `/api/office/audit?${q}`)
}
