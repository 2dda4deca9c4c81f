/** Employers funding the vouchers (issue 11): every answer parsed with shared/office/employers.schema.ts. */
import {
  EmployerEntry, EmployersAnswer, ImportEmployeesAnswer, type CreateEmployerRequest, type UpdateEmployerRequest,
} from '../../../../shared/office/employers.schema.ts'
import type { FetchFn } from '../../sync/http.ts'
import { jsonBody, officeJson } from './office.http.ts'

export const listEmployers = (f: FetchFn, token: string) => officeJson(f, token, EmployersAnswer, '/api/office/employers')
export const createEmployer = (f: FetchFn, token: string, req: CreateEmployerRequest) => officeJson(f, token, EmployerEntry, '/api/office/employers', jsonBody(req))
export const updateEmployer = (f: FetchFn, token: string, id: string, req: UpdateEmployerRequest) =>
  officeJson(f, token, EmployerEntry, `/api/office/employers/${encodeURIComponent(id)}`, { ...jsonBody(req), method: 'PUT' })

/** A file the officer picked: CSV as it is (one row per child), JSON as `{ employees }` or a bare array. */
export async function importEmployees(f: FetchFn, token: string, id: string, file: { name: string; type: string; text(): Promise<string> }): Promise<ImportEmployeesAnswer> {
  const text = await file.text()
  const csv = /\.csv$/i.test(file.name) || file.type === 'text/csv'
  let body = text
  if (!csv) {
    try {
      const parsed: unknown = JSON.parse(text)
      body = JSON.stringify(Array.isArray(parsed) ? { employees: parsed } : parsed)
    } catch {
      // Sent as it is: the server answers 400 validation, which the screen words.
    }
  }
  return officeJson(f, token, ImportEmployeesAnswer, `/api/office/employers/${encodeURIComponent(id)}/employees`, {
    method: 'POST', headers: { 'content-type': csv ? 'text/csv; charset=utf-8' : 'application/json' }, body,
  })
}
