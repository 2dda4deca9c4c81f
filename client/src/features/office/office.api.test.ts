/** The officer's screen trusts no JSON: reports and errors are parsed with the shared office schemas. */
import { describe, expect, it } from 'vitest'
import type { LiquidationReport } from '../../../../shared/office/office.schema.ts'
import { SyncHttpError, type FetchFn } from '../../sync/http.ts'
import { fetchLiquidation, fetchLiquidationCsv } from './office.api.ts'

const REPORT: LiquidationReport = {
  programId: 'prg-conciliare', from: '2026-11-01', to: '2026-11-30',
  providers: [{ providerId: 'prv-altana', name: 'ALTANA', deliveredCount: 2, amountCents: 6000 }], totalCents: 6000,
}
const answering = (body: string, status = 200, type = 'application/json'): FetchFn & { calls: [string, RequestInit | undefined][] } => {
  const calls: [string, RequestInit | undefined][] = []
  return Object.assign(async (input: string, init?: RequestInit) => {
    calls.push([input, init])
    return new Response(body, { status, headers: { 'content-type': type } })
  }, { calls })
}
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure') }, (e: unknown) => e as SyncHttpError)

describe('office.api', () => {
  it('returns the report parsed with the shared schema, with the token and the period', async () => {
    const fetchFn = answering(JSON.stringify({ ...REPORT, later: 'a field added by a newer server' }))
    expect(await fetchLiquidation(fetchFn, 'tok', '2026-11-01', '2026-11-30')).toEqual(REPORT)
    const [path, init] = fetchFn.calls[0] ?? []
    expect(path).toBe('/api/office/liquidation?from=2026-11-01&to=2026-11-30')
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer tok')
  })

  it('refuses a garbled or non-JSON report as bad-response', async () => {
    for (const body of [JSON.stringify({ ...REPORT, totalCents: '6000' }), JSON.stringify({ providers: [] }), '<html>portal</html>']) {
      const e = await failure(fetchLiquidation(answering(body), 'tok', '2026-11-01', '2026-11-30'))
      expect(e).toBeInstanceOf(SyncHttpError)
      expect([e.kind, e.code]).toEqual(['server', 'bad-response'])
    }
  })

  it("reads the server's error body, for the report and the CSV alike; a foreign one is http-<status>", async () => {
    const forbidden = JSON.stringify({ error: { code: 'forbidden', message: 'Non hai i permessi.', messageEn: 'Not allowed.', details: { required: 'officer' } } })
    const e = await failure(fetchLiquidation(answering(forbidden, 403), 'tok', '2026-11-01', '2026-11-30'))
    expect([e.kind, e.status, e.code, e.details]).toEqual(['rejected', 403, 'forbidden', { required: 'officer' }])
    expect((await failure(fetchLiquidationCsv(answering(forbidden, 403), 'tok', '2026-11-01', '2026-11-30'))).code).toBe('forbidden')
    const proxy = await failure(fetchLiquidationCsv(answering('Bad Gateway', 502, 'text/plain'), 'tok', '2026-11-01', '2026-11-30'))
    expect([proxy.kind, proxy.code]).toEqual(['server', 'http-502'])
    const offline = await failure(fetchLiquidation(() => Promise.reject(new TypeError('Failed to fetch')), 'tok', '2026-11-01', '2026-11-30'))
    expect(offline.kind).toBe('network')
  })

  it('returns the CSV as a Blob', async () => {
    const csv = await fetchLiquidationCsv(answering('providerId,name\r\n', 200, 'text/csv'), 'tok', '2026-11-01', '2026-11-30')
    expect(await csv.text()).toBe('providerId,name\r\n')
  })
})
