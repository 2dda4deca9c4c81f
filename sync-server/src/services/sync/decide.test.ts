/**
 * Group commit (push-batch.ts, push-queue.ts): pushes handed to the queue in one turn are decided in
 * one transaction, in arrival order, and must be decided exactly as one-by-one pushes would be:
 * scenario tests for the cases a batch handles itself, the fallback for a batch that fails as a whole,
 * and a property test against the shared mutators on an in-memory model (what each push would get if
 * decided alone, in the same order).
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryStore } from '../../../../shared/mutators/memory-store.ts'
import { runMutation } from '../../../../shared/mutators/mutators.ts'
import { project, schemaFor } from '../../../../shared/entities/registry.ts'
import { ENTITY_SCHEMAS, PROTOCOL_VERSION, type MutationResult, type PushRequest } from '../../../../shared/sync/protocol.ts'
import type { Db } from '../../db/db.ts'
import { AppError } from '../../errors.ts'
import { invariantViolations } from '../../test/db-checks.ts'
import { modelFromServer } from '../../test/model.ts'
import { activate, SyncClient, uniqueId } from '../../test/sync-client.ts'
import type { DbSnapshot } from '../../test/db-snapshot.ts'
import { createTestServer, TEST_NOW, type TestServer } from '../../test/test-server.ts'
import { authenticate } from '../auth/auth.service.ts'
import type { Auth } from '../auth/principal.ts'
import { createPushQueue, type PushQueue } from './push-queue.ts'

const FAMILIES = 12
let t: TestServer
let queue: PushQueue
const auths: Record<string, Auth> = {}
const tokens: Record<string, string> = {}

beforeAll(async () => {
  t = await createTestServer({ families: FAMILIES })
  queue = createPushQueue(t.deps)
  const codes = [...Array.from({ length: FAMILIES }, (_, i) => `FAM-${String(i + 1).padStart(4, '0')}`), 'PRV-ALTANA', 'PRV-KOALA', 'OFFICER-1']
  for (const code of codes) {
    tokens[code] = await activate(t.app, code)
    const auth = await authenticate(t.db, tokens[code], t.clock.now(), undefined, true)
    if (!auth) throw new Error(`no auth for ${code}`)
    auths[code] = auth
  }
})
afterAll(() => t.close())

const fam = (n: number) => `FAM-${String(n).padStart(4, '0')}`
const child = (n: number, k = 1) => `chd-${String(n).padStart(4, '0')}-${k}`
const ids = new Map<string, number>()

/** One phone's push: a fresh client id unless `clientId` is given; mutation ids continue per client. */
function pushOf(clientId: string, mutations: { name: string; args: unknown; id?: number }[]): PushRequest {
  return {
    protocolVersion: PROTOCOL_VERSION,
    clientGroupId: `g-${clientId}`,
    mutations: mutations.map((m) => {
      const id = m.id ?? (ids.get(clientId) ?? 0) + 1
      ids.set(clientId, Math.max(ids.get(clientId) ?? 0, id))
      return { clientId, id, name: m.name, args: m.args, createdAt: TEST_NOW }
    }),
  }
}

/** Hands all pushes to the queue in one turn (so they form one batch) and waits for every answer. */
async function together(pushes: { code: string; req: PushRequest }[]) {
  const before = { ...queue.stats }
  const answers = await Promise.allSettled(pushes.map((p) => queue.push(auths[p.code]!, p.req)))
  return {
    answers,
    results: answers.map((a) => (a.status === 'fulfilled' ? a.value : [])),
    batches: queue.stats.batches - before.batches,
    fallbacks: queue.stats.fallbacks - before.fallbacks,
  }
}

const session = async (id: string) =>
  (await t.db.query<{ placesLeft: number; places: number }>('SELECT places_left AS "placesLeft", places FROM sessions WHERE id = $1', [id]))[0]!
const voucher = async (childId: string) =>
  (await t.db.query<{ balance: number; held: number }>('SELECT balance_cents AS balance, held_cents AS held FROM vouchers WHERE child_id = $1', [childId]))[0]!

describe('a batch', () => {
  it('decides pushes that arrive together in one transaction, in arrival order: the first five get the five places', async () => {
    const sessionId = 'ses-altana-babysitting-20261207'
    await t.db.query('UPDATE sessions SET places = 5, places_left = 5 WHERE id = $1', [sessionId])
    const pushes = Array.from({ length: FAMILIES }, (_, i) => ({
      code: fam(i + 1),
      req: pushOf(uniqueId('race'), [{ name: 'booking.request', args: { bookingId: uniqueId('race'), childId: child(i + 1), sessionId, quantity: 1 } }]),
    }))
    const { results, batches, fallbacks } = await together(pushes)
    expect(batches).toBe(1)
    expect(fallbacks).toBe(0)
    expect(results.map((r) => r[0]?.status)).toEqual([...Array(5).fill('applied'), ...Array(FAMILIES - 5).fill('rejected')])
    for (const r of results.slice(5)) {
      expect(r[0]?.code).toBe('capacity-full')
      expect((r[0]?.details?.alternatives as unknown[]).length).toBeGreaterThan(0)
    }
    expect(await session(sessionId)).toEqual({ places: 5, placesLeft: 0 })
    const stored = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM mutation_results WHERE client_id = ANY($1)', [pushes.map((p) => p.req.mutations[0]!.clientId)])
    expect(stored[0]?.n).toBe(FAMILIES - 5) // each refusal kept for pull, in the same transaction
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it("applies a phone's request and cancel of one booking, decided one after the other", async () => {
    const sessionId = 'ses-altana-babysitting-20261208'
    const before = { session: await session(sessionId), voucher: await voucher(child(1, 2)) }
    const bookingId = uniqueId('rc')
    const clientId = uniqueId('rc')
    const { results } = await together([{ code: fam(1), req: pushOf(clientId, [
      { name: 'booking.request', args: { bookingId, childId: child(1, 2), sessionId, quantity: 2 } },
      { name: 'booking.cancel', args: { bookingId } },
    ]) }])
    expect(results[0]!.map((r) => r.status)).toEqual(['applied', 'applied'])
    expect((await t.db.query('SELECT status FROM bookings WHERE id = $1', [bookingId]))[0]).toEqual({ status: 'cancelled' })
    expect(await session(sessionId)).toEqual(before.session)
    expect(await voucher(child(1, 2))).toEqual(before.voucher)
    const ledger = await t.db.query<{ kind: string }>('SELECT kind FROM voucher_ledger WHERE booking_id = $1 ORDER BY id', [bookingId])
    expect(ledger.map((l) => l.kind)).toEqual(['hold', 'release'])
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('frees a live slot and takes it again in one batch: cancel and request again, leave and join the waiting list again', async () => {
    // The partial unique indexes (one live booking of a session per child, one waiting entry) hold at
    // every statement: the batch must write the row leaving the slot before the row taking it.
    const sessionId = 'ses-koala-babysitting-20261214'
    const first = uniqueId('again')
    expect((await together([{ code: fam(6), req: pushOf(uniqueId('again'), [
      { name: 'booking.request', args: { bookingId: first, childId: child(6), sessionId, quantity: 1 } }]) }])).results[0]![0]?.status).toBe('applied')
    const fullId = 'ses-tantetinte-babysitting-20261210'
    await t.db.query('UPDATE sessions SET places = places - places_left, places_left = 0 WHERE id = $1', [fullId]) // full, as if booked
    const entry = uniqueId('again')
    expect((await together([{ code: fam(6), req: pushOf(uniqueId('again'), [
      { name: 'waitlist.join', args: { entryId: entry, childId: child(6), sessionId: fullId, quantity: 1 } }]) }])).results[0]![0]?.status).toBe('applied')

    const [second, entry2] = [uniqueId('again'), uniqueId('again')]
    const { results, batches, fallbacks } = await together([
      { code: fam(6), req: pushOf(uniqueId('again'), [
        { name: 'booking.cancel', args: { bookingId: first } },
        { name: 'booking.request', args: { bookingId: second, childId: child(6), sessionId, quantity: 1 } },
      ]) },
      { code: fam(6), req: pushOf(uniqueId('again'), [
        { name: 'waitlist.leave', args: { entryId: entry } },
        { name: 'waitlist.join', args: { entryId: entry2, childId: child(6), sessionId: fullId, quantity: 1 } },
      ]) },
    ])
    expect([batches, fallbacks]).toEqual([1, 0])
    expect(results.map((r) => r.map((x) => x.status))).toEqual([['applied', 'applied'], ['applied', 'applied']])
    expect(await t.db.query('SELECT id, status FROM bookings WHERE id = ANY($1) ORDER BY status', [[first, second]]))
      .toEqual([{ id: first, status: 'cancelled' }, { id: second, status: 'requested' }])
    expect(await t.db.query('SELECT id, status FROM waitlist_entries WHERE id = ANY($1) ORDER BY status', [[entry, entry2]]))
      .toEqual([{ id: entry, status: 'left' }, { id: entry2, status: 'waiting' }])
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it("upserts children in a batch: a rename is seen by the family's next request; another family's child id is refused", async () => {
    const sessionId = 'ses-altana-babysitting-20261211'
    const bookingId = uniqueId('ch')
    const newChild = uniqueId('chd-new')
    // The child has a voucher: its birth date stays as it is (only the office changes it).
    const [{ birthDate }] = await t.db.query<{ birthDate: string }>('SELECT birth_date AS "birthDate" FROM children WHERE id = $1', [child(4)]) as [{ birthDate: string }]
    const { results, fallbacks } = await together([
      { code: fam(4), req: pushOf(uniqueId('ch'), [
        { name: 'child.upsert', args: { childId: child(4), firstName: 'Rinominata', birthDate } },
        { name: 'booking.request', args: { bookingId, childId: child(4), sessionId, quantity: 1 } },
        { name: 'child.upsert', args: { childId: newChild, firstName: 'Nuova', birthDate: '2021-03-03' } },
      ]) },
      { code: fam(5), req: pushOf(uniqueId('ch'), [{ name: 'child.upsert', args: { childId: child(4), firstName: 'Rubata', birthDate: '2019-01-01' } }]) },
    ])
    expect(fallbacks).toBe(0)
    expect(results[0]!.map((r) => r.status)).toEqual(['applied', 'applied', 'applied'])
    expect([results[1]![0]?.status, results[1]![0]?.code]).toEqual(['rejected', 'forbidden'])
    const rows = await t.db.query('SELECT id, family_id AS "familyId", first_name AS "firstName", birth_date AS "birthDate" FROM children WHERE id = ANY($1) ORDER BY id', [[child(4), newChild]])
    expect(rows).toEqual([
      { id: child(4), familyId: 'fam-0004', firstName: 'Rinominata', birthDate },
      { id: newChild, familyId: 'fam-0004', firstName: 'Nuova', birthDate: '2021-03-03' },
    ].sort((a, b) => (a.id < b.id ? -1 : 1)))
    expect((await t.db.query('SELECT child_first_name AS name FROM bookings WHERE id = $1', [bookingId]))[0]).toEqual({ name: 'Rinominata' })
  })

  it('leaves no trace of a refused mutation between two applied ones', async () => {
    const sessionId = 'ses-koala-babysitting-20261209'
    const [a, b, c] = [uniqueId('ok'), uniqueId('no'), uniqueId('ok')]
    const before = await voucher(child(3))
    const { results } = await together([
      { code: fam(2), req: pushOf(uniqueId('x'), [{ name: 'booking.request', args: { bookingId: a, childId: child(2), sessionId, quantity: 1 } }]) },
      // Family 3 names family 4's child: refused, its place and voucher untouched.
      { code: fam(3), req: pushOf(uniqueId('x'), [{ name: 'booking.request', args: { bookingId: b, childId: child(4), sessionId, quantity: 1 } }]) },
      { code: fam(3), req: pushOf(uniqueId('x'), [{ name: 'booking.request', args: { bookingId: c, childId: child(3), sessionId, quantity: 1 } }]) },
    ])
    expect(results.map((r) => [r[0]?.status, r[0]?.code])).toEqual([['applied', undefined], ['rejected', 'forbidden'], ['applied', undefined]])
    const rows = await t.db.query<{ id: string }>('SELECT id FROM bookings WHERE id = ANY($1) ORDER BY id', [[a, b, c]])
    expect(rows.map((r) => r.id).sort()).toEqual([a, c].sort())
    expect((await voucher(child(3))).held).toBeGreaterThan(before.held)
    expect(await t.db.query('SELECT booking_id FROM voucher_ledger WHERE booking_id = $1', [b])).toEqual([])
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('answers already-processed for a resent mutation and stops at a gap, like the one-by-one path', async () => {
    const clientId = uniqueId('gap')
    const sessionId = 'ses-altana-babysitting-20261209'
    const laterSession = 'ses-altana-babysitting-20261210' // still bookable while the first one runs
    await t.db.query('UPDATE sessions SET places = places + 10, places_left = places_left + 10 WHERE id = $1', [laterSession])
    const m1 = { id: 1, name: 'booking.request', args: { bookingId: uniqueId('g'), childId: child(5), sessionId, quantity: 1 } }
    const m2 = { id: 2, name: 'booking.request', args: { bookingId: uniqueId('g'), childId: child(5, 2), sessionId, quantity: 1 } }
    const m4 = { id: 4, name: 'booking.request', args: { bookingId: uniqueId('g'), childId: child(5), sessionId, quantity: 1 } }
    const { results } = await together([
      { code: fam(5), req: pushOf(clientId, [m1]) },
      { code: fam(5), req: pushOf(clientId, [m1, m2, m4]) },
    ])
    expect(results[0]!.map((r) => r.status)).toEqual(['applied'])
    expect(results[1]!.map((r) => [r.id, r.status])).toEqual([[1, 'already-processed'], [2, 'applied']])
    expect((await t.db.query('SELECT last_mutation_id AS last FROM clients WHERE id = $1', [clientId]))[0]).toEqual({ last: 2 })
  })

  it("refuses a push on another principal's client id, and only that push", async () => {
    const clientId = uniqueId('owned')
    await queue.push(auths[fam(6)]!, pushOf(clientId, [{ name: 'booking.request', args: { bookingId: uniqueId('o'), childId: child(6), sessionId: 'ses-altana-babysitting-20261210', quantity: 1 } }]))
    const other = uniqueId('o')
    const { answers } = await together([
      { code: fam(7), req: pushOf(clientId, [{ name: 'booking.request', args: { bookingId: uniqueId('o'), childId: child(7), sessionId: 'ses-altana-babysitting-20261210', quantity: 1 } }]) },
      { code: fam(7), req: pushOf(uniqueId('mine'), [{ name: 'booking.request', args: { bookingId: other, childId: child(7), sessionId: 'ses-altana-babysitting-20261210', quantity: 1 } }]) },
    ])
    expect(answers[0]?.status).toBe('rejected')
    const reason = answers[0]?.status === 'rejected' ? (answers[0].reason as AppError) : null
    expect(reason).toBeInstanceOf(AppError)
    expect(reason?.code).toBe('client-forbidden')
    expect(answers[1]?.status === 'fulfilled' && answers[1].value[0]?.status).toBe('applied')
    expect((await t.db.query('SELECT last_mutation_id AS last FROM clients WHERE id = $1', [clientId]))[0]).toEqual({ last: 1 })
  })

  it('reads every row its requests, cancels, declines, confirms and deliveries need in its first round trip', async () => {
    const sessionId = 'ses-altana-babysitting-20261212'
    const laterSession = 'ses-altana-babysitting-20261214' // still bookable while the first one runs
    await t.db.query('UPDATE sessions SET places = places + 10, places_left = places_left + 10 WHERE id = $1', [laterSession])
    await t.db.query('UPDATE sessions SET places = places + 10, places_left = places_left + 10 WHERE id = $1', [sessionId])
    const earlier = [uniqueId('e'), uniqueId('e'), uniqueId('e'), uniqueId('e')]
    await together(earlier.map((bookingId, i) => ({
      code: fam(i + 2), req: pushOf(uniqueId('e'), [{ name: 'booking.request', args: { bookingId, childId: child(i + 2), sessionId, quantity: 1 } }]),
    })))
    await together([{ code: 'PRV-ALTANA', req: pushOf(uniqueId('prv'), [{ name: 'booking.confirm', args: { bookingId: earlier[3] } }]) }])

    // The same queue, over a database that records what each transaction awaits (reads) and sends (writes).
    const reads: string[] = []
    let roundTrips = 0
    let answered = true // a read sent after an answer came back waited for it: a new round trip
    const counted = createPushQueue({ ...t.deps, db: { ...t.db, transaction: (fn, opts) => t.db.transaction((tx) => fn({
      query: <T>(sql: string, params?: readonly unknown[]) => {
        reads.push(sql)
        if (answered) roundTrips++
        answered = false
        return tx.query<T>(sql, params).finally(() => (answered = true))
      },
      send: (sql, params) => tx.send(sql, params),
      exec: (sql) => tx.exec(sql),
    }), opts) } })
    const jobs = [
      { code: fam(1), req: pushOf(uniqueId('p'), [{ name: 'booking.request', args: { bookingId: uniqueId('n'), childId: child(1), sessionId: laterSession, quantity: 1 } }]) },
      { code: fam(2), req: pushOf(uniqueId('p'), [{ name: 'booking.cancel', args: { bookingId: earlier[0] } }]) },
      { code: 'PRV-ALTANA', req: pushOf(uniqueId('p'), [
        { name: 'booking.decline', args: { bookingId: earlier[1], reason: 'Operatrice malata' } },
        { name: 'booking.confirm', args: { bookingId: earlier[2] } },
        { name: 'booking.deliver', args: { bookingId: earlier[3] } },
      ]) },
    ]
    t.clock.set('2026-12-12T10:00:00.000Z') // the session runs: the delivery may be recorded
    const answers = await Promise.all(jobs.map((j) => counted.push(auths[j.code]!, j.req)))
    t.clock.set(TEST_NOW)
    expect(answers.flat().map((r) => [r.status, r.code])).toEqual([['applied', undefined], ['applied', undefined], ['applied', undefined], ['applied', undefined], ['applied', undefined]])
    expect(counted.stats.batches).toBe(1)
    // One round trip of reads: clients, bookings, sessions, vouchers (locked, one statement each), then
    // children, families, programs and services in one statement (read without a lock). Nothing a
    // mutator asked for went to the database on its own (a single-row read). Nobody waits on these
    // sessions (their `waiting` is 0): the cancel, the decline and the request read no waiting list.
    expect(roundTrips).toBe(1)
    expect(reads.length).toBeLessThanOrEqual(5)
    expect(reads.filter((sql) => sql.includes('FROM waitlist_entries'))).toEqual([])
    expect(reads.filter((sql) => /\$1( FOR UPDATE)?$/.test(sql.trim()) || sql.includes('child_id = $1'))).toEqual([])
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it("copies a child's rename onto its bookings, batched or one by one, and the provider's next pull has it", async () => {
    const [sessionId, otherSessionId] = ['ses-altana-babysitting-20261211', 'ses-altana-babysitting-20261215']
    await t.db.query('UPDATE sessions SET places = places + 10, places_left = places_left + 10 WHERE id = ANY($1)', [[sessionId, otherSessionId]])
    const provider = new SyncClient(t.app, tokens['PRV-ALTANA']!)
    await provider.pull()
    const nameOn = async (bookingId: string) =>
      (await t.db.query<{ name: string }>('SELECT child_first_name AS name FROM bookings WHERE id = $1', [bookingId]))[0]?.name
    for (const [n, oneByOne] of [[6, false], [7, true]] as const) {
      const { id: childId, birthDate } = (await t.db.query<{ id: string; birthDate: string }>( // the youngest: babysitting is for 0–12
        'SELECT id, birth_date AS "birthDate" FROM children WHERE family_id = $1 ORDER BY birth_date DESC LIMIT 1', [`fam-${String(n).padStart(4, '0')}`]))[0]!
      const queueOf = oneByOne ? createPushQueue(t.deps, { batching: false }) : queue
      const clientId = uniqueId('rn')
      const send = (mutations: { name: string; args: unknown }[]) => queueOf.push(auths[fam(n)]!, pushOf(clientId, mutations))
      const earlier = uniqueId('rn')
      expect((await send([{ name: 'booking.request', args: { bookingId: earlier, childId, sessionId, quantity: 1 } }]))[0]?.status).toBe('applied')
      // A request and a rename in one push: the request (decided first, with the old name) ends up with the new one too.
      const sameTime = uniqueId('rn')
      const newName = `Nome Corretto ${n}`
      const results = await send([ // another session: one child holds one live booking of a session
        { name: 'booking.request', args: { bookingId: sameTime, childId, sessionId: otherSessionId, quantity: 1 } },
        { name: 'child.upsert', args: { childId, firstName: newName, birthDate } },
      ])
      expect(results.map((r) => r.status)).toEqual(['applied', 'applied'])
      expect([await nameOn(earlier), await nameOn(sameTime)]).toEqual([newName, newName])
      await provider.pull()
      expect(provider.get<{ childFirstName: string }>('booking', earlier)?.childFirstName).toBe(newName)
      expect(provider.get<{ childFirstName: string }>('booking', sameTime)?.childFirstName).toBe(newName)
    }
    expect(await invariantViolations(t.db)).toEqual([])
  })

  it('leaves for the database before the answers of the batch before it are written (overlapAnswers)', async () => {
    // What bench:push's group commit gains from: the database works on the next batch while this
    // process writes the HTTP answers of the last one.
    const sessionId = 'ses-altana-babysitting-20261218'
    await t.db.query('UPDATE sessions SET places = 10, places_left = 10 WHERE id = $1', [sessionId])
    const order = async (overlapAnswers: boolean, a: number, b: number) => {
      const events: string[] = []
      let second: Promise<unknown> | undefined
      const request = (n: number) =>
        pushOf(uniqueId('ov'), [{ name: 'booking.request', args: { bookingId: uniqueId('ov'), childId: child(n), sessionId, quantity: 1 } }])
      const db: Db = {
        ...t.db,
        transaction: (fn, opts) => t.db.transaction((tx) => {
          events.push('batch')
          // The second push arrives while the first batch is in the database: it waits for the next.
          second ??= q.push(auths[fam(b)]!, request(b)).then((r) => events.push(`answer 2: ${r[0]?.status}`))
          return fn(tx)
        }, opts),
      }
      const q = createPushQueue({ ...t.deps, db }, { overlapAnswers })
      await q.push(auths[fam(a)]!, request(a)).then((r) => events.push(`answer 1: ${r[0]?.status}`))
      await second
      return events
    }
    const overlapped = await order(true, 3, 4)
    expect(overlapped.slice(0, 2)).toEqual(['batch', 'batch'])
    // (On PGlite, in this thread, the second batch may even be answered first: phones' answers are independent.)
    expect(overlapped.slice(2).sort()).toEqual(['answer 1: applied', 'answer 2: applied'])
    expect(await order(false, 5, 6)).toEqual(['batch', 'answer 1: applied', 'batch', 'answer 2: applied'])
  })

  it('that fails as a whole is decided again one by one: the mutation at fault is refused, the others applied', async () => {
    // A constraint the rules cannot see: a trigger refuses one booking id (SQLSTATE 23514, check violation).
    const poison = uniqueId('poison')
    await t.db.exec(`CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.id = '${poison}' THEN RAISE EXCEPTION 'poison' USING ERRCODE = '23514'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse_poison BEFORE INSERT ON bookings FOR EACH ROW EXECUTE FUNCTION refuse_poison();`)
    try {
      const sessionId = 'ses-koala-babysitting-20261210'
      await t.db.query('UPDATE sessions SET places = 10, places_left = 10 WHERE id = $1', [sessionId])
      const before = await session(sessionId)
      const good = [uniqueId('good'), uniqueId('good')]
      const { results, batches, fallbacks } = await together([
        { code: fam(8), req: pushOf(uniqueId('p'), [{ name: 'booking.request', args: { bookingId: good[0], childId: child(8), sessionId, quantity: 1 } }]) },
        { code: fam(9), req: pushOf(uniqueId('p'), [{ name: 'booking.request', args: { bookingId: poison, childId: child(9), sessionId, quantity: 1 } }]) },
        { code: fam(10), req: pushOf(uniqueId('p'), [{ name: 'booking.request', args: { bookingId: good[1], childId: child(10), sessionId, quantity: 1 } }]) },
      ])
      expect([batches, fallbacks]).toEqual([1, 1])
      expect(results.map((r) => [r[0]?.status, r[0]?.code])).toEqual([['applied', undefined], ['rejected', 'invalid-state'], ['applied', undefined]])
      expect((await session(sessionId)).placesLeft).toBe(before.placesLeft - 2)
      expect(await invariantViolations(t.db)).toEqual([])
    } finally {
      await t.db.exec('DROP TRIGGER refuse_poison ON bookings; DROP FUNCTION refuse_poison();')
    }
  })
})

// ── Property: a batch decides as the pushes would be decided alone, in arrival order ──────────────

const P_SESSIONS = ['ses-altana-babysitting-20261216', 'ses-altana-babysitting-20261217', 'ses-koala-babysitting-20261216']
const P_FAMILIES = [11, 12]
const P_PROVIDERS = ['PRV-ALTANA', 'PRV-KOALA']

type Cmd =
  | { kind: 'request'; fam: number; child: number; session: number; qty: number }
  | { kind: 'cancel'; fam: number; pick: number }
  | { kind: 'confirm' | 'decline' | 'deliver'; prv: number; pick: number }
  /** Cancel a booking and request its child and session again, in the same wave (frees a live slot and takes it). */
  | { kind: 'rebook'; pick: number }

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('request' as const), fam: fc.nat(1), child: fc.nat(1), session: fc.nat(P_SESSIONS.length - 1), qty: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), fam: fc.nat(1), pick: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constantFrom('confirm' as const, 'decline' as const, 'deliver' as const), prv: fc.nat(1), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rebook' as const), pick: fc.nat() }) },
)

describe('batches and the one-by-one rules agree', () => {
  let snapshot: DbSnapshot
  beforeAll(async () => {
    // Two places on the first session (races for the last place), room on the others.
    await t.db.query('UPDATE sessions SET places = 2, places_left = 2 WHERE id = $1', [P_SESSIONS[0]])
    await t.db.query('UPDATE sessions SET places = 30, places_left = 30 WHERE id = ANY($1)', [P_SESSIONS.slice(1)])
    // Every run (and every shrunk replay of a failing one) starts from these rows, not from the earlier runs'.
    snapshot = await t.snapshot()
  })

  it('on every outcome and every final row, whatever the grouping of pushes into batches', async () => {
    const before = { ...queue.stats }
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cmd, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }), async (waves) => {
        await snapshot.restore()
        const model = await modelFromServer(t.app, [tokens[fam(11)]!, tokens[fam(12)]!], tokens['OFFICER-1']!)
        const store = memoryStore(model)
        const booked: string[] = []
        const requestOf = new Map<string, { code: string; args: Record<string, unknown> }>()
        const clientOf = new Map<string, string>() // one phone per family/provider per run
        for (const wave of waves) {
          const planned: { code: string; name: string; args: Record<string, unknown> }[] = []
          for (const c of wave) {
            if (c.kind === 'rebook') {
              const was = requestOf.get(booked[c.pick % Math.max(booked.length, 1)] ?? '')
              if (!was) continue
              const bookingId = uniqueId('pb')
              planned.push({ code: was.code, name: 'booking.cancel', args: { bookingId: was.args.bookingId } })
              planned.push({ code: was.code, name: 'booking.request', args: { ...was.args, bookingId } })
              booked.push(bookingId)
              requestOf.set(bookingId, { code: was.code, args: { ...was.args, bookingId } })
              continue
            }
            const code = c.kind === 'request' || c.kind === 'cancel' ? fam(P_FAMILIES[c.fam]!) : P_PROVIDERS[c.prv]!
            // Requests get fresh ids; the others act on a booking requested in an EARLIER wave (or one
            // this wave also requests: the batch and the model both see it, or both don't).
            const bookingId = c.kind === 'request' ? uniqueId('pb') : booked[c.pick % Math.max(booked.length, 1)]
            if (!bookingId) continue
            const args =
              c.kind === 'request'
                ? { bookingId, childId: child(P_FAMILIES[c.fam]!, c.child + 1), sessionId: P_SESSIONS[c.session], quantity: c.qty }
                : c.kind === 'decline' ? { bookingId, reason: 'Operatore non disponibile' } : { bookingId }
            planned.push({ code, name: `booking.${c.kind}`, args })
            if (c.kind === 'request') {
              booked.push(bookingId)
              requestOf.set(bookingId, { code, args })
            }
          }
          if (planned.length === 0) continue
          const pushes = planned.map((p) => {
            if (!clientOf.has(p.code)) clientOf.set(p.code, uniqueId('pc'))
            return { code: p.code, req: pushOf(clientOf.get(p.code)!, [{ name: p.name, args: p.args }]) }
          })
          const { results } = await together(pushes)
          for (const [i, p] of planned.entries()) {
            const local = await runMutation(store, p.name, p.args, { actor: auths[p.code]!.actor, now: TEST_NOW })
            const server = results[i]![0] as MutationResult
            expect({ push: p, status: server.status, code: server.code }).toEqual({
              push: p, status: local.ok ? 'applied' : 'rejected', code: local.ok ? undefined : local.code,
            })
          }
        }
        const off = new SyncClient(t.app, tokens['OFFICER-1']!)
        await off.pull()
        for (const id of booked) {
          const row = off.get('booking', id)
          const modelled = model.bookings.get(id)
          // The office does not receive the note (the registry's projection).
          expect(row === undefined ? undefined : schemaFor('booking', 'officer').parse(row)).toEqual(modelled && project('booking', modelled, 'officer'))
        }
        for (const s of P_SESSIONS) expect(ENTITY_SCHEMAS.session.parse(off.get('session', s))).toEqual(model.sessions.get(s))
        for (const f of P_FAMILIES) {
          const mine = new SyncClient(t.app, tokens[fam(f)]!)
          await mine.pull()
          for (const v of mine.rows('voucher')) expect(ENTITY_SCHEMAS.voucher.parse(v)).toEqual(model.vouchers.get(ENTITY_SCHEMAS.voucher.parse(v).id))
        }
        expect(await invariantViolations(t.db)).toEqual([])
      }),
      { numRuns: 15, seed: 20261122 },
    )
    // The property held over real batches, not just single pushes.
    expect(queue.stats.pushes - before.pushes).toBeGreaterThan(2 * (queue.stats.batches - before.batches))
    expect(queue.stats.fallbacks).toBe(before.fallbacks)
  })
})
