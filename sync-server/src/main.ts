/**
 * Serve: parse env, open the database (PGlite in DATA_DIR, or Postgres at DATABASE_URL), migrate,
 * seed the demo if in demo mode, then serve the API and the built PWA on 0.0.0.0:PORT so phones on
 * the LAN can reach it. SIGINT/SIGTERM close the server and the database cleanly (PGlite flushes).
 */
import { existsSync } from 'node:fs'
import type { Server } from 'node:http'
import { networkInterfaces } from 'node:os'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { createApp } from './app.ts'
import type { Db } from './db/db.ts'
import { migrate } from './db/migrate.ts'
import { openPglite } from './db/pglite.ts'
import { openPostgres } from './db/postgres.ts'
import { systemClock } from './deps.ts'
import { parseEnv } from './env.ts'
import { memoryNotifier, type Notifier } from './services/notify/notifier.ts'
import { pgNotifier } from './services/notify/pg-notifier.ts'
import { formatDemoCodes, seedDemo } from './services/seed/demo-seed.ts'
import { purgeExpired } from './services/privacy/retention.ts'
import { startEmergencySweep } from './services/emergency/sweep.ts'
import { startWaitlistSweep } from './services/waitlist/expire.ts'
import { loadVapidKeys } from './services/push/vapid.ts'
import { createWebPush } from './services/push/web-push.service.ts'

const REPO_DIST = fileURLToPath(new URL('../../dist/', import.meta.url))

function lanAddresses(port: number): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => `http://${a?.address}:${port}`)
}

async function main(): Promise<void> {
  const env = parseEnv()
  const distDir = env.staticDir ? resolve(env.staticDir) : REPO_DIST
  const db: Db = env.databaseUrl ? openPostgres(env.databaseUrl) : await openPglite(env.dataDir)
  console.log(env.databaseUrl ? 'Database: PostgreSQL (DATABASE_URL)' : `Database: embedded PGlite in ${env.dataDir}`)
  const applied = await migrate(db)
  if (applied.length > 0) console.log(`Migrations applied: ${applied.join(', ')}`)
  const notifier: Notifier = env.databaseUrl ? await pgNotifier(env.databaseUrl) : memoryNotifier()
  const vapid = loadVapidKeys(env)
  const webPush = vapid ? createWebPush({ db, clock: systemClock, demo: env.demo }, vapid) : null
  console.log(vapid ? 'Web Push: on' : 'Web Push: off (set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY)')
  const deps = { db, clock: systemClock, notifier, staticDir: distDir, rateLimits: env.rateLimits, demo: env.demo, webPush }

  if (env.demo) {
    const summary = await seedDemo(deps, env.demoFamilies, { past: true })
    console.log(formatDemoCodes(summary))
  }
  if (!existsSync(distDir)) console.log('No built app in dist/: run `npm run build` to serve the PWA (the API works without it).')

  // The retention schedule (services/privacy/retention.ts): at start, then once a day.
  const purge = () => void purgeExpired(deps).then(
    (r) => r.notes + r.messages + r.results + r.subscriptions > 0 &&
      console.log(`Retention purge: ${r.notes} notes, ${r.messages} messages, ${r.results} old results, ${r.subscriptions} push subscriptions of expired devices`),
    (e: unknown) => console.error('Retention purge failed:', e instanceof Error ? e.name : typeof e),
  )
  purge()
  const purgeTimer = setInterval(purge, 24 * 3_600_000)
  purgeTimer.unref()

  const app = createApp(deps)
  // Emergency requests past their deadline expire, head starts end (safe with several processes).
  const sweep = startEmergencySweep(deps, env.emergencySweepMs)
  // Waiting-list entries whose session has started end "expired" (checked once a minute).
  const waitlistSweep = startWaitlistSweep(deps, 60_000)
  const server = serve({ fetch: app.fetch, port: env.port, hostname: env.host }, (info) => {
    console.log(`Conciliapp listening on http://localhost:${info.port}`)
    for (const url of lanAddresses(info.port)) console.log(`  on your network: ${url}`)
  }) as Server
  server.on('error', (e: NodeJS.ErrnoException) => {
    console.error(e.code === 'EADDRINUSE' ? `Port ${env.port} is already in use: stop the other server or set PORT=…` : `Server error: ${e.message}`)
    void db.close().finally(() => process.exit(1))
  })

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`${signal}: shutting down`)
    server.close()
    server.closeAllConnections() // open poke streams would otherwise keep the server alive
    await sweep.stop()
    await waitlistSweep.stop()
    await notifier.close()
    await db.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

main().catch((e: unknown) => {
  console.error('Start-up failed:', e instanceof Error ? e.message : e)
  process.exit(1)
})
