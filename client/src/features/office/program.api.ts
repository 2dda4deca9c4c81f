/** The program's configuration and its providers (issue 11): every answer parsed with shared/office/program.schema.ts. */
import {
  AccreditAnswer, CreateProgramAnswer, ProgramConfig, ProviderEntry, ProvidersAnswer, SuspendAnswer,
  type AccreditRequest, type AccreditedService, type CreateProgramRequest, type UpdateProgramRequest,
} from '../../../../shared/office/program.schema.ts'
import type { FetchFn } from '../../sync/http.ts'
import { jsonBody, officeJson } from './office.http.ts'

const put = (body: unknown): RequestInit => ({ ...jsonBody(body), method: 'PUT' })
const provider = (id: string) => `/api/office/providers/${encodeURIComponent(id)}`

export const fetchProgram = (f: FetchFn, token: string) => officeJson(f, token, ProgramConfig, '/api/office/program')
export const saveProgram = (f: FetchFn, token: string, req: UpdateProgramRequest) => officeJson(f, token, ProgramConfig, '/api/office/program', put(req))
export const createProgram = (f: FetchFn, token: string, req: CreateProgramRequest) => officeJson(f, token, CreateProgramAnswer, '/api/office/programs', jsonBody(req))
export const fetchProviders = (f: FetchFn, token: string) => officeJson(f, token, ProvidersAnswer, '/api/office/providers')
export const accredit = (f: FetchFn, token: string, req: AccreditRequest) => officeJson(f, token, AccreditAnswer, '/api/office/providers', jsonBody(req))
export const setServices = (f: FetchFn, token: string, id: string, services: AccreditedService[]) =>
  officeJson(f, token, ProviderEntry, `${provider(id)}/services`, put({ services }))
export const suspend = (f: FetchFn, token: string, id: string, reason: string) => officeJson(f, token, SuspendAnswer, `${provider(id)}/suspend`, jsonBody({ reason }))
export const reinstate = (f: FetchFn, token: string, id: string) => officeJson(f, token, ProviderEntry, `${provider(id)}/reinstate`, jsonBody({}))
/** DELETE /territories/:id, /services/:id: the configuration without it, or 409 config-conflicts (in use). */
export const deleteCatalogue = (f: FetchFn, token: string, kind: 'territories' | 'services', id: string) =>
  officeJson(f, token, ProgramConfig, `/api/office/${kind}/${encodeURIComponent(id)}`, { method: 'DELETE' })
