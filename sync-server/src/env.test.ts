import { describe, expect, it } from 'vitest'
import { parseEnv } from './env.ts'

describe('parseEnv', () => {
  it('defaults to port 8787, ./data, demo mode on the embedded database', () => {
    expect(parseEnv({})).toMatchObject({ port: 8787, host: '0.0.0.0', dataDir: './data', databaseUrl: undefined, demo: true, demoFamilies: 3 })
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
    expect(parseEnv({}).staticDir).toBeUndefined()
    expect(parseEnv({ STATIC_DIR: '/tmp/app' }).staticDir).toBe('/tmp/app')
    expect(() => parseEnv({ PORT: 'eighty' })).toThrow(/PORT/)
    expect(() => parseEnv({ DEMO_FAMILIES: '0' })).toThrow(/DEMO_FAMILIES/)
    expect(() => parseEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/)
    expect(() => parseEnv({ DEMO: 'maybe' })).toThrow(/DEMO/)
  })

  it('has generous rate limits by default, strict for wrong activation codes, and reads them from RATE_*', () => {
    expect(parseEnv({}).rateLimits).toEqual({
      enabled: true,
      address: { burst: 3000, perMinute: 30_000 },
      token: { burst: 2000, perMinute: 12_000 },
      activationFailures: { burst: 50, perMinute: 0.5 },
      trustProxy: false,
    })
    expect(parseEnv({ RATE_LIMITS: '0', TRUST_PROXY: '1', RATE_TOKEN_BURST: '5', RATE_ACTIVATION_FAILURES_PER_HOUR: '6' }).rateLimits).toMatchObject({
      enabled: false, trustProxy: true, token: { burst: 5 }, activationFailures: { perMinute: 0.1 },
    })
    expect(() => parseEnv({ RATE_TOKEN_BURST: '0' })).toThrow(/RATE_TOKEN_BURST/)
    expect(() => parseEnv({ RATE_ADDRESS_PER_MINUTE: 'lots' })).toThrow(/RATE_ADDRESS_PER_MINUTE/)
    expect(() => parseEnv({ TRUST_PROXY: 'sometimes' })).toThrow(/TRUST_PROXY/)
  })
})
