/**
 * The transaction contract both adapters keep (db.ts): statements `send` without waiting still run
 * in order inside the transaction; the FIRST failure is the one reported (not the "transaction is
 * aborted" that follows it), whether it surfaces at the next `query` or at COMMIT; and nothing of a
 * failed transaction is kept. Prepared statements (Postgres) survive a failure. PGlite or Postgres.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestServer, type TestServer } from '../test/test-server.ts'
import { sqlState } from './db.ts'

let t: TestServer
beforeAll(async () => {
  t = await createTestServer({ seed: false })
  await t.db.exec('CREATE TABLE tx_probe (id int PRIMARY KEY, v int NOT NULL CHECK (v >= 0))')
})
afterAll(() => t.close())

const ids = async () => (await t.db.query<{ id: number }>('SELECT id FROM tx_probe ORDER BY id')).map((r) => r.id)

describe('transactions with statements sent ahead', () => {
  it('run sent statements in order and commit them', async () => {
    const seen = await t.db.transaction(async (tx) => {
      tx.send('INSERT INTO tx_probe (id, v) VALUES ($1, $2)', [1, 1])
      tx.send('UPDATE tx_probe SET v = v + $2 WHERE id = $1', [1, 10])
      return tx.query<{ v: number }>('SELECT v FROM tx_probe WHERE id = $1', [1])
    })
    expect(seen).toEqual([{ v: 11 }])
    expect(await ids()).toEqual([1])
  })

  it('report the first failure at the next query, and keep nothing', async () => {
    const attempt = t.db.transaction(async (tx) => {
      tx.send('INSERT INTO tx_probe (id, v) VALUES ($1, $2)', [2, 1])
      tx.send('INSERT INTO tx_probe (id, v) VALUES ($1, $2)', [3, -1]) // CHECK fails
      tx.send('INSERT INTO tx_probe (id, v) VALUES ($1, $2)', [4, 1])
      await tx.query('SELECT 1 AS one WHERE $1::int = 1', [1])
      return 'should not get here'
    })
    await expect(attempt).rejects.toSatisfy((e: unknown) => sqlState(e) === '23514') // check_violation, not 25P02
    expect(await ids()).toEqual([1])
  })

  it('report a failure sent last at COMMIT, and keep nothing', async () => {
    const attempt = t.db.transaction(async (tx) => {
      tx.send('INSERT INTO tx_probe (id, v) VALUES ($1, $2)', [5, 1])
      tx.send('INSERT INTO tx_probe (id, v) VALUES ($1, $2)', [1, 1]) // duplicate key
    })
    await expect(attempt).rejects.toSatisfy((e: unknown) => sqlState(e) === '23505')
    expect(await ids()).toEqual([1])
  })

  it('never report as done a transaction whose failure the callback swallowed', async () => {
    const attempt = t.db.transaction(async (tx) => {
      await tx.query('INSERT INTO tx_probe (id, v) VALUES ($1, $2)', [6, -1]).catch(() => undefined)
      tx.send('INSERT INTO tx_probe (id, v) VALUES ($1, $2)', [7, 1])
    })
    await expect(attempt).rejects.toBeDefined()
    expect(await ids()).toEqual([1])
  })

  it('keep working after failures (prepared statements included)', async () => {
    for (let i = 0; i < 8; i++) {
      await expect(t.db.transaction(async (tx) => {
        tx.send('INSERT INTO tx_probe (id, v) VALUES ($1, $2)', [100 + i, -1])
      })).rejects.toBeDefined()
      await t.db.transaction(async (tx) => {
        tx.send('INSERT INTO tx_probe (id, v) VALUES ($1, $2)', [200 + i, 1])
      })
    }
    expect((await ids()).filter((id) => id >= 100)).toEqual([200, 201, 202, 203, 204, 205, 206, 207])
  })
})

describe('genericPlans (the push path)', () => {
  it('plans each statement once, as index lookups, in that transaction only (Postgres; PGlite ignores it)', async () => {
    const settings = "SELECT current_setting('plan_cache_mode') AS mode, current_setting('enable_seqscan') AS seqscan"
    const inside = await t.db.transaction((tx) => tx.query<{ mode: string; seqscan: string }>(settings), { genericPlans: true })
    const after = await t.db.transaction((tx) => tx.query<{ mode: string; seqscan: string }>(settings))
    expect(after).toEqual([{ mode: 'auto', seqscan: 'on' }])
    expect(inside).toEqual(t.db.kind === 'postgres' ? [{ mode: 'force_generic_plan', seqscan: 'off' }] : after)
  })
})
