/** A family's calls and its application (online; shared/office/apply.schema.ts), parsed with the shared schemas. */
import { ApplyAnswer, FamilyCallsAnswer, type ApplyRequest } from '../../../../shared/office/apply.schema.ts'
import type { FetchFn } from '../../sync/http.ts'
import { jsonBody, officeJson } from '../office/office.http.ts'

export const fetchFamilyCalls = (f: FetchFn, token: string) => officeJson(f, token, FamilyCallsAnswer, '/api/family/calls')

export const submitApplication = (f: FetchFn, token: string, callId: string, req: ApplyRequest) =>
  officeJson(f, token, ApplyAnswer, `/api/family/calls/${encodeURIComponent(callId)}/applications`, jsonBody(req))
