/**
 * The environment, parsed once with zod. The only module that reads process.env.
 * Demo mode: on when there is no DATABASE_URL (embedded database), or when DEMO=1.
 */
import { z } from 'zod'
import type { RateLimits } from './routes/rate-limit.ts'

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v))

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v)

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  // The built PWA to serve; unset: the repository's dist/ (the e2e app-update spec serves a copy it releases anew).
  STATIC_DIR: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.string().regex(/^postgres(ql)?:\/\//, 'postgres://… expected').optional()),
  DEMO: z.preprocess(emptyAsUndefined, flag.optional()),
  DEMO_FAMILIES: z.coerce.number().int().min(1).max(9999).default(3),
  // Rate limits (routes/rate-limit.ts): generous for people and test suites, strict for code guessing.
  RATE_LIMITS: z.preprocess(emptyAsUndefined, flag.default(true)),
  RATE_ADDRESS_BURST: z.coerce.number().int().positive().default(3000),
  RATE_ADDRESS_PER_MINUTE: z.coerce.number().positive().default(30_000),
  RATE_TOKEN_BURST: z.coerce.number().int().positive().default(2000),
  RATE_TOKEN_PER_MINUTE: z.coerce.number().positive().default(12_000),
  RATE_ACTIVATION_FAILURES_BURST: z.coerce.number().int().positive().default(50),
  RATE_ACTIVATION_FAILURES_PER_HOUR: z.coerce.number().positive().default(30),
  TRUST_PROXY: z.preprocess(emptyAsUndefined, flag.default(false)),
  // Emergency requests (issue 9): how often each process looks for expired deadlines and ended head starts.
  EMERGENCY_SWEEP_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  // Web Push (issue 9): the VAPID key pair (web-push's generateVAPIDKeys) and a contact (mailto: or https:).
  // Without them, demo mode generates a pair into DATA_DIR/vapid-keys.json; otherwise Web Push is off.
  VAPID_PUBLIC_KEY: z.preprocess(emptyAsUndefined, z.string().min(20).optional()),
  VAPID_PRIVATE_KEY: z.preprocess(emptyAsUndefined, z.string().min(20).optional()),
  VAPID_SUBJECT: z.preprocess(emptyAsUndefined, z.string().regex(/^(mailto:|https:\/\/)/, 'mailto: or https:// expected').optional()),
})

/** Every variable the server reads (docs/contract.md lists each: contract-doc.test.ts). */
export const ENV_VARS = Object.keys(EnvSchema.shape)

export interface Env {
  port: number
  host: string
  dataDir: string
  /** Where the built PWA is served from (unset: the repository's dist/). */
  staticDir: string | undefined
  databaseUrl: string | undefined
  demo: boolean
  demoFamilies: number
  rateLimits: RateLimits
  emergencySweepMs: number
  vapidPublicKey?: string
  vapidPrivateKey?: string
  vapidSubject?: string
}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = EnvSchema.safeParse(source)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`invalid environment:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    staticDir: e.STATIC_DIR,
    databaseUrl: e.DATABASE_URL,
    demo: e.DEMO ?? !e.DATABASE_URL,
    demoFamilies: e.DEMO_FAMILIES,
    emergencySweepMs: e.EMERGENCY_SWEEP_MS,
    vapidPublicKey: e.VAPID_PUBLIC_KEY,
    vapidPrivateKey: e.VAPID_PRIVATE_KEY,
    vapidSubject: e.VAPID_SUBJECT,
    rateLimits: {
      enabled: e.RATE_LIMITS,
      address: { burst: e.RATE_ADDRESS_BURST, perMinute: e.RATE_ADDRESS_PER_MINUTE },
      token: { burst: e.RATE_TOKEN_BURST, perMinute: e.RATE_TOKEN_PER_MINUTE },
      activationFailures: { burst: e.RATE_ACTIVATION_FAILURES_BURST, perMinute: e.RATE_ACTIVATION_FAILURES_PER_HOUR / 60 },
      trustProxy: e.TRUST_PROXY,
    },
  }
}

/** The limits when nothing is configured (an app built without `deps.rateLimits`, e.g. in tests). */
export const defaultRateLimits = (): RateLimits => parseEnv({}).rateLimits

/** The test suite's database: a real Postgres when TEST_DATABASE_URL is set, else PGlite in memory. */
export const testDatabaseUrl = (): string | undefined => emptyAsUndefined(process.env.TEST_DATABASE_URL) as string | undefined
