import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MonitoringAnswer } from '../../../../shared/office/monitoring.schema.ts'
import { Statement } from '../../../../shared/office/statements.schema.ts'
import { invariantViolations, rowCounts } from '../../test/db-checks.ts'
import { activateAll, json } from '../../test/sync-client.ts'
import { createTestServer, type TestServer } from '../../test/test-server.ts'
import { seedDemo } from './demo-seed.ts'

let t: TestServer
beforeAll(async () => {
  t = await createTestServer({ families: 3, past: true })
})
afterAll(() => t.close())

describe('the demo with a past (first start)', () => {
  it('holds delivered bookings whose vouchers, ledger and places agree', async () => {
    const [{ n }] = (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM bookings WHERE status = 'delivered'")) as [{ n: number }]
    expect(n).toBeGreaterThanOrEqual(20)
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('is idempotent: seeding again adds nothing, and a restart on another day adds no past', async () => {
    const before = await rowCounts(t.db)
    expect((await seedDemo(t.deps, 3, { past: true })).inserted).toBe(0)
    expect(await rowCounts(t.db)).toEqual(before)
    t.clock.set('2026-11-29T07:00:00.000Z')
    await seedDemo(t.deps, 3, { past: true })
    const after = await rowCounts(t.db)
    expect(after.bookings).toBe(before.bookings)
    expect(await invariantViolations(t.db)).toEqual([])
    t.clock.set('2026-11-22T07:00:00.000Z')
  })

  it('gives the family its history, the office a statement and monitoring figures', async () => {
    const [fam, officer] = await activateAll(t.app, ['FAM-0001', 'OFFICER-1'])
    await fam.pull()
    const history = fam.rows<{ status: string; familyId: string }>('booking').filter((b) => b.status === 'delivered')
    expect(history.length).toBeGreaterThan(5)
    const res = await t.app.request('/api/office/monitoring?from=2026-10-01&to=2026-10-31', { headers: { authorization: `Bearer ${officer.token}` } })
    const m = MonitoringAnswer.parse(await res.json())
    expect(m.families).toBe(3)
    expect(m.vouchers.spentCents).toBeGreaterThan(0)
    const [{ providerId }] = (await t.db.query<{ providerId: string }>(
      `SELECT provider_id AS "providerId" FROM bookings WHERE delivered_at >= '2026-10-01' AND delivered_at < '2026-10-31' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`)) as [{ providerId: string }]
    const created = await t.app.request('/api/office/statements', json(officer.token, { providerId, from: '2026-10-01', to: '2026-10-31' }))
    expect(created.status).toBe(201)
    const s = Statement.parse(await created.json())
    expect(s.totalCents).toBe(s.rows.reduce((a, r) => a + r.voucherCents, 0))
    expect(s.rows.length).toBeGreaterThan(0)
  })
})
