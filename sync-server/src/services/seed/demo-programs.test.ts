/**
 * The demo's two programs on one platform (architecture.md, "Demo data"): each token sees only its
 * own program, in its pull and at the office's endpoints; the second program's vouchers cover part
 * of each price; OFFICER-2 is a second officer of the first program; seeding stays idempotent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CallsAnswer, CreateCallAnswer } from '../../../../shared/office/calls.schema.ts'
import { LiquidationReport } from '../../../../shared/office/office.schema.ts'
import { activateAll, json, uniqueId, type SyncClient } from '../../test/sync-client.ts'
import { createTestServer, type TestServer } from '../../test/test-server.ts'
import { seedDemo } from './demo-seed.ts'

let t: TestServer
beforeAll(async () => {
  t = await createTestServer({ families: 2 })
})
afterAll(() => t.close())

const CODES = {
  'prg-conciliare': ['FAM-0001', 'PRV-ALTANA', 'OFFICER-1', 'OFFICER-2'],
  'prg-txt': ['TXT-0001', 'PRV-STRIPES', 'PRV-JOBFAMILY', 'OFFICER-TXT'],
} as const

/** Every pulled row's program, found through the rows it names (a session through its provider…). */
function programsSeen(c: SyncClient): Set<string> {
  const providers = new Map(c.rows<{ id: string; programId: string }>('provider').map((p) => [p.id, p.programId]))
  const families = new Map(c.rows<{ id: string; programId: string }>('family').map((f) => [f.id, f.programId]))
  const seen = new Set<string>()
  for (const e of ['program', 'territory', 'provider', 'service', 'family', 'voucher'] as const) {
    for (const r of c.rows<{ id: string; programId?: string }>(e)) seen.add(e === 'program' ? r.id : (r.programId ?? '?'))
  }
  for (const e of ['session', 'operator', 'booking'] as const) for (const r of c.rows<{ providerId: string }>(e)) seen.add(providers.get(r.providerId) ?? `unknown provider ${r.providerId}`)
  for (const r of c.rows<{ familyId: string }>('child')) seen.add(families.get(r.familyId) ?? `unknown family ${r.familyId}`)
  return seen
}

describe('two demo programs', () => {
  it('each token pulls its own program and nothing of the other', async () => {
    for (const [programId, codes] of Object.entries(CODES)) {
      for (const client of await activateAll(t.app, codes)) {
        await client.pull()
        expect(client.rows('program').length).toBe(1)
        expect(client.rows('session').length).toBeGreaterThan(0)
        expect(programsSeen(client)).toEqual(new Set([programId]))
      }
    }
  })

  it("the second program's voucher covers half of each price, the family pays the rest", async () => {
    const [fam, stripes] = await activateAll(t.app, ['TXT-0001', 'PRV-STRIPES'])
    await fam.pull()
    const child = fam.rows<{ id: string; birthDate: string }>('child')[0]
    expect(fam.rows<{ amountCents: number }>('voucher').map((v) => v.amountCents)).toEqual([20_000, 20_000])
    const session = fam.rows<{ id: string; serviceId: string; providerId: string }>('session').find((s) => s.serviceId === 'svc-txt-nanny' && s.providerId === 'prv-txt-stripes')
    const bookingId = uniqueId('txt')
    expect((await fam.push('booking.request', { bookingId, childId: child?.id, sessionId: session?.id, quantity: 3 })).status).toBe('applied')
    await stripes.pull()
    // 3 hours × €16 = €48: the voucher pays €24, the family €24.
    expect(stripes.get('booking', bookingId)).toMatchObject({ totalCents: 4800, voucherCents: 2400, copayCents: 2400 })
    // A family of one program cannot book the other's sessions.
    const [rossi] = await activateAll(t.app, ['FAM-0001'])
    const refused = await rossi.push('booking.request', { bookingId: uniqueId('x'), childId: 'chd-0001-1', sessionId: session?.id, quantity: 1 })
    expect(refused.status).toBe('rejected')
  })

  it("each office sees only its own program's calls, reports and codes", async () => {
    const [one, two, txt] = await activateAll(t.app, ['OFFICER-1', 'OFFICER-2', 'OFFICER-TXT'])
    const call = { name: 'Bando', budgetCents: 60_000, voucherCents: 20_000, opensAt: '2026-11-01T00:00:00Z', closesAt: '2026-11-30T00:00:00Z', policy: 'fill', points: { perChild: 1, disabledChild: 1, dsaChild: 1, householdFragility: 1, shiftWorker: 1 } }
    const mine = CreateCallAnswer.parse(await (await t.app.request('/api/office/calls', json(one.token, call))).json()).id
    const headers = (c: SyncClient) => ({ headers: { authorization: `Bearer ${c.token}` } })
    // OFFICER-2 works on the same program's calls; OFFICER-TXT does not see them.
    expect(CallsAnswer.parse(await (await t.app.request('/api/office/calls', headers(two))).json()).calls.map((c) => c.id)).toContain(mine)
    expect(CallsAnswer.parse(await (await t.app.request('/api/office/calls', headers(txt))).json()).calls).toEqual([])
    expect((await t.app.request(`/api/office/calls/${mine}/ranking`, headers(txt))).status).toBe(404)
    const liq = LiquidationReport.parse(await (await t.app.request('/api/office/liquidation?from=2026-01-01&to=2026-12-31', headers(txt))).json())
    expect(liq.programId).toBe('prg-txt')
    // Revoking another program's family is not-found.
    expect((await t.app.request('/api/office/codes/revoke', json(txt.token, { familyId: 'fam-0001' }))).status).toBe(404)
  })

  it('prints every code, and seeding again adds nothing', async () => {
    const codes = t.demo.codes.map((c) => c.code)
    expect(codes).toEqual(expect.arrayContaining(['FAM-0002', 'OFFICER-1', 'OFFICER-2', 'TXT-0001', 'TXT-0002', 'PRV-JOBFAMILY', 'PRV-AEI', 'OFFICER-TXT']))
    expect(new Set(codes).size).toBe(codes.length)
    expect(codes.filter((c) => c.startsWith('PRV-')).length).toBe(13 + 4)
    expect((await seedDemo(t.deps, 2)).inserted).toBe(0)
  })
})
