/**
 * The environment, parsed once with zod. The only module that reads process.env.
 * Demo mode: on when there is no DATABASE_URL (embedded database), or when DEMO=1.
 */
import { z } from 'zod'

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v))

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v)

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.string().regex(/^postgres(ql)?:\/\//, 'postgres://… expected').optional()),
  DEMO: z.preprocess(emptyAsUndefined, flag.optional()),
  DEMO_FAMILIES: z.coerce.number().int().min(1).max(9999).default(3),
})

export interface Env {
  port: number
  host: string
  dataDir: string
  databaseUrl: string | undefined
  demo: boolean
  demoFamilies: number
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
    databaseUrl: e.DATABASE_URL,
    demo: e.DEMO ?? !e.DATABASE_URL,
    demoFamilies: e.DEMO_FAMILIES,
  }
}

/** The test suite's database: a real Postgres when TEST_DATABASE_URL is set, else PGlite in memory. */
export const testDatabaseUrl = (): string | undefined => emptyAsUndefined(process.env.TEST_DATABASE_URL) as string | undefined
