/** The office's calls (architecture.md, "Office API"): every answer parsed with shared/office/calls.schema.ts. */
import {
  AssignAnswer, CallsAnswer, CreateCallAnswer, ImportAnswer, RankingAnswer, type CreateCallRequest,
} from '../../../../shared/office/calls.schema.ts'
import { ReissueCodeAnswer } from '../../../../shared/office/families.schema.ts'
import type { FetchFn } from '../../sync/http.ts'
import { jsonBody, officeJson } from './office.http.ts'

const call = (id: string) => `/api/office/calls/${encodeURIComponent(id)}`

export const listCalls = (f: FetchFn, token: string) => officeJson(f, token, CallsAnswer, '/api/office/calls')

export const createCall = (f: FetchFn, token: string, req: CreateCallRequest) => officeJson(f, token, CreateCallAnswer, '/api/office/calls', jsonBody(req))

/** A file the officer picked: CSV as it is (the server reads it row by row), JSON as `{ applications }`. */
export async function importFile(f: FetchFn, token: string, id: string, file: { name: string; type: string; text(): Promise<string> }): Promise<ImportAnswer> {
  const text = await file.text()
  const csv = /\.csv$/i.test(file.name) || file.type === 'text/csv'
  const init: RequestInit = csv
    ? { method: 'POST', headers: { 'content-type': 'text/csv; charset=utf-8' }, body: text }
    : { method: 'POST', headers: { 'content-type': 'application/json' }, body: text }
  return officeJson(f, token, ImportAnswer, `${call(id)}/applications`, init)
}

export const assignCall = (f: FetchFn, token: string, id: string) => officeJson(f, token, AssignAnswer, `${call(id)}/assign`, jsonBody({}))

export const fetchRanking = (f: FetchFn, token: string, id: string) => officeJson(f, token, RankingAnswer, `${call(id)}/ranking`)

/** A new activation code for the family: its old codes and devices are revoked (the letter shows the new one). */
export const reissueCode = (f: FetchFn, token: string, familyId: string) =>
  officeJson(f, token, ReissueCodeAnswer, `/api/office/families/${encodeURIComponent(familyId)}/reissue-code`, jsonBody({}))
