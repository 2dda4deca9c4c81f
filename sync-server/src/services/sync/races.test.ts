/**
 * Races between people, decided by row locks in the database (brief.md, "Races between people"):
 * a provider closing a session while families book, cancel and the provider's colleague confirms;
 * two closes at once; a parent cancelling while the provider declines or delivers. Pushes run at
 * once (Promise.all over app.request); with TEST_DATABASE_URL they also go through a second app
 * with its own pool, like a second server process, and the transactions truly interleave.
 */
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MESSAGES } from '../../../../shared/errors.ts'
import type { AppEnv } from '../../routes/http.ts'
import { invariantViolations } from '../../test/db-checks.ts'
import { activate, SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'

const FAMILIES = 12
let t: TestServer
let apps: Hono<AppEnv>[]
let families: string[] // tokens
let tantetinte: string
let altana: string
beforeAll(async () => {
  t = await createTestServer({ families: FAMILIES })
  apps = t.kind === 'postgres' ? [t.app, (await t.secondApp()).app] : [t.app]
  families = await Promise.all(Array.from({ length: FAMILIES }, (_, i) => activate(t.app, famCode(i))))
  ;[tantetinte, altana] = await Promise.all([activate(t.app, 'PRV-TANTETINTE'), activate(t.app, 'PRV-ALTANA')])
  // Roomy babysitting sessions: the races below are about closing, not about capacity.
  await t.db.query("UPDATE sessions SET places = 40, places_left = 40 WHERE service_id = 'svc-babysitting'")
})
afterAll(() => t.close())

const pad = (i: number) => String(i + 1).padStart(4, '0')
const famCode = (i: number) => `FAM-${pad(i)}`
/** The first child of every demo family is 1–9 years old: babysitting (0–12) fits. */
const childOf = (i: number) => `chd-${pad(i)}-1`
const appFor = (i: number) => apps[i % apps.length] ?? t.app
const device = (i: number, token: string) => new SyncClient(appFor(i), token)
const request = (i: number, sessionId: string) => ({ bookingId: uniqueId(`r${i}`), childId: childOf(i), sessionId, quantity: 1 })

async function statusOf(bookingId: string): Promise<{ status: string; declineReason: string | null } | undefined> {
  const [row] = await t.db.query<{ status: string; declineReason: string | null }>(
    'SELECT status, decline_reason AS "declineReason" FROM bookings WHERE id = $1', [bookingId])
  return row
}

/** No booking still holding a place on a session that is not open. */
async function activeOnClosed(): Promise<string[]> {
  const rows = await t.db.query<{ id: string }>(
    `SELECT b.id FROM bookings b JOIN sessions s ON s.id = b.session_id
     WHERE s.status <> 'open' AND b.status IN ('requested', 'confirmed')`)
  return rows.map((r) => r.id)
}

describe('session.close: a provider closes a session that has bookings', () => {
  it('declines the open bookings with the reason, releases places and holds, and the families see it on their next pull', async () => {
    const session = 'ses-tantetinte-babysitting-20261202'
    const fams = await Promise.all([0, 1, 2].map((i) => SyncClient.activate(t.app, famCode(i))))
    await Promise.all(fams.map((f) => f.pull()))
    // b3: family 0's other child (8 years old), since one child holds one live booking of a session.
    const [b0, b1, b2, b3] = [request(0, session), request(1, session), request(2, session), { ...request(0, session), childId: 'chd-0001-2' }]
    for (const [f, b] of [[fams[0], b0], [fams[1], b1], [fams[2], b2], [fams[0], b3]] as const) {
      expect((await f?.push('booking.request', b))?.status).toBe('applied')
    }
    const prv = new SyncClient(t.app, tantetinte)
    expect((await prv.push('booking.confirm', { bookingId: b1.bookingId })).status).toBe('applied')
    expect((await prv.push('booking.confirm', { bookingId: b2.bookingId })).status).toBe('applied')
    t.clock.set('2026-12-02T10:00:00.000Z') // delivered while the session runs; then closed
    expect((await prv.push('booking.deliver', { bookingId: b2.bookingId })).status).toBe('applied')
    t.clock.set(TEST_NOW)
    expect((await fams[0]?.push('booking.cancel', { bookingId: b3.bookingId }))?.status).toBe('applied')
    await Promise.all(fams.map((f) => f.pull()))
    const ledger = async () => (await t.db.query<{ n: number }>("SELECT count(*) AS n FROM voucher_ledger WHERE kind = 'release'"))[0]?.n ?? 0
    const releasesBefore = await ledger()
    const pokes: string[][] = []
    const unsubscribe = t.deps.notifier.subscribe((spaces) => void pokes.push([...spaces]))

    const closed = await prv.push('session.close', { sessionId: session, reason: '  Operatrice malata  ' })
    unsubscribe()
    expect(closed).toMatchObject({ status: 'applied' })
    expect(await statusOf(b0.bookingId)).toEqual({ status: 'declined', declineReason: 'Operatrice malata' })
    expect(await statusOf(b1.bookingId)).toEqual({ status: 'declined', declineReason: 'Operatrice malata' })
    expect(await statusOf(b2.bookingId)).toMatchObject({ status: 'delivered' })
    expect(await statusOf(b3.bookingId)).toMatchObject({ status: 'cancelled', declineReason: null })
    expect(await ledger()).toBe(releasesBefore + 2)
    const [s] = await t.db.query<{ status: string; placesLeft: number }>('SELECT status, places_left AS "placesLeft" FROM sessions WHERE id = $1', [session])
    expect(s).toEqual({ status: 'closed', placesLeft: 39 }) // the delivered booking keeps its place
    expect(pokes.flat()).toEqual(expect.arrayContaining(['family:fam-0001', 'family:fam-0002', 'catalog:prv-tantetinte', 'orders:prv-tantetinte']))

    // The families are told on their next pull: declined, with the reason; holds back in the voucher.
    for (const [f, b] of [[fams[0], b0], [fams[1], b1]] as const) {
      const delta = await f?.pull()
      expect(delta?.changes.map((c) => c.entity).sort()).toEqual(['booking', 'session', 'voucher'])
      expect(f?.get('booking', b.bookingId)).toMatchObject({ status: 'declined', declineReason: 'Operatrice malata' })
      expect(f?.get('session', session)).toMatchObject({ status: 'closed' })
      const fresh = new SyncClient(t.app, f?.token ?? '')
      await fresh.pull()
      expect(f?.mirror).toEqual(fresh.mirror)
    }
    expect(fams[0]?.get('voucher', 'vch-0001-1')).toMatchObject({ heldCents: 0, balanceCents: 30000 })
    expect(fams[1]?.get('voucher', 'vch-0002-1')).toMatchObject({ heldCents: 0, balanceCents: 30000 })

    // A late request on the closed session is refused, with alternatives of the same service.
    const late = await fams[2]?.push('booking.request', request(2, session))
    expect(late).toMatchObject({ status: 'rejected', code: 'session-closed', message: MESSAGES['session-closed'].it })
    const alternatives = late?.details?.alternatives as { sessionId: string }[]
    expect(alternatives.length).toBeGreaterThan(0)
    expect(alternatives.every((a) => a.sessionId !== session && a.sessionId.includes('babysitting'))).toBe(true)
    expect(await invariantViolations(t.db)).toEqual([])
    expect(await activeOnClosed()).toEqual([])
  })

  it('only the provider of the session may close it', async () => {
    const session = 'ses-tantetinte-babysitting-20261203'
    for (const token of [altana, families[0] ?? '', await activate(t.app, 'OFFICER-1')]) {
      const r = await new SyncClient(t.app, token).push('session.close', { sessionId: session, reason: 'no' })
      expect(r).toMatchObject({ status: 'rejected', code: 'forbidden' })
    }
    const [s] = await t.db.query<{ status: string }>('SELECT status FROM sessions WHERE id = $1', [session])
    expect(s?.status).toBe('open')
  })

  it('a booking request racing the close lands before it (and is declined) or after it (session-closed): never on a closed session', async () => {
    const days = ['20261204', '20261205', '20261207', '20261208']
    for (const [round, day] of days.entries()) {
      const session = `ses-tantetinte-babysitting-${day}`
      const early = request(round, session)
      expect((await device(round, families[round] ?? '').push('booking.request', early)).status).toBe('applied')
      // Every other family (the early one's child already holds this session: a second request is refused already-booked).
      const requests = families.map((token, i) => ({ i, token, args: request(i, session) })).filter(({ i }) => i !== round)
      // Start the close in the middle of the requests.
      const half = Math.floor(requests.length / 2)
      const pushes = requests.slice(0, half).map(({ i, token, args }) => device(i, token).push('booking.request', args))
      const close = device(round + 1, tantetinte).push('session.close', { sessionId: session, reason: 'Sala inagibile' })
      pushes.push(...requests.slice(half).map(({ i, token, args }) => device(i, token).push('booking.request', args)))
      const [closeResult, results] = await Promise.all([close, Promise.all(pushes)])
      expect(closeResult.status).toBe('applied')
      for (const [k, r] of results.entries()) {
        const bookingId = requests[k]?.args.bookingId ?? ''
        if (r.status === 'applied') expect(await statusOf(bookingId)).toEqual({ status: 'declined', declineReason: 'Sala inagibile' })
        else {
          expect(r.code).toBe('session-closed')
          expect(await statusOf(bookingId)).toBeUndefined()
        }
      }
      expect(await statusOf(early.bookingId)).toMatchObject({ status: 'declined' })
      const [s] = await t.db.query<{ status: string; places: number; placesLeft: number }>(
        'SELECT status, places, places_left AS "placesLeft" FROM sessions WHERE id = $1', [session])
      expect(s).toEqual({ status: 'closed', places: 40, placesLeft: 40 })
    }
    expect(await activeOnClosed()).toEqual([])
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('parents cancelling and the provider confirming while the session closes: each booking ends cancelled or declined, never both', async () => {
    const session = 'ses-tantetinte-babysitting-20261209'
    const booked = families.map((token, i) => ({ i, token, args: request(i, session) }))
    for (const b of booked) expect((await device(b.i, b.token).push('booking.request', b.args)).status).toBe('applied')
    const prv = tantetinte
    const actions = booked.map(({ i, token, args }) =>
      i % 2 === 0
        ? device(i, token).push('booking.cancel', { bookingId: args.bookingId })
        : device(i + 1, prv).push('booking.confirm', { bookingId: args.bookingId }))
    actions.splice(FAMILIES / 2, 0, device(0, prv).push('session.close', { sessionId: session, reason: 'Neve' }))
    const results = await Promise.all(actions)
    const close = results.splice(FAMILIES / 2, 1)[0]
    expect(close?.status).toBe('applied')
    for (const [k, r] of results.entries()) {
      const b = booked[k]
      const row = await statusOf(b?.args.bookingId ?? '')
      if (b && b.i % 2 === 0) {
        // The cancel either came first (cancelled) or found the booking declined (invalid-state).
        if (r.status === 'applied') expect(row?.status).toBe('cancelled')
        else expect([r.code, row?.status]).toEqual(['invalid-state', 'declined'])
      } else {
        // A confirm before the close is declined by it; after it, it finds the booking declined.
        expect(row).toEqual({ status: 'declined', declineReason: 'Neve' })
        if (r.status === 'rejected') expect(r.code).toBe('invalid-state')
      }
    }
    expect(await activeOnClosed()).toEqual([])
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('two closes of one session at once: exactly one applies, the other hears session-closed', async () => {
    const session = 'ses-tantetinte-babysitting-20261210'
    for (const i of [0, 1, 2]) expect((await device(i, families[i] ?? '').push('booking.request', request(i, session))).status).toBe('applied')
    const results = await Promise.all([0, 1, 2].map((i) => device(i, tantetinte).push('session.close', { sessionId: session, reason: `chiusa ${i}` })))
    expect(results.map((r) => r.status).sort()).toEqual(['applied', 'rejected', 'rejected'])
    expect(results.filter((r) => r.status === 'rejected').map((r) => r.code)).toEqual(['session-closed', 'session-closed'])
    const [releases] = await t.db.query<{ n: number }>(
      "SELECT count(*) AS n FROM voucher_ledger l JOIN bookings b ON b.id = l.booking_id WHERE b.session_id = $1 AND l.kind = 'release'", [session])
    expect(releases?.n).toBe(3) // released once each, not twice
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('two providers closing sessions that share the same children at once: both apply (no deadlock, no 5xx)', async () => {
    const sessions = ['ses-tantetinte-babysitting-20261211', 'ses-altana-babysitting-20261211']
    for (const [k, session] of sessions.entries()) {
      // Every family books both sessions for the same child: the two closes release the same vouchers.
      for (const i of [0, 1, 2, 3, 4, 5]) {
        expect((await device(i + k, families[i] ?? '').push('booking.request', request(i, session))).status).toBe('applied')
      }
    }
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all([
        device(0, tantetinte).push('session.close', { sessionId: sessions[0], reason: 'a' }),
        device(1, altana).push('session.close', { sessionId: sessions[1], reason: 'b' }),
      ])
      if (round === 0) expect(results.map((r) => r.status)).toEqual(['applied', 'applied'])
      else expect(results.map((r) => r.code)).toEqual(['session-closed', 'session-closed'])
    }
    const [held] = await t.db.query<{ n: number }>("SELECT coalesce(sum(held_cents), 0)::int8 AS n FROM vouchers WHERE child_id = ANY($1)",
      [[0, 1, 2, 3, 4, 5].map(childOf)])
    const [stillHeld] = await t.db.query<{ n: number }>(
      "SELECT coalesce(sum(voucher_cents), 0)::int8 AS n FROM bookings WHERE child_id = ANY($1) AND status IN ('requested', 'confirmed')",
      [[0, 1, 2, 3, 4, 5].map(childOf)])
    expect(held?.n).toBe(stillHeld?.n)
    expect(await activeOnClosed()).toEqual([])
    expect(await invariantViolations(t.db)).toEqual([])
  })
})

describe('a parent and the provider acting on one order at once', () => {
  /** Books one order per family on a fresh babysitting day, optionally confirmed. */
  async function orders(day: string, confirmed: boolean) {
    const out: { i: number; token: string; bookingId: string }[] = []
    for (const [i, token] of families.entries()) {
      const args = request(i, `ses-altana-babysitting-${day}`)
      expect((await device(i, token).push('booking.request', args)).status).toBe('applied')
      if (confirmed) expect((await device(i, altana).push('booking.confirm', { bookingId: args.bookingId })).status).toBe('applied')
      out.push({ i, token, bookingId: args.bookingId })
    }
    return out
  }

  it('cancel vs decline: exactly one applies, the other is told invalid-state', async () => {
    const outcomes = await Promise.all((await orders('20261212', false)).map(async ({ i, token, bookingId }) => {
      const [cancel, decline] = await Promise.all([
        device(i, token).push('booking.cancel', { bookingId }),
        device(i + 1, altana).push('booking.decline', { bookingId, reason: 'Nessuna operatrice' }),
      ])
      return { cancel, decline, row: await statusOf(bookingId) }
    }))
    for (const { cancel, decline, row } of outcomes) {
      expect([cancel.status, decline.status].sort()).toEqual(['applied', 'rejected'])
      const loser = cancel.status === 'rejected' ? cancel : decline
      expect(loser.code).toBe('invalid-state')
      expect(row?.status).toBe(cancel.status === 'applied' ? 'cancelled' : 'declined')
    }
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('cancel vs deliver of a confirmed order: exactly one applies; the voucher is released or spent, never both', async () => {
    const booked = await orders('20261214', true)
    t.clock.set('2026-12-14T10:00:00.000Z') // the session runs: a delivery may be recorded
    const outcomes = await Promise.all(booked.map(async ({ i, token, bookingId }) => {
      const [cancel, deliver] = await Promise.all([
        device(i, token).push('booking.cancel', { bookingId }),
        device(i + 1, altana).push('booking.deliver', { bookingId }),
      ])
      return { cancel, deliver, row: await statusOf(bookingId) }
    }))
    t.clock.set(TEST_NOW)
    for (const { cancel, deliver, row } of outcomes) {
      expect([cancel.status, deliver.status].sort()).toEqual(['applied', 'rejected'])
      expect((cancel.status === 'rejected' ? cancel : deliver).code).toBe('invalid-state')
      expect(row?.status).toBe(cancel.status === 'applied' ? 'cancelled' : 'delivered')
    }
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('cancel vs confirm: a confirm that loses is told invalid-state; the parent’s cancel always stands', async () => {
    const outcomes = await Promise.all((await orders('20261215', false)).map(async ({ i, token, bookingId }) => {
      const [cancel, confirm] = await Promise.all([
        device(i, token).push('booking.cancel', { bookingId }),
        device(i + 1, altana).push('booking.confirm', { bookingId }),
      ])
      return { cancel, confirm, row: await statusOf(bookingId) }
    }))
    for (const { cancel, confirm, row } of outcomes) {
      expect(cancel.status).toBe('applied') // confirmed orders can be cancelled too
      expect(row?.status).toBe('cancelled')
      if (confirm.status === 'rejected') expect(confirm.code).toBe('invalid-state')
      else expect(confirm.status).toBe('applied')
    }
    expect(await invariantViolations(t.db)).toEqual([])
  })
})
