/**
 * `npm run bench:coldstart`: the phone's view in Debian's Chromium, with the CPU slowed 4× (a
 * mid-range phone): 1. an OFFLINE cold start of the plan with 500 bookings; 2. the time from a change
 * the phone pulls to the plan showing it. Figures only: nothing asserts (bench/README.md).
 *
 * Setup: the built PWA (`npm run build`, skipped with BENCH_NO_BUILD=1) served by the real server in
 * demo mode on a scratch Postgres (like the other benches: the bench adds rows with SQL while the
 * server runs). Demo sessions have a few places each and a child's voucher is €300, so the bench adds
 * one service (ages 0–18, €1 an hour) with 250 sessions, one a day from tomorrow, spread over the
 * program's providers, and stamps them in `row_versions` as the server's writes do, so pulls carry
 * them. Family FAM-0001's two children book every one of them through the real
 * `POST /api/sync/push` (`booking.request`, 100 per request): 500 bookings, €250 of each voucher.
 * A third of them are then confirmed by their providers (their own tokens, the same push), so the
 * plan has two kinds of card. The phone activates FAM-0001 in the browser and pulls everything.
 *
 * 1. Cold start: the service worker is installed; the context goes offline, the CPU is slowed
 *    (CDP `Emulation.setCPUThrottlingRate`), and `/plan` is reloaded BENCH_RUNS times (one reload
 *    before, not counted). Times are from the navigation's start (`performance.now()` in the page):
 *    - `first card`: the first `[data-testid="plan-item"]` is in the DOM, and the frame that shows it
 *      was painted (next animation frame, then a task: what the eye sees);
 *    - `whole list`: all 500 cards are in the DOM, and painted.
 * 2. Pulled change: the phone is online on `/plan` (CPU still slowed); a provider confirms one
 *    requested booking through the API; the phone pulls it (poke, or `sync-now` if no pull came
 *    within 3 s). From the moment the pull's JSON is parsed (a wrapper around `fetch` in the page
 *    notes when a pull answer holding that booking as confirmed was read) to the card's
 *    `data-state="confirmed"` in the DOM, and painted. BENCH_CHANGES times.
 *
 * Options: BENCH_BOOKINGS (500, even), BENCH_RUNS (9), BENCH_CHANGES (9), BENCH_CPU (4),
 * BENCH_NO_BUILD=1, BENCH_PROFILE=file.cpuprofile (one more cold start under the profiler), BENCH_TRACE=file.json (one more
 * cold start traced as DevTools' Performance panel does; its tasks over 50 ms are listed with what ran in them), BENCH_SERVER_DIR (serve another checkout's server and dist/, for A/B figures).
 */
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import pg from 'pg'
import { chromium, type Page } from 'playwright-core'
import { longTasks, navigationStartOf } from './long-tasks.ts'
import { activate, closeConnections, fmt, push, scratchDatabase, startServerProcess, type PushMutation } from './lib.ts'

const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 500)
const RUNS = Number(process.env.BENCH_RUNS ?? 9)
const CHANGES = Number(process.env.BENCH_CHANGES ?? 9)
const CPU = Number(process.env.BENCH_CPU ?? 4)
const SESSIONS = Math.ceil(BOOKINGS / 2)
const CHILDREN = ['chd-0001-1', 'chd-0001-2']
const cwd = process.env.BENCH_SERVER_DIR ?? process.cwd()

if (process.env.BENCH_NO_BUILD !== '1') {
  const built = spawnSync('npm', ['run', 'build'], { cwd, stdio: ['ignore', 'ignore', 'inherit'] })
  if (built.status !== 0) throw new Error('npm run build failed')
}

/** In the page, before the app: marks for the plan's cards and for pull answers read by the app. */
function pageProbe(expected: number) {
  type Marks = Record<string, number>
  const marks: Marks = {}
  const pulls: { t: number; confirmed: string[] }[] = []
  const painted = (key: string, then?: () => void) =>
    requestAnimationFrame(() => {
      const ch = new MessageChannel()
      ch.port1.onmessage = () => {
        marks[key] = performance.now()
        then?.()
      }
      ch.port2.postMessage(null)
    })
  let resolveList: (m: Marks) => void = () => {}
  const listDone = new Promise<Marks>((r) => (resolveList = r))
  let watched: { id: string; resolve: (m: Marks) => void } | null = null
  const w = window as unknown as Record<string, unknown>
  w.__bench = {
    marks,
    pulls,
    listDone,
    /** Resolves when the card of booking `id` shows `confirmed` (DOM and painted). */
    watchConfirmed(id: string) {
      return new Promise<Marks>((resolve) => {
        delete marks.changeDom
        delete marks.changePaint
        watched = { id, resolve }
        check()
      })
    },
  }
  // Long tasks (> 50 ms of the main thread, at the slowed CPU): how many, and the total blocking time
  // (each one's time beyond 50 ms, as Lighthouse counts it), until the first card and until the whole list.
  const longTasks: { start: number; duration: number }[] = []
  w.__bench = { ...(w.__bench as object), longTasks }
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration })
    }).observe({ type: 'longtask', buffered: true })
  } catch { /* no Long Tasks API: nothing counted */ }
  const cards = document.getElementsByClassName('plan-item') // live: counting costs nothing per DOM change
  function check() {
    if (marks.first === undefined || marks.all === undefined) {
      const n = cards.length
      if (n > 0 && marks.first === undefined) {
        marks.first = performance.now()
        painted('firstPaint')
      }
      if (n >= expected && marks.all === undefined) {
        marks.all = performance.now()
        painted('allPaint', () => resolveList(marks))
      }
    }
    if (watched && document.querySelector(`[data-testid="plan-item"][data-booking-id="${watched.id}"][data-state="confirmed"]`)) {
      const done = watched
      watched = null
      marks.changeDom = performance.now()
      painted('changePaint', () => done.resolve(marks))
    }
  }
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-state'] })
  const fetch0 = window.fetch
  window.fetch = async function (...args: Parameters<typeof fetch>) {
    const res = await fetch0.apply(this, args)
    const url = typeof args[0] === 'string' ? args[0] : args[0] instanceof URL ? args[0].href : args[0].url
    if (url.includes('/api/sync/pull') && res.ok) {
      const json0 = res.json.bind(res)
      res.json = async () => {
        const body = (await json0()) as { changes?: { entity: string; key: string; value?: { status?: string } }[] }
        const confirmed = (body.changes ?? []).filter((c) => c.entity === 'booking' && c.value?.status === 'confirmed').map((c) => c.key)
        pulls.push({ t: performance.now(), confirmed })
        return body
      }
    }
    return res
  }
}

/** In the page: rows per IndexedDB store of the app's database. */
async function rowCounts(): Promise<Record<string, number>> {
  const idb = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open('conciliapp')
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
  const names = [...idb.objectStoreNames]
  const tx = idb.transaction(names, 'readonly')
  const counts = await Promise.all(names.map((n) => new Promise<number>((resolve) => {
    const req = tx.objectStore(n).count()
    req.onsuccess = () => resolve(req.result)
  })))
  idb.close()
  return Object.fromEntries(names.map((n, i) => [n, counts[i] ?? 0]))
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN
}
const summary = (label: string, xs: number[]) =>
  console.log(`  ${label.padEnd(34)} median ${fmt(pct(xs, 50)).padStart(6)} ms   p95 ${fmt(pct(xs, 95)).padStart(6)} ms   min ${fmt(Math.min(...xs)).padStart(6)}   max ${fmt(Math.max(...xs)).padStart(6)}`)

const db = await scratchDatabase('bench_coldstart')
const server = await startServerProcess({ DATABASE_URL: db.url, DEMO: '1', DEMO_FAMILIES: '3', RATE_LIMITS: '0' })
const sql = new pg.Client(db.url)
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
try {
  await sql.connect()
  // One service every child fits, and SESSIONS sessions of it: one a day from tomorrow, over the providers.
  await sql.query(`INSERT INTO services (id, program_id, category, name, name_en, unit, age_min_years, age_max_years)
    VALUES ('svc-bench-plan', 'prg-conciliare', 'play-space', 'Spazio gioco (bench)', 'Play space (bench)', 'hour', 0, 18)`)
  const { rows: sessions } = await sql.query<{ id: string; provider_id: string }>(
    `INSERT INTO sessions (id, service_id, provider_id, territory_id, starts_at, ends_at, places, places_left, unit_price_cents, units_max, status)
     SELECT 'ses-plan-' || n, 'svc-bench-plan', p.id, p.territory_id,
            date_trunc('day', now()) + make_interval(days => n::int, hours => 9), date_trunc('day', now()) + make_interval(days => n::int, hours => 12),
            10, 10, 100, 4, 'open'
     FROM generate_series(1, $1::int) AS n
     JOIN (SELECT id, territory_id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS total
           FROM providers WHERE program_id = 'prg-conciliare') p ON p.k = (n - 1) % p.total
     RETURNING id, provider_id`, [SESSIONS])
  // Stamped as the server's writes stamp them, so the phone's pull carries them.
  await sql.query(`INSERT INTO row_versions (space, entity, key, deleted) VALUES ('program:prg-conciliare', 'service', 'svc-bench-plan', false)`)
  await sql.query(`INSERT INTO row_versions (space, entity, key, deleted)
    SELECT 'catalog:' || provider_id, 'session', id, false FROM sessions WHERE service_id = 'svc-bench-plan'`)

  // The demo's past deliveries have spent part of FAM-0001's vouchers: top them up so the 500 fit.
  await sql.query(`UPDATE vouchers SET amount_cents = amount_cents + 50000, balance_cents = balance_cents + 50000 WHERE family_id = 'fam-0001'`)
  const family = await activate(server.url, 'FAM-0001')
  const requests: PushMutation[] = sessions.flatMap((s, i) => CHILDREN.map((childId, c) => ({
    id: i * CHILDREN.length + c + 1, name: 'booking.request', args: { bookingId: `bk-${s.id}-${c + 1}`, childId, sessionId: s.id, quantity: 1 },
  }))).slice(0, BOOKINGS)
  let applied = 0
  for (let i = 0; i < requests.length; i += 100) {
    applied += (await push(server.url, family, 'bench-seed', requests.slice(i, i + 100))).filter((r) => r.status === 'applied').length
  }
  // A third confirmed by their providers; the rest stay requested (the pulled changes confirm some of those).
  const providerOf = new Map(sessions.map((s) => [s.id, s.provider_id]))
  const byProvider = new Map<string, string[]>()
  requests.forEach((m, i) => {
    if (i % 3 !== 0) return
    const a = m.args as { bookingId: string; sessionId: string }
    const p = providerOf.get(a.sessionId)!
    byProvider.set(p, [...(byProvider.get(p) ?? []), a.bookingId])
  })
  const tokens = new Map<string, string>()
  const providerToken = async (p: string) => tokens.get(p) ?? tokens.set(p, await activate(server.url, `PRV-${p.replace(/^prv-/, '').toUpperCase()}`)).get(p)!
  let confirmed = 0
  const nextId = new Map<string, number>()
  const confirm = async (p: string, ids: string[]) => {
    const first = nextId.get(p) ?? 1
    nextId.set(p, first + ids.length)
    const res = await push(server.url, await providerToken(p), `bench-${p}`, ids.map((bookingId, k) => ({ id: first + k, name: 'booking.confirm', args: { bookingId } })))
    return res.filter((r) => r.status === 'applied').length
  }
  for (const [p, ids] of byProvider) confirmed += await confirm(p, ids)
  console.log(`setup: ${applied} bookings applied (${sessions.length} sessions), ${confirmed} confirmed by their providers; CPU slowed ${CPU}×`)

  const context = await browser.newContext({
    baseURL: server.url, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    locale: 'it-IT', timezoneId: 'Europe/Rome', serviceWorkers: 'allow',
  })
  // As source text: tsx names inner functions through an `__name` helper the page does not have.
  await context.addInitScript({ content: `{ const __name = (f) => f; (${pageProbe.toString()})(${BOOKINGS}) }` })
  const setupPage = await context.newPage()
  await setupPage.goto('/activate')
  await setupPage.getByTestId('activate-code').fill('FAM-0001')
  await setupPage.getByTestId('activate-submit').click()
  await setupPage.evaluate(() => navigator.serviceWorker.ready.then(() => true))
  await setupPage.getByTestId('nav-plan').click()
  await setupPage.waitForFunction((n) => document.querySelectorAll('[data-testid="plan-item"]').length >= n, BOOKINGS, { timeout: 60_000, polling: 200 })
  await setupPage.waitForFunction(() => document.querySelector('[data-testid="sync-indicator"]')?.getAttribute('data-state') === 'synced', null, { timeout: 30_000, polling: 200 })
  // The page that was first loaded is not controlled yet: one reload puts it under the service worker.
  await setupPage.reload()
  await setupPage.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { polling: 200 })

  const listed = (p: Page) => p.evaluate(() => (window as unknown as { __bench: { listDone: Promise<Record<string, number>> } }).__bench.listDone)
  console.log(`rows on the phone: ${JSON.stringify(await setupPage.evaluate(`(() => { const __name = (f) => f; return (${rowCounts.toString()})() })()`))}`)
  await setupPage.close()
  /** A fresh tab with the CPU slowed and the service worker stopped (so it starts cold too), then /plan. */
  const coldPage = async () => {
    const p = await context.newPage()
    const cdp = await context.newCDPSession(p)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU })
    await cdp.send('ServiceWorker.enable')
    await cdp.send('ServiceWorker.stopAllWorkers')
    await cdp.send('Performance.enable')
    await p.goto('/plan', { waitUntil: 'commit' })
    return { p, cdp }
  }

  // 1. Offline cold start.
  await context.setOffline(true)
  const first: number[] = []
  const firstPaint: number[] = []
  const all: number[] = []
  const allPaint: number[] = []
  const spent: Record<string, number[]> = {}
  const blockingRuns: Record<string, number[]> = {}
  console.log(`\n1. offline cold start of /plan in a new tab, ${BOOKINGS} bookings (ms from navigation start; first run not counted)`)
  for (let run = 0; run <= RUNS; run++) {
    const { p, cdp } = await coldPage()
    const m = await listed(p)
    // Main-thread time by kind since the tab opened (CDP Performance; under the 4× slowdown).
    const { metrics } = await cdp.send('Performance.getMetrics')
    const ms = (name: string) => Math.round((metrics.find((x) => x.name === name)?.value ?? 0) * 1000)
    const busy = { script: ms('ScriptDuration'), style: ms('RecalcStyleDuration'), layout: ms('LayoutDuration'), tasks: ms('TaskDuration') }
    const tasks = await p.evaluate(() => (window as unknown as { __bench: { longTasks: { start: number; duration: number }[] } }).__bench.longTasks)
    const blocking = (until: number) => {
      const ts = tasks.filter((t) => t.start < until)
      return { n: ts.length, tbt: ts.reduce((a, t) => a + t.duration - 50, 0), longest: Math.max(0, ...ts.map((t) => t.duration)) }
    }
    const toFirst = blocking(m.firstPaint!)
    const toAll = blocking(m.allPaint!)
    const nav = await p.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined
      const marks = performance.getEntriesByType('mark').filter((e) => e.name.startsWith('view:')).map((e) => `${e.name} ${Math.round(e.startTime)}`)
      return { dcl: n?.domContentLoadedEventEnd ?? NaN, marks }
    })
    await p.close()
    if (run === 0) continue
    first.push(m.first!)
    firstPaint.push(m.firstPaint!)
    all.push(m.all!)
    allPaint.push(m.allPaint!)
    for (const [k, v] of Object.entries(busy)) (spent[k] ??= []).push(v)
    for (const [k, v] of Object.entries({ 'long tasks until the first card': toFirst.n, 'blocking time until the first card': toFirst.tbt, 'long tasks until all cards': toAll.n, 'blocking time until all cards': toAll.tbt, 'longest task until all cards': toAll.longest })) (blockingRuns[k] ??= []).push(v)
    console.log(`  run ${run}: DOMContentLoaded ${fmt(nav.dcl)}  first card ${fmt(m.first!)} (painted ${fmt(m.firstPaint!)})  all ${BOOKINGS} ${fmt(m.all!)} (painted ${fmt(m.allPaint!)})${nav.marks.length ? `  [${nav.marks.join(', ')}]` : ''}`)
    console.log(`         main thread until then: tasks ${fmt(busy.tasks)} ms = script ${fmt(busy.script)} + style ${fmt(busy.style)} + layout ${fmt(busy.layout)} + other`)
    console.log(`         long tasks (> 50 ms): ${toFirst.n} until the first card painted (blocking ${fmt(toFirst.tbt)} ms), ${toAll.n} until all painted (blocking ${fmt(toAll.tbt)} ms, longest ${fmt(toAll.longest)} ms): ${tasks.filter((t) => t.start < m.allPaint!).map((t) => `${fmt(t.start)}+${fmt(t.duration)}`).join(' ')}`)
    await new Promise((r) => setTimeout(r, 300))
  }
  if (process.env.BENCH_PROFILE) {
    // One more cold start under the profiler (Chrome DevTools' .cpuprofile; BENCH_PROFILE is the file).
    const p = await context.newPage()
    const cdp = await context.newCDPSession(p)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU })
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
    await cdp.send('Profiler.start')
    await p.goto('/plan', { waitUntil: 'commit' })
    await listed(p)
    const { profile } = await cdp.send('Profiler.stop')
    writeFileSync(process.env.BENCH_PROFILE, JSON.stringify(profile))
    console.log(`  (profile of one more cold start written to ${process.env.BENCH_PROFILE})`)
    await p.close()
  }
  if (process.env.BENCH_TRACE) {
    // One more cold start, traced (devtools.timeline and the V8 sampler: what DevTools' Performance panel records).
    const p = await context.newPage()
    const cdp = await context.newCDPSession(p)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU })
    await cdp.send('ServiceWorker.enable')
    await cdp.send('ServiceWorker.stopAllWorkers')
    const tracing = await browser.newBrowserCDPSession()
    const events: unknown[] = []
    tracing.on('Tracing.dataCollected', ({ value }) => events.push(...value))
    const complete = new Promise<void>((resolve) => tracing.on('Tracing.tracingComplete', () => resolve()))
    await tracing.send('Tracing.start', {
      transferMode: 'ReportEvents',
      traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', 'v8', 'blink.user_timing', 'loading', 'disabled-by-default-v8.cpu_profiler'] },
    })
    await p.goto('/plan', { waitUntil: 'commit' })
    const m = await listed(p)
    await new Promise((r) => setTimeout(r, 500))
    await tracing.send('Tracing.end')
    await complete
    writeFileSync(process.env.BENCH_TRACE, JSON.stringify({ traceEvents: events }))
    const trace = events as Parameters<typeof longTasks>[0]
    const start = navigationStartOf(trace, '/plan')
    console.log(`  traced cold start (${process.env.BENCH_TRACE}): first card painted ${fmt(m.firstPaint!)}, all painted ${fmt(m.allPaint!)}; tasks over 50 ms:`)
    for (const t of longTasks(trace, start)) {
      console.log(`    at ${fmt(t.start)} ms, ${fmt(t.duration)} ms: ${t.parts.map((x) => `${x.what} ${fmt(x.ms)}`).join('; ')}`)
      for (const f of t.functions) console.log(`        ${fmt(f.ms).padStart(4)} ms  ${f.what}`)
    }
    await tracing.detach()
    await p.close()
  }
  summary('first card in the DOM', first)
  summary('first card painted', firstPaint)
  summary(`all ${BOOKINGS} cards in the DOM`, all)
  summary(`all ${BOOKINGS} cards painted (= visible)`, allPaint)
  for (const [k, v] of Object.entries(spent)) summary(`main thread: ${k}`, v)
  for (const [k, v] of Object.entries(blockingRuns)) console.log(`  ${k.padEnd(34)} median ${fmt(pct(v, 50)).padStart(6)}${k.startsWith('long tasks') ? '   ' : ' ms'}   min ${fmt(Math.min(...v)).padStart(6)}   max ${fmt(Math.max(...v)).padStart(6)}`)

  // 2. A pulled change: a provider confirms one requested booking; the phone pulls it.
  await context.setOffline(false)
  const { p: page } = await coldPage()
  await listed(page)
  await page.waitForFunction(() => document.querySelector('[data-testid="sync-indicator"]')?.getAttribute('data-state') === 'synced', null, { timeout: 30_000, polling: 200 })
  const stillRequested = requests.map((m) => m.args as { bookingId: string; sessionId: string }).filter((_, i) => i % 3 !== 0)
  const toPaint: number[] = []
  const toDom: number[] = []
  console.log(`\n2. a pulled change (a provider confirms one booking) → the plan shows it (ms from the pull's answer read)`)
  for (let k = 0; k < CHANGES; k++) {
    const b = stillRequested[(k * 37) % stillRequested.length]!
    const watching = page.evaluate((id) => (window as unknown as { __bench: { watchConfirmed(id: string): Promise<Record<string, number>> } }).__bench.watchConfirmed(id), b.bookingId)
    await confirm(providerOf.get(b.sessionId)!, [b.bookingId])
    const pulled = () => page.evaluate((id) => (window as unknown as { __bench: { pulls: { confirmed: string[] }[] } }).__bench.pulls.some((p) => p.confirmed.includes(id)), b.bookingId)
    const deadline = Date.now() + 3000
    while (!(await pulled()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    const poked = await pulled()
    if (!poked) await page.getByTestId('sync-now').click()
    const m = await watching
    const t0 = await page.evaluate((id) => (window as unknown as { __bench: { pulls: { t: number; confirmed: string[] }[] } }).__bench.pulls.find((p) => p.confirmed.includes(id))!.t, b.bookingId)
    toDom.push(m.changeDom! - t0)
    toPaint.push(m.changePaint! - t0)
    console.log(`  change ${k + 1} (${poked ? 'poke' : 'sync-now'}): in the DOM after ${fmt(m.changeDom! - t0)} ms, painted after ${fmt(m.changePaint! - t0)} ms`)
    await new Promise((r) => setTimeout(r, 1000))
  }
  summary('pulled change → card in the DOM', toDom)
  summary('pulled change → card painted', toPaint)
  await context.close()
} finally {
  await browser.close()
  await sql.end().catch(() => {})
  await closeConnections()
  await server.stop()
  await db.drop()
}
