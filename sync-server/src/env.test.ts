import { describe, expect, it } from 'vitest'
import { parseEnv } from './env.ts'

describe('parseEnv', () => {
  it('defaults to port 8787, ./data, demo mode on the embedded database', () => {
    expect(parseEnv({})).toEqual({ port: 8787, host: '0.0.0.0', dataDir: './data', databaseUrl: undefined, demo: true, demoFamilies: 3 })
  })

  it('turns demo mode off with DATABASE_URL unless DEMO=1', () => {
    const url = 'postgres://u@h:5432/db'
    expect(parseEnv({ DATABASE_URL: url }).demo).toBe(false)
    expect(parseEnv({ DATABASE_URL: url, DEMO: '1' }).demo).toBe(true)
    expect(parseEnv({ DEMO: '0' }).demo).toBe(false)
    expect(parseEnv({ DATABASE_URL: '', DEMO: '' }).demo).toBe(true)
  })

  it('reads PORT, DATA_DIR and DEMO_FAMILIES, and rejects nonsense loudly', () => {
    expect(parseEnv({ PORT: '9000', DATA_DIR: '/tmp/x', DEMO_FAMILIES: '12' })).toMatchObject({ port: 9000, dataDir: '/tmp/x', demoFamilies: 12 })
    expect(() => parseEnv({ PORT: 'eighty' })).toThrow(/PORT/)
    expect(() => parseEnv({ DEMO_FAMILIES: '0' })).toThrow(/DEMO_FAMILIES/)
    expect(() => parseEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/)
    expect(() => parseEnv({ DEMO: 'maybe' })).toThrow(/DEMO/)
  })
})
