/**
 * Operators (issue 9): the coordinator issues each operator their own code; the operator's phone
 * pulls only the bookings assigned to them and records their delivery (named in `deliveredBy`); a
 * family learns the assigned operator's name through its booking, never the staff list; revoking
 * the code signs the operator's devices out. The operator reads and answers the message threads of
 * their assignments, and each message says which person wrote it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invariantViolations } from '../../test/db-checks.ts'
import { activateAll, SyncClient, type SyncClient as Client, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let fam: Client
let altana: Client
let koala: Client
beforeAll(async () => {
  t = await createTestServer({ families: 1 })
  ;[fam, altana, koala] = await activateAll(t.app, ['FAM-0001', 'PRV-ALTANA', 'PRV-KOALA'])
})
afterAll(() => t.close())

const codeFor = (token: string, operatorId: string, method = 'POST') =>
  t.app.request(`/api/provider/operators/${operatorId}/code`, { method, headers: { authorization: `Bearer ${token}` } })

describe('operator codes', () => {
  it('are issued by the operator’s own coordinator only: 60-bit codes, shown once', async () => {
    const res = await codeFor(altana.token, 'opr-altana-1')
    expect(res.status).toBe(201)
    const { code } = (await res.json()) as { code: string }
    expect(code).toMatch(/^OPR-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/)
    expect((await codeFor(koala.token, 'opr-altana-1')).status).toBe(404)
    expect((await codeFor(fam.token, 'opr-altana-1')).status).toBe(403)
    expect((await codeFor(altana.token, "x' OR 1=1")).status).toBe(400)
    const [row] = await t.db.query('SELECT code_hash FROM activation_codes WHERE operator_id = $1 AND revoked_at IS NULL', ['opr-altana-1'])
    expect(JSON.stringify(row)).not.toContain(code)
  })

  it('an operator sees their assignment, records its delivery; the family sees the name on its booking only', async () => {
    const { code } = (await (await codeFor(altana.token, 'opr-altana-2')).json()) as { code: string }
    const activated = await t.app.request('/api/auth/activate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })
    expect(await activated.clone().json()).toMatchObject({ role: 'operator', providerId: 'prv-altana', operatorId: 'opr-altana-2', displayName: 'Paolo Guerini' })
    const op = new SyncClient(t.app, ((await activated.json()) as { token: string }).token)

    const mine = uniqueId('op')
    const other = uniqueId('op')
    for (const [bookingId, sessionId] of [[mine, 'ses-altana-babysitting-20261123'], [other, 'ses-altana-babysitting-20261124']] as const) {
      expect((await fam.push('booking.request', { bookingId, childId: 'chd-0001-1', sessionId, quantity: 2 })).status).toBe('applied')
    }
    expect((await altana.push('booking.confirm', { bookingId: mine, operatorId: 'opr-altana-2' })).status).toBe('applied')
    expect((await altana.push('booking.confirm', { bookingId: other })).status).toBe('applied')

    await op.pull()
    expect(op.rows<{ id: string }>('booking').map((b) => b.id)).toEqual([mine])
    // Their own row (whether and when they are on call), never the cooperative's staff list.
    expect(op.rows<{ id: string }>('operator').map((o) => o.id)).toEqual(['opr-altana-2'])
    expect(op.rows('child')).toEqual([])
    await fam.pull()
    expect(fam.rows('operator')).toEqual([]) // never the cooperative's staff list
    expect(fam.get('booking', mine)).toMatchObject({ operatorId: 'opr-altana-2', operatorName: 'Paolo Guerini' })

    // Not theirs: refused; theirs, once the session runs: applied, and it says who.
    t.clock.set('2026-11-23T10:00:00.000Z')
    expect(await op.push('booking.deliver', { bookingId: other })).toMatchObject({ status: 'rejected', code: 'forbidden' })
    expect((await op.push('booking.deliver', { bookingId: mine, deliveredQuantity: 1 })).status).toBe('applied')
    expect(await op.push('booking.confirm', { bookingId: other })).toMatchObject({ status: 'rejected', code: 'forbidden' })
    t.clock.set(TEST_NOW)
    const [row] = await t.db.query('SELECT delivered_by AS "by", confirmed_by AS "confirmedBy" FROM bookings WHERE id = $1', [mine])
    expect(row).toEqual({ by: 'operator:opr-altana-2', confirmedBy: 'person:cod-prv-altana' })
    expect(await invariantViolations(t.db)).toEqual([])

    // Revoked: the operator's phone is signed out.
    expect(await (await codeFor(altana.token, 'opr-altana-2', 'DELETE')).json()).toEqual({ revokedCodes: 1, revokedTokens: 1 })
    const res = await t.app.request('/api/sync/pull', { method: 'POST', headers: { authorization: `Bearer ${op.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ protocolVersion: 1, clientGroupId: 'g', cookie: null }) })
    expect(res.status).toBe(401)
  })

  it('an operator reads and answers the threads of their assignments only; each message says who wrote it', async () => {
    const { code } = (await (await codeFor(altana.token, 'opr-altana-1')).json()) as { code: string }
    const op = await SyncClient.activate(t.app, code)
    const mine = uniqueId('om')
    const other = uniqueId('om')
    for (const [bookingId, sessionId] of [[mine, 'ses-altana-babysitting-20261125'], [other, 'ses-altana-babysitting-20261126']] as const) {
      expect((await fam.push('booking.request', { bookingId, childId: 'chd-0001-1', sessionId, quantity: 1 })).status).toBe('applied')
    }
    // Written before anyone is assigned: the thread follows the booking to its operator.
    expect((await fam.push('message.send', { messageId: uniqueId('m'), bookingId: mine, body: 'Il citofono è Rossi' })).status).toBe('applied')
    expect((await fam.push('message.send', { messageId: uniqueId('m'), bookingId: other, body: 'Solo per il coordinamento' })).status).toBe('applied')
    await op.pull()
    expect(op.rows('message')).toEqual([])
    expect((await altana.push('booking.confirm', { bookingId: mine, operatorId: 'opr-altana-1' })).status).toBe('applied')
    expect((await altana.push('booking.confirm', { bookingId: other })).status).toBe('applied')
    await op.pull()
    expect(op.rows<{ body: string }>('message').map((m) => m.body)).toEqual(['Il citofono è Rossi'])

    const answer = uniqueId('m')
    expect((await op.push('message.send', { messageId: answer, bookingId: mine, body: 'Arrivo alle 8, Chiara' })).status).toBe('applied')
    expect(await op.push('message.send', { messageId: uniqueId('m'), bookingId: other, body: 'No' })).toMatchObject({ status: 'rejected', code: 'forbidden' })
    const [row] = await t.db.query('SELECT author_role AS "role", written_by AS "by", operator_id AS "operatorId" FROM messages WHERE id = $1', [answer])
    expect(row).toEqual({ role: 'provider', by: 'operator:opr-altana-1', operatorId: 'opr-altana-1' })
    // The coordinator's phone says which operator wrote; the family reads the provider's answer, not whose code it was.
    await altana.pull()
    expect(altana.get('message', answer)).toMatchObject({ authorRole: 'provider', writtenBy: 'operator:opr-altana-1' })
    await fam.pull()
    expect(fam.get('message', answer)).toMatchObject({ authorRole: 'provider', body: 'Arrivo alle 8, Chiara' })
    expect(fam.get('message', answer)).not.toHaveProperty('writtenBy')
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('a rename reaches the family waiting on an emergency that operator accepted (real push and pull, locked lookup on the server)', async () => {
    const requestId = uniqueId('em')
    expect((await fam.push('emergency.request', {
      requestId, childId: 'chd-0001-2', startsAt: '2026-11-23T04:30:00.000Z', endsAt: '2026-11-23T05:30:00.000Z', territoryId: 'ter-crema', address: 'Via Mazzini 3, Crema',
    })).status).toBe('applied')
    expect((await altana.push('emergency.accept', { requestId, operatorId: 'opr-altana-1' })).status).toBe('applied')
    await fam.pull()
    const was = fam.get<{ operatorName: string }>('emergencyRequest', requestId)!.operatorName
    await altana.pull()
    const { id, providerId: _, ...fields } = altana.get<Record<string, unknown> & { id: string; providerId: string }>('operator', 'opr-altana-1')!
    expect((await altana.push('operator.upsert', { ...fields, operatorId: id, name: `${was} Rossi` })).status).toBe('applied')
    await fam.pull()
    expect(fam.get('emergencyRequest', requestId)).toMatchObject({ status: 'accepted', operatorId: 'opr-altana-1', operatorName: `${was} Rossi` })
    expect(await invariantViolations(t.db)).toEqual([])
  })
})
