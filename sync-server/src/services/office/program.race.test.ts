/**
 * A configuration change racing a booking (issue 11): the office moves the program's period end
 * before a session while a family books that session. Without serialising them, the change could read
 * the live bookings before the booking commits (no conflict found) while the booking decides against
 * the old period: both would commit, and a booking would stand outside the period. The pushes read the
 * program row FOR KEY SHARE (registry `shareLock`), which the change holds FOR UPDATE first: whatever
 * the interleaving, exactly one of the two wins.
 *
 * Needs real concurrency: Postgres (TEST_DATABASE_URL), two apps (two pools, like two processes).
 * On PGlite every transaction runs alone, so the file is skipped there.
 */
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OfficeError } from '../../../../shared/office/office.schema.ts'
import { ProgramConfig, type UpdateProgramRequest } from '../../../../shared/office/program.schema.ts'
import type { AppEnv } from '../../routes/http.ts'
import { invariantViolations } from '../../test/db-checks.ts'
import { json, SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, type TestServer } from '../../test/test-server.ts'

const ON_POSTGRES = !!process.env.TEST_DATABASE_URL
let t: TestServer
let apps: Hono<AppEnv>[]
let officer: string
let fams: SyncClient[]

beforeAll(async () => {
  if (!ON_POSTGRES) return
  t = await createTestServer({ families: 4 })
  apps = [t.app, (await t.secondApp()).app]
  officer = (await SyncClient.activate(t.app, 'OFFICER-1')).token
  const clients = await Promise.all([1, 2, 3, 4].map((i) => SyncClient.activate(t.app, `FAM-000${i}`)))
  // The families push through the second app; the office works on the first.
  fams = clients.map((c) => new SyncClient(apps[1]!, c.token))
}, 60_000)
afterAll(() => t?.close())

const put = async (body: UpdateProgramRequest) => t.app.request('/api/office/program', { ...json(officer, body), method: 'PUT' })
async function config(): Promise<ProgramConfig> {
  return ProgramConfig.parse(await (await t.app.request('/api/office/program', { headers: { authorization: `Bearer ${officer}` } })).json())
}
const asRequest = (c: ProgramConfig, periodTo: string): UpdateProgramRequest => ({
  name: c.name, periodFrom: c.periodFrom!, periodTo, budgetCents: c.budgetCents!, voucherAmountCents: c.voucherAmountCents,
  voucherCoveragePercent: c.voucherCoveragePercent, cancellationWindowHours: c.cancellationWindowHours ?? 0,
  emergencyHeadStartMinutes: c.emergencyHeadStartMinutes ?? 10, territories: c.territories, services: c.services,
})

/** Open babysitting sessions still to come, latest first, with their day in Rome and the day before. */
async function lateSessions(n: number) {
  const rows = await t.db.query<{ id: string; day: string }>(
    `SELECT id, to_char((starts_at AT TIME ZONE 'Europe/Rome')::date, 'YYYY-MM-DD') AS day FROM sessions
     WHERE service_id = 'svc-babysitting' AND status = 'open' AND places_left > 0 ORDER BY starts_at DESC, id LIMIT $1`, [n])
  return rows.map((r) => ({ ...r, dayBefore: new Date(Date.parse(`${r.day}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10) }))
}

describe.skipIf(!ON_POSTGRES)('a configuration change racing a booking (Postgres)', () => {
  it('a push waits for a configuration change in flight, then decides against the new period', async () => {
    const [s] = await lateSessions(1)
    const original = await config()
    let settled = false
    let push: Promise<Awaited<ReturnType<SyncClient['push']>>> | undefined
    // A change in flight: the program row held FOR UPDATE, as updateProgram holds it until it commits.
    await t.db.transaction(async (tx) => {
      await tx.query("SELECT id FROM programs WHERE id = 'prg-conciliare' FOR UPDATE")
      push = fams[0]!.push('booking.request', { bookingId: uniqueId('race'), childId: 'chd-0001-1', sessionId: s!.id, quantity: 1 })
      void push.then(() => { settled = true })
      await new Promise((r) => setTimeout(r, 400))
      expect(settled).toBe(false) // waiting on the row, not decided on the old period
      await tx.query('UPDATE programs SET period_to = $2 WHERE id = $1', ['prg-conciliare', s!.dayBefore])
    })
    expect(await push!).toMatchObject({ status: 'rejected', code: 'session-closed', details: { reason: 'outside-program-period', periodTo: s!.dayBefore } })
    expect(Number((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM bookings WHERE session_id = $1', [s!.id]))[0]?.n)).toBe(0)
    await t.db.query('UPDATE programs SET period_to = $2 WHERE id = $1', ['prg-conciliare', original.periodTo])
  })

  it('whatever the interleaving, never both: the change and a booking it would put outside the period', async () => {
    const original = await config()
    const sessions = await lateSessions(6)
    let changed = 0
    let booked = 0
    for (const [round, s] of sessions.entries()) {
      const bookingId = uniqueId('race')
      const fam = fams[round % fams.length]!
      const childId = `chd-000${(round % fams.length) + 1}-1`
      // Alternate which leaves first; both are in flight together.
      const [res, pushed] = round % 2
        ? await Promise.all([put(asRequest(original, s.dayBefore)), fam.push('booking.request', { bookingId, childId, sessionId: s.id, quantity: 1 })])
        : await Promise.all([fam.push('booking.request', { bookingId, childId, sessionId: s.id, quantity: 1 }), put(asRequest(original, s.dayBefore))]).then(([p, r]) => [r, p] as const)
      const live = Number((await t.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM bookings WHERE id = $1 AND status IN ('requested', 'confirmed')", [bookingId]))[0]?.n)
      const [{ periodTo }] = await t.db.query<{ periodTo: string }>("SELECT to_char(period_to, 'YYYY-MM-DD') AS \"periodTo\" FROM programs WHERE id = 'prg-conciliare'") as [{ periodTo: string }]
      if (res.status === 200) {
        // The change won: the booking was decided against the new period.
        changed++
        expect(pushed).toMatchObject({ status: 'rejected', code: 'session-closed', details: { reason: 'outside-program-period' } })
        expect(live).toBe(0)
        expect(periodTo).toBe(s.dayBefore)
      } else {
        // The booking won: the change found it and was refused, changing nothing.
        booked++
        expect(res.status).toBe(409)
        expect(OfficeError.parse(await res.json()).error.details).toMatchObject({ reason: 'config-conflicts', conflicts: [{ reason: 'bookings-outside-period' }] })
        expect(pushed.status).toBe('applied')
        expect(live).toBe(1)
        expect(periodTo).toBe(original.periodTo)
        expect((await fam.push('booking.cancel', { bookingId })).status).toBe('applied')
      }
      expect((await put(asRequest(original, original.periodTo!))).status).toBe(200)
    }
    expect(changed + booked).toBe(sessions.length)
    expect(await invariantViolations(t.db)).toEqual([])
  }, 60_000)
})
