/**
 * Convergence, bounded and always on: random commands from two families and two providers go
 * through the real push, and through the same shared mutators on an in-memory model (what a phone
 * replays optimistically). Server and model must agree on every outcome and on the final rows; every
 * client's incremental mirror (pulled at random moments) must equal a fresh full pull; the
 * database invariants must hold after every run. Every run starts from the same database (a snapshot
 * taken after the setup) with new phones: a failing case, and each of its shrunk replays, fails on
 * its own rows, never on what an earlier run left.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { memoryStore } from '../../../../shared/mutators/memory-store.ts'
import { MUTATION_NAMES, runMutation, type MutationName } from '../../../../shared/mutators/mutators.ts'
import type { Actor } from '../../../../shared/mutators/store.ts'
import { project, schemaFor } from '../../../../shared/entities/registry.ts'
import type { EmergencyRequest } from '../../../../shared/emergency/emergency.schema.ts'
import { ENTITY_SCHEMAS } from '../../../../shared/sync/protocol.ts'
import { invariantViolations } from '../../test/db-checks.ts'
import { modelFromServer } from '../../test/model.ts'
import { activateAll, SyncClient, uniqueId } from '../../test/sync-client.ts'
import type { DbSnapshot } from '../../test/db-snapshot.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'

const SESSIONS = ['ses-altana-babysitting-20261214', 'ses-altana-babysitting-20261215', 'ses-koala-babysitting-20261214', 'ses-altana-after-school-20261214']
const CHILDREN = [['chd-0001-1', 'chd-0001-2'], ['chd-0002-1', 'chd-0002-2']] as const

let t: TestServer
let snapshot: DbSnapshot
let tokens: string[] // fam1, fam2, altana, koala, officer
let clients: SyncClient[] // fam1, fam2, altana, koala: new phones in each run
let officer: SyncClient
const actors: Actor[] = [
  { role: 'parent', programId: 'prg-conciliare', familyId: 'fam-0001', providerId: null },
  { role: 'parent', programId: 'prg-conciliare', familyId: 'fam-0002', providerId: null },
  { role: 'provider', programId: 'prg-conciliare', familyId: null, providerId: 'prv-altana', personId: 'cod-prv-altana' },
  { role: 'provider', programId: 'prg-conciliare', familyId: null, providerId: 'prv-koala', personId: 'cod-prv-koala' },
]
beforeAll(async () => {
  t = await createTestServer({ families: 2 })
  tokens = (await activateAll(t.app, ['FAM-0001', 'FAM-0002', 'PRV-ALTANA', 'PRV-KOALA', 'OFFICER-1'])).map((c) => c.token)
  // Roomy sessions so runs keep booking (vouchers run out instead); the first stays at 2 places.
  await t.db.query('UPDATE sessions SET places = 40, places_left = 40 WHERE id = ANY($1)', [SESSIONS.slice(1)])
  // A child with a voucher keeps its birth date (the office changes it): renames send the stored one.
  for (const r of await t.db.query<{ id: string; b: string }>('SELECT id, birth_date AS b FROM children WHERE id = ANY($1)', [CHILDREN.flat()])) BIRTH.set(r.id, r.b)
  snapshot = await t.snapshot()
})
/** The world of the snapshot again, seen by new phones that have not pulled yet. */
async function freshRun(): Promise<void> {
  await snapshot.restore()
  clients = tokens.slice(0, 4).map((token) => new SyncClient(t.app, token))
  officer = new SyncClient(t.app, tokens[4] ?? '')
  waits.length = 0
  emergencies.length = 0
}
const BIRTH = new Map<string, string>()
afterAll(() => t.close())

type Cmd =
  | { kind: 'request'; fam: number; child: number; session: number; qty: number }
  | { kind: 'cancel'; fam: number; pick: number }
  | { kind: 'change'; fam: number; pick: number; qty: number }
  | { kind: 'confirm' | 'decline' | 'deliver'; prv: number; pick: number }
  | { kind: 'rename'; fam: number; child: number; name: number }
  | { kind: 'birth-request'; fam: number; child: number; name: number }
  | { kind: 'message'; who: number; pick: number }
  | { kind: 'close'; prv: number; session: number }
  | { kind: 'create'; prv: number; places: number }
  | { kind: 'update'; prv: number; session: number; places: number }
  | { kind: 'staff'; prv: number; op: number; name: number }
  | { kind: 'emergency'; fam: number; child: number; hours: number; running: boolean }
  | { kind: 'emergency-deliver'; prv: number; pick: number; hours: number }
  | { kind: 'accept'; prv: number; pick: number }
  | { kind: 'emergency-cancel'; fam: number; pick: number }
  | { kind: 'plan'; fam: number; child: number; qty: number }
  | { kind: 'join'; fam: number; child: number; session: number; qty: number }
  | { kind: 'leave'; fam: number; pick: number }
  | { kind: 'propose'; prv: number; pick: number; session: number }
  | { kind: 'accept-proposal' | 'decline-proposal'; fam: number; pick: number }
  | { kind: 'pull'; who: number }

const NAMES = ['Anna', 'Anna Maria', 'Luca']

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 20, arbitrary: fc.record({ kind: fc.constant('request' as const), fam: fc.nat(1), child: fc.nat(1), session: fc.nat(SESSIONS.length - 1), qty: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('cancel' as const), fam: fc.nat(1), pick: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('change' as const), fam: fc.nat(1), pick: fc.nat(), qty: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 20, arbitrary: fc.record({ kind: fc.constantFrom('confirm' as const, 'decline' as const, 'deliver' as const), prv: fc.nat(1), pick: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('rename' as const), fam: fc.nat(1), child: fc.nat(1), name: fc.nat(NAMES.length - 1) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('message' as const), who: fc.nat(3), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('birth-request' as const), fam: fc.nat(1), child: fc.nat(1), name: fc.nat(2) }) },
  // Rare: a closed session stays closed for the rest of the run.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('close' as const), prv: fc.nat(1), session: fc.nat(SESSIONS.length - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('create' as const), prv: fc.nat(1), places: fc.integer({ min: 1, max: 5 }) }) },
  // Places around those taken (0 is refused once anything is booked), on any provider's session.
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('update' as const), prv: fc.nat(1), session: fc.nat(SESSIONS.length - 1), places: fc.integer({ min: 0, max: 45 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('staff' as const), prv: fc.nat(1), op: fc.nat(1), name: fc.nat(NAMES.length - 1) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('pull' as const), who: fc.nat(3) }) },
  // `running`: started half an hour ago (it is 07:00), so it may be delivered now; else tomorrow's early shift.
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('emergency' as const), fam: fc.nat(1), child: fc.nat(1), hours: fc.integer({ min: 1, max: 9 }), running: fc.boolean() }) },
  // Hours delivered; 0 is a no-show.
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('emergency-deliver' as const), prv: fc.nat(1), pick: fc.nat(), hours: fc.integer({ min: 0, max: 10 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('accept' as const), prv: fc.nat(1), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('emergency-cancel' as const), fam: fc.nat(1), pick: fc.nat() }) },
  // A recurring plan item (Mondays and Tuesdays: the first two sessions), the waiting list of full sessions.
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('plan' as const), fam: fc.nat(1), child: fc.nat(1), qty: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('join' as const), fam: fc.nat(1), child: fc.nat(1), session: fc.nat(SESSIONS.length - 1), qty: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('leave' as const), fam: fc.nat(1), pick: fc.nat() }) },
  // Propose another time (any provider on any booking: another provider's is refused alike), and the answers.
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('propose' as const), prv: fc.nat(1), pick: fc.nat(), session: fc.nat(SESSIONS.length - 1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('accept-proposal' as const, 'decline-proposal' as const), fam: fc.nat(1), pick: fc.nat() }) },
)
/** Waiting-list entries made so far in this run (either family's). */
const waits: string[] = []
/** Emergency requests made so far in this run (any family's: a cancel of another family's is refused alike). */
const emergencies: string[] = []

/** The mutation a command stands for, and who sends it (0, 1 the families; 2, 3 the providers). */
function mutationOf(c: Exclude<Cmd, { kind: 'pull' }>, booked: readonly string[]): { who: number; name: MutationName; args: Record<string, unknown> } | null {
  const picked = 'pick' in c ? booked[c.pick % Math.max(booked.length, 1)] : undefined
  const emergency = 'pick' in c ? emergencies[c.pick % Math.max(emergencies.length, 1)] : undefined
  switch (c.kind) {
    case 'emergency': {
      const startsAt = c.running ? '2026-11-22T06:30:00.000Z' : '2026-11-23T04:30:00.000Z'
      return {
        who: c.fam, name: 'emergency.request', args: {
          requestId: uniqueId('ce'), childId: CHILDREN[c.fam]?.[c.child], startsAt,
          endsAt: new Date(Date.parse(startsAt) + c.hours * 3_600_000).toISOString(), territoryId: 'ter-crema', address: 'Via Roma 1',
        },
      }
    }
    case 'emergency-deliver':
      return emergency
        ? { who: 2 + c.prv, name: 'emergency.deliver', args: c.hours === 0 ? { requestId: emergency, noShow: true } : { requestId: emergency, deliveredHours: c.hours } }
        : null
    case 'accept':
      return emergency ? { who: 2 + c.prv, name: 'emergency.accept', args: { requestId: emergency } } : null
    case 'emergency-cancel':
      return emergency ? { who: c.fam, name: 'emergency.cancel', args: { requestId: emergency } } : null
    case 'plan':
      return {
        who: c.fam, name: 'booking.request',
        args: { bookingId: uniqueId('cp'), childId: CHILDREN[c.fam]?.[c.child], sessionId: SESSIONS[0], quantity: c.qty, recurrence: { weekdays: [1, 2], until: '2026-12-16' } },
      }
    case 'join':
      return { who: c.fam, name: 'waitlist.join', args: { entryId: uniqueId('cw'), childId: CHILDREN[c.fam]?.[c.child], sessionId: SESSIONS[c.session], quantity: c.qty } }
    case 'leave': {
      const entry = waits[c.pick % Math.max(waits.length, 1)]
      return entry ? { who: c.fam, name: 'waitlist.leave', args: { entryId: entry } } : null
    }
    case 'propose':
      return picked ? { who: 2 + c.prv, name: 'booking.propose', args: { bookingId: picked, sessionId: SESSIONS[c.session], note: 'Giovedì?' } } : null
    case 'accept-proposal':
      return picked ? { who: c.fam, name: 'booking.acceptProposal', args: { bookingId: picked } } : null
    case 'decline-proposal':
      return picked ? { who: c.fam, name: 'booking.declineProposal', args: { bookingId: picked } } : null
    case 'request':
      return { who: c.fam, name: 'booking.request', args: { bookingId: uniqueId('cv'), childId: CHILDREN[c.fam]?.[c.child], sessionId: SESSIONS[c.session], quantity: c.qty } }
    case 'rename':
      return { who: c.fam, name: 'child.upsert', args: { childId: CHILDREN[c.fam]?.[c.child], firstName: NAMES[c.name], birthDate: BIRTH.get(CHILDREN[c.fam]?.[c.child] ?? '') ?? '2019-05-01' } }
    case 'birth-request':
      return { who: c.fam, name: 'child.requestBirthDate', args: { requestId: uniqueId('bd'), childId: CHILDREN[c.fam]?.[c.child], birthDate: `2015-0${c.name + 1}-01` } }
    case 'close':
      return { who: 2 + c.prv, name: 'session.close', args: { sessionId: SESSIONS[c.session], reason: 'Operatrice malata' } }
    case 'create':
      return { who: 2 + c.prv, name: 'session.create', args: {
        sessionId: uniqueId('cs'), serviceId: 'svc-babysitting', startsAt: '2026-12-22T08:00:00.000Z', endsAt: '2026-12-22T12:00:00.000Z', places: c.places, unitPriceCents: 1500, unitsMax: 8,
      } }
    case 'update':
      return { who: 2 + c.prv, name: 'session.update', args: { sessionId: SESSIONS[c.session], places: c.places, unitPriceCents: 1500 + c.places } }
    case 'staff':
      return { who: 2 + c.prv, name: 'operator.upsert', args: {
        operatorId: ['opr-altana-3', 'opr-koala-2'][c.op], name: NAMES[c.name], track: 'baby-care', qualifications: '', takesMildlyIll: true, onCall: false, onCallWindows: '',
      } }
    case 'message':
      return picked ? { who: c.who, name: 'message.send', args: { messageId: uniqueId('cm'), bookingId: picked, body: 'Citofono Rossi' } } : null
    case 'cancel':
      return picked ? { who: c.fam, name: 'booking.cancel', args: { bookingId: picked } } : null
    case 'change':
      return picked ? { who: c.fam, name: 'booking.changeQuantity', args: { bookingId: picked, quantity: c.qty } } : null
    case 'decline':
      return picked ? { who: 2 + c.prv, name: 'booking.decline', args: { bookingId: picked, reason: 'Operatore non disponibile' } } : null
    default:
      return picked ? { who: 2 + c.prv, name: `booking.${c.kind}`, args: { bookingId: picked } } : null
  }
}

it('covers every registered mutation', () => {
  const kinds: Record<Exclude<Cmd['kind'], 'pull'>, true> = {
    request: true, cancel: true, change: true, confirm: true, decline: true, deliver: true, rename: true, 'birth-request': true, message: true, close: true, emergency: true, accept: true, 'emergency-cancel': true, 'emergency-deliver': true,
    create: true, update: true, staff: true, plan: true, join: true, leave: true, propose: true, 'accept-proposal': true, 'decline-proposal': true,
  }
  waits.push('w')
  emergencies.push('e')
  const names = Object.keys(kinds).map((k) => mutationOf({ kind: k, fam: 0, child: 0, session: 0, qty: 1, prv: 0, pick: 0, who: 0, name: 0, hours: 1, places: 1, op: 0, running: false } as never, ['b'])?.name)
  emergencies.pop()
  waits.pop()
  expect([...new Set(names)].sort()).toEqual([...MUTATION_NAMES].sort())
})

it('server and shared model agree; incremental mirrors equal full pulls; invariants hold', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(cmd, { minLength: 5, maxLength: 30, size: 'medium' }), async (cmds) => {
      await freshRun()
      const model = await modelFromServer(t.app, [clients[0]?.token ?? '', clients[1]?.token ?? ''], officer.token, [clients[2]?.token ?? '', clients[3]?.token ?? ''])
      const store = memoryStore(model)
      const booked: string[] = []
      for (const c of cmds) {
        if (c.kind === 'pull') {
          await clients[c.who]?.pull()
          continue
        }
        const m = mutationOf(c, booked)
        if (!m) continue
        const { who, name, args } = m
        const server = await clients[who]?.push(name, args)
        const local = await runMutation(store, name, args, { actor: actors[who] as Actor, now: TEST_NOW })
        expect({ cmd: c, status: server?.status, code: server?.code }).toEqual({
          cmd: c, status: local.ok ? 'applied' : 'rejected', code: local.ok ? undefined : local.code,
        })
        if (c.kind === 'request' && local.ok) booked.push(args.bookingId as string)
        if (c.kind === 'plan' && local.ok) booked.push(...[...model.bookings.values()].filter((b) => b.planId === args.bookingId).map((b) => b.id))
        if (c.kind === 'join' && local.ok) waits.push(args.entryId as string)
        // A promoted entry is a booking too (its id): the providers may act on it.
        for (const w of waits) if (model.waitlistEntries.get(w)?.status === 'promoted' && !booked.includes(w)) booked.push(w)
        if (c.kind === 'emergency' && local.ok) emergencies.push(args.requestId as string)
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
        for (const ch of fam.rows('child')) expect(ENTITY_SCHEMAS.child.parse(ch)).toEqual(model.children.get(ENTITY_SCHEMAS.child.parse(ch).id))
        for (const w of fam.rows('waitlistEntry')) expect(ENTITY_SCHEMAS.waitlistEntry.parse(w)).toEqual(model.waitlistEntries.get(ENTITY_SCHEMAS.waitlistEntry.parse(w).id))
        // A family's messages come without who of the provider's staff wrote them (the registry's projection).
        for (const m of fam.rows('message')) {
          const id = (m as { id: string }).id
          expect(schemaFor('message', 'parent').parse(m)).toEqual(project('message', model.messages.get(id)!, 'parent'))
        }
        for (const r of fam.rows('emergencyRequest')) {
          // seenCount moves when a provider pulls (emergency/seen.ts), which the model does not play;
          // the family receives the request without who of the cooperative delivered it (the projection).
          const { seenCount: _seen, ...row } = schemaFor('emergencyRequest', 'parent').parse(r) as Partial<EmergencyRequest>
          const model_ = model.emergencyRequests.get(row.id ?? '')
          const { seenCount: _modelSeen, ...modelled } = model_ ? project('emergencyRequest', model_, 'parent') : { seenCount: 0 }
          expect(row).toEqual(modelled)
        }
      }
      expect(await invariantViolations(t.db)).toEqual([])
      expect(t.logs.filter((l) => l.startsWith('push batch of')), 'a batch fell back to one by one').toEqual([])
    }),
    { numRuns: 15 },
  )
})
