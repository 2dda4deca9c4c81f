/**
 * The prefetch reads the entities read without a lock in one statement, each row as a JSON array (prefetch.ts):
 * a row must come out exactly as a read by id gives it (db/types.ts: timestamptz as ISO in UTC to the
 * millisecond, dates as 'YYYY-MM-DD', int8 as numbers, booleans, nulls), or a mutator would see one
 * value batched and another alone. PGlite by default, Postgres with TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { def, ENTITY_NAMES, LOCK_ORDER } from '../../../../shared/entities/registry.ts'
import type { AnyRow } from '../../../../shared/mutators/overlay-store.ts'
import type { Read } from '../../../../shared/mutators/store.ts'
import { createTestServer, type TestServer } from '../../test/test-server.ts'
import { fetchPlans, planReads } from './prefetch.ts'
import { sqlOf } from './sql.ts'

let t: TestServer
beforeAll(async () => {
  t = await createTestServer({ families: 2 })
})
afterAll(() => t.close())

describe('prefetch of the entities read without a lock', () => {
  it('gives every row exactly as a read by id does, in one statement for all of them', async () => {
    const unlocked = ENTITY_NAMES.filter((e) => !def(e).lock)
    // Values the text protocol renders in more than one way: microseconds, another zone's offset, nulls.
    await t.db.query("UPDATE providers SET suspended_at = '2026-11-23 09:00:00.123456+01', suspension_reason = 'prova' WHERE id = (SELECT min(id) FROM providers)")
    await t.db.query("UPDATE children SET disability = true, dsa = NULL WHERE id = (SELECT min(id) FROM children)")
    const ids = new Map<string, string[]>()
    for (const e of unlocked) ids.set(e, (await t.db.query<{ id: string }>(`SELECT id FROM ${def(e).table} ORDER BY id LIMIT 5`)).map((r) => r.id))
    const reads: Read[] = unlocked.flatMap((e) => [...ids.get(e)!, 'absent-id'].map((id) => ({ entity: e, id })))
    const plans = planReads(reads)
    const sent: string[] = []
    const fetched = await t.db.transaction((tx) => fetchPlans({ ...tx, query: (sql, params) => (sent.push(sql), tx.query(sql, params)) }, plans))
    expect(sent).toHaveLength(1)
    expect(plans.every((p) => !LOCK_ORDER.includes(p.entity))).toBe(true)
    let compared = 0
    for (const [i, p] of plans.entries()) {
      const byId = await t.db.query<AnyRow>(sqlOf(p.entity).byIds, [ids.get(p.entity)])
      const got = [...fetched[i]!].sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1))
      expect(got, p.entity).toEqual(byId)
      compared += byId.length
    }
    expect(compared).toBeGreaterThan(20)
    const suspended = fetched[plans.findIndex((p) => p.entity === 'provider')]!.find((r) => r.suspendedAt !== null)
    expect(suspended?.suspendedAt).toBe('2026-11-23T08:00:00.123Z')
  })
})
