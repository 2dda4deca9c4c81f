/**
 * Issue 11's Done-when: "a parent's or provider's token refused on every office endpoint (403)". The
 * endpoints are read from the app's own routing table, so one added later is covered without anyone
 * listing it; each is asked with a body that would be valid-looking JSON, and must answer 403
 * `forbidden` to a parent and to a provider (and 401 without a token), before reading the body,
 * the path's ids or writing anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OfficeError } from '../../../../shared/office/office.schema.ts'
import { activateAll, json } from '../../test/sync-client.ts'
import { createTestServer, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let tokens: { role: string; token: string }[]
beforeAll(async () => {
  t = await createTestServer({ families: 1 })
  const [fam, prv] = await activateAll(t.app, ['FAM-0001', 'PRV-ALTANA'])
  tokens = [{ role: 'parent', token: fam!.token }, { role: 'provider', token: prv!.token }]
})
afterAll(() => t.close())

const endpoints = () => [...new Set(t.app.routes
  .filter((r) => r.path.startsWith('/api/office/') && r.method !== 'ALL')
  .map((r) => `${r.method} ${r.path}`))].map((e) => e.split(' ') as [string, string])

describe('office endpoints: officers only', () => {
  it('finds the office endpoints in the routing table (every area)', () => {
    const paths = endpoints().map(([, p]) => p)
    for (const area of ['calls', 'statements', 'audit', 'monitoring', 'families', 'program', 'territories', 'services', 'providers', 'employers', 'codes', 'liquidation']) {
      expect(paths.some((p) => p.startsWith(`/api/office/${area}`)), area).toBe(true)
    }
    expect(endpoints().length).toBeGreaterThanOrEqual(30)
  })

  it('answers 403 forbidden to a parent’s and a provider’s token on every one, 401 without a token, and writes nothing', async () => {
    const audit = async () => Number((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0]?.n)
    const before = await audit()
    for (const [method, path] of endpoints()) {
      const url = path.replaceAll(/:[a-zA-Z]+/g, 'x-1')
      for (const { role, token } of tokens) {
        const res = await t.app.request(url, method === 'GET' ? { headers: { authorization: `Bearer ${token}` } } : { ...json(token, {}), method })
        expect(res.status, `${role} ${method} ${path}`).toBe(403)
        expect(OfficeError.parse(await res.json()).error.code).toBe('forbidden')
      }
      const anonymous = await t.app.request(url, { method })
      expect(anonymous.status, `anonymous ${method} ${path}`).toBe(401)
    }
    expect(await audit()).toBe(before)
  })
})
