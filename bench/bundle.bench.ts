/**
 * `npm run bench:bundle`: how much JavaScript the parent's first screen loads (issue 10: ≤ 100 KB gzip).
 * Reads the built PWA in dist/ (builds it first unless BENCH_NO_BUILD=1):
 * - the entry script of index.html, its modulepreloads and every chunk they import statically
 *   (`import … from "./x.js"`, not `import("./x.js")`): what the browser fetches and runs before the
 *   app can show anything;
 * - if the parent's first screens (the home and the plan, found by their component names) are not in
 *   that closure, the chunks holding them and their static imports are added: the first screen waits
 *   for them too;
 * - the chunks loaded on demand (everything else), listed by size.
 * Sizes are gzip level 9 of each file computed here, and the Brotli copies the build leaves beside
 * them (what the server sends to browsers that accept it).
 *
 * `--max-kb N` (or BUNDLE_MAX_KB): exit 1 when the first screen's gzip total is over N KB (CI).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

/** The parent's first screens (`/home`, and `/plan` where the cold-start bench opens the app). */
const FIRST_SCREENS = ['FamilyHomeView', 'PlanView']

export interface Chunk {
  file: string
  raw: number
  gzip: number
  brotli: number | null
}

export interface FirstScreen {
  entry: string
  /** What the first screen loads, in the order found. */
  initial: Chunk[]
  /** The rest of dist/assets/*.js, loaded on demand. */
  onDemand: Chunk[]
  /** The first screens that are only reached through a dynamic import (their chunks are in `initial`). */
  lazyScreens: string[]
  total: { raw: number; gzip: number; brotli: number }
}

const STATIC_IMPORT = /(?:^|[;}\s)])(?:import|export)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["'](\.\/[^"']+\.js)["']/g
const DYNAMIC_IMPORT = /import\(\s*["'](\.\/[^"']+\.js)["']\s*\)/g

export function staticImports(code: string): string[] {
  return [...code.matchAll(STATIC_IMPORT)].map((m) => m[1]!.slice(2))
}

export function measure(dist: string): FirstScreen {
  const html = readFileSync(join(dist, 'index.html'), 'utf8')
  const entry = /<script[^>]*type="module"[^>]*src="\/assets\/([^"]+\.js)"/.exec(html)?.[1]
  if (!entry) throw new Error('no module script in dist/index.html')
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!)
  const code = (file: string) => readFileSync(join(dist, 'assets', file), 'utf8')
  const all = new Set(spawnSync('ls', [join(dist, 'assets')], { encoding: 'utf8' }).stdout.split('\n').filter((f) => f.endsWith('.js')))

  const initial = new Set<string>()
  const visit = (file: string) => {
    if (initial.has(file)) return
    initial.add(file)
    for (const dep of staticImports(code(file))) visit(dep)
  }
  for (const f of [entry, ...preloads]) visit(f)

  // A first screen behind a lazy route: the first screen waits for its chunk and that chunk's imports.
  const lazyScreens: string[] = []
  const named = (file: string, screen: string) => [`"`, "'", "`"].some((q) => code(file).includes(`__name:${q}${screen}${q}`))
  for (const screen of FIRST_SCREENS) {
    if ([...initial].some((f) => named(f, screen))) continue
    const holder = [...all].find((f) => named(f, screen))
    if (!holder) throw new Error(`no chunk holds ${screen}`)
    lazyScreens.push(screen)
    visit(holder)
  }

  const sizeOf = (file: string): Chunk => {
    const buf = readFileSync(join(dist, 'assets', file))
    const br = join(dist, 'assets', `${file}.br`)
    return { file, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length, brotli: existsSync(br) ? readFileSync(br).length : null }
  }
  const initialChunks = [...initial].map(sizeOf)
  const onDemand = [...all].filter((f) => !initial.has(f)).map(sizeOf).sort((a, b) => b.gzip - a.gzip)
  const sum = (k: 'raw' | 'gzip' | 'brotli') => initialChunks.reduce((n, c) => n + (c[k] ?? c.gzip), 0)
  return { entry, initial: initialChunks, onDemand, lazyScreens, total: { raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') } }
}

/** Dynamic imports of a chunk (for the listing: who loads what on demand). */
export const dynamicImports = (code: string): string[] => [...code.matchAll(DYNAMIC_IMPORT)].map((m) => m[1]!.slice(2))

const kb = (n: number) => `${(n / 1000).toFixed(1)} KB`

function main() {
  const dist = join(process.cwd(), 'dist')
  if (process.env.BENCH_NO_BUILD !== '1') {
    const built = spawnSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] })
    if (built.status !== 0) throw new Error('npm run build failed')
  }
  const m = measure(dist)
  const row = (c: Chunk) => `  ${c.file.padEnd(44)} ${kb(c.raw).padStart(9)} ${kb(c.gzip).padStart(9)} ${(c.brotli === null ? '-' : kb(c.brotli)).padStart(9)}`
  console.log(`The parent's first screen (entry ${m.entry}, its modulepreloads and static imports${m.lazyScreens.length ? `, and the lazy chunks of ${m.lazyScreens.join(', ')}` : ''}):`)
  console.log(`  ${'file'.padEnd(44)} ${'raw'.padStart(9)} ${'gzip'.padStart(9)} ${'brotli'.padStart(9)}`)
  for (const c of [...m.initial].sort((a, b) => b.gzip - a.gzip)) console.log(row(c))
  console.log(`  ${'TOTAL'.padEnd(44)} ${kb(m.total.raw).padStart(9)} ${kb(m.total.gzip).padStart(9)} ${kb(m.total.brotli).padStart(9)}`)
  console.log(`\nOn demand (${m.onDemand.length} chunks, ${kb(m.onDemand.reduce((n, c) => n + c.gzip, 0))} gzip in all):`)
  for (const c of m.onDemand) console.log(row(c))

  const arg = process.argv.indexOf('--max-kb')
  const max = Number(arg >= 0 ? process.argv[arg + 1] : process.env.BUNDLE_MAX_KB ?? NaN)
  console.log(`\nFIRST SCREEN JS: ${kb(m.total.gzip)} gzip (${kb(m.total.brotli)} brotli) — goal ≤ 100 KB gzip`)
  if (Number.isFinite(max) && m.total.gzip > max * 1000) {
    console.error(`over the limit: ${kb(m.total.gzip)} > ${max} KB gzip`)
    process.exit(1)
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main()
