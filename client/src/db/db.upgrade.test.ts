/**
 * Phones in the field carry an older database: an upgrade must keep what the user typed (the outbox),
 * the refusals they have not seen and the device's activation, whatever the version it starts from
 * (issue 10). Each case writes an old schema with plain Dexie, fills it, closes it, then opens it as
 * the app does today.
 */
import Dexie from 'dexie'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MIRROR_ENTITIES, MIRROR_TABLES } from '../../../shared/entities/mirror-tables.ts'
import { ConciliappDb } from './db.ts'

const V1 = {
  programs: 'id', territories: 'id, programId', providers: 'id, programId, territoryId', operators: 'id, providerId',
  services: 'id, programId, category', sessions: 'id, serviceId, providerId, territoryId, startsAt', families: 'id',
  children: 'id, familyId', vouchers: 'id, childId', bookings: 'id, childId, sessionId, providerId, status',
  outbox: 'id, clientId', results: 'key, [clientId+mutationId], dismissed', meta: 'key',
}
/** Version 2 as the first registry build declared it: the entities of then, without the later ones. */
const V2_FIRST: Record<string, string> = {
  ...Object.fromEntries(['program', 'territory', 'provider', 'operator', 'service', 'session', 'family', 'child', 'voucher', 'booking', 'message', 'emergencyRequest']
    .map((e) => { const m = MIRROR_TABLES[e as keyof typeof MIRROR_TABLES]; return [m.mirror, ['id', ...m.indexes].join(', ')] })),
  outbox: 'id, clientId', results: 'key, [clientId+mutationId], dismissed', meta: 'key',
}

const outbox = [
  { id: 1, clientId: 'c1', name: 'booking.request', args: { bookingId: 'b1', childId: 'ch-1', sessionId: 's1', quantity: 2 }, createdAt: '2030-01-01T10:00:00Z' },
  { id: 2, clientId: 'c1', name: 'message.send', args: { messageId: 'm1', bookingId: 'b1', body: 'Citofono Rossi' }, createdAt: '2030-01-01T10:01:00Z' },
]
const result = { key: 'c1:0', clientId: 'c1', mutationId: 0, name: 'booking.request', args: {}, code: 'capacity-full', message: null, details: null, receivedAt: '2030-01-01T09:00:00Z', dismissed: 0 }
const auth = { token: 'tok-0123456789abcdefghij', role: 'parent', programId: 'prg', familyId: 'fam', providerId: null, displayName: 'Famiglia Rossi' }

let name = ''
afterEach(async () => {
  await Dexie.delete(name)
})

async function seedOld(version: number, stores: Record<string, string>, extra: (db: Dexie) => Promise<void> = async () => undefined) {
  name = `upgrade-${version}-${Math.random().toString(36).slice(2)}`
  const old = new Dexie(name)
  old.version(version).stores(stores)
  await old.open()
  await old.table('outbox').bulkPut(outbox)
  await old.table('results').put(result)
  await old.table('meta').bulkPut([{ key: 'auth', value: auth }, { key: 'clientId', value: 'c1' }, { key: 'nextMutationId', value: 3 }, { key: 'cookie', value: 'xid:42' }])
  await old.table('children').put({ id: 'ch-1', familyId: 'fam', firstName: 'Giulia', birthDate: '2020-01-01' })
  await extra(old)
  old.close()
}

describe('Dexie upgrades keep the outbox', () => {
  it('from version 1: pending mutations, refusals and the activation are kept; the mirror is pulled afresh', async () => {
    await seedOld(1, V1)
    const db = new ConciliappDb(name)
    await db.open()
    expect(await db.outbox.orderBy('id').toArray()).toEqual(outbox)
    expect(await db.results.toArray()).toEqual([result])
    expect((await db.meta.get('auth'))?.value).toEqual(auth)
    expect((await db.meta.get('nextMutationId'))?.value).toBe(3)
    expect(await db.meta.get('cookie')).toBeUndefined() // the mirror starts again from the first pull
    expect(await db.children.count()).toBe(0)
    // Every table of today's registry exists and can be written.
    for (const e of MIRROR_ENTITIES) expect(db.tables.map((t) => t.name)).toContain(MIRROR_TABLES[e].mirror)
    await db.childChanges.put({ id: 'h1', childId: 'ch-1', familyId: 'fam', field: 'note', before: null, after: 'x', changedAt: '2030-01-01T10:00:00Z', changedBy: 'parent', requestId: null })
    expect(await db.childChanges.count()).toBe(1)
    db.close()
  })

  it('from the first registry build (tables added since): everything is kept, mirror and cookie included', async () => {
    await seedOld(2, V2_FIRST, async (old) => {
      await old.table('messages').put({ id: 'm0', bookingId: 'b0', familyId: 'fam', providerId: 'p', authorRole: 'provider', body: 'Ciao', createdAt: '2030-01-01T08:00:00Z' })
    })
    // Dexie adds the missing tables itself (db.ts: no new version for an entity added to the
    // registry) and says so: one warning, and one line per table, taken here, not printed.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined)
    const db = new ConciliappDb(name)
    const said = await db.open().then(() => ({ warned: [...warn.mock.calls], created: [...debug.mock.calls] })).finally(() => {
      warn.mockRestore()
      debug.mockRestore()
    })
    expect(said.warned).toEqual([[expect.stringContaining('Dexie SchemaDiff: Schema was extended')]])
    const added = MIRROR_ENTITIES.filter((e) => !V2_FIRST[MIRROR_TABLES[e].mirror]).map((e) => MIRROR_TABLES[e].mirror)
    expect(said.created.map(([words, table]) => `${words} ${table}`).sort()).toEqual(added.map((t) => `Dexie: Creating missing table ${t}`).sort())
    expect(await db.outbox.orderBy('id').toArray()).toEqual(outbox)
    expect(await db.results.toArray()).toEqual([result])
    expect((await db.meta.get('cookie'))?.value).toBe('xid:42')
    expect(await db.children.get('ch-1')).toMatchObject({ firstName: 'Giulia' })
    expect(await db.messages.count()).toBe(1)
    for (const e of MIRROR_ENTITIES) expect(db.tables.map((t) => t.name)).toContain(MIRROR_TABLES[e].mirror)
    expect(await db.birthDateRequests.where('childId').equals('ch-1').count()).toBe(0) // its index exists
    db.close()
  })
})
