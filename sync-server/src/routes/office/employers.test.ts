/**
 * Employers funding the vouchers (issue 11): the demo "+ t x t" program's employers, an employer
 * created by the office, its employees imported (JSON and CSV) into families, children, vouchers of
 * the program's amount and real activation codes; every bad row reported and nothing imported; over
 * budget 409; one employer per name whatever the case (0023); the first program (funded by a call) has no employers; other roles 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EmployerEntry, EmployersAnswer, ImportEmployeesAnswer } from '../../../../shared/office/employers.schema.ts'
import { OfficeError } from '../../../../shared/office/office.schema.ts'
import { invariantViolations } from '../../test/db-checks.ts'
import { activateAll, json, SyncClient } from '../../test/sync-client.ts'
import { createTestServer, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let txt: SyncClient
let officer: SyncClient
let fam: SyncClient
beforeAll(async () => {
  t = await createTestServer({ families: 2 })
  ;[txt, officer, fam] = await activateAll(t.app, ['OFFICER-TXT', 'OFFICER-1', 'TXT-0001'])
})
afterAll(() => t.close())

const get = (token: string, path: string) => t.app.request(`/api/office${path}`, { headers: { authorization: `Bearer ${token}` } })
const post = (token: string, path: string, body: unknown) => t.app.request(`/api/office${path}`, json(token, body))
const put = (token: string, path: string, body: unknown) => t.app.request(`/api/office${path}`, { ...json(token, body), method: 'PUT' })
const postCsv = (token: string, path: string, csv: string) =>
  t.app.request(`/api/office${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv; charset=utf-8' }, body: csv })
const count = async (sql: string, params: unknown[] = []) => Number((await t.db.query<{ n: number }>(sql, params))[0]?.n)

async function newEmployer(name: string, budgetCents: number): Promise<string> {
  const res = await post(txt.token, '/employers', { name, budgetCents })
  expect(res.status).toBe(201)
  const body: unknown = await res.json()
  expect(EmployerEntry.parse(body)).toEqual(body)
  return EmployerEntry.parse(body).id
}

describe('employers', () => {
  it('lists the demo employers with their budgets and the vouchers of their employees', async () => {
    const res = await get(txt.token, '/employers')
    expect(res.status).toBe(200)
    const body = EmployersAnswer.parse(await res.json())
    expect(body).toMatchObject({ voucherCents: 20_000, coveragePercent: 50 })
    expect(body.employers.map((e) => e.name)).toContain('WaY Spa')
    const way = body.employers.find((e) => e.name === 'WaY Spa')!
    expect(way).toMatchObject({ budgetCents: 600_000, employees: 1, vouchers: 2, assignedCents: 40_000 })
  })

  it('imports employees: families, children aged 0–16 with vouchers of the program’s amount, codes that activate', async () => {
    const id = await newEmployer('Ospedale di Rho', 100_000)
    const res = await post(txt.token, `/employers/${id}/employees`, { employees: [
      { externalRef: 'M-1', name: 'Famiglia Galli', children: [{ firstName: 'Nina', birthDate: '2019-05-01', disability: true }, { firstName: 'Ugo', birthDate: '2005-01-01' }] },
      { externalRef: 'M-2', name: 'Famiglia Sala', children: [{ firstName: 'Pia', birthDate: '2022-02-02' }] },
    ] })
    expect(res.status).toBe(200)
    const body = ImportEmployeesAnswer.parse(await res.json())
    expect(body).toMatchObject({ imported: 2, vouchers: 2, assignedCents: 40_000, errors: [] })
    expect(body.codes.map((c) => c.activationCode).every((c) => /^FAM-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(c))).toBe(true)
    const galli = await SyncClient.activate(t.app, body.codes[0]!.activationCode)
    await galli.pull()
    expect(galli.rows('child').map((c) => c.firstName)).toEqual(['Nina'])
    expect(galli.rows('child')[0]).toMatchObject({ disability: true })
    expect(galli.rows('voucher')[0]).toMatchObject({ amountCents: 20_000, balanceCents: 20_000, programId: 'prg-txt' })
    const list = EmployersAnswer.parse(await (await get(txt.token, '/employers')).json())
    expect(list.employers.find((e) => e.id === id)).toMatchObject({ assignedCents: 40_000, employees: 2, vouchers: 2 })
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'employer.import'")).toBe(1)
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('reports every bad row and imports nothing (JSON and CSV)', async () => {
    const id = await newEmployer('Fornaci Srl', 200_000)
    const families = await count('SELECT count(*) AS n FROM families')
    const res = await post(txt.token, `/employers/${id}/employees`, { employees: [
      { externalRef: 'A', name: 'Famiglia A', children: [{ firstName: 'Ok', birthDate: '2020-01-01' }] },
      { externalRef: 'B', name: '', children: [{ firstName: 'X', birthDate: '2020-01-01' }] },
      { externalRef: 'C', name: 'Famiglia C', children: [{ firstName: 'Y', birthDate: '2020-13-01' }] },
      { externalRef: 'A', name: 'Famiglia A bis', children: [{ firstName: 'Z', birthDate: '2020-01-01' }] },
    ] })
    const body = ImportEmployeesAnswer.parse(await res.json())
    expect(body.imported).toBe(0)
    expect(body.errors.map((e) => e.row)).toEqual([2, 3, 4])
    const csv = 'externalRef;name;firstName;birthDate;disability\nR-1;Famiglia Uno;Leo;2018-04-04;no\nR-1;Famiglia Uno;Mia;2021-04-04;sì\nR-2;Famiglia Due;Teo;1990-01-01;no\nR-3;Famiglia Tre;;2020-01-01;no\n'
    const fromCsv = ImportEmployeesAnswer.parse(await (await postCsv(txt.token, `/employers/${id}/employees`, csv)).json())
    expect(fromCsv.imported).toBe(0)
    expect(fromCsv.errors.map((e) => [e.row, e.code])).toEqual([[4, 'child-ineligible'], [5, 'validation']])
    expect(await count('SELECT count(*) AS n FROM families')).toBe(families)
    // The good rows alone import, both of R-1's children with one code.
    const good = ImportEmployeesAnswer.parse(await (await postCsv(txt.token, `/employers/${id}/employees`, csv.split('\n').slice(0, 3).join('\n'))).json())
    expect(good).toMatchObject({ imported: 1, vouchers: 2, assignedCents: 40_000 })
  })

  it('refuses an import over the budget left with 409 and the figures, writing nothing', async () => {
    const id = await newEmployer('Piccola Srl', 30_000)
    const res = await post(txt.token, `/employers/${id}/employees`, { employees: [
      { externalRef: 'P-1', name: 'Famiglia P', children: [{ firstName: 'A', birthDate: '2020-01-01' }, { firstName: 'B', birthDate: '2021-01-01' }] },
    ] })
    expect(res.status).toBe(409)
    expect(OfficeError.parse(await res.json()).error.details).toMatchObject({ reason: 'budget-exceeded', neededCents: 40_000, remainingCents: 30_000 })
    expect(await count('SELECT count(*) AS n FROM employees WHERE employer_id = $1', [id])).toBe(0)
  })

  it('edits an employer’s budget: more funds the next import; below what its vouchers took is 409 with the figures and changes nothing; audited', async () => {
    const id = await newEmployer('Budget Srl', 20_000)
    const one = { externalRef: 'B-1', name: 'Famiglia B', children: [{ firstName: 'A', birthDate: '2020-01-01' }] }
    const two = { externalRef: 'B-2', name: 'Famiglia C', children: [{ firstName: 'C', birthDate: '2021-01-01' }] }
    expect(ImportEmployeesAnswer.parse(await (await post(txt.token, `/employers/${id}/employees`, { employees: [one] })).json())).toMatchObject({ imported: 1 })
    // The budget is spent: a second employee does not fit until the budget grows.
    expect((await post(txt.token, `/employers/${id}/employees`, { employees: [two] })).status).toBe(409)
    const raised = await put(txt.token, `/employers/${id}`, { budgetCents: 40_000 })
    expect(raised.status).toBe(200)
    const entry: unknown = await raised.json()
    expect(EmployerEntry.parse(entry)).toEqual(entry)
    expect(entry).toMatchObject({ id, budgetCents: 40_000, assignedCents: 20_000, vouchers: 1 })
    expect(ImportEmployeesAnswer.parse(await (await post(txt.token, `/employers/${id}/employees`, { employees: [two] })).json())).toMatchObject({ imported: 1 })
    // Below the 2 vouchers (€400) already assigned: refused with the figures, nothing changes.
    const cut = await put(txt.token, `/employers/${id}`, { budgetCents: 30_000 })
    expect(cut.status).toBe(409)
    expect(OfficeError.parse(await cut.json()).error).toMatchObject({
      code: 'invalid-state', details: { reason: 'config-conflicts', conflicts: [{ reason: 'budget-below-assigned', assignedCents: 40_000, count: 2 }] },
    })
    expect(await count('SELECT budget_cents AS n FROM employers WHERE id = $1', [id])).toBe(40_000)
    expect((await put(txt.token, `/employers/${id}`, { budgetCents: 40_000 })).status).toBe(200) // exactly what is assigned
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'employer.budget' AND entity_id = $1", [id])).toBe(2)
    const [entryAudit] = await t.db.query<{ details: unknown; person: string }>(
      "SELECT details, person_id AS person FROM audit_log WHERE action = 'employer.budget' AND entity_id = $1 ORDER BY id LIMIT 1", [id])
    expect(entryAudit).toMatchObject({ details: { budgetCents: 40_000, beforeCents: 20_000 }, person: 'cod-officer-txt' })
    // Bad input 400, another program's officer 404, other roles 403: none writes.
    for (const body of [{}, { budgetCents: -1 }, { budgetCents: 1.5 }, { budgetCents: 1, name: 'x' }]) expect((await put(txt.token, `/employers/${id}`, body)).status).toBe(400)
    expect((await put(officer.token, `/employers/${id}`, { budgetCents: 1 })).status).toBe(409) // funded by a call: no employers
    expect((await put(fam.token, `/employers/${id}`, { budgetCents: 1 })).status).toBe(403)
    expect((await put(txt.token, '/employers/emp-nope', { budgetCents: 1 })).status).toBe(404)
    expect(await count('SELECT budget_cents AS n FROM employers WHERE id = $1', [id])).toBe(40_000)
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('one employer per name whatever the case: a second is 409 employer-exists, two at once make one; the database refuses one written around the service', async () => {
    await newEmployer('Cooperativa Lavoro', 10_000)
    const again = await post(txt.token, '/employers', { name: 'COOPERATIVA lavoro', budgetCents: 5_000 })
    expect(again.status).toBe(409)
    expect(OfficeError.parse(await again.json()).error).toMatchObject({ code: 'invalid-state', details: { reason: 'employer-exists' } })
    // Two officers at once (concurrent on Postgres's pool): one is created, the other told why.
    const both = await Promise.all(['Fabbrica Nord', 'fabbrica nord'].map((name) => post(txt.token, '/employers', { name, budgetCents: 1_000 })))
    expect(both.map((r) => r.status).sort()).toEqual([201, 409])
    const refused = both.find((r) => r.status === 409)!
    expect(OfficeError.parse(await refused.json()).error.details).toMatchObject({ reason: 'employer-exists' })
    expect(await count("SELECT count(*)::int AS n FROM employers WHERE lower(name) = 'fabbrica nord'")).toBe(1)
    // The unique index (0023) is the authority, not the service's read: a write around it is refused too.
    await expect(t.db.query(
      "INSERT INTO employers (id, program_id, name, budget_cents, created_at) VALUES ('emp-dup', 'prg-txt', 'FABBRICA NORD', 1, now())",
    )).rejects.toMatchObject({ code: '23505' })
    expect(await count("SELECT count(*)::int AS n FROM employers WHERE lower(name) = 'fabbrica nord'")).toBe(1)
  })

  it('a program funded by a call has no employers (409); other roles 403; another program’s employer 404', async () => {
    const res = await post(officer.token, '/employers', { name: 'X', budgetCents: 1 })
    expect(res.status).toBe(409)
    expect(OfficeError.parse(await res.json()).error.details).toMatchObject({ reason: 'not-employer-funded' })
    expect((await get(fam.token, '/employers')).status).toBe(403)
    const [way] = await t.db.query<{ id: string }>("SELECT id FROM employers WHERE name = 'WaY Spa'")
    expect((await post(officer.token, `/employers/${way!.id}/employees`, { employees: [{}] })).status).toBe(409)
  })
})
