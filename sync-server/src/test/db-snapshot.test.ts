/**
 * The property tests' fresh start (db-snapshot.ts): after runs that book, deliver (the office
 * rollups' triggers), join a waiting list (its count trigger), write ledger rows (a bigserial) and
 * activate devices, `restore()` gives back every table's rows exactly (the rollups not counted
 * twice), the sequences where they were, the triggers on, and an app that works on the restored rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../db/db.ts'
import { invariantViolations } from './db-checks.ts'
import { snapshotDb } from './db-snapshot.ts'
import { activateAll } from './sync-client.ts'
import { createTestServer, TEST_NOW, type TestServer } from './test-server.ts'

let t: TestServer

/** Every table of the test's schema, its rows as JSON in a stable order. */
async function contents(db: Db): Promise<Record<string, unknown>> {
  const tables = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY 1`)
  const out: Record<string, unknown> = {}
  for (const { name } of tables) {
    const [row] = await db.query<{ rows: string }>(`SELECT coalesce(json_agg(x ORDER BY x::text), '[]')::text AS rows FROM "${name}" x`)
    out[name] = row?.rows
  }
  return out
}

const hours = async () => (await t.db.query<{ n: number }>('SELECT coalesce(sum(delivered), 0)::int AS n FROM delivery_hours'))[0]?.n ?? -1

/** A family books the one place of a session, the provider confirms and delivers, the other child waits for a place. */
async function write(run: number): Promise<void> {
  const [fam, prv] = await activateAll(t.app, ['FAM-0001', 'PRV-ALTANA'])
  const bookingId = `bkg-snapshot-${run}`
  const day = run === 0 ? 14 : 15
  const sessionId = `ses-altana-babysitting-202612${day}`
  expect((await fam.push('booking.request', { bookingId, childId: 'chd-0001-1', sessionId, quantity: 2 })).status).toBe('applied')
  expect((await prv.push('booking.confirm', { bookingId })).status).toBe('applied')
  t.clock.set(`2026-12-${day}T12:00:00.000Z`)
  expect((await prv.push('booking.deliver', { bookingId })).status).toBe('applied')
  t.clock.set(TEST_NOW)
  const join = await fam.push('waitlist.join', { entryId: `wle-snapshot-${run}`, childId: 'chd-0001-2', sessionId, quantity: 1 })
  expect([join.status, join.code]).toEqual(['applied', undefined])
}

beforeAll(async () => {
  t = await createTestServer({ families: 2 })
  await t.db.query('UPDATE sessions SET places = 1, places_left = 1 WHERE id = ANY($1)', [['ses-altana-babysitting-20261214', 'ses-altana-babysitting-20261215']])
  await write(0) // the snapshots hold a delivery (rollup rows) and a waiting-list entry
})
afterAll(() => t.close())

describe.each([
  ['as a superuser (session_replication_role)', false],
  ['table by table (ALTER TABLE … DISABLE TRIGGER USER, for a role that is not one)', true],
])('%s', (_, perTable) => {
  it('puts back every row and sequence, with the triggers on, after runs that wrote through the app', async () => {
    const snap = perTable ? await snapshotDb(t.db, { perTable }) : await t.snapshot()
    try {
      const before = await contents(t.db)
      expect(Object.keys(before).length).toBeGreaterThan(20)
      const delivered = await hours()
      expect(delivered).toBeGreaterThan(0)
      const [nextLedger] = await t.db.query<{ n: number }>(`SELECT nextval('voucher_ledger_id_seq') AS n`)
      await snap.restore()
      for (let run = 1; run <= 2; run++) {
        // Each run books the same ids: on rows left by the run before, the request would be refused.
        await write(1)
        expect(await hours()).toBeGreaterThan(delivered)
        expect(await contents(t.db)).not.toEqual(before)
        await snap.restore()
        expect(await contents(t.db)).toEqual(before)
        // The sequence too: the next ledger row gets the id it would have got before the run.
        const [next] = await t.db.query<{ n: number }>(`SELECT nextval('voucher_ledger_id_seq') AS n`)
        expect(next?.n).toBe(nextLedger?.n)
        await snap.restore()
      }
      expect(await invariantViolations(t.db)).toEqual([])
    } finally {
      if (perTable) await snap.drop()
    }
  })
})
