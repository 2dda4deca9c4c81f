/**
 * The family's own data (issue 10): its export (JSON and readable HTML), its devices each revocable
 * (a revoked token answers 401 {reason: 'revoked'}), children corrected with their history, a birth
 * date refused on the phone path once a voucher exists and approved by an officer instead, and an
 * erasure request the office lists and handles with its erase command.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FamilyExport } from '../../../../shared/office/families.schema.ts'
import {
  BirthDateDecisionAnswer, BirthDateRequestsAnswer, DevicesAnswer, ErasureRequestAnswer, ErasureRequestsAnswer,
} from '../../../../shared/office/family-requests.schema.ts'
import { invariantViolations } from '../../test/db-checks.ts'
import { activate, activateAll, json, SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let fam: SyncClient, fam2: SyncClient, officer: SyncClient, officerTxt: SyncClient

beforeAll(async () => {
  t = await createTestServer({ families: 3 })
  ;[fam, fam2, officer, officerTxt] = await activateAll(t.app, ['FAM-0001', 'FAM-0002', 'OFFICER-1', 'OFFICER-TXT'])
})
afterAll(() => t.close())

const get = (path: string, token: string) => t.app.request(path, { headers: { authorization: `Bearer ${token}` } })
const post = (path: string, token: string, body: unknown = {}) => t.app.request(path, json(token, body))
const del = (path: string, token: string) => t.app.request(path, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })
const birthDateOf = async (id: string) =>
  (await t.db.query<{ b: string }>(`SELECT to_char(birth_date, 'YYYY-MM-DD') AS b FROM children WHERE id = $1`, [id]))[0]!.b

describe('the family’s export', () => {
  it('gives the family everything held about it, as JSON and as a readable page, and nothing of another family', async () => {
    const res = await get('/api/family/export', fam.token)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="i-miei-dati_\d{4}-\d\d-\d\d\.json"/)
    const body = FamilyExport.parse(await res.json())
    expect(body.family).toMatchObject({ id: 'fam-0001' })
    expect(body.children.map((c) => c.id)).toEqual(['chd-0001-1', 'chd-0001-2'])
    expect(body.vouchers).toHaveLength(2)
    expect(JSON.stringify(body)).not.toContain('fam-0002')
    expect(JSON.stringify(body)).not.toContain(fam.token)

    const html = await get('/api/family/export?format=html', fam.token)
    expect(html.status).toBe(200)
    expect(html.headers.get('content-type')).toMatch(/^text\/html/)
    const page = await html.text()
    expect(page).toContain('<h1>I miei dati</h1>')
    expect(page).toContain('chd-0001-2')
    expect(page).not.toMatch(/<script/i)
    // The page holds every list the JSON has: one section per key, as many as the JSON's lists.
    const lists = Object.keys(body).filter((k) => Array.isArray(body[k as keyof typeof body])).length
    expect(page.match(/<section>/g)?.length).toBe(lists + 1)
    expect(page).toContain('<h2>Richieste di babysitter urgente</h2>')
    expect((await get('/api/family/export?format=html&lang=en', fam.token)).status).toBe(200)
    expect((await get('/api/family/export?format=pdf', fam.token)).status).toBe(400)
  })
  it('is the family’s only: the office and providers use their own paths (403)', async () => {
    expect((await get('/api/family/export', officer.token)).status).toBe(403)
  })
})

describe('the family’s devices', () => {
  it('lists the devices signed in, marks this one, and revokes another: its next call is 401 revoked', async () => {
    const second = new SyncClient(t.app, await activate(t.app, 'FAM-0001', 'Telefono di Luca'))
    const listed = DevicesAnswer.parse(await (await get('/api/family/devices', fam.token)).json())
    const other = listed.devices.find((d) => d.name === 'Telefono di Luca')
    expect(other).toMatchObject({ current: false, revokedAt: null })
    expect(listed.devices.filter((d) => d.current)).toHaveLength(1)
    expect(JSON.stringify(listed)).not.toContain(second.token)
    // Another family cannot revoke it (404, nothing changed).
    expect((await del(`/api/family/devices/${other!.id}`, fam2.token)).status).toBe(404)
    await second.pull()

    const res = await del(`/api/family/devices/${other!.id}`, fam.token)
    expect(res.status).toBe(200)
    const refused = await t.app.request('/api/sync/pull', json(second.token, { protocolVersion: 1, clientGroupId: second.clientGroupId, cookie: null }))
    expect(refused.status).toBe(401)
    expect(await refused.json()).toMatchObject({ error: { code: 'unauthorized', details: { reason: 'revoked' } } })
    // An unknown token is not "revoked" (the phone keeps its data and asks to activate again).
    const unknown = await t.app.request('/api/sync/pull', json('x'.repeat(43), { protocolVersion: 1, clientGroupId: 'g', cookie: null }))
    expect(await unknown.json()).toMatchObject({ error: { details: { reason: 'unknown-token' } } })
    const after = DevicesAnswer.parse(await (await get('/api/family/devices', fam.token)).json())
    expect(after.devices.map((d) => d.id)).not.toContain(other!.id)
    expect((await del(`/api/family/devices/${other!.id}`, fam.token)).status).toBe(404) // already revoked
    expect((await del('/api/family/devices/bad%20id', fam.token)).status).toBe(404)
  })
})

describe('children: corrections, their history, and birth dates through the office', () => {
  it('corrects a name and a note; the history is pulled by the family only', async () => {
    const birthDate = await birthDateOf('chd-0001-1')
    const r = await fam.push('child.upsert', { childId: 'chd-0001-1', firstName: 'Giulia Maria', birthDate, note: 'Allergia alle arachidi', changeId: uniqueId('ch') })
    expect(r.status).toBe('applied')
    await fam.pull()
    expect(fam.get('child', 'chd-0001-1')).toMatchObject({ firstName: 'Giulia Maria', note: 'Allergia alle arachidi' })
    const history = fam.rows<{ childId: string; field: string; after: string }>('childChange').filter((h) => h.childId === 'chd-0001-1')
    expect(history.map((h) => [h.field, h.after]).sort()).toEqual([['firstName', 'Giulia Maria'], ['note', 'Allergia alle arachidi']])
    await officer.pull()
    expect(officer.rows('childChange')).toEqual([])
  })

  it('refuses a birth date once a voucher exists; the request is approved by an officer, and kept in the history', async () => {
    const before = await birthDateOf('chd-0001-2')
    const refused = await fam.push('child.upsert', { childId: 'chd-0001-2', firstName: 'Luca', birthDate: '2016-05-05', changeId: uniqueId('ch') })
    expect(refused).toMatchObject({ status: 'rejected', code: 'invalid-state', details: { reason: 'birth-date-by-office' } })
    expect(await birthDateOf('chd-0001-2')).toBe(before)

    const requestId = uniqueId('bd')
    expect((await fam.push('child.requestBirthDate', { requestId, childId: 'chd-0001-2', birthDate: '2016-05-05' })).status).toBe('applied')
    expect(await fam.push('child.requestBirthDate', { requestId: uniqueId('bd'), childId: 'chd-0001-2', birthDate: '2016-06-06' }))
      .toMatchObject({ status: 'rejected', code: 'invalid-state', details: { reason: 'request-pending' } })

    // The office lists it (only its own program's); another program's officer cannot see or decide it.
    const list = BirthDateRequestsAnswer.parse(await (await get('/api/office/birth-date-requests', officer.token)).json())
    expect(list.requests[0]).toMatchObject({ id: requestId, childId: 'chd-0001-2', status: 'pending', birthDate: '2016-05-05', previousBirthDate: before })
    expect(BirthDateRequestsAnswer.parse(await (await get('/api/office/birth-date-requests', officerTxt.token)).json()).requests).toEqual([])
    expect((await post(`/api/office/birth-date-requests/${requestId}/approve`, officerTxt.token)).status).toBe(404)
    expect((await post(`/api/office/birth-date-requests/${requestId}/approve`, fam.token)).status).toBe(403)
    expect((await post(`/api/office/birth-date-requests/${requestId}/reject`, officer.token, { reason: '' })).status).toBe(400)

    const approved = await post(`/api/office/birth-date-requests/${requestId}/approve`, officer.token)
    expect(approved.status).toBe(200)
    expect(BirthDateDecisionAnswer.parse(await approved.json())).toMatchObject({ id: requestId, status: 'approved' })
    expect(await birthDateOf('chd-0001-2')).toBe('2016-05-05')
    expect((await post(`/api/office/birth-date-requests/${requestId}/approve`, officer.token)).status).toBe(409)

    await fam.pull()
    expect(fam.get('child', 'chd-0001-2')).toMatchObject({ birthDate: '2016-05-05' })
    expect(fam.get('birthDateRequest', requestId)).toMatchObject({ status: 'approved' })
    expect(fam.rows('childChange')).toContainEqual(expect.objectContaining({
      childId: 'chd-0001-2', field: 'birthDate', before, after: '2016-05-05', changedBy: 'officer', requestId,
    }))
    const [audit] = await t.db.query<{ action: string }>("SELECT action FROM audit_log WHERE action = 'birth-date.approve' AND entity_id = 'chd-0001-2'")
    expect(audit).toBeTruthy()
  })

  it('rejects a request with a reason: the birth date stays', async () => {
    const before = await birthDateOf('chd-0002-1')
    const requestId = uniqueId('bd')
    expect((await fam2.push('child.requestBirthDate', { requestId, childId: 'chd-0002-1', birthDate: '2010-01-01' })).status).toBe('applied')
    const res = await post(`/api/office/birth-date-requests/${requestId}/reject`, officer.token, { reason: 'Manca il certificato di nascita' })
    expect(BirthDateDecisionAnswer.parse(await res.json()).status).toBe('rejected')
    expect(await birthDateOf('chd-0002-1')).toBe(before)
    await fam2.pull()
    expect(fam2.get('birthDateRequest', requestId)).toMatchObject({ status: 'rejected', reason: 'Manca il certificato di nascita' })
    expect(await invariantViolations(t.db)).toEqual([])
  })
})

describe('erasure requests', () => {
  it('a family asks once; the office lists it and erasing marks it done (the family’s devices then hear 401 revoked)', async () => {
    const fam3 = await SyncClient.activate(t.app, 'FAM-0003')
    expect(ErasureRequestAnswer.parse(await (await get('/api/family/erasure-request', fam3.token)).json()).request).toBeNull()
    const asked = await post('/api/family/erasure-request', fam3.token)
    expect(asked.status).toBe(201)
    const { request } = ErasureRequestAnswer.parse(await asked.json())
    const again = await post('/api/family/erasure-request', fam3.token)
    expect(again.status).toBe(200)
    expect(ErasureRequestAnswer.parse(await again.json()).request?.id).toBe(request!.id)

    expect((await get('/api/office/erasure-requests', fam3.token)).status).toBe(403)
    const list = ErasureRequestsAnswer.parse(await (await get('/api/office/erasure-requests', officer.token)).json())
    expect(list.requests).toContainEqual(expect.objectContaining({ id: request!.id, familyId: 'fam-0003', status: 'pending', handledAt: null }))
    expect(ErasureRequestsAnswer.parse(await (await get('/api/office/erasure-requests', officerTxt.token)).json()).requests).toEqual([])

    expect((await post('/api/office/families/fam-0003/erase', officer.token)).status).toBe(200)
    const done = ErasureRequestsAnswer.parse(await (await get('/api/office/erasure-requests', officer.token)).json())
    expect(done.requests.find((r) => r.id === request!.id)).toMatchObject({ status: 'done', handledAt: expect.any(String) })
    const refused = await get('/api/family/erasure-request', fam3.token)
    expect(refused.status).toBe(401)
    expect(await refused.json()).toMatchObject({ error: { details: { reason: 'revoked' } } })
  })
})
