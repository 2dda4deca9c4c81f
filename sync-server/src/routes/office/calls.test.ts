import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AssignAnswer, CallsAnswer, CreateCallAnswer, ImportAnswer, RankingAnswer, type ApplicationInput, type CreateCallRequest,
} from '../../../../shared/office/calls.schema.ts'
import { OfficeError } from '../../../../shared/office/office.schema.ts'
import { assign, rank } from '../../../../shared/office/ranking.rules.ts'
import { createApp } from '../../app.ts'
import { hashCode } from '../../services/auth/auth.service.ts'
import { activateAll, json, SyncClient } from '../../test/sync-client.ts'
import { createTestServer, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let officer: SyncClient
beforeAll(async () => {
  t = await createTestServer({ families: 2 })
  ;[officer] = await activateAll(t.app, ['OFFICER-1'])
})
afterAll(() => t.close())

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const post = (token: string, path: string, body: unknown) => t.app.request(`/api/office${path}`, json(token, body))
const get = (token: string, path: string) => t.app.request(`/api/office${path}`, { headers: bearer(token) })
const postCsv = (token: string, path: string, csv: string) =>
  t.app.request(`/api/office${path}`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'text/csv; charset=utf-8' }, body: csv })
const count = async (table: string) => Number((await t.db.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n)

const POINTS = { perChild: 10, disabledChild: 8, dsaChild: 4, householdFragility: 5, shiftWorker: 3 }
const call = (over: Partial<CreateCallRequest> = {}): CreateCallRequest => ({
  name: 'Bando conciliazione 2026', budgetCents: 100_000, voucherCents: 30_000,
  opensAt: '2026-11-01T09:00:00+01:00', closesAt: '2026-11-30T18:00:00+01:00', policy: 'strict', points: POINTS, ...over,
})
const kid = (firstName: string, birthDate: string, extra: { disability?: boolean; dsa?: boolean } = {}) => ({ firstName, birthDate, disability: false, dsa: false, ...extra })
const APPS: ApplicationInput[] = [
  // 35 points: two children (20), one disabled (8), one with DSA (4), shift worker (3).
  { externalRef: 'R-1', applicantName: 'Anna Verdi', employer: 'ASST Crema', shiftWorker: true, householdFragility: false, iseeCents: 1_200_000,
    submittedAt: '2026-11-05T10:00:00+01:00', children: [kid('Luca', '2018-03-01', { disability: true }), kid('Sara', '2012-06-10', { dsa: true })] },
  // 15 points.
  { externalRef: 'R-2', applicantName: 'Bruno Neri', shiftWorker: false, householdFragility: true, iseeCents: 900_000,
    submittedAt: '2026-11-03T10:00:00+01:00', children: [kid('Ada', '2021-01-01')] },
  // 10 points: Teo is 17 on the closing day (not eligible), Mia counts.
  { externalRef: 'R-3', applicantName: 'Carla Blu', shiftWorker: false, householdFragility: false,
    submittedAt: '2026-11-04T10:00:00+01:00', children: [kid('Teo', '2009-01-01', { disability: true }), kid('Mia', '2019-02-02')] },
]

async function newCall(over: Partial<CreateCallRequest> = {}, token = officer.token): Promise<string> {
  const res = await post(token, '/calls', call(over))
  expect(res.status).toBe(201)
  const body: unknown = await res.json()
  expect(CreateCallAnswer.parse(body)).toEqual(body)
  return CreateCallAnswer.parse(body).id
}

describe('POST /api/office/calls', () => {
  it('creates a call, listed with its terms', async () => {
    const id = await newCall({ name: 'Bando elenco' })
    const body: unknown = await (await get(officer.token, '/calls')).json()
    expect(CallsAnswer.parse(body)).toEqual(body)
    expect(CallsAnswer.parse(body).calls.find((c) => c.id === id)).toMatchObject({ name: 'Bando elenco', budgetCents: 100_000, applications: 0, assignedAt: null })
  })

  it('refuses bad terms with 400 and writes nothing', async () => {
    const before = await count('calls')
    for (const bad of [call({ closesAt: '2026-10-01T00:00:00Z' }), { ...call(), policy: 'first-come' }, { ...call(), voucherCents: 0 }, { ...call(), points: {} }]) {
      const res = await post(officer.token, '/calls', bad)
      expect(res.status).toBe(400)
      expect(OfficeError.parse(await res.json()).error.code).toBe('validation')
    }
    expect(await count('calls')).toBe(before)
  })
})

describe('a call from applications to ranking to vouchers to activation', () => {
  let id: string
  beforeAll(async () => {
    id = await newCall()
  })

  it('imports the good applications and reports every bad one, importing nothing of it', async () => {
    const bad = [{ ...APPS[1], applicantName: '' }, { ...APPS[1], externalRef: 'R-9', children: [kid('Ugo', '2020-13-01')] }]
    const res = await post(officer.token, `/calls/${id}/applications`, { applications: [APPS[0], bad[0], APPS[1], bad[1], APPS[2]] })
    expect(res.status).toBe(200)
    const body: unknown = await res.json()
    expect(ImportAnswer.parse(body)).toEqual(body)
    const answer = ImportAnswer.parse(body)
    expect(answer.imported).toBe(3)
    expect(answer.errors.map((e) => [e.row, e.code])).toEqual([[2, 'validation'], [4, 'validation']])
    expect(answer.errors[0]?.message).toContain('applicantName')
    expect(answer.errors[1]?.message).toContain('children.0.birthDate')
    // The same again: every one is already there.
    const again = ImportAnswer.parse(await (await post(officer.token, `/calls/${id}/applications`, { applications: [APPS[0]] })).json())
    expect(again).toEqual({ imported: 0, errors: [{ row: 1, code: 'invalid-state', message: expect.stringContaining('R-1') }] })
  })

  it('shows the provisional order before assigning, nobody funded', async () => {
    const body = RankingAnswer.parse(await (await get(officer.token, `/calls/${id}/ranking`)).json())
    expect(body.assigned).toBe(false)
    expect(body.entries.map((e) => [e.externalRef, e.score, e.funded])).toEqual([['R-1', 35, false], ['R-2', 15, false], ['R-3', 10, false]])
  })

  it('assigns down the ranking within the budget, as the rules say', async () => {
    const res = await post(officer.token, `/calls/${id}/assign`, {})
    expect(res.status).toBe(200)
    const body: unknown = await res.json()
    expect(AssignAnswer.parse(body)).toEqual(body)
    // The rules on the same applications (protocols in import order) give the same answer.
    const expected = assign(rank(APPS.map((a, i) => ({ ...a, id: String(i), protocol: `B-${i}` })), POINTS, '2026-11-30'), call())
    expect(body).toEqual({ funded: expected.funded, notFunded: expected.notFunded, assignedCents: expected.assignedCents, budgetCents: 100_000 })
    expect(body).toEqual({ funded: 2, notFunded: 1, assignedCents: 90_000, budgetCents: 100_000 })
  })

  it('publishes the ranking with scores, breakdowns and codes for the funded', async () => {
    const res = await get(officer.token, `/calls/${id}/ranking`)
    const body: unknown = await res.json()
    expect(RankingAnswer.parse(body)).toEqual(body)
    const r = RankingAnswer.parse(body)
    expect(r).toMatchObject({ budgetCents: 100_000, assignedCents: 90_000, assigned: true })
    expect(r.entries.map((e) => [e.rank, e.externalRef, e.score, e.funded, e.voucherCents])).toEqual([
      [1, 'R-1', 35, true, 60_000], [2, 'R-2', 15, true, 30_000], [3, 'R-3', 10, false, 0],
    ])
    expect(r.entries[0]?.breakdown).toEqual({ perChild: 20, disabledChild: 8, dsaChild: 4, householdFragility: 0, shiftWorker: 3 })
    expect(r.entries[0]?.protocol).toMatch(/^B\d{2}-00001$/)
    expect(r.entries[0]?.activationCode).toMatch(/^FAM-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    expect(r.entries[2]?.activationCode).toBeUndefined()
  })

  it('writes who created, imported and assigned into the audit log, with ids and counts only', async () => {
    const rows = await t.db.query<{ action: string; entity: string; personId: string | null; details: unknown }>(
      `SELECT action, entity, person_id AS "personId", details FROM audit_log WHERE entity_id = $1 OR details->>'callId' = $1 ORDER BY id`, [id])
    expect(rows.map((r) => r.action)).toEqual(['call.create', 'call.import', 'call.import', 'call.assign', 'code.issue', 'code.issue'])
    expect(rows.every((r) => r.personId === 'cod-officer-1')).toBe(true)
    expect(JSON.stringify(rows)).not.toMatch(/Anna|Verdi|FAM-/)
  })

  it('assigns only once: a second time is 409 and changes nothing', async () => {
    const before = await Promise.all(['families', 'children', 'vouchers', 'activation_codes'].map(count))
    const res = await post(officer.token, `/calls/${id}/assign`, {})
    expect(res.status).toBe(409)
    expect(OfficeError.parse(await res.json()).error).toMatchObject({ code: 'invalid-state', details: { reason: 'already-assigned' } })
    expect(await Promise.all(['families', 'children', 'vouchers', 'activation_codes'].map(count))).toEqual(before)
    const late = await post(officer.token, `/calls/${id}/applications`, { applications: [{ ...APPS[0], externalRef: 'R-late' }] })
    expect(late.status).toBe(409)
  })

  it("activates the funded family's phone, which pulls its family, children and vouchers (demo mode or not)", async () => {
    const r = RankingAnswer.parse(await (await get(officer.token, `/calls/${id}/ranking`)).json())
    const code = r.entries[0]?.activationCode ?? ''
    const realApp = createApp({ ...t.deps, demo: false, tokens: undefined })
    for (const app of [t.app, realApp]) {
      const phone = await SyncClient.activate(app, code)
      await phone.pull()
      expect(phone.rows('family')).toEqual([expect.objectContaining({ name: 'Anna Verdi' })])
      const children = phone.rows<{ id: string; firstName: string }>('child')
      expect(children.map((c) => c.firstName).sort()).toEqual(['Luca', 'Sara'])
      const vouchers = phone.rows<{ childId: string; amountCents: number; balanceCents: number }>('voucher')
      expect(vouchers.map((v) => [v.amountCents, v.balanceCents])).toEqual([[30_000, 30_000], [30_000, 30_000]])
      expect(new Set(vouchers.map((v) => v.childId))).toEqual(new Set(children.map((c) => c.id)))
    }
    // Only eligible children get a voucher: Teo (17) was in a family not funded; none of them exists.
    expect(await count("children WHERE first_name IN ('Teo', 'Mia')")).toBe(0)
    // A demo code does not work without demo mode.
    expect((await realApp.request('/api/auth/activate', json(null, { code: 'FAM-0001' }))).status).toBe(401)
  })
})

describe('importing CSV, one row per child', () => {
  it('groups rows into applications and reports every row of a bad one', async () => {
    const id = await newCall({ policy: 'fill' })
    const csv = [
      '\uFEFFexternalRef;applicantName;employer;shiftWorker;householdFragility;iseeCents;submittedAt;firstName;birthDate;disability;dsa',
      'C-1;Dario Rossi;Ospedale di Cremona;sì;no;1500000;2026-11-10T09:00:00+01:00;Elia;2017-04-04;no;sì',
      'C-1;Dario Rossi;Ospedale di Cremona;sì;no;1500000;2026-11-10T09:00:00+01:00;Nora;2020-08-08;;',
      'C-2;Elena Gialli;;no;sì;;2026-11-11T09:00:00+01:00;Pio;2016-01-01;x;',
      'C-2;Elena Gialli;;no;sì;;2026-11-11T09:00:00+01:00;Lia;2016-02-30;;', // no 30 February
      'C-3;"Fabio; Conti";;1;0;800000;2026-11-12T09:00:00+01:00;Ivo;2019-05-05;0;0',
      'C-4;Gina Rosa;;forse;0;;2026-11-12T09:00:00+01:00;Ivo;2019-05-05;0;0',
    ].join('\r\n')
    const res = await postCsv(officer.token, `/calls/${id}/applications`, csv)
    expect(res.status).toBe(200)
    const body: unknown = await res.json()
    expect(ImportAnswer.parse(body)).toEqual(body)
    const answer = ImportAnswer.parse(body)
    expect(answer.imported).toBe(2)
    expect(answer.errors.map((e) => e.row)).toEqual([4, 5, 7])
    expect(answer.errors[0]?.message).toContain('riga 5')
    expect(answer.errors[1]?.message).toMatch(/birthDate: .*data/)
    expect(answer.errors[2]?.message).toContain('shiftWorker')
    const r = RankingAnswer.parse(await (await get(officer.token, `/calls/${id}/ranking`)).json())
    expect(r.entries.map((e) => [e.externalRef, e.applicantName, e.score])).toEqual([['C-1', 'Dario Rossi', 27], ['C-3', 'Fabio; Conti', 13]])
  })

  it('refuses a file without the needed columns, or not CSV at all, with 400', async () => {
    const id = await newCall()
    const missing = await postCsv(officer.token, `/calls/${id}/applications`, 'applicantName,submittedAt\nAnna,2026-11-10T09:00:00Z\n')
    expect(missing.status).toBe(400)
    expect(OfficeError.parse(await missing.json()).error.details).toMatchObject({ reason: 'csv-columns-missing', missing: ['firstName', 'birthDate'] })
    const broken = await postCsv(officer.token, `/calls/${id}/applications`, 'applicantName,submittedAt,firstName,birthDate\n"Anna,x,y,z\n')
    expect(broken.status).toBe(400)
  })
})

describe('who may', () => {
  let id: string
  let other: string
  beforeAll(async () => {
    id = await newCall()
    // A second program with its own officer: sees nothing of the first's calls.
    await t.db.query(`INSERT INTO programs (id, name, short_name, agency, voucher_amount_cents, voucher_coverage_percent, time_zone)
      VALUES ('prg-other', 'Altro', 'Altro', 'ASL', 30000, 100, 'Europe/Rome') ON CONFLICT DO NOTHING`)
    await t.db.query(`INSERT INTO activation_codes (id, code_hash, role, program_id, display_name) VALUES ('cod-other-officer', $1, 'officer', 'prg-other', 'Altro ufficio') ON CONFLICT DO NOTHING`, [hashCode('OFFICER-OTHER-TEST')])
    const [o] = await activateAll(t.app, ['OFFICER-OTHER-TEST'])
    other = o.token
  })

  const endpoints = (callId: string) => [
    ['GET', '/calls', undefined],
    ['POST', '/calls', call()],
    ['POST', `/calls/${callId}/applications`, { applications: [APPS[0]] }],
    ['POST', `/calls/${callId}/assign`, {}],
    ['GET', `/calls/${callId}/ranking`, undefined],
  ] as const

  it('refuses parents and providers on every endpoint (403)', async () => {
    const [fam, prv] = await activateAll(t.app, ['FAM-0001', 'PRV-ALTANA'])
    for (const token of [fam.token, prv.token]) {
      for (const [method, path, body] of endpoints(id)) {
        const res = method === 'GET' ? await get(token, path) : await post(token, path, body)
        expect(res.status, `${method} ${path}`).toBe(403)
        expect(OfficeError.parse(await res.json()).error.code).toBe('forbidden')
      }
    }
    expect((await get('', '/calls')).status).toBe(401)
  })

  it("answers 404 for another program's call, and lists none of them", async () => {
    for (const [method, path, body] of endpoints(id).slice(2)) {
      const res = method === 'GET' ? await get(other, path) : await post(other, path, body)
      expect(res.status, `${method} ${path}`).toBe(404)
      expect(OfficeError.parse(await res.json()).error).toMatchObject({ code: 'not-found', details: { entity: 'call' } })
    }
    expect(CallsAnswer.parse(await (await get(other, '/calls')).json()).calls).toEqual([])
    const mine = await newCall({}, other)
    expect(CallsAnswer.parse(await (await get(other, '/calls')).json()).calls.map((c) => [c.id, c.number])).toEqual([[mine, 1]])
    expect((await get(officer.token, `/calls/${mine}/ranking`)).status).toBe(404)
  })
})
