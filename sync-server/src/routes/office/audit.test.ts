import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuditAnswer } from '../../../../shared/office/audit.schema.ts'
import { activateAll, type SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let fam: SyncClient, altana: SyncClient, officer: SyncClient

beforeAll(async () => {
  t = await createTestServer({ families: 2 })
  ;[fam, altana, officer] = await activateAll(t.app, ['FAM-0001', 'PRV-ALTANA', 'OFFICER-1'])
})
afterAll(() => t.close())

const audit = async (query: string, token = officer.token): Promise<AuditAnswer> => {
  const res = await t.app.request(`/api/office/audit${query}`, { headers: { authorization: `Bearer ${token}` } })
  const body: unknown = await res.json()
  expect(res.status, JSON.stringify(body)).toBe(200)
  expect(AuditAnswer.parse(body)).toEqual(body)
  return body as AuditAnswer
}

describe('the audit log of the push path', () => {
  it('records who (the provider’s code), what and when for every applied provider mutation; nothing for refusals or parents', async () => {
    const bookingId = uniqueId('aud')
    expect((await fam.push('booking.request', { bookingId, childId: 'chd-0001-1', sessionId: 'ses-altana-babysitting-20261123', quantity: 1 })).status).toBe('applied')
    expect((await altana.push('booking.confirm', { bookingId })).status).toBe('applied')
    expect((await altana.push('booking.confirm', { bookingId })).status).toBe('rejected') // already confirmed
    const { entries } = await audit(`?entity=booking&entityId=${bookingId}`)
    expect(entries).toEqual([{
      id: expect.any(Number), at: '2026-11-22T07:00:00.000Z', personId: 'cod-prv-altana', role: 'provider', action: 'booking.confirm',
      entity: 'booking', entityId: bookingId, details: {},
    }])
    const byPerson = await audit('?personId=cod-prv-altana')
    expect(byPerson.entries.map((e) => e.action)).toEqual(['booking.confirm'])
    expect((await audit('?personId=cod-fam-0001')).entries).toEqual([])
  })

  it('pages newest first, and only the officer’s program', async () => {
    const bookingId = uniqueId('aud')
    expect((await fam.push('booking.request', { bookingId, childId: 'chd-0001-1', sessionId: 'ses-altana-babysitting-20261124', quantity: 1 })).status).toBe('applied')
    expect((await altana.push('booking.decline', { bookingId, reason: 'malattia operatrice' })).status).toBe('applied')
    const all = await audit('')
    expect(all.before).toBeNull()
    // The decline wrote the booking, gave back its place and its voucher hold: three rows, one entry each.
    expect(all.entries.map((e) => e.action)).toEqual(['booking.decline', 'booking.decline', 'booking.decline', 'booking.confirm'])
    expect(all.entries.slice(0, 3).map((e) => e.entity).sort()).toEqual(['booking', 'session', 'voucher'])
    expect(all.entries.filter((e) => e.action === 'booking.decline').every((e) => JSON.stringify(e.details) === '{}')).toBe(true) // the reason typed is not kept here
    const paged: AuditAnswer['entries'] = []
    let before: number | null = null
    do {
      const page: AuditAnswer = await audit(`?limit=2${before ? `&before=${before}` : ''}`)
      expect(page.entries.length).toBeLessThanOrEqual(2)
      paged.push(...page.entries)
      before = page.before
    } while (before)
    expect(paged).toEqual(all.entries)
    await t.db.query(`INSERT INTO audit_log (at, program_id, person_id, role, action, entity, entity_id) VALUES (now(), 'prg-other', 'x', 'officer', 'x', 'booking', 'b')`)
      .catch(() => undefined) // (no FK on program_id: a log outlives what it speaks of)
    expect((await audit('?personId=x')).entries).toEqual([])
  })

  it('answers 400 for a bad filter and 403 to other roles', async () => {
    for (const q of ['?limit=0', '?limit=501', '?before=x', '?entityId=a%20b']) {
      const res = await t.app.request(`/api/office/audit${q}`, { headers: { authorization: `Bearer ${officer.token}` } })
      expect(res.status, q).toBe(400)
    }
    const res = await t.app.request('/api/office/audit', { headers: { authorization: `Bearer ${altana.token}` } })
    expect(res.status).toBe(403)
  })
})
