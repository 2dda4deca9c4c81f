import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuditAnswer } from '../../../../shared/office/audit.schema.ts'
import { ProgramConfig, type UpdateProgramRequest } from '../../../../shared/office/program.schema.ts'
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

describe('a provider’s and a program’s log', () => {
  const office = async (method: string, path: string, body?: unknown) => {
    const res = await t.app.request(`/api/office${path}`, {
      method, headers: { authorization: `Bearer ${officer.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    expect(res.status, path).toBe(200)
    return res.json() as Promise<Record<string, unknown>>
  }

  it('a provider’s includes its services’ (accreditation) entries, not another provider’s', async () => {
    const { providers } = await office('GET', '/providers') as { providers: { id: string; services: { serviceId: string; maxUnitPriceCents: number }[] }[] }
    const [mine, other] = [providers.find((p) => p.id === 'prv-altana')!, providers.find((p) => p.id !== 'prv-altana' && p.services.length)!]
    await office('PUT', '/providers/prv-altana/services', { services: mine.services })
    await office('PUT', `/providers/${other.id}/services`, { services: other.services })
    const { entries } = await audit('?entity=provider&entityId=prv-altana')
    expect(entries.map((e) => e.entityId).sort()).toEqual(mine.services.map((s) => `acc-prv-altana-${s.serviceId}`).sort())
    expect(entries.every((e) => e.action === 'accreditation.set' && e.entity === 'accreditation')).toBe(true)
    // The kind alone (no id) is still that kind only.
    expect((await audit('?entity=provider')).entries).toEqual([])
  })

  it('a program’s includes its territories’ and services’ entries, saved with its configuration', async () => {
    const c = ProgramConfig.parse(await office('GET', '/program'))
    await office('PUT', '/program', {
      name: c.name, periodFrom: c.periodFrom!, periodTo: c.periodTo!, budgetCents: c.budgetCents!, voucherAmountCents: c.voucherAmountCents,
      voucherCoveragePercent: c.voucherCoveragePercent, cancellationWindowHours: c.cancellationWindowHours ?? 0,
      emergencyHeadStartMinutes: c.emergencyHeadStartMinutes ?? 10, territories: c.territories, services: c.services,
    } satisfies UpdateProgramRequest)
    const { entries } = await audit(`?entity=program&entityId=${c.id}`)
    expect(entries.map((e) => e.action)).toContain('program.configure')
    const kinds = new Set(entries.map((e) => e.entity))
    expect(kinds).toEqual(new Set(['program', 'territory', 'service']))
    expect((await audit('?entity=program&entityId=prg-other')).entries).toEqual([])
  })

  it('takes a kind named like an object’s own property as a kind (no entries), never a 500', async () => {
    for (const kind of ['constructor', 'toString', 'hasOwnProperty']) expect((await audit(`?entity=${kind}&entityId=x`)).entries, kind).toEqual([])
  })
})
