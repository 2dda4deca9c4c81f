/** Reimbursement statements (online only), parsed with shared/office/statements.schema.ts. */
import { Statement, StatementList, type CreateStatementRequest, type PayStatementRequest } from '../../../../shared/office/statements.schema.ts'
import type { FetchFn } from '../../sync/http.ts'
import { jsonBody, officeJson, officeRequest } from './office.http.ts'

const base = '/api/office/statements'
const one = (id: string) => `${base}/${encodeURIComponent(id)}`

export const listStatements = async (f: FetchFn, token: string) => (await officeJson(f, token, StatementList, base)).statements

export const getStatement = (f: FetchFn, token: string, id: string) => officeJson(f, token, Statement, one(id))

export const createStatement = (f: FetchFn, token: string, req: CreateStatementRequest) => officeJson(f, token, Statement, base, jsonBody(req))

export const approveStatement = (f: FetchFn, token: string, id: string) => officeJson(f, token, Statement, `${one(id)}/approve`, { method: 'POST' })

export const payStatement = (f: FetchFn, token: string, id: string, req: PayStatementRequest) => officeJson(f, token, Statement, `${one(id)}/pay`, jsonBody(req))

/** The spreadsheet for the accounting office, fetched with the token (a plain link could not send it). */
export async function exportStatement(f: FetchFn, token: string, id: string, format: 'xlsx' | 'csv'): Promise<Blob> {
  return (await officeRequest(f, token, `${one(id)}/export?format=${format}`, { headers: { accept: '*/*' } })).blob()
}
