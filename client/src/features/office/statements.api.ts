/** Reimbursement statements (online only), parsed with shared/office/statements.schema.ts. */
import { Statement, StatementList, type CreateStatementRequest, type PayStatementRequest } from '../../../../shared/office/statements.schema.ts'
import type { FetchFn } from '../../sync/http.ts'
import { officeJson, officeRequest } from './office.http.ts'

const base = '/api/office/statements'

export const listStatements = async (f: FetchFn, token: string) => (await officeJson(await officeRequest(f, token, base), StatementList)).statements

export const getStatement = async (f: FetchFn, token: string, id: string) =>
  officeJson(await officeRequest(f, token, `${base}/${encodeURIComponent(id)}`), Statement)

export const createStatement = async (f: FetchFn, token: string, req: CreateStatementRequest) =>
  officeJson(await officeRequest(f, token, base, { method: 'POST', body: req }), Statement)

export const approveStatement = async (f: FetchFn, token: string, id: string) =>
  officeJson(await officeRequest(f, token, `${base}/${encodeURIComponent(id)}/approve`, { method: 'POST' }), Statement)

export const payStatement = async (f: FetchFn, token: string, id: string, req: PayStatementRequest) =>
  officeJson(await officeRequest(f, token, `${base}/${encodeURIComponent(id)}/pay`, { method: 'POST', body: req }), Statement)

/** The spreadsheet for the accounting office, fetched with the token (a plain link could not send it). */
export async function exportStatement(f: FetchFn, token: string, id: string, format: 'xlsx' | 'csv'): Promise<Blob> {
  const res = await officeRequest(f, token, `${base}/${encodeURIComponent(id)}/export?format=${format}`, { accept: '*/*' })
  return res.blob()
}
