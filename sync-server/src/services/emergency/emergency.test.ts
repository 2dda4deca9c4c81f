/**
 * Emergency requests on the real push, pull and database (issue 9): who receives a request and when
 * it leaves an inbox, the race between cooperatives (on Postgres across two apps with their own pools,
 * like two server processes: exactly one wins), and the sweep (expiry, head start) run by several
 * processes at once.
 */
import type { Hono } from 'hono'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AppEnv } from '../../routes/http.ts'
import type { Db } from '../../db/db.ts'
import { invariantViolations } from '../../test/db-checks.ts'
import { activateAll, SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'
import { sweepEmergencies } from './sweep.ts'

let t: TestServer
let second: { app: Hono<AppEnv>; db: Db } | null = null
let parent: SyncClient, parent2: SyncClient, altana: SyncClient, koala: SyncClient, umana: SyncClient, office: SyncClient
beforeAll(async () => {
  t = await createTestServer({ families: 12 })
  if (t.kind === 'postgres') second = await t.secondApp()
  ;[parent, parent2, altana, koala, umana, office] = await activateAll(t.app, ['FAM-0001', 'FAM-0002', 'PRV-ALTANA', 'PRV-KOALA', 'PRV-UMANA', 'OFFICER-1'] as const)
})
afterAll(() => t.close())

/** Tomorrow's early shift, 05:30–14:00 in Rome, in Crema. */
const earlyShift = (over: Record<string, unknown> = {}) => ({
  requestId: uniqueId('em'), childId: 'chd-0001-1', startsAt: '2026-11-23T04:30:00.000Z', endsAt: '2026-11-23T13:00:00.000Z',
  territoryId: 'ter-crema', address: 'Via Mazzini 3, Crema', note: 'Febbre 38, chiavi dalla vicina', ...over,
})
const statusOf = async (id: string) => (await t.db.query<{ status: string }>('SELECT status FROM emergency_requests WHERE id = $1', [id]))[0]?.status

describe('who receives a request', () => {
  it('the territory\'s cooperatives that may take it, until one does; then only the winner (the others get a del)', async () => {
    await Promise.all([altana.pull(), koala.pull(), umana.pull(), parent.pull(), office.pull()])
    const args = earlyShift()
    expect(await parent.push('emergency.request', args)).toMatchObject({ status: 'applied' })
    await Promise.all([altana.pull(), koala.pull(), umana.pull(), office.pull()])
    expect(altana.get('emergencyRequest', args.requestId)).toMatchObject({ status: 'open', address: args.address, note: args.note, childFirstName: 'Giulia' })
    expect(koala.get('emergencyRequest', args.requestId)).toMatchObject({ status: 'open' })
    expect(umana.get('emergencyRequest', args.requestId)).toBeUndefined() // Cremona
    expect(office.get('emergencyRequest', args.requestId)).not.toHaveProperty('address')
    // Seen by the two cooperatives' phones (once each, however often they pull); providers get no count.
    await Promise.all([altana.pull(), koala.pull(), parent.pull()])
    expect(parent.get('emergencyRequest', args.requestId)).toMatchObject({ seenCount: 2 })
    expect(altana.get('emergencyRequest', args.requestId)).not.toHaveProperty('seenCount')

    expect(await koala.push('emergency.accept', { requestId: args.requestId, operatorId: 'opr-koala-1' })).toMatchObject({ status: 'applied' })
    expect(await altana.push('emergency.accept', { requestId: args.requestId })).toMatchObject({ status: 'rejected', code: 'already-taken' })
    const lost = await altana.pull()
    expect(lost.changes).toContainEqual({ entity: 'emergencyRequest', key: args.requestId, op: 'del' })
    expect(altana.get('emergencyRequest', args.requestId)).toBeUndefined()
    await Promise.all([koala.pull(), parent.pull()])
    expect(koala.get('emergencyRequest', args.requestId)).toMatchObject({ status: 'accepted', providerId: 'prv-koala', address: args.address })
    expect(parent.get('emergencyRequest', args.requestId)).toMatchObject({ status: 'accepted', operatorName: 'Marta Cremonesi', providerId: 'prv-koala' })
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('the family\'s usual cooperative alone during its head start, then the territory (by the sweep)', async () => {
    // Family 1's last request was taken by KOALA: KOALA is its usual cooperative now.
    const args = earlyShift({ childId: 'chd-0001-2' })
    expect(await parent.push('emergency.request', args)).toMatchObject({ status: 'applied' })
    await Promise.all([altana.pull(), koala.pull(), parent.pull()])
    expect(parent.get('emergencyRequest', args.requestId)).toMatchObject({ stage: 'usual', usualProviderId: 'prv-koala' })
    expect(koala.get('emergencyRequest', args.requestId)).toMatchObject({ status: 'open' })
    expect(altana.get('emergencyRequest', args.requestId)).toBeUndefined()
    expect(await altana.push('emergency.accept', { requestId: args.requestId })).toMatchObject({ code: 'forbidden' })

    t.clock.set(new Date(Date.parse(TEST_NOW) + 10 * 60_000).toISOString())
    try {
      expect(await sweepEmergencies(t.deps)).toBeGreaterThanOrEqual(1)
      await Promise.all([altana.pull(), parent.pull()])
      expect(parent.get('emergencyRequest', args.requestId)).toMatchObject({ stage: 'territory' })
      expect(altana.get('emergencyRequest', args.requestId)).toMatchObject({ status: 'open', stage: 'territory' })
      expect(await parent.push('emergency.cancel', { requestId: args.requestId })).toMatchObject({ status: 'applied' })
      const gone = await altana.pull()
      expect(gone.changes).toContainEqual({ entity: 'emergencyRequest', key: args.requestId, op: 'del' })
    } finally {
      t.clock.set(TEST_NOW)
    }
  })
})

describe('the race: first acceptance wins in the database', () => {
  it('two cooperatives accept at once (on Postgres through two server apps): exactly one wins, the other hears already-taken', async () => {
    const other = second?.app ?? t.app
    const koala2 = new SyncClient(other, koala.token)
    // The winner of a round becomes the family's usual cooperative: no head start here, both may take each.
    await t.db.query("UPDATE programs SET emergency_head_start_minutes = 0 WHERE id = 'prg-conciliare'")
    for (let i = 0; i < 8; i++) {
      // 12:30–13:30 in Rome, Monday: within both cooperatives' operators' on-call windows (till 14:00).
      const args = earlyShift({ childId: 'chd-0002-1', startsAt: '2026-11-23T11:30:00.000Z', endsAt: '2026-11-23T12:30:00.000Z', territoryId: 'ter-crema' })
      expect(await parent2.push('emergency.request', args)).toMatchObject({ status: 'applied' })
      const [a, k] = await Promise.all([
        altana.push('emergency.accept', { requestId: args.requestId }),
        koala2.push('emergency.accept', { requestId: args.requestId }),
      ])
      const outcomes = [a, k].map((r) => r.code ?? r.status).sort()
      expect(outcomes).toEqual(['already-taken', 'applied'])
      expect(await statusOf(args.requestId)).toBe('accepted')
      // Free the voucher for the next round.
      expect(await parent2.push('emergency.cancel', { requestId: args.requestId })).toMatchObject({ status: 'applied' })
    }
    await t.db.query("UPDATE programs SET emergency_head_start_minutes = NULL WHERE id = 'prg-conciliare'")
    expect(await invariantViolations(t.db)).toEqual([])
  })
})

describe('the sweep', () => {
  it('expires requests past their deadline and releases the hold, once, however many processes sweep at once', async () => {
    const ids: string[] = []
    for (let f = 3; f <= 12; f++) {
      const fam = String(f).padStart(4, '0')
      const client = await SyncClient.activate(t.app, `FAM-${fam}`)
      const args = earlyShift({ childId: `chd-${fam}-1`, deadlineAt: '2026-11-22T08:00:00.000Z' })
      expect(await client.push('emergency.request', args)).toMatchObject({ status: 'applied' })
      ids.push(args.requestId)
    }
    const [held] = await t.db.query<{ n: number }>(`SELECT sum(held_cents)::int AS n FROM emergency_requests WHERE id = ANY($1)`, [ids])
    expect(held?.n).toBeGreaterThan(0)
    t.clock.set('2026-11-22T08:00:00.000Z')
    try {
      const sweepers = [t.deps, ...(second ? [{ ...t.deps, db: second.db }] : []), t.deps]
      const changed = await Promise.all(sweepers.map((d) => sweepEmergencies(d)))
      expect(changed.reduce((a, b) => a + b, 0)).toBe(ids.length)
    } finally {
      t.clock.set(TEST_NOW)
    }
    const rows = await t.db.query<{ status: string; held: number; releases: number }>(
      `SELECT e.status, e.held_cents AS held,
         (SELECT count(*)::int FROM voucher_ledger l WHERE l.emergency_request_id = e.id AND l.kind = 'release') AS releases
       FROM emergency_requests e WHERE id = ANY($1)`, [ids])
    expect(rows).toHaveLength(ids.length)
    expect(rows.every((r) => r.status === 'expired' && r.held === 0 && r.releases === 1)).toBe(true)
    expect(await invariantViolations(t.db)).toEqual([])
  })
})

describe('delivery (emergency.deliver)', () => {
  // Family 2's usual cooperative is whoever won the race's last round: no head start, KOALA may take each.
  beforeAll(() => t.db.query("UPDATE programs SET emergency_head_start_minutes = 0 WHERE id = 'prg-conciliare'"))
  afterAll(() => t.db.query("UPDATE programs SET emergency_head_start_minutes = NULL WHERE id = 'prg-conciliare'"))
  const MONDAY = '2026-11-23T07:00:00.000Z'
  beforeEach(() => t.clock.set(MONDAY))
  afterEach(() => t.clock.set(TEST_NOW))
  /**
   * Family 2's child since 06:30 until 10:30 on Monday (it is 07:00; 07:30–11:30 in Rome, within KOALA's
   * operator's on-call windows): four hours begun, accepted by KOALA with its operator on call.
   */
  async function acceptedNow(over: Record<string, unknown> = {}) {
    const args = earlyShift({ childId: 'chd-0002-1', startsAt: '2026-11-23T06:30:00.000Z', endsAt: '2026-11-23T10:30:00.000Z', ...over })
    expect(await parent2.push('emergency.request', args)).toMatchObject({ status: 'applied' })
    expect(await koala.push('emergency.accept', { requestId: args.requestId, operatorId: 'opr-koala-1' })).toMatchObject({ status: 'applied' })
    const [row] = await t.db.query<{ held: number }>('SELECT held_cents AS held FROM emergency_requests WHERE id = $1', [args.requestId])
    return { requestId: args.requestId, held: row!.held }
  }

  it('the coordinator records a partial delivery: the voucher spends that share, the rest goes back; who did it is the provider\'s', async () => {
    const { requestId, held } = await acceptedNow()
    expect(await altana.push('emergency.deliver', { requestId })).toMatchObject({ status: 'rejected', code: 'forbidden' })
    expect(await koala.push('emergency.deliver', { requestId, deliveredHours: 5 })).toMatchObject({ status: 'rejected', code: 'validation' })
    expect(await koala.push('emergency.deliver', { requestId, deliveredHours: 1 })).toMatchObject({ status: 'applied' })
    const [row] = await t.db.query('SELECT status, delivered_hours AS hours, spent_cents AS spent, held_cents AS held, delivered_by AS "by", delivered_at = $2 AS "atNow" FROM emergency_requests WHERE id = $1', [requestId, MONDAY])
    expect(row).toEqual({ status: 'delivered', hours: 1, spent: Math.floor(held / 4), held: 0, by: 'person:cod-prv-koala', atNow: true })
    const ledger = await t.db.query<{ kind: string; amount: number }>(
      'SELECT kind, amount_cents AS amount FROM voucher_ledger WHERE emergency_request_id = $1 ORDER BY id', [requestId])
    expect(ledger).toEqual([{ kind: 'hold', amount: held }, { kind: 'consume', amount: Math.floor(held / 4) }, { kind: 'release', amount: held - Math.floor(held / 4) }])
    await Promise.all([parent2.pull(), koala.pull()])
    expect(parent2.get('emergencyRequest', requestId)).toMatchObject({ status: 'delivered', deliveredHours: 1, spentCents: Math.floor(held / 4) })
    expect(parent2.get('emergencyRequest', requestId)).not.toHaveProperty('deliveredBy')
    expect(koala.get('emergencyRequest', requestId)).toMatchObject({ status: 'delivered', deliveredBy: 'person:cod-prv-koala' })
    expect(await koala.push('emergency.deliver', { requestId, noShow: true })).toMatchObject({ status: 'rejected', code: 'invalid-state' })
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('the assigned operator, under their own code, records a no-show (the whole hold goes back); never before the start', async () => {
    const res = await t.app.request('/api/provider/operators/opr-koala-1/code', { method: 'POST', headers: { authorization: `Bearer ${koala.token}` } })
    const { code } = (await res.json()) as { code: string }
    const operator = await SyncClient.activate(t.app, code)
    const later = await acceptedNow({ startsAt: '2026-11-23T11:00:00.000Z', endsAt: '2026-11-23T12:00:00.000Z' })
    expect(await operator.push('emergency.deliver', { requestId: later.requestId })).toMatchObject({ status: 'rejected', code: 'invalid-state' })
    expect(await parent2.push('emergency.cancel', { requestId: later.requestId })).toMatchObject({ status: 'applied' })
    const { requestId } = await acceptedNow()
    expect(await operator.push('emergency.deliver', { requestId, noShow: true })).toMatchObject({ status: 'applied' })
    const [row] = await t.db.query('SELECT status, no_show AS "noShow", spent_cents AS spent, held_cents AS held, delivered_by AS "by" FROM emergency_requests WHERE id = $1', [requestId])
    expect(row).toEqual({ status: 'delivered', noShow: true, spent: 0, held: 0, by: 'operator:opr-koala-1' })
    expect(await invariantViolations(t.db)).toEqual([])
  })
})

describe('who may go: the usual operator first, operators\' own phones, on-call windows (issue 9)', () => {
  it('the family\'s usual operator receives the request during the head start on their own phone, and accepts it for themselves', async () => {
    const res = await t.app.request('/api/provider/operators/opr-koala-1/code', { method: 'POST', headers: { authorization: `Bearer ${koala.token}` } })
    const operator = await SyncClient.activate(t.app, ((await res.json()) as { code: string }).code)
    // Family 1's last request went to KOALA with Marta (the first test): she is its usual operator now.
    const args = earlyShift({ childId: 'chd-0001-2' })
    expect(await parent.push('emergency.request', args)).toMatchObject({ status: 'applied' })
    await Promise.all([operator.pull(), altana.pull(), parent.pull(), koala.pull()])
    expect(koala.get('emergencyRequest', args.requestId)).toMatchObject({ stage: 'usual', usualProviderId: 'prv-koala', usualOperatorId: 'opr-koala-1' })
    // The family learns who comes by name once accepted, never which of the staff usually sits.
    expect(parent.get('emergencyRequest', args.requestId)).not.toHaveProperty('usualOperatorId')
    expect(operator.get('emergencyRequest', args.requestId)).toMatchObject({ status: 'open', address: args.address, note: args.note })
    expect(operator.get('emergencyRequest', args.requestId)).not.toHaveProperty('seenCount')
    // The family's voucher amounts stay with the family and the coordinator.
    for (const field of ['voucherId', 'estimatedCents', 'heldCents', 'spentCents']) expect(operator.get('emergencyRequest', args.requestId)).not.toHaveProperty(field)
    expect(koala.get('emergencyRequest', args.requestId)).toHaveProperty('heldCents')
    expect(altana.get('emergencyRequest', args.requestId)).toBeUndefined()
    expect(await operator.push('emergency.accept', { requestId: args.requestId, operatorId: 'opr-koala-2' })).toMatchObject({ status: 'rejected', code: 'forbidden' })
    expect(await operator.push('emergency.accept', { requestId: args.requestId })).toMatchObject({ status: 'applied' })
    await Promise.all([operator.pull(), parent.pull()])
    expect(operator.get('emergencyRequest', args.requestId)).toMatchObject({ status: 'accepted', operatorId: 'opr-koala-1' })
    expect(parent.get('emergencyRequest', args.requestId)).toMatchObject({ status: 'accepted', providerId: 'prv-koala', operatorName: 'Marta Cremonesi' })
    expect(await parent.push('emergency.cancel', { requestId: args.requestId })).toMatchObject({ status: 'applied' })
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('an operator whose on-call windows do not cover the whole request cannot go: no-operator-on-call', async () => {
    await t.db.query("UPDATE operators SET on_call_windows = '1-5 05:30-14:00' WHERE id = 'opr-koala-1'")
    try {
      // Monday 13:30–15:30 in Rome: past 14:00.
      const args = earlyShift({ childId: 'chd-0001-2', startsAt: '2026-11-23T12:30:00.000Z', endsAt: '2026-11-23T14:30:00.000Z' })
      expect(await parent.push('emergency.request', args)).toMatchObject({ status: 'applied' })
      expect(await koala.push('emergency.accept', { requestId: args.requestId })).toMatchObject({ status: 'rejected', code: 'invalid-state' })
      expect(await statusOf(args.requestId)).toBe('open')
      // Within the windows it goes.
      const within = earlyShift({ childId: 'chd-0001-2', startsAt: '2026-11-23T08:00:00.000Z', endsAt: '2026-11-23T09:00:00.000Z' })
      expect(await parent.push('emergency.request', within)).toMatchObject({ status: 'applied' })
      expect(await koala.push('emergency.accept', { requestId: within.requestId })).toMatchObject({ status: 'applied' })
      for (const id of [args.requestId, within.requestId]) expect(await parent.push('emergency.cancel', { requestId: id })).toMatchObject({ status: 'applied' })
    } finally {
      await t.db.query("UPDATE operators SET on_call_windows = '1-5 00:00-24:00; 6-7 00:00-24:00' WHERE id = 'opr-koala-1'")
    }
    expect(await invariantViolations(t.db)).toEqual([])
  })
})
