import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemo } from '../services/seed/demo-seed.ts'
import { rowCounts } from '../test/db-checks.ts'
import { createTestServer, type TestServer } from '../test/test-server.ts'
import { loadMigrations, migrate } from './migrate.ts'

let t: TestServer
beforeAll(async () => {
  t = await createTestServer({ seed: false })
})
afterAll(() => t.close())

describe('migrations', () => {
  it('are numbered upwards from 0001 and recorded once applied', async () => {
    const files = loadMigrations()
    expect(files[0]?.version).toBe(1)
    expect(files.map((m) => m.version)).toEqual([...new Set(files.map((m) => m.version))].sort((a, b) => a - b))
    const rows = await t.db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')
    expect(rows.map((r) => r.version)).toEqual(files.map((m) => m.version))
  })

  it('apply nothing the second time, even when several start at once', async () => {
    expect(await Promise.all([migrate(t.db), migrate(t.db), migrate(t.db)])).toEqual([[], [], []])
  })

  it('refuse a migration numbered before the latest applied one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mig-'))
    try {
      writeFileSync(join(dir, '0001_init.sql'), 'SELECT 1;')
      writeFileSync(join(dir, '0003_late.sql'), 'SELECT 1;')
      expect(loadMigrations(dir).map((m) => m.version)).toEqual([1, 3]) // a number handed to work not landed yet
      writeFileSync(join(dir, '0003_again.sql'), 'SELECT 1;')
      expect(() => loadMigrations(dir)).toThrow(/used twice/)
      rmSync(join(dir, '0003_again.sql'))
      writeFileSync(join(dir, 'bad name.sql'), 'SELECT 1;')
      expect(() => loadMigrations(dir)).toThrow(/NNNN_name/)
    } finally {
      rmSync(dir, { recursive: true })
    }
    await t.db.query("INSERT INTO schema_migrations (version, name) VALUES (99, 'future')")
    try {
      await expect(migrate(t.db, [...loadMigrations(), { version: 50, name: 'inserted_in_the_past', sql: 'SELECT 1' }])).rejects.toThrow(/before the latest/)
    } finally {
      await t.db.query('DELETE FROM schema_migrations WHERE version = 99')
    }
  })

  it('keep the invariants as CHECK constraints (the database is the backstop)', async () => {
    await seedDemo(t.deps, 1)
    const attempts = [
      "UPDATE sessions SET places_left = -1 WHERE id = 'ses-altana-babysitting-20261123'",
      "UPDATE sessions SET places_left = places + 1 WHERE id = 'ses-altana-babysitting-20261123'",
      "UPDATE vouchers SET balance_cents = balance_cents - 1 WHERE id = 'vch-0001-1'",
      "UPDATE vouchers SET balance_cents = -100, held_cents = held_cents + 100 WHERE id = 'vch-0001-1'",
      "UPDATE vouchers SET held_cents = 30001, balance_cents = -1 WHERE id = 'vch-0001-1'",
    ]
    for (const sql of attempts) await expect(t.db.query(sql), sql).rejects.toMatchObject({ code: '23514' })
  })
})

describe('demo seed', () => {
  it('is idempotent: a second run (or a concurrent one) inserts and bumps nothing', async () => {
    await seedDemo(t.deps, 2)
    const before = await rowCounts(t.db)
    const again = await Promise.all([seedDemo(t.deps, 2), seedDemo(t.deps, 2)])
    expect(again.map((s) => s.inserted)).toEqual([0, 0])
    expect(await rowCounts(t.db)).toEqual(before)
  })

  it('adds the sessions of new days on a later start, and more families when asked', async () => {
    const [before] = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM sessions')
    t.clock.set('2026-11-29T07:00:00.000Z')
    try {
      const later = await seedDemo(t.deps, 3)
      expect(later.codes.filter((c) => c.role === 'parent').map((c) => c.code)).toEqual(['FAM-0001', 'FAM-0002', 'FAM-0003', 'TXT-0001', 'TXT-0002', 'TXT-0003'])
      expect(later.inserted).toBeGreaterThan(0)
    } finally {
      t.clock.set('2026-11-22T07:00:00.000Z')
    }
    const [after] = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM sessions')
    expect(after?.n).toBeGreaterThan(before?.n ?? 0)
    const [fam] = await t.db.query<{ n: number }>("SELECT count(*) AS n FROM families WHERE id = 'fam-0003'")
    expect(fam?.n).toBe(1)
  })

  it('prints every code: families, 13 providers, the officer', async () => {
    const s = await seedDemo(t.deps, 3)
    const codes = s.codes.map((c) => c.code)
    expect(codes).toEqual(expect.arrayContaining(['FAM-0001', 'FAM-0003', 'PRV-ALTANA', 'PRV-KOALA', 'PRV-UMANA', 'PRV-ARCHE', 'PRV-CASALASCO', 'OFFICER-1']))
    expect(s.codes.filter((c) => c.role === 'provider' && c.programId === undefined)).toHaveLength(13)
    expect(s.codes.filter((c) => c.role === 'provider' && c.programId === 'prg-txt')).toHaveLength(4)
  })
})
