import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApplyAnswer, FamilyCallsAnswer } from '../../../../shared/office/apply.schema.ts'
import { AssignAnswer, CreateCallAnswer, RankingAnswer } from '../../../../shared/office/calls.schema.ts'
import { OfficeError } from '../../../../shared/office/office.schema.ts'
import { activateAll, json, type SyncClient } from '../../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let officer: SyncClient, rossi: SyncClient, bianchi: SyncClient, sala: SyncClient
let callId: string
const POINTS = { perChild: 10, disabledChild: 8, dsaChild: 4, householdFragility: 5, shiftWorker: 3 }
const list = async (c: SyncClient) => {
  const res = await t.app.request('/api/family/calls', { headers: { authorization: `Bearer ${c.token}` } })
  expect(res.status).toBe(200)
  const body: unknown = await res.json()
  expect(FamilyCallsAnswer.parse(body)).toEqual(body)
  return FamilyCallsAnswer.parse(body).calls
}
const apply = (c: SyncClient, body: unknown, id = callId) => t.app.request(`/api/family/calls/${id}/applications`, json(c.token, body))

beforeAll(async () => {
  t = await createTestServer({ families: 3 })
  ;[officer, rossi, bianchi, sala] = await activateAll(t.app, ['OFFICER-1', 'FAM-0001', 'FAM-0002', 'TXT-0001'])
  // Open from 20 to 28 November; the test clock is the 22nd. €300 of budget: one child funded.
  const res = await t.app.request('/api/office/calls', json(officer.token, {
    name: 'Secondo avviso', budgetCents: 30_000, voucherCents: 30_000, opensAt: '2026-11-20T09:00:00+01:00', closesAt: '2026-11-28T18:00:00+01:00', policy: 'strict', points: POINTS,
  }))
  callId = CreateCallAnswer.parse(await res.json()).id
})
afterAll(() => t.close())

describe('families apply in the app', () => {
  it('lists the open call, not yet applied to', async () => {
    expect((await list(rossi)).map((c) => [c.id, c.state, c.application])).toEqual([[callId, 'open', null]])
  })

  it('takes one application per family, with a protocol number and the server time', async () => {
    const res = await apply(rossi, { shiftWorker: true, householdFragility: false, children: [{ childId: 'chd-0001-1', disability: true, dsa: false }] })
    expect(res.status).toBe(201)
    const body: unknown = await res.json()
    expect(ApplyAnswer.parse(body)).toEqual(body)
    expect(body).toMatchObject({ protocol: expect.stringMatching(/^B\d{2}-00001$/), submittedAt: TEST_NOW })
    const again = await apply(rossi, { shiftWorker: false, householdFragility: false, children: [{ childId: 'chd-0001-2', disability: false, dsa: false }] })
    expect(again.status).toBe(409)
    expect(OfficeError.parse(await again.json()).error).toMatchObject({ code: 'invalid-state', details: { reason: 'already-applied' } })
    const mine = (await list(rossi))[0]
    expect(mine?.application).toMatchObject({ protocol: (body as { protocol: string }).protocol, result: null, consultation: false })
  })

  it("refuses another family's child, bad input, other roles and another program", async () => {
    const other = await apply(bianchi, { shiftWorker: false, householdFragility: false, children: [{ childId: 'chd-0001-1', disability: false, dsa: false }] })
    expect(other.status).toBe(404)
    expect((await apply(bianchi, { shiftWorker: 'yes', children: [] })).status).toBe(400)
    expect((await apply(officer, { shiftWorker: false, householdFragility: false, children: [{ childId: 'chd-0002-1', disability: false, dsa: false }] })).status).toBe(403)
    const [prv] = await activateAll(t.app, ['PRV-ALTANA'])
    expect((await t.app.request('/api/family/calls', { headers: { authorization: `Bearer ${prv.token}` } })).status).toBe(403)
    expect(await list(sala)).toEqual([])
    expect((await apply(sala, { shiftWorker: false, householdFragility: false, children: [{ childId: 'chd-txt-0001-1', disability: false, dsa: false }] })).status).toBe(404)
  })

  it('refuses an application once the window is closed', async () => {
    expect((await apply(bianchi, { shiftWorker: false, householdFragility: false, children: [{ childId: 'chd-0002-1', disability: false, dsa: false }] })).status).toBe(201)
    t.clock.set('2026-11-28T17:00:01Z')
    try {
      const [colombo] = await activateAll(t.app, ['FAM-0003'])
      const closed = await apply(colombo, { shiftWorker: false, householdFragility: false, children: [{ childId: 'chd-0003-1', disability: false, dsa: false }] })
      expect(closed.status).toBe(409)
      expect(OfficeError.parse(await closed.json()).error.details).toMatchObject({ reason: 'call-not-open', state: 'closed' })
    } finally {
      t.clock.set(TEST_NOW)
    }
  })

  it('after the assignment each applicant sees their score, breakdown and rank; the funded child holds more voucher, the others are offered the consultation', async () => {
    const assigned = AssignAnswer.parse(await (await t.app.request(`/api/office/calls/${callId}/assign`, json(officer.token, {}))).json())
    expect(assigned).toEqual({ funded: 1, notFunded: 1, assignedCents: 30_000, budgetCents: 30_000 })
    const [r] = await list(rossi)
    expect(r?.state).toBe('assigned')
    expect(r?.application?.result).toEqual({
      rank: 1, applicants: 2, score: 21, breakdown: { perChild: 10, disabledChild: 8, dsaChild: 0, householdFragility: 0, shiftWorker: 3 }, funded: true, voucherCents: 30_000,
    })
    expect(r?.application?.consultation).toBe(false)
    const [b] = await list(bianchi)
    expect(b?.application?.result).toMatchObject({ rank: 2, applicants: 2, score: 10, funded: false, voucherCents: 0 })
    expect(b?.application?.consultation).toBe(true)
    // The family's own child's voucher is topped up (one voucher per child and program), and the phone pulls it.
    await rossi.pull()
    expect(rossi.get('voucher', 'vch-0001-1')).toMatchObject({ amountCents: 60_000, balanceCents: 60_000 })
    expect(rossi.rows('voucher')).toHaveLength(2)
    // In the published ranking: protocols; no new family or code for an in-app applicant.
    const ranking = RankingAnswer.parse(await (await t.app.request(`/api/office/calls/${callId}/ranking`, { headers: { authorization: `Bearer ${officer.token}` } })).json())
    expect(ranking.entries.map((e) => [e.rank, e.applicantName, e.activationCode])).toEqual([[1, 'Famiglia Rossi', undefined], [2, 'Famiglia Bianchi', undefined]])
  })
})
