/**
 * The authorization matrix (issue 3): for every mutation and every pulled entity, what each role
 * gets. The tables below ARE the specification; every cell is asserted, and a mutation or entity
 * added without a row here fails the completeness checks.
 *
 * Roles, seen from one booking of family 1 on a session of ALTANA:
 *   parent        a parent of family 1          otherParent    a parent of family 2
 *   provider      ALTANA (runs the session)     otherProvider  KOALA
 *   officer       the program's office
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { MUTATION_NAMES, type MutationName } from '../../../../shared/mutators/mutators.ts'
import { def, fieldsOf } from '../../../../shared/entities/registry.ts'
import { ENTITY_NAMES, type EntityName } from '../../../../shared/sync/protocol.ts'
import { invariantViolations, rowCounts } from '../../test/db-checks.ts'
import { activateAll, SyncClient, uniqueId } from '../../test/sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'

const ROLES = ['parent', 'otherParent', 'provider', 'otherProvider', 'officer', 'operator'] as const
type Role = (typeof ROLES)[number]
const APP_ROLE = { parent: 'parent', otherParent: 'parent', provider: 'provider', otherProvider: 'provider', officer: 'officer', operator: 'operator' } as const
/** The operator (ALTANA's first) activates with the code its coordinator issues in beforeAll. */
const OPERATOR = 'opr-altana-1'
const CODES: Record<Exclude<Role, 'operator'>, string> = { parent: 'FAM-0001', otherParent: 'FAM-0002', provider: 'PRV-ALTANA', otherProvider: 'PRV-KOALA', officer: 'OFFICER-1' }

type Outcome = 'applied' | 'forbidden' | 'already-taken'
const A: Outcome = 'applied'
const F: Outcome = 'forbidden'
/** The emergency race: a cooperative that may take the request, after another took it. */
const T: Outcome = 'already-taken'

/** Mutation × role → outcome. */
const MUTATIONS: Record<MutationName, Record<Role, Outcome>> = {
  //                 parent  otherParent provider otherProvider officer operator
  // (an operator delivers only what is assigned to them: operator.test.ts; these bookings are not)
  'booking.request': { parent: A, otherParent: F, provider: F, otherProvider: F, officer: F, operator: F },
  'booking.cancel': { parent: A, otherParent: F, provider: F, otherProvider: F, officer: F, operator: F },
  'booking.confirm': { parent: F, otherParent: F, provider: A, otherProvider: F, officer: F, operator: F },
  'booking.decline': { parent: F, otherParent: F, provider: A, otherProvider: F, officer: F, operator: F },
  'booking.deliver': { parent: F, otherParent: F, provider: A, otherProvider: F, officer: F, operator: F },
  'child.upsert': { parent: A, otherParent: F, provider: F, otherProvider: F, officer: F, operator: F },
  'child.requestBirthDate': { parent: A, otherParent: F, provider: F, otherProvider: F, officer: F, operator: F },
  'session.close': { parent: F, otherParent: F, provider: A, otherProvider: F, officer: F, operator: F },
  // Creating: any provider may add its own session (the other provider's try is its own, also applied:
  // each role pushes fresh args); editing: only the session's provider.
  'session.create': { parent: F, otherParent: F, provider: A, otherProvider: A, officer: F, operator: F },
  'session.update': { parent: F, otherParent: F, provider: A, otherProvider: F, officer: F, operator: F },
  // Its own staff: ALTANA edits its operator; KOALA's try on ALTANA's operator is forbidden.
  'operator.upsert': { parent: F, otherParent: F, provider: A, otherProvider: F, officer: F, operator: F },
  'message.send': { parent: A, otherParent: F, provider: A, otherProvider: F, officer: F, operator: F },
  // ALTANA and KOALA are both in Crema with someone on call: KOALA, asking after ALTANA, hears already-taken.
  'booking.changeQuantity': { parent: A, otherParent: F, provider: F, otherProvider: F, officer: F, operator: F },
  'emergency.request': { parent: A, otherParent: F, provider: F, otherProvider: F, officer: F, operator: F },
  // The coordinator on one request, ALTANA's operator on call for themselves on another (issue 9).
  'emergency.accept': { parent: F, otherParent: F, provider: A, otherProvider: T, officer: F, operator: A },
  'emergency.cancel': { parent: A, otherParent: F, provider: F, otherProvider: F, officer: F, operator: F },
  // The winner's coordinator, and the operator assigned to it (each on a request of their own: a delivery happens once).
  'emergency.deliver': { parent: F, otherParent: F, provider: A, otherProvider: F, officer: F, operator: A },
  // A family's own children only; a provider never joins (nor sees) the waiting list.
  'waitlist.join': { parent: A, otherParent: F, provider: F, otherProvider: F, officer: F, operator: F },
  'waitlist.leave': { parent: A, otherParent: F, provider: F, otherProvider: F, officer: F, operator: F },
  // Propose another time: the order's provider proposes; the order's family answers.
  'booking.propose': { parent: F, otherParent: F, provider: A, otherProvider: F, officer: F, operator: F },
  'booking.acceptProposal': { parent: A, otherParent: F, provider: F, otherProvider: F, officer: F, operator: F },
  'booking.declineProposal': { parent: A, otherParent: F, provider: F, otherProvider: F, officer: F, operator: F },
}

/**
 * Pulled entity × role → which rows: `program` all of the program's; `family` the role's own family's;
 * `orders` bookings on the role's provider's sessions; `none` nothing.
 */
type Scope = 'program' | 'family' | 'orders' | 'staff' | 'assigned' | 'emergency' | 'none'
const CATALOGUE: Record<Role, Scope> = { parent: 'program', otherParent: 'program', provider: 'program', otherProvider: 'program', officer: 'program', operator: 'program' }
const FAMILY_ONLY: Record<Role, Scope> = { parent: 'family', otherParent: 'family', provider: 'none', otherProvider: 'none', officer: 'none', operator: 'none' }
const ENTITIES: Record<EntityName, Record<Role, Scope>> = {
  program: CATALOGUE,
  territory: CATALOGUE,
  provider: CATALOGUE,
  // The staff list: its own provider and the office; never a family (nor another provider); an operator their own row only.
  operator: { parent: 'none', otherParent: 'none', provider: 'staff', otherProvider: 'staff', officer: 'program', operator: 'assigned' },
  service: CATALOGUE,
  // The network's accredited services and price ceilings (issue 11): public within the program.
  accreditation: CATALOGUE,
  session: CATALOGUE,
  family: FAMILY_ONLY,
  child: FAMILY_ONLY,
  childChange: FAMILY_ONLY,
  birthDateRequest: FAMILY_ONLY,
  voucher: FAMILY_ONLY,
  booking: { parent: 'family', otherParent: 'family', provider: 'orders', otherProvider: 'orders', officer: 'program', operator: 'assigned' },
  // The operator assigned to a booking reads its thread (issue 9), from before the assignment too.
  message: { parent: 'family', otherParent: 'family', provider: 'orders', otherProvider: 'orders', officer: 'none', operator: 'assigned' },
  // Who waits for a place is the family's business: the provider learns of it as a request once promoted.
  waitlistEntry: FAMILY_ONLY,
  planDate: FAMILY_ONLY,
  // `emergency`: open ones it may take (its territory, or its family's head start), and those it won;
  // an operator (`assigned`): those they go to or are the family's usual operator for, and, on call, the territory's open ones.
  emergencyRequest: { parent: 'family', otherParent: 'family', provider: 'emergency', otherProvider: 'emergency', officer: 'program', operator: 'assigned' },
}

let t: TestServer
let clients: Record<Role, SyncClient>
beforeAll(async () => {
  t = await createTestServer({ families: 2 })
  const named = ROLES.filter((r): r is Exclude<Role, 'operator'> => r !== 'operator')
  const all = await activateAll(t.app, named.map((r) => CODES[r]))
  clients = Object.fromEntries(named.map((r, i) => [r, all[i]])) as Record<Role, SyncClient>
  const issued = await t.app.request(`/api/provider/operators/${OPERATOR}/code`, { method: 'POST', headers: { authorization: `Bearer ${clients.provider.token}` } })
  expect(issued.status).toBe(201)
  clients.operator = await SyncClient.activate(t.app, ((await issued.json()) as { code: string }).code)
})
afterAll(() => t.close())
afterEach(() => t.clock.set(TEST_NOW))

const PROGRAM = 'prg-conciliare'
const FAMILY: Partial<Record<Role, string>> = { parent: 'fam-0001', otherParent: 'fam-0002' }
const PROVIDER: Partial<Record<Role, string>> = { provider: 'prv-altana', otherProvider: 'prv-koala' }
let day = 0
const DAYS = ['20261123', '20261124', '20261125', '20261126', '20261127', '20261128', '20261130', '20261201', '20261202', '20261203']
/**
 * A fresh ALTANA babysitting session and a child of family 1 that holds no live booking of it (one per
 * setup, so closes and places never interfere, and no child books the same session twice).
 */
const nextSlot = () => {
  const n = day++
  return { sessionId: `ses-altana-babysitting-${DAYS[n % DAYS.length]}`, childId: `chd-0001-${1 + (Math.floor(n / DAYS.length) % 2)}` }
}

async function requested(): Promise<{ bookingId: string; sessionId: string }> {
  const { sessionId, childId } = nextSlot()
  const bookingId = uniqueId('az')
  const r = await clients.parent.push('booking.request', { bookingId, childId, sessionId, quantity: 1 })
  expect(r.status).toBe('applied')
  return { bookingId, sessionId }
}
async function confirmed() {
  const b = await requested()
  expect((await clients.provider.push('booking.confirm', { bookingId: b.bookingId })).status).toBe('applied')
  return b
}

/** A one-hour emergency request of family 1's second child in Crema, tomorrow at 05:30. */
async function emergencyRequested(): Promise<string> {
  const requestId = uniqueId('em')
  const r = await clients.parent.push('emergency.request', { ...emergencyArgs(), requestId })
  expect(r.status).toBe('applied')
  return requestId
}
const emergencyArgs = () => ({
  requestId: uniqueId('em'), childId: 'chd-0001-2', startsAt: '2026-11-23T04:30:00.000Z', endsAt: '2026-11-23T05:30:00.000Z',
  territoryId: 'ter-crema', address: 'Via Mazzini 3, Crema', note: 'Febbre, tachipirina alle 6',
})
const emergencyCase = (requestId: string, status: string) => ({
  args: { requestId },
  effect: async () => (await t.db.query('SELECT status FROM emergency_requests WHERE id = $1', [requestId]))[0],
  expected: { status },
})

/** Per mutation: the state it acts on, its args, and how to see that it took effect. */
type Args = Record<string, unknown>
/** `args` may depend on the role (a fresh message id for each author). */
const CASES: Record<MutationName, () => Promise<{ args: Args | ((role: Role) => Args); effect: () => Promise<unknown>; expected: unknown }>> = {
  'booking.request': async () => {
    const bookingId = uniqueId('az')
    return {
      args: { bookingId, ...nextSlot(), quantity: 1 },
      effect: async () => (await t.db.query('SELECT status FROM bookings WHERE id = $1', [bookingId]))[0],
      expected: { status: 'requested' },
    }
  },
  'booking.cancel': async () => bookingCase(await requested(), {}, 'cancelled'),
  'booking.changeQuantity': async () => {
    const { bookingId } = await requested()
    return {
      args: { bookingId, quantity: 2 },
      effect: async () => (await t.db.query('SELECT status, quantity FROM bookings WHERE id = $1', [bookingId]))[0],
      expected: { status: 'requested', quantity: 2 },
    }
  },
  'booking.confirm': async () => bookingCase(await requested(), {}, 'confirmed'),
  'booking.decline': async () => bookingCase(await requested(), { reason: 'Nessuna operatrice libera' }, 'declined'),
  'booking.deliver': async () => {
    const b = await confirmed()
    // The session runs (a delivery before it starts is refused); the clock goes back after each case.
    t.clock.set(`${b.sessionId.slice(-8, -4)}-${b.sessionId.slice(-4, -2)}-${b.sessionId.slice(-2)}T10:00:00.000Z`)
    return bookingCase(b, {}, 'delivered')
  },
  'child.upsert': async () => {
    // The child has a voucher: its birth date stays (only the office changes it); name and note change.
    const [c] = await t.db.query<{ birthDate: string }>(`SELECT to_char(birth_date, 'YYYY-MM-DD') AS "birthDate" FROM children WHERE id = $1`, ['chd-0001-2'])
    const note = `Allergia ${uniqueId('n').slice(-4)}`
    return {
      args: () => ({ childId: 'chd-0001-2', firstName: `Nome ${uniqueId('n').slice(-4)}`, birthDate: c!.birthDate, note, changeId: uniqueId('ch') }),
      effect: async () => (await t.db.query('SELECT family_id AS "familyId", note FROM children WHERE id = $1', ['chd-0001-2']))[0],
      expected: { familyId: 'fam-0001', note },
    }
  },
  'child.requestBirthDate': async () => {
    let requestId = ''
    return {
      args: () => ({ requestId: (requestId = uniqueId('bd')), childId: 'chd-0001-1', birthDate: '2015-01-01' }),
      effect: async () => (await t.db.query('SELECT family_id AS "familyId", status FROM birth_date_requests WHERE id = $1', [requestId]))[0],
      expected: { familyId: 'fam-0001', status: 'pending' },
    }
  },
  'session.close': async () => {
    const { sessionId, bookingId } = await requested()
    return {
      args: { sessionId, reason: 'Chiusura straordinaria' },
      effect: async () => [
        (await t.db.query('SELECT status FROM sessions WHERE id = $1', [sessionId]))[0],
        (await t.db.query('SELECT status FROM bookings WHERE id = $1', [bookingId]))[0],
      ],
      expected: [{ status: 'closed' }, { status: 'declined' }],
    }
  },
  'session.create': async () => {
    const ids: string[] = []
    return {
      args: () => {
        ids.push(uniqueId('ses'))
        return { sessionId: ids.at(-1), serviceId: 'svc-babysitting', startsAt: '2026-12-21T08:00:00.000Z', endsAt: '2026-12-21T12:00:00.000Z', places: 2, unitPriceCents: 1500, unitsMax: 4 }
      },
      effect: async () => (await t.db.query('SELECT count(*)::int AS n FROM sessions WHERE id = $1', [ids.at(-1)]))[0],
      expected: { n: 1 },
    }
  },
  'session.update': async () => {
    const { sessionId } = await requested()
    return {
      args: { sessionId, places: 5, unitPriceCents: 1600 },
      effect: async () => (await t.db.query('SELECT places, places_left AS "placesLeft", unit_price_cents AS price FROM sessions WHERE id = $1', [sessionId]))[0],
      expected: { places: 5, placesLeft: 4, price: 1600 },
    }
  },
  'operator.upsert': async () => ({
    args: { operatorId: 'opr-altana-2', name: 'Paolo Guerini', track: 'child-care', qualifications: 'Educatore', takesMildlyIll: true, onCall: false, onCallWindows: '6 08:00-12:00' },
    effect: async () => (await t.db.query('SELECT track, takes_mildly_ill AS "mildlyIll", on_call_windows AS windows FROM operators WHERE id = $1', ['opr-altana-2']))[0],
    expected: { track: 'child-care', mildlyIll: true, windows: '6 08:00-12:00' },
  }),
  'message.send': async () => {
    const { bookingId } = await requested()
    let messageId = ''
    return {
      args: () => ({ messageId: (messageId = uniqueId('msg')), bookingId, body: 'Suono al citofono "Rossi"' }),
      effect: async () => (await t.db.query('SELECT booking_id AS "bookingId" FROM messages WHERE id = $1', [messageId]))[0],
      expected: { bookingId },
    }
  },
  'emergency.request': async () => {
    const args = emergencyArgs()
    return { ...emergencyCase(args.requestId, 'open'), args }
  },
  'emergency.accept': async () => {
    const [forOperator, forOthers] = [await emergencyRequested(), await emergencyRequested()]
    let requestId = ''
    return {
      args: (role: Role) => ({ requestId: (requestId = role === 'operator' ? forOperator : forOthers) }),
      effect: async () => (await t.db.query('SELECT status, operator_id AS "operatorId" FROM emergency_requests WHERE id = $1', [requestId]))[0],
      expected: { status: 'accepted', operatorId: OPERATOR },
    }
  },
  'emergency.cancel': async () => emergencyCase(await emergencyRequested(), 'cancelled'),
  'emergency.deliver': async () => {
    // Two requests running since 04:30 on Monday (it is 05:00 there: the clock goes back after each case; 05:30–08:00
    // in Rome, within the on-call windows), each accepted by ALTANA with its operator: the operator delivers one, the coordinator the other.
    t.clock.set('2026-11-23T05:00:00.000Z')
    const ids: string[] = []
    for (const childId of ['chd-0001-1', 'chd-0001-2']) {
      const requestId = uniqueId('em')
      const started = { ...emergencyArgs(), requestId, childId, startsAt: '2026-11-23T04:30:00.000Z', endsAt: '2026-11-23T07:00:00.000Z' }
      expect((await clients.parent.push('emergency.request', started)).status).toBe('applied')
      expect((await clients.provider.push('emergency.accept', { requestId })).status).toBe('applied')
      ids.push(requestId)
    }
    let requestId = ''
    return {
      args: (role: Role) => ({ requestId: (requestId = role === 'operator' ? ids[0]! : ids[1]!), deliveredHours: 2 }),
      effect: async () => (await t.db.query('SELECT status, delivered_hours AS hours, operator_id AS "operatorId" FROM emergency_requests WHERE id = $1', [requestId]))[0],
      expected: { status: 'delivered', hours: 2, operatorId: OPERATOR },
    }
  },
  'waitlist.join': async () => {
    const entryId = uniqueId('wl')
    return {
      args: { entryId, childId: 'chd-0001-1', sessionId: await fullSession(), quantity: 1 },
      effect: async () => (await t.db.query('SELECT status, family_id AS "familyId" FROM waitlist_entries WHERE id = $1', [entryId]))[0],
      expected: { status: 'waiting', familyId: 'fam-0001' },
    }
  },
  'waitlist.leave': async () => {
    const entryId = uniqueId('wl')
    const joined = await clients.parent.push('waitlist.join', { entryId, childId: 'chd-0001-2', sessionId: await fullSession(), quantity: 1 })
    expect(joined.status).toBe('applied')
    return {
      args: { entryId },
      effect: async () => (await t.db.query('SELECT status FROM waitlist_entries WHERE id = $1', [entryId]))[0],
      expected: { status: 'left' },
    }
  },
  'booking.propose': async () => {
    const { bookingId } = await requested()
    const sessionId = nextProposal()
    return {
      args: { bookingId, sessionId, note: 'Possiamo il giorno dopo' },
      effect: async () => (await t.db.query('SELECT proposal_status AS "s", proposed_session_id AS "to" FROM bookings WHERE id = $1', [bookingId]))[0],
      expected: { s: 'proposed', to: sessionId },
    }
  },
  'booking.acceptProposal': async () => proposalCase(true),
  'booking.declineProposal': async () => proposalCase(false),
}
const PROPOSAL_DAYS = ['20261207', '20261208', '20261209', '20261210', '20261211', '20261214', '20261215', '20261216', '20261217', '20261218']
let proposalDay = 0
const nextProposal = () => `ses-altana-babysitting-${PROPOSAL_DAYS[proposalDay++ % PROPOSAL_DAYS.length]}`
/** A requested order with ALTANA's proposal of another day open; accepting moves and confirms it. */
async function proposalCase(accept: boolean) {
  const { bookingId, sessionId } = await requested()
  const to = nextProposal()
  expect((await clients.provider.push('booking.propose', { bookingId, sessionId: to })).status).toBe('applied')
  return {
    args: { bookingId },
    effect: async () => (await t.db.query('SELECT status, session_id AS "sessionId", proposal_status AS "p" FROM bookings WHERE id = $1', [bookingId]))[0],
    expected: accept ? { status: 'confirmed', sessionId: to, p: 'accepted' } : { status: 'requested', sessionId, p: 'declined' },
  }
}
/** A TANTETINTE babysitting session with no places at all (the provider set them to 0): a waiting list is all it offers. */
let fullDay = 0
async function fullSession(): Promise<string> {
  const sessionId = `ses-tantetinte-babysitting-${['20261201', '20261203'][fullDay++ % 2]}`
  await t.db.query('UPDATE sessions SET places = 0, places_left = 0 WHERE id = $1 AND places = places_left', [sessionId])
  return sessionId
}
function bookingCase(b: { bookingId: string }, extra: Record<string, unknown>, status: string) {
  return {
    args: { bookingId: b.bookingId, ...extra },
    effect: async () => (await t.db.query('SELECT status FROM bookings WHERE id = $1', [b.bookingId]))[0],
    expected: { status },
  }
}

/** Everything a refused mutation must leave as it was. */
async function snapshot() {
  const counts = await rowCounts(t.db)
  const rows = await t.db.query(`SELECT
    (SELECT json_agg(b ORDER BY id) FROM (SELECT id, status, decline_reason, operator_id FROM bookings) b) AS bookings,
    (SELECT json_agg(s ORDER BY id) FROM (SELECT id, status, places_left FROM sessions WHERE provider_id = 'prv-altana') s) AS sessions,
    (SELECT json_agg(v ORDER BY id) FROM (SELECT id, balance_cents, held_cents, spent_cents FROM vouchers) v) AS vouchers,
    (SELECT json_agg(c ORDER BY id) FROM (SELECT id, family_id, first_name, birth_date FROM children) c) AS children,
    (SELECT json_agg(e ORDER BY id) FROM (SELECT id, status, provider_id, operator_id, held_cents FROM emergency_requests) e) AS emergencies`)
  return { counts: { ...counts, mutation_results: 0, clients: 0, spaceVersions: 0 }, rows }
}

describe('authorization matrix: mutations × roles', () => {
  it('covers every mutation', () => {
    expect(Object.keys(MUTATIONS).sort()).toEqual([...MUTATION_NAMES].sort())
  })

  it.each(MUTATION_NAMES)('%s', async (name) => {
    const { args, effect, expected } = await CASES[name]()
    const row = MUTATIONS[name]
    const rank = { forbidden: 0, applied: 1, 'already-taken': 2 } as const
    const order = [...ROLES].sort((a, b) => rank[row[a]] - rank[row[b]]) // refusals first, then the winner, then the late
    for (const role of order) {
      const cell = `${name} × ${role}`
      const before = await snapshot()
      const result = await clients[role].push(name, typeof args === 'function' ? args(role) : args)
      if (row[role] !== A) {
        expect(result, cell).toMatchObject({ status: 'rejected', code: row[role] })
        expect(await snapshot(), `${cell} wrote something`).toEqual(before)
      } else {
        expect(result, cell).toMatchObject({ status: 'applied' })
        expect(await effect(), cell).toEqual(expected)
      }
    }
    expect(await invariantViolations(t.db)).toEqual([])
  })
})

/** The keys of `entity` that `role` should see, read straight from the database. */
async function expectedKeys(entity: EntityName, role: Role, scope: Scope): Promise<string[]> {
  if (scope === 'none') return []
  const family = FAMILY[role] ?? '-'
  const provider = PROVIDER[role] ?? '-'
  const param: Record<Exclude<Scope, 'none'>, string> = { program: PROGRAM, family, orders: provider, staff: provider, assigned: role === 'operator' ? OPERATOR : '-', emergency: provider }
  const sql: Record<EntityName, Partial<Record<Scope, string>>> = {
    program: { program: 'SELECT id FROM programs WHERE id = $1' },
    territory: { program: 'SELECT id FROM territories WHERE program_id = $1' },
    provider: { program: 'SELECT id FROM providers WHERE program_id = $1' },
    operator: {
      program: 'SELECT o.id FROM operators o JOIN providers p ON p.id = o.provider_id WHERE p.program_id = $1',
      staff: 'SELECT id FROM operators WHERE provider_id = $1',
      assigned: 'SELECT id FROM operators WHERE id = $1',
    },
    service: { program: 'SELECT id FROM services WHERE program_id = $1' },
    accreditation: { program: 'SELECT id FROM accreditations WHERE program_id = $1' },
    session: { program: 'SELECT s.id FROM sessions s JOIN providers p ON p.id = s.provider_id WHERE p.program_id = $1' },
    family: { family: 'SELECT id FROM families WHERE id = $1' },
    child: { family: 'SELECT id FROM children WHERE family_id = $1' },
    childChange: { family: 'SELECT id FROM child_changes WHERE family_id = $1' },
    birthDateRequest: { family: 'SELECT id FROM birth_date_requests WHERE family_id = $1' },
    voucher: { family: 'SELECT id FROM vouchers WHERE family_id = $1' },
    booking: {
      family: 'SELECT id FROM bookings WHERE family_id = $1',
      orders: 'SELECT id FROM bookings WHERE provider_id = $1',
      assigned: 'SELECT id FROM bookings WHERE operator_id = $1',
      program: 'SELECT b.id FROM bookings b JOIN families f ON f.id = b.family_id WHERE f.program_id = $1',
    },
    message: {
      family: 'SELECT id FROM messages WHERE family_id = $1',
      orders: 'SELECT id FROM messages WHERE provider_id = $1',
      assigned: 'SELECT m.id FROM messages m JOIN bookings b ON b.id = m.booking_id WHERE b.operator_id = $1',
    },
    waitlistEntry: { family: 'SELECT id FROM waitlist_entries WHERE family_id = $1' },
    planDate: { family: 'SELECT id FROM plan_dates WHERE family_id = $1' },
    emergencyRequest: {
      family: 'SELECT id FROM emergency_requests WHERE family_id = $1',
      program: 'SELECT id FROM emergency_requests WHERE program_id = $1',
      emergency: `SELECT e.id FROM emergency_requests e, providers p WHERE p.id = $1 AND (e.provider_id = p.id
        OR (e.status = 'open' AND (e.usual_provider_id = p.id OR (e.stage = 'territory' AND e.territory_id = p.territory_id))))`,
      assigned: `SELECT e.id FROM emergency_requests e, operators o, providers p WHERE o.id = $1 AND p.id = o.provider_id AND (
        (e.provider_id IS NOT NULL AND e.operator_id = o.id)
        OR (e.status = 'open' AND (e.usual_operator_id = o.id OR (e.stage = 'territory' AND e.territory_id = p.territory_id AND o.on_call))))`,
    },
  }
  const query = sql[entity][scope]
  if (!query) throw new Error(`no query for ${entity} × ${scope}`)
  const rows = await t.db.query<{ id: string }>(query, [param[scope]])
  return rows.map((r) => r.id).sort()
}

describe('authorization matrix: pulled entities × roles', () => {
  it('covers every entity', () => {
    expect(Object.keys(ENTITIES).sort()).toEqual([...ENTITY_NAMES].sort())
  })

  it('gives each role exactly its cells, and the scopes really differ', async () => {
    // Bookings that tell the scopes apart: family 1 on ALTANA, family 2 on KOALA and on ALTANA.
    const f2 = clients.otherParent
    const onKoala = uniqueId('pk')
    const onAltana = uniqueId('pa')
    expect((await f2.push('booking.request', { bookingId: onKoala, childId: 'chd-0002-1', sessionId: 'ses-koala-babysitting-20261204', quantity: 1 })).status).toBe('applied')
    expect((await f2.push('booking.request', { bookingId: onAltana, childId: 'chd-0002-1', sessionId: 'ses-altana-babysitting-20261204', quantity: 1 })).status).toBe('applied')
    expect((await f2.push('message.send', { messageId: uniqueId('pm'), bookingId: onKoala, body: 'Arriviamo alle 8' })).status).toBe('applied')
    // Family 2's own child history and birth-date request (family 1 has its own from the matrix above).
    expect((await f2.push('child.upsert', { childId: uniqueId('chd'), firstName: 'Nina', birthDate: '2020-02-02' })).status).toBe('applied')
    expect((await f2.push('child.requestBirthDate', { requestId: uniqueId('bd'), childId: 'chd-0002-2', birthDate: '2014-02-02' })).status).toBe('applied')
    await requested()
    // One booking assigned to the operator: the one booking its phone pulls.
    const assigned = await requested()
    const beforeAssignment = uniqueId('ma')
    expect((await clients.parent.push('message.send', { messageId: beforeAssignment, bookingId: assigned.bookingId, body: 'Citofono Rossi' })).status).toBe('applied')
    expect((await clients.provider.push('booking.confirm', { bookingId: assigned.bookingId, operatorId: OPERATOR })).status).toBe('applied')
    // Emergencies: family 2 asks in Crema (ALTANA and KOALA may take it) and in Cremona (neither may);
    // family 1's request goes first to ALTANA (its usual cooperative since the matrix above), which takes it.
    const inCrema = uniqueId('ec')
    const inCremona = uniqueId('er')
    const taken = await emergencyRequested()
    expect((await f2.push('emergency.request', { ...emergencyArgs(), requestId: inCrema, childId: 'chd-0002-1' })).status).toBe('applied')
    expect((await f2.push('emergency.request', { ...emergencyArgs(), requestId: inCremona, childId: 'chd-0002-1', territoryId: 'ter-cremona' })).status).toBe('applied')
    expect((await clients.otherProvider.push('emergency.accept', { requestId: taken })).code).toBe('forbidden') // ALTANA's head start
    expect((await clients.provider.push('emergency.accept', { requestId: taken })).status).toBe('applied')
    // Family 2 waits for a place too (family 1 did in the matrix above).
    expect((await f2.push('waitlist.join', { entryId: uniqueId('wl'), childId: 'chd-0002-1', sessionId: await fullSession(), quantity: 1 })).status).toBe('applied')
    // Each family a recurring plan (its dates as decided: planDate, the family's only).
    for (const [who, childId, provider] of [['parent', 'chd-0001-2', 'tantetinte'], ['otherParent', 'chd-0002-1', 'koala']] as const) {
      const plan = { bookingId: uniqueId('rp').replaceAll('.', ''), childId, sessionId: `ses-${provider}-babysitting-20261214`, quantity: 1, recurrence: { weekdays: [1, 2], until: '2026-12-15' } }
      expect((await clients[who].push('booking.request', plan)).status).toBe('applied')
    }

    const seen: Record<string, string[]> = {}
    for (const role of ROLES) {
      const fresh = new SyncClient(t.app, clients[role].token)
      await fresh.pull()
      for (const entity of ENTITY_NAMES) {
        const cell = `${entity} × ${role}`
        const scope = ENTITIES[entity][role]
        const keys = fresh.rows<{ id: string }>(entity).map((r) => r.id).sort()
        // Fields: exactly the registry's for this role (docs/security.md's generated table), never more.
        const fields = fieldsOf(entity).filter((f) => !(def(entity).omit?.[APP_ROLE[role]] ?? []).includes(f)).sort()
        for (const row of fresh.rows<Record<string, unknown>>(entity)) expect(Object.keys(row).sort(), `${cell} fields`).toEqual(fields)
        const expected = await expectedKeys(entity, role, scope)
        if (scope !== 'none') expect(expected.length, `${cell}: the test needs rows to see`).toBeGreaterThan(0)
        expect(keys, cell).toEqual(expected)
        seen[cell] = keys
      }
    }
    // The distinctions the table draws, spelled out once.
    expect(seen['booking × provider']).toContain(onAltana)
    expect(seen['booking × provider']).not.toContain(onKoala)
    expect(seen['booking × otherProvider']).toContain(onKoala)
    expect(seen['booking × otherProvider']).not.toContain(onAltana)
    expect(seen['booking × parent']).not.toContain(onAltana)
    expect(seen['booking × officer']).toEqual(expect.arrayContaining([onAltana, onKoala, ...(seen['booking × parent'] ?? [])]))
    expect(seen['child × parent']).not.toEqual(seen['child × otherParent'])
    expect(seen['booking × operator']).toEqual([assigned.bookingId])
    expect(seen['message × operator']).toEqual([beforeAssignment])
    expect(seen['operator × parent']).toEqual([])
    expect(seen['emergencyRequest × provider']).toEqual(expect.arrayContaining([inCrema, taken]))
    expect(seen['emergencyRequest × provider']).not.toContain(inCremona)
    expect(seen['emergencyRequest × otherProvider']).toContain(inCrema)
    expect(seen['emergencyRequest × otherProvider']).not.toContain(taken)
    expect(seen['emergencyRequest × officer']).toEqual(expect.arrayContaining([inCrema, inCremona, taken]))
  })

  it('sends each role only the fields it needs: the office gets no booking note, no address and no message; the family no surname or age', async () => {
    const { bookingId } = await requested()
    const note = 'Allergia alle arachidi; DSA'
    const withNote = uniqueId('nt')
    expect((await clients.parent.push('booking.request', { bookingId: withNote, ...nextSlot(), quantity: 1, note, address: 'Via Dante 7, Crema' })).status).toBe('applied')
    expect((await clients.parent.push('message.send', { messageId: uniqueId('pn'), bookingId, body: 'Ha la febbre' })).status).toBe('applied')
    const pulled = async (role: Role) => {
      const fresh = new SyncClient(t.app, clients[role].token)
      await fresh.pull()
      return fresh
    }
    const [parent, provider, officer] = await Promise.all([pulled('parent'), pulled('provider'), pulled('officer')])
    const noteOf = (c: SyncClient) => c.rows<{ id: string; note?: string | null }>('booking').find((b) => b.id === withNote)
    expect(noteOf(parent)).toMatchObject({ note })
    expect(noteOf(provider)).toMatchObject({ note })
    expect(noteOf(officer)).toBeDefined()
    expect(noteOf(officer)).not.toHaveProperty('note')
    expect(JSON.stringify(officer.rows('booking'))).not.toContain('Allergia')
    // Who and where (issue 9): the provider's; the office gets none of it, the family not its own surname and age back.
    expect(noteOf(provider)).toMatchObject({ address: 'Via Dante 7, Crema', familyName: expect.stringMatching(/^Famiglia /), childAgeMonths: expect.any(Number) })
    expect(noteOf(parent)).toMatchObject({ address: 'Via Dante 7, Crema' })
    expect(noteOf(parent)).not.toHaveProperty('familyName')
    expect(noteOf(parent)).not.toHaveProperty('childAgeMonths')
    for (const f of ['address', 'familyName', 'childAgeMonths']) expect(noteOf(officer)).not.toHaveProperty(f)
    expect(JSON.stringify(officer.rows('booking'))).not.toContain('Via Dante')
    expect(officer.rows('message')).toEqual([])
    expect(provider.rows<{ body: string }>('message').map((m) => m.body)).toContain('Ha la febbre')
  })

  it('sends an emergency\'s address and note to the family and the cooperatives that may take it, never to the office', async () => {
    const requestId = await emergencyRequested()
    const pulled = async (role: Role) => {
      const fresh = new SyncClient(t.app, clients[role].token)
      await fresh.pull()
      return fresh.rows<{ id: string; address?: string; note?: string }>('emergencyRequest').find((r) => r.id === requestId)
    }
    const [parent, provider, officer, other] = await Promise.all([pulled('parent'), pulled('provider'), pulled('officer'), pulled('otherParent')])
    expect(parent).toMatchObject({ address: 'Via Mazzini 3, Crema', note: 'Febbre, tachipirina alle 6' })
    expect(provider).toMatchObject({ address: 'Via Mazzini 3, Crema' })
    expect(officer).toBeDefined()
    expect(officer).not.toHaveProperty('address')
    expect(officer).not.toHaveProperty('note')
    expect(other).toBeUndefined()
    // The work phone of whoever goes (0028, set when a sitter accepts) is the family's and its provider's, never the office's.
    expect(parent).toHaveProperty('contactPhone')
    expect(provider).toHaveProperty('contactPhone')
    expect(officer).not.toHaveProperty('contactPhone')
  })

  it('sends an operator\'s work phone to their provider, never to the office', async () => {
    const rows = async (role: Role) => {
      const fresh = new SyncClient(t.app, clients[role].token)
      await fresh.pull()
      return fresh.rows<{ id: string; phone?: string | null }>('operator')
    }
    const [provider, officer] = await Promise.all([rows('provider'), rows('officer')])
    expect(provider.length).toBeGreaterThan(0)
    for (const o of provider) expect(o).toHaveProperty('phone')
    expect(officer.length).toBeGreaterThan(0)
    for (const o of officer) expect(o).not.toHaveProperty('phone')
  })
})
