/** What families ask of the office (issue 10): birth dates to approve, erasure requests (officer token, online). */
import { EraseAnswer } from '../../../../shared/office/families.schema.ts'
import { BirthDateDecisionAnswer, BirthDateRequestsAnswer, ErasureRequestsAnswer } from '../../../../shared/office/family-requests.schema.ts'
import type { FetchFn } from '../../sync/http.ts'
import { jsonBody, officeJson } from './office.http.ts'

export const birthDateRequests = (f: FetchFn, token: string) => officeJson(f, token, BirthDateRequestsAnswer, '/api/office/birth-date-requests')
export const approveBirthDate = (f: FetchFn, token: string, id: string) =>
  officeJson(f, token, BirthDateDecisionAnswer, `/api/office/birth-date-requests/${encodeURIComponent(id)}/approve`, jsonBody({}))
export const rejectBirthDate = (f: FetchFn, token: string, id: string, reason: string) =>
  officeJson(f, token, BirthDateDecisionAnswer, `/api/office/birth-date-requests/${encodeURIComponent(id)}/reject`, jsonBody({ reason }))
export const erasureRequests = (f: FetchFn, token: string) => officeJson(f, token, ErasureRequestsAnswer, '/api/office/erasure-requests')
/** The office's existing erase command (families.routes.ts), which also marks the family's requests done. */
export const eraseFamily = (f: FetchFn, token: string, familyId: string) =>
  officeJson(f, token, EraseAnswer, `/api/office/families/${encodeURIComponent(familyId)}/erase`, jsonBody({}))
