/**
 * A call assigned for real (create, import, assign through the API), then:
 * - the published ranking, read without a token: protocol numbers, scores, ranks, funded; nothing
 *   that names or describes a family (names, ISEE, children, breakdown points for disability, codes);
 * - a funded family's code reissued by the office: its old code and its signed-in phone refused, the
 *   new code activating a phone that pulls the family, the letter showing the new code, audited.
 * PGlite by default, Postgres with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RankingAnswer, type ApplicationInput } from '../../../../shared/office/calls.schema.ts'
import { ReissueCodeAnswer } from '../../../../shared/office/families.schema.ts'
import { OfficeError } from '../../../../shared/office/office.schema.ts'
import { PublicRankingAnswer } from '../../../../shared/office/public-ranking.schema.ts'
import { activateAll, json, SyncClient } from '../../test/sync-client.ts'
import { createTestServer, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let officer: SyncClient, provider: SyncClient
let callId: string

const kid = (firstName: string, birthDate: string, extra: { disability?: boolean; dsa?: boolean } = {}) => ({ firstName, birthDate, disability: false, dsa: false, ...extra })
const APPS: ApplicationInput[] = [
  { externalRef: 'Q-1', applicantName: 'Ottavia Ferraboli', employer: 'Ospedale Maggiore', shiftWorker: true, householdFragility: false, iseeCents: 1_234_500,
    submittedAt: '2026-11-05T10:00:00+01:00', children: [kid('Cosimo', '2018-03-01', { disability: true }), kid('Ippolita', '2012-06-10', { dsa: true })] },
  { externalRef: 'Q-2', applicantName: 'Gualtiero Sbarra', shiftWorker: false, householdFragility: true, iseeCents: 987_600,
    submittedAt: '2026-11-03T10:00:00+01:00', children: [kid('Eufemia', '2021-01-01')] },
  { externalRef: 'Q-3', applicantName: 'Rosalba Truffi', shiftWorker: false, householdFragility: false,
    submittedAt: '2026-11-04T10:00:00+01:00', children: [kid('Lamberto', '2019-02-02')] },
]
const post = (token: string | null, path: string, body: unknown = {}) => t.app.request(path, json(token, body))
const get = (path: string, token?: string) => t.app.request(path, token ? { headers: { authorization: `Bearer ${token}` } } : {})

beforeAll(async () => {
  t = await createTestServer({ families: 2 })
  ;[officer, provider] = await activateAll(t.app, ['OFFICER-1', 'PRV-ALTANA'])
  const created = await post(officer.token, '/api/office/calls', {
    name: 'Bando pubblicato', budgetCents: 90_000, voucherCents: 30_000, opensAt: '2026-11-01T09:00:00+01:00', closesAt: '2026-11-30T18:00:00+01:00',
    policy: 'strict', points: { perChild: 10, disabledChild: 8, dsaChild: 4, householdFragility: 5, shiftWorker: 3 },
  })
  expect(created.status).toBe(201)
  callId = ((await created.json()) as { id: string }).id
  expect((await post(officer.token, `/api/office/calls/${callId}/applications`, { applications: APPS })).status).toBe(200)
})
afterAll(() => t.close())

describe('GET /api/public/calls/:id/ranking', () => {
  it('says nothing is published before the assignment', async () => {
    const res = await get(`/api/public/calls/${callId}/ranking`)
    expect(res.status).toBe(200)
    expect(PublicRankingAnswer.parse(await res.json())).toMatchObject({ callName: 'Bando pubblicato', published: false, publishedAt: null, entries: [] })
  })

  it('publishes protocols, scores, ranks and funded only, without a token', async () => {
    expect((await post(officer.token, `/api/office/calls/${callId}/assign`)).status).toBe(200)
    const res = await get(`/api/public/calls/${callId}/ranking`)
    expect(res.status).toBe(200)
    const body: unknown = await res.json()
    expect(PublicRankingAnswer.strict().parse(body)).toEqual(body)
    const answer = PublicRankingAnswer.parse(body)
    expect(answer.published).toBe(true)
    expect(answer.entries.every((e) => Object.keys(e).sort().join() === 'funded,protocol,rank,score')).toBe(true)
    // Ranked as the office's view ranks them.
    const office = RankingAnswer.parse(await (await get(`/api/office/calls/${callId}/ranking`, officer.token)).json())
    expect(answer.entries).toEqual(office.entries.map((e) => ({ protocol: e.protocol, rank: e.rank, score: e.score, funded: e.funded })))
    expect(answer.entries.map((e) => [e.rank, e.score, e.funded])).toEqual([[1, 35, true], [2, 15, true], [3, 10, false]])
    const text = JSON.stringify(body)
    for (const secret of ['Ottavia', 'Ferraboli', 'Sbarra', 'Truffi', 'Cosimo', 'Eufemia', 'Ospedale', '1234500', '987600', 'Q-1', 'FAM-', 'disab', 'dsa', 'breakdown', 'isee']) {
      expect(text.toLowerCase(), secret).not.toContain(secret.toLowerCase())
    }
  })

  it('is 404 for a call that does not exist, without saying more', async () => {
    expect((await get('/api/public/calls/call-nope/ranking')).status).toBe(404)
    expect((await get('/api/public/calls/bad%20id/ranking')).status).toBe(404)
  })
})

describe('POST /api/office/families/:id/reissue-code', () => {
  it('revokes the old code and devices, issues a working code shown on the letter, audited', async () => {
    const office = RankingAnswer.parse(await (await get(`/api/office/calls/${callId}/ranking`, officer.token)).json())
    const first = office.entries[0]!
    const oldCode = first.activationCode!
    expect(oldCode).toMatch(/^FAM-/)
    const [{ familyId }] = await t.db.query<{ familyId: string }>('SELECT family_id AS "familyId" FROM applications WHERE id = $1', [first.applicationId]) as [{ familyId: string }]
    const phone = await SyncClient.activate(t.app, oldCode)
    await phone.pull()

    const res = await post(officer.token, `/api/office/families/${familyId}/reissue-code`)
    const body: unknown = await res.json()
    expect(res.status, JSON.stringify(body)).toBe(200)
    const answer = ReissueCodeAnswer.parse(body)
    expect(answer).toMatchObject({ familyId, codesRevoked: 1, tokensRevoked: 1, applications: 1 })
    expect(answer.code).toMatch(/^FAM-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    expect(answer.code).not.toBe(oldCode)

    // The old phone and the old code stop working; the new code signs a phone in to the same family.
    await expect(phone.pull()).rejects.toThrow(/401/)
    expect((await post(null, '/api/auth/activate', { code: oldCode })).status).toBeGreaterThanOrEqual(400)
    const fresh = await SyncClient.activate(t.app, answer.code)
    const pulled = await fresh.pull()
    expect(pulled.changes.some((c) => c.entity === 'family' && c.key === familyId)).toBe(true)
    expect(pulled.changes.filter((c) => c.entity === 'voucher')).toHaveLength(2)

    // The letter carries the new code; the audit names the officer and never the code.
    const after = RankingAnswer.parse(await (await get(`/api/office/calls/${callId}/ranking`, officer.token)).json())
    expect(after.entries[0]!.activationCode).toBe(answer.code)
    const audit = await t.db.query<{ personId: string; details: unknown }>(
      "SELECT person_id AS \"personId\", details FROM audit_log WHERE action = 'code.reissue' AND entity_id = $1", [familyId])
    expect(audit).toHaveLength(1)
    expect(audit[0]!.personId).toBe('cod-officer-1')
    expect(JSON.stringify(audit)).not.toContain(answer.code)
  })

  it('is forbidden to other roles, 404 for an unknown family, and changes nothing then', async () => {
    const before = await t.db.query('SELECT id, revoked_at FROM activation_codes ORDER BY id')
    const refused = await post(provider.token, '/api/office/families/fam-0001/reissue-code')
    expect(refused.status).toBe(403)
    expect(OfficeError.parse(await refused.json()).error.code).toBe('forbidden')
    expect((await post(officer.token, '/api/office/families/fam-nope/reissue-code')).status).toBe(404)
    expect((await post(null, '/api/office/families/fam-0001/reissue-code')).status).toBe(401)
    expect(await t.db.query('SELECT id, revoked_at FROM activation_codes ORDER BY id')).toEqual(before)
  })
})
