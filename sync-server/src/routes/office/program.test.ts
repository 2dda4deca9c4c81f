/**
 * The office configures its program and accredits its providers (issue 11), end to end through the
 * HTTP routes and the real sync path: what the office sets is what the shared mutators then enforce
 * on the families' and providers' pushes; changes that would break vouchers or bookings are 409 and
 * change nothing; every change is in the audit log; other roles 403, another program's rows 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OfficeError } from '../../../../shared/office/office.schema.ts'
import {
  AccreditAnswer, CreateProgramAnswer, ProgramConfig, ProviderEntry, ProvidersAnswer, SuspendAnswer, type UpdateProgramRequest,
} from '../../../../shared/office/program.schema.ts'
import { invariantViolations } from '../../test/db-checks.ts'
import { activateAll, json, SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, type TestServer } from '../../test/test-server.ts'

let t: TestServer
let officer: SyncClient
let txtOfficer: SyncClient
let fam: SyncClient
let fam2: SyncClient
let altana: SyncClient
beforeAll(async () => {
  t = await createTestServer({ families: 2 })
  ;[officer, txtOfficer, fam, fam2, altana] = await activateAll(t.app, ['OFFICER-1', 'OFFICER-TXT', 'FAM-0001', 'FAM-0002', 'PRV-ALTANA'])
})
afterAll(() => t.close())

const send = (method: string, token: string, path: string, body?: unknown) =>
  t.app.request(`/api/office${path}`, body === undefined ? { method, headers: { authorization: `Bearer ${token}` } } : { ...json(token, body), method })
const count = async (sql: string, params: unknown[] = []) => Number((await t.db.query<{ n: number }>(sql, params))[0]?.n)
const audit = (action: string) => count('SELECT count(*) AS n FROM audit_log WHERE action = $1', [action])

async function config(token = officer.token): Promise<ProgramConfig> {
  const res = await send('GET', token, '/program')
  expect(res.status).toBe(200)
  const body: unknown = await res.json()
  expect(ProgramConfig.parse(body)).toEqual(body)
  return ProgramConfig.parse(body)
}
/** The configuration as a PUT body, changed by `over`. */
const asRequest = (c: ProgramConfig, over: Partial<UpdateProgramRequest> = {}): UpdateProgramRequest => ({
  name: c.name, periodFrom: c.periodFrom!, periodTo: c.periodTo!, budgetCents: c.budgetCents!, voucherAmountCents: c.voucherAmountCents,
  voucherCoveragePercent: c.voucherCoveragePercent, cancellationWindowHours: c.cancellationWindowHours ?? 0,
  emergencyHeadStartMinutes: c.emergencyHeadStartMinutes ?? 10, territories: c.territories, services: c.services, ...over,
})
const book = (client: SyncClient, childId: string, sessionId: string, quantity = 2) =>
  client.push('booking.request', { bookingId: uniqueId('bk'), childId, sessionId, quantity })

describe('GET/PUT /api/office/program', () => {
  it('answers the demo program as seeded: period, budget, funding, services with needs; other roles 403', async () => {
    const c = await config()
    expect(c).toMatchObject({ id: 'prg-conciliare', funding: 'call', budgetCents: 14_400_000, voucherAmountCents: 30_000, voucherCoveragePercent: 100 })
    expect(c.facts.vouchers).toBe(4)
    expect(c.services.find((s) => s.id === 'svc-babysitting')).toMatchObject({ acceptsDisability: true, acceptsDsa: true, needsOnly: false })
    expect((await config(txtOfficer.token))).toMatchObject({ id: 'prg-txt', funding: 'employer', cancellationWindowHours: 24 })
    for (const other of [fam, altana]) {
      const res = await send('GET', other.token, '/program')
      expect(res.status).toBe(403)
      expect(OfficeError.parse(await res.json()).error.code).toBe('forbidden')
      expect((await send('PUT', other.token, '/program', asRequest(c))).status).toBe(403)
    }
  })

  it('a cancellation window set by the office is enforced on the parent’s booking.cancel (real push), with words', async () => {
    const booked = await book(fam, 'chd-0001-1', 'ses-altana-babysitting-20261124')
    expect(booked.status).toBe('applied')
    const c = await config()
    const res = await send('PUT', officer.token, '/program', asRequest(c, { cancellationWindowHours: 72 }))
    expect(res.status).toBe(200)
    expect(ProgramConfig.parse(await res.json()).cancellationWindowHours).toBe(72)
    expect(await audit('program.configure')).toBe(1)
    // The phones of the program pull the new setting.
    await fam.pull()
    expect(fam.get('program', 'prg-conciliare')).toMatchObject({ cancellationWindowHours: 72 })
    // The session starts in 47 hours: inside the window, the parent's cancel is refused and nothing moves.
    const [row] = await t.db.query<{ id: string }>("SELECT id FROM bookings WHERE child_id = 'chd-0001-1' AND status = 'requested'")
    const cancel = await fam.push('booking.cancel', { bookingId: row!.id })
    expect(cancel).toMatchObject({ status: 'rejected', code: 'invalid-state', details: { reason: 'cancellation-window', windowHours: 72 } })
    expect(cancel.message).toContain('annullare')
    expect(await count("SELECT count(*) AS n FROM bookings WHERE id = $1 AND status = 'requested'", [row!.id])).toBe(1)
    // Back to no window: the cancel goes through.
    expect((await send('PUT', officer.token, '/program', asRequest(await config(), { cancellationWindowHours: 0 }))).status).toBe(200)
    expect((await fam.push('booking.cancel', { bookingId: row!.id })).status).toBe('applied')
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('bookings outside the program period are refused on the real push: session-closed outside-program-period, with words', async () => {
    // The last session of the demo's babysitting, and the program's period ended the day before it.
    const [last] = await t.db.query<{ id: string; day: string }>(
      `SELECT id, to_char((starts_at AT TIME ZONE 'Europe/Rome')::date, 'YYYY-MM-DD') AS day FROM sessions
       WHERE service_id = 'svc-babysitting' AND status = 'open' ORDER BY starts_at DESC, id LIMIT 1`)
    const dayBefore = new Date(Date.parse(`${last!.day}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
    const c = await config()
    expect((await send('PUT', officer.token, '/program', asRequest(c, { periodTo: dayBefore }))).status).toBe(200)
    const refused = await book(fam2, 'chd-0002-1', last!.id, 1)
    expect(refused).toMatchObject({ status: 'rejected', code: 'session-closed', details: { reason: 'outside-program-period', periodTo: dayBefore } })
    expect(refused.message).toContain('periodo del programma')
    expect(await count('SELECT count(*) AS n FROM bookings WHERE session_id = $1', [last!.id])).toBe(0)
    // Its alternatives are inside the period.
    const alternatives = (refused.details as { alternatives: { startsAt: string }[] }).alternatives
    expect(alternatives.every((a) => a.startsAt < `${dayBefore}T23:59:59Z`)).toBe(true)
    // The period as it was: booked.
    expect((await send('PUT', officer.token, '/program', asRequest(await config(), { periodTo: c.periodTo! }))).status).toBe(200)
    const bookingId = uniqueId('bk')
    expect((await fam2.push('booking.request', { bookingId, childId: 'chd-0002-1', sessionId: last!.id, quantity: 1 })).status).toBe('applied')
    expect((await fam2.push('booking.cancel', { bookingId })).status).toBe('applied') // the next tests count live bookings
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('refuses changes that would break vouchers or bookings with 409 and every reason, and changes nothing', async () => {
    const booked = await book(fam, 'chd-0001-1', 'ses-altana-babysitting-20261125')
    expect(booked.status).toBe('applied')
    const c = await config()
    const babysitting = c.services.find((s) => s.id === 'svc-babysitting')!
    const res = await send('PUT', officer.token, '/program', asRequest(c, {
      budgetCents: 1000, periodTo: '2026-11-24',
      services: c.services.map((s) => (s.id === babysitting.id ? { ...s, ageMinYears: 15, ageMaxYears: 16 } : s)),
    }))
    expect(res.status).toBe(409)
    const body = OfficeError.parse(await res.json())
    expect(body.error.code).toBe('invalid-state')
    expect(body.error.details).toMatchObject({
      reason: 'config-conflicts',
      conflicts: [
        { reason: 'budget-below-assigned', assignedCents: 120_000 },
        { reason: 'bookings-outside-period', count: 1 },
        { reason: 'bookings-outside-age', serviceId: 'svc-babysitting', count: 1 },
      ],
    })
    expect(await config()).toEqual(c)
  })

  it('edits a service’s accepted needs and adds a territory and a service; the booking rules use them', async () => {
    await t.db.query("UPDATE children SET disability = true WHERE id = 'chd-0002-1'")
    const c = await config()
    const res = await send('PUT', officer.token, '/program', asRequest(c, {
      territories: [...c.territories, { name: 'Soresina' }],
      services: [...c.services.map((s) => (s.id === 'svc-babysitting' ? { ...s, acceptsDisability: false } : s)),
        { category: 'time-saving', name: 'Commissioni', nameEn: 'Errands', description: '', unit: 'hour', ageMinYears: 0, ageMaxYears: 16, acceptsDisability: true, acceptsDsa: true, needsOnly: false }],
    }))
    expect(res.status).toBe(200)
    const after = ProgramConfig.parse(await res.json())
    expect(after.territories.map((x) => x.name)).toContain('Soresina')
    expect(after.services.find((s) => s.name === 'Commissioni')).toMatchObject({ unit: 'hour', ageMaxYears: 16 })
    const refused = await book(fam2, 'chd-0002-1', 'ses-altana-babysitting-20261126')
    expect(refused).toMatchObject({ status: 'rejected', code: 'child-ineligible', details: { reason: 'need-not-accepted', need: 'disability' } })
    expect((await book(fam2, 'chd-0002-2', 'ses-altana-babysitting-20261126')).status).toBe('applied')
  })

  it('refuses bad input with 400 and another program’s service with 404', async () => {
    const c = await config()
    expect((await send('PUT', officer.token, '/program', { ...asRequest(c), periodTo: '2020-01-01' })).status).toBe(400)
    expect((await send('PUT', officer.token, '/program', { ...asRequest(c), budgetCents: -1 })).status).toBe(400)
    const res = await send('PUT', officer.token, '/program', asRequest(c, { services: [{ ...c.services[0]!, id: 'svc-txt-nanny' }] }))
    expect(res.status).toBe(404)
  })
})

describe('DELETE /territories/:id and /services/:id', () => {
  it('deletes a territory and a service nothing uses: gone from the configuration and from the phones, audited', async () => {
    await fam.pull()
    const c = await config()
    const added = await send('PUT', officer.token, '/program', asRequest(c, {
      territories: [...c.territories, { name: 'Da togliere' }],
      services: [...c.services, { category: 'time-saving', name: 'Da togliere', nameEn: 'To remove', description: '', unit: 'hour', ageMinYears: 0, ageMaxYears: 16, acceptsDisability: true, acceptsDsa: true, needsOnly: false }],
    }))
    expect(added.status).toBe(200)
    const after = ProgramConfig.parse(await added.json())
    const territoryId = after.territories.find((x) => x.name === 'Da togliere')!.id
    const serviceId = after.services.find((x) => x.name === 'Da togliere')!.id
    await fam.pull()
    expect(fam.get('territory', territoryId)).toBeDefined()
    expect(fam.get('service', serviceId)).toBeDefined()

    const t1 = await send('DELETE', officer.token, `/territories/${territoryId}`)
    expect(t1.status).toBe(200)
    expect(ProgramConfig.parse(await t1.json()).territories.map((x) => x.id)).not.toContain(territoryId)
    const s1 = await send('DELETE', officer.token, `/services/${serviceId}`)
    expect(s1.status).toBe(200)
    expect(ProgramConfig.parse(await s1.json()).services.map((x) => x.id)).not.toContain(serviceId)
    expect(await count('SELECT count(*) AS n FROM territories WHERE id = $1', [territoryId])).toBe(0)
    // The phones drop them (the pull says deleted).
    await fam.pull()
    expect(fam.get('territory', territoryId)).toBeUndefined()
    expect(fam.get('service', serviceId)).toBeUndefined()
    const [who] = await t.db.query<{ person: string }>("SELECT person_id AS person FROM audit_log WHERE action = 'territory.delete' AND entity_id = $1", [territoryId])
    expect(who?.person).toBe('cod-officer-1')
    expect(await audit('service.delete')).toBe(1)
    // Gone: a second delete is 404.
    expect((await send('DELETE', officer.token, `/territories/${territoryId}`)).status).toBe(404)
  })

  it('refuses to delete what is used with 409 and every use (table and rows), and changes nothing', async () => {
    const before = await config()
    const t1 = await send('DELETE', officer.token, '/territories/ter-crema')
    expect(t1.status).toBe(409)
    const te = OfficeError.parse(await t1.json()).error
    expect(te).toMatchObject({ code: 'invalid-state', details: { reason: 'config-conflicts' } })
    const tables = (te.details as { conflicts: { reason: string; table: string; count: number }[] }).conflicts
    expect(tables.every((x) => x.reason === 'in-use' && x.count > 0)).toBe(true)
    expect(tables.map((x) => x.table)).toEqual(expect.arrayContaining(['providers', 'sessions']))
    expect(tables.find((x) => x.table === 'providers')?.count).toBe(
      await count("SELECT count(*) AS n FROM providers WHERE territory_id = 'ter-crema'"))
    const s1 = await send('DELETE', officer.token, '/services/svc-babysitting')
    expect(s1.status).toBe(409)
    const used = (OfficeError.parse(await s1.json()).error.details as { conflicts: { table: string }[] }).conflicts.map((x) => x.table)
    expect(used).toEqual(expect.arrayContaining(['bookings', 'sessions']))
    expect(await config()).toEqual(before)
    expect(await audit('territory.delete')).toBe(1) // the one of the test before
  })

  it('another program’s territory or service is 404, an unknown one too; other roles 403', async () => {
    expect((await send('DELETE', txtOfficer.token, '/territories/ter-crema')).status).toBe(404)
    expect((await send('DELETE', txtOfficer.token, '/services/svc-babysitting')).status).toBe(404)
    expect((await send('DELETE', officer.token, '/services/svc-nope')).status).toBe(404)
    for (const other of [fam, altana]) expect((await send('DELETE', other.token, '/territories/ter-crema')).status).toBe(403)
    expect(await count("SELECT count(*) AS n FROM territories WHERE id = 'ter-crema'")).toBe(1)
  })
})

describe('providers: accredit, services, suspend, reinstate', () => {
  it('accredits a provider with a real coordinator code; its sessions are priced within the ceiling', async () => {
    const res = await send('POST', officer.token, '/providers', {
      name: 'Cooperativa Il Girasole', shortName: 'GIRASOLE', territoryId: 'ter-crema', kind: 'cooperative',
      services: [{ serviceId: 'svc-babysitting', maxUnitPriceCents: 1600 }],
    })
    expect(res.status).toBe(201)
    const answer = AccreditAnswer.parse(await res.json())
    expect(answer.coordinatorCode).toMatch(/^PRV-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    expect(await audit('provider.accredit')).toBe(1)
    const coordinator = await SyncClient.activate(t.app, answer.coordinatorCode)
    const session = (id: string, unitPriceCents: number, serviceId = 'svc-babysitting') => ({
      sessionId: id, serviceId, startsAt: '2026-12-02T08:00:00.000Z', endsAt: '2026-12-02T12:00:00.000Z', places: 2, unitPriceCents, unitsMax: 4,
    })
    expect((await coordinator.push('session.create', session(uniqueId('s'), 1600))).status).toBe('applied')
    expect(await coordinator.push('session.create', session(uniqueId('s'), 1700)))
      .toMatchObject({ status: 'rejected', code: 'validation', details: { reason: 'price-above-accredited', maxUnitPriceCents: 1600 } })
    expect(await coordinator.push('session.create', session(uniqueId('s'), 1000, 'svc-nursery')))
      .toMatchObject({ status: 'rejected', code: 'forbidden', details: { reason: 'not-accredited' } })
    // Withdrawing the service while a session of it is open: 409, nothing changes.
    const withdraw = await send('PUT', officer.token, `/providers/${answer.id}/services`, { services: [{ serviceId: 'svc-nursery', maxUnitPriceCents: 3000 }] })
    expect(withdraw.status).toBe(409)
    expect(OfficeError.parse(await withdraw.json()).error.details).toMatchObject({ conflicts: [{ reason: 'sessions-open', serviceId: 'svc-babysitting', count: 1 }] })
    const added = await send('PUT', officer.token, `/providers/${answer.id}/services`, {
      services: [{ serviceId: 'svc-babysitting', maxUnitPriceCents: 1600 }, { serviceId: 'svc-nursery', maxUnitPriceCents: 3000 }],
    })
    expect(added.status).toBe(200)
    expect(ProviderEntry.parse(await added.json()).services).toHaveLength(2)
    await coordinator.pull()
    expect(coordinator.rows('accreditation').filter((a) => a.providerId === answer.id)).toHaveLength(2)
  })

  it('suspends a provider: its open orders declined with the reason, holds released, sessions closed; then reinstates it', async () => {
    const booked = await book(fam, 'chd-0001-1', 'ses-altana-babysitting-20261127')
    expect(booked.status).toBe('applied')
    const live = await count("SELECT count(*) AS n FROM bookings WHERE provider_id = 'prv-altana' AND status IN ('requested', 'confirmed')")
    expect(live).toBeGreaterThan(0)
    const res = await send('POST', officer.token, '/providers/prv-altana/suspend', { reason: 'Verifica requisiti di accreditamento' })
    expect(res.status).toBe(200)
    const body = SuspendAnswer.parse(await res.json())
    expect(body.declined).toBe(live)
    expect(body.sessionsClosed).toBeGreaterThan(0)
    expect(body.provider.suspendedAt).not.toBeNull()
    expect(await count("SELECT count(*) AS n FROM bookings WHERE provider_id = 'prv-altana' AND status IN ('requested', 'confirmed')")).toBe(0)
    expect(await count("SELECT count(*) AS n FROM sessions WHERE provider_id = 'prv-altana' AND status = 'open' AND starts_at > $1", [t.clock.now().toISOString()])).toBe(0)
    expect(await invariantViolations(t.db)).toEqual([])
    expect(await audit('provider.suspend')).toBe(1)
    // The family's phone pulls the declined booking with the office's reason, and its voucher back.
    await fam.pull()
    const declined = fam.rows<{ status: string; declineReason: string; providerId: string }>('booking').filter((b) => b.providerId === 'prv-altana')
    expect(declined.every((b) => b.status !== 'requested' && b.status !== 'confirmed')).toBe(true)
    expect(declined.some((b) => b.declineReason === 'Verifica requisiti di accreditamento')).toBe(true)
    // A suspended provider offers nothing new; a second suspension is 409.
    expect(await altana.push('session.create', { sessionId: uniqueId('s'), serviceId: 'svc-babysitting', startsAt: '2026-12-03T08:00:00.000Z', endsAt: '2026-12-03T12:00:00.000Z', places: 1, unitPriceCents: 1500, unitsMax: 4 }))
      .toMatchObject({ status: 'rejected', code: 'forbidden', details: { reason: 'provider-suspended' } })
    expect((await send('POST', officer.token, '/providers/prv-altana/suspend', { reason: 'di nuovo' })).status).toBe(409)
    const back = await send('POST', officer.token, '/providers/prv-altana/reinstate')
    expect(back.status).toBe(200)
    expect(ProviderEntry.parse(await back.json()).suspendedAt).toBeNull()
    expect((await send('POST', officer.token, '/providers/prv-altana/reinstate')).status).toBe(409)
  })

  it('lists providers with their accreditation; another program’s officer gets 404; other roles 403', async () => {
    const list = ProvidersAnswer.parse(await (await send('GET', officer.token, '/providers')).json())
    expect(list.providers.find((p) => p.id === 'prv-koala')?.services.map((s) => s.serviceId).sort()).toEqual(['svc-babysitting', 'svc-camp', 'svc-play-space'])
    expect((await send('POST', txtOfficer.token, '/providers/prv-koala/suspend', { reason: 'non mio' })).status).toBe(404)
    expect((await send('PUT', txtOfficer.token, '/providers/prv-koala/services', { services: [] })).status).toBe(404)
    expect((await send('GET', altana.token, '/providers')).status).toBe(403)
    expect((await send('POST', fam.token, '/providers/prv-koala/suspend', { reason: 'no' })).status).toBe(403)
  })
})

describe('POST /api/office/programs', () => {
  it('creates a program with its own officer code, who sees it and nothing of the first', async () => {
    const c = await config()
    const res = await send('POST', officer.token, '/programs', {
      ...asRequest(c, { name: 'Conciliare 2027' }), shortName: 'Conciliare 2027', agency: 'ATS Val Padana', funding: 'call',
      territories: [{ name: 'Crema' }], services: [{ category: 'nursery', name: 'Nido', nameEn: 'Nursery', unit: 'day', ageMinYears: 0, ageMaxYears: 3, acceptsDisability: true, acceptsDsa: true, needsOnly: false }],
    })
    expect(res.status).toBe(201)
    const created = CreateProgramAnswer.parse(await res.json())
    const newOfficer = await SyncClient.activate(t.app, created.officerCode)
    const mine = await config(newOfficer.token)
    expect(mine).toMatchObject({ id: created.id, name: 'Conciliare 2027', facts: { vouchers: 0 } })
    expect(mine.services.map((s) => s.name)).toEqual(['Nido'])
    expect((await send('GET', newOfficer.token, '/providers')).status).toBe(200)
    expect((await send('POST', newOfficer.token, '/providers/prv-koala/suspend', { reason: 'non mio' })).status).toBe(404)
    expect((await send('POST', officer.token, '/programs', { ...asRequest(c), shortName: 'conciliare 2027', agency: 'x', funding: 'call', territories: [{ name: 'x' }] })).status).toBe(409)
  })
})

describe('the payment delay (issue 9): set by the office, dated by the providers', () => {
  it('sets paymentDaysAfterApproval 0–365 with an audit entry; the provider’s payments answer with it; bad values 400 and change nothing', async () => {
    const c = await config()
    expect(c.paymentDaysAfterApproval).toBe(60) // the seed leaves it unset: the default
    const payments = async () => {
      const res = await t.app.request('/api/provider/payments', { headers: { authorization: `Bearer ${altana.token}` } })
      expect(res.status).toBe(200)
      return ((await res.json()) as { paymentDaysAfterApproval: number }).paymentDaysAfterApproval
    }
    expect(await payments()).toBe(60)
    const before = await audit('program.configure')
    const res = await send('PUT', officer.token, '/program', asRequest(c, { paymentDaysAfterApproval: 30 }))
    expect(res.status).toBe(200)
    expect(ProgramConfig.parse(await res.json()).paymentDaysAfterApproval).toBe(30)
    expect(await payments()).toBe(30)
    const [entry] = await t.db.query<{ details: Record<string, unknown>; personId: string }>(
      "SELECT details, person_id AS \"personId\" FROM audit_log WHERE action = 'program.configure' ORDER BY at DESC, id DESC LIMIT 1")
    expect(entry?.details).toMatchObject({ paymentDaysAfterApproval: 30, paymentDaysBefore: 60 })
    expect(await audit('program.configure')).toBe(before + 1)

    for (const bad of [366, -1, 1.5, '30', null]) {
      const refused = await send('PUT', officer.token, '/program', { ...asRequest(c), paymentDaysAfterApproval: bad })
      expect(refused.status, String(bad)).toBe(400)
      expect(OfficeError.parse(await refused.json()).error.code).toBe('validation')
    }
    expect(await audit('program.configure')).toBe(before + 1)
    // Absent: the setting stays (older screens and scripts send the rest only); 0 and 365 are allowed.
    const { paymentDaysAfterApproval: _, ...without } = asRequest(await config())
    expect((await send('PUT', officer.token, '/program', without)).status).toBe(200)
    expect((await config()).paymentDaysAfterApproval).toBe(30)
    for (const edge of [0, 365]) {
      expect((await send('PUT', officer.token, '/program', asRequest(await config(), { paymentDaysAfterApproval: edge }))).status).toBe(200)
      expect(await payments()).toBe(edge)
    }
    expect(await invariantViolations(t.db)).toEqual([])
  })
})
