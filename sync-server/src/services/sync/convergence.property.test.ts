/**
 * Convergence, bounded and always on: random commands from two families and two providers go
 * through the real push, and through the same shared mutators on an in-memory model (what a phone
 * replays optimistically). Server and model must agree on every outcome and on the final rows; every
 * client's incremental mirror (pulled at random moments) must equal a fresh full pull; the
 * database invariants must hold after every run.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { memoryStore } from '../../../../shared/mutators/memory-store.ts'
import { runMutation } from '../../../../shared/mutators/mutators.ts'
import type { Actor } from '../../../../shared/mutators/store.ts'
import { project, schemaFor } from '../../../../shared/entities/registry.ts'
import { ENTITY_SCHEMAS } from '../../../../shared/sync/protocol.ts'
import { invariantViolations } from '../../test/db-checks.ts'
import { modelFromServer } from '../../test/model.ts'
import { activateAll, SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'

const SESSIONS = ['ses-altana-babysitting-20261214', 'ses-altana-babysitting-20261215', 'ses-koala-babysitting-20261214', 'ses-altana-after-school-20261214']
const CHILDREN = [['chd-0001-1', 'chd-0001-2'], ['chd-0002-1', 'chd-0002-2']] as const

let t: TestServer
let clients: SyncClient[] // fam1, fam2, altana, koala
let officer: SyncClient
const actors: Actor[] = [
  { role: 'parent', programId: 'prg-conciliare', familyId: 'fam-0001', providerId: null },
  { role: 'parent', programId: 'prg-conciliare', familyId: 'fam-0002', providerId: null },
  { role: 'provider', programId: 'prg-conciliare', familyId: null, providerId: 'prv-altana' },
  { role: 'provider', programId: 'prg-conciliare', familyId: null, providerId: 'prv-koala' },
]
beforeAll(async () => {
  t = await createTestServer({ families: 2 })
  const all = await activateAll(t.app, ['FAM-0001', 'FAM-0002', 'PRV-ALTANA', 'PRV-KOALA', 'OFFICER-1'])
  officer = all[4]
  clients = all.slice(0, 4)
  // Roomy sessions so runs keep booking (vouchers run out instead); the first stays at 2 places.
  await t.db.query('UPDATE sessions SET places = 40, places_left = 40 WHERE id = ANY($1)', [SESSIONS.slice(1)])
})
afterAll(() => t.close())

type Cmd =
  | { kind: 'request'; fam: number; child: number; session: number; qty: number }
  | { kind: 'cancel'; fam: number; pick: number }
  | { kind: 'confirm' | 'decline' | 'deliver'; prv: number; pick: number }
  | { kind: 'pull'; who: number }

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('request' as const), fam: fc.nat(1), child: fc.nat(1), session: fc.nat(SESSIONS.length - 1), qty: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), fam: fc.nat(1), pick: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constantFrom('confirm' as const, 'decline' as const, 'deliver' as const), prv: fc.nat(1), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('pull' as const), who: fc.nat(3) }) },
)

it('server and shared model agree; incremental mirrors equal full pulls; invariants hold', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(cmd, { minLength: 5, maxLength: 30, size: 'medium' }), async (cmds) => {
      const model = await modelFromServer(t.app, [clients[0]?.token ?? '', clients[1]?.token ?? ''], officer.token)
      const store = memoryStore(model)
      const booked: string[] = []
      for (const c of cmds) {
        if (c.kind === 'pull') {
          await clients[c.who]?.pull()
          continue
        }
        const who = c.kind === 'request' || c.kind === 'cancel' ? c.fam : 2 + c.prv
        const bookingId = c.kind === 'request' ? uniqueId('cv') : booked[c.pick % Math.max(booked.length, 1)]
        if (!bookingId) continue
        const [name, args] =
          c.kind === 'request'
            ? ['booking.request', { bookingId, childId: CHILDREN[c.fam]?.[c.child], sessionId: SESSIONS[c.session], quantity: c.qty }]
            : c.kind === 'decline'
              ? ['booking.decline', { bookingId, reason: 'Operatore non disponibile' }]
              : [`booking.${c.kind}`, { bookingId }]
        const server = await clients[who]?.push(name, args)
        const local = await runMutation(store, name, args, { actor: actors[who] as Actor, now: TEST_NOW })
        expect({ cmd: c, status: server?.status, code: server?.code }).toEqual({
          cmd: c, status: local.ok ? 'applied' : 'rejected', code: local.ok ? undefined : local.code,
        })
        if (c.kind === 'request' && local.ok) booked.push(bookingId)
      }
      // Final rows: the server's (pulled by the officer and the families) equal the model's.
      await officer.pull()
      // The office receives bookings without their note (the registry's projection).
      for (const id of booked) {
        expect(schemaFor('booking', 'officer').parse(officer.get('booking', id))).toEqual(project('booking', model.bookings.get(id)!, 'officer'))
      }
      for (const s of SESSIONS) expect(ENTITY_SCHEMAS.session.parse(officer.get('session', s))).toEqual(model.sessions.get(s))
      for (const c of clients) {
        await c.pull()
        const fresh = new SyncClient(t.app, c.token)
        await fresh.pull()
        expect(c.mirror).toEqual(fresh.mirror)
      }
      for (const fam of clients.slice(0, 2)) {
        for (const v of fam.rows('voucher')) expect(ENTITY_SCHEMAS.voucher.parse(v)).toEqual(model.vouchers.get(ENTITY_SCHEMAS.voucher.parse(v).id))
      }
      expect(await invariantViolations(t.db)).toEqual([])
    }),
    { numRuns: 15 },
  )
})
