/**
 * Plumbing for every test or benchmark that runs the server as a real process (system tests, the
 * end-to-end suite, bench/): a scratch Postgres database next to the one in TEST_DATABASE_URL (or the
 * benchmarks' admin URL), and real server processes (`node --import tsx sync-server/src/main.ts`) that
 * can be killed with SIGKILL and restarted on the same port and database. Every process started
 * here is tracked and killed by `stopAll()` (afterAll), by its own pid.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The Postgres the system tests need. Missing → a failure that says what to do, never a skip. */
export function systemDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL
  if (!url) {
    throw new Error('the system tests need a Postgres: TEST_DATABASE_URL=postgres://root@127.0.0.1:5432/test npm run test:system')
  }
  return url
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

export interface ScratchDatabase {
  url: string
  name: string
  drop(): Promise<void>
}

/** A fresh database on the server of `adminUrl` (the role needs CREATEDB); drop() removes it. */
export async function scratchDatabase(adminUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`
  const admin = new pg.Client(adminUrl)
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  return {
    url: withDatabase(adminUrl, name),
    name,
    async drop() {
      const a = new pg.Client(adminUrl)
      await a.connect()
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await a.end()
      }
    },
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}

const running = new Set<ChildProcess>()

export interface ServerProcess {
  readonly url: string
  readonly port: number
  /** The current child's pid (changes on restart). */
  pid(): number
  alive(): boolean
  /** Everything the current child printed. */
  output(): string
  /** SIGKILL, and wait until the process is gone. */
  kill(): Promise<void>
  /** Start again on the same port and environment (`changes` on top); resolves once /api/health answers 200. */
  restart(changes?: Record<string, string>): Promise<void>
  /** SIGTERM (clean shutdown), then SIGKILL if it lingers. */
  stop(): Promise<void>
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()))

/** Starts the real server: `env` on top of this process's (DATABASE_URL or DATA_DIR, DEMO…), HOST 127.0.0.1. */
export interface StartOptions {
  startTimeoutMs?: number
  /** Run the server of another checkout (benchmarks' A/B figures). */
  cwd?: string
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[]
}

export async function startServer(env: Record<string, string>, opts: StartOptions = {}): Promise<ServerProcess> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  let child: ChildProcess
  let out = ''

  async function launch(changes: Record<string, string> = {}): Promise<void> {
    out = ''
    const { TEST_DATABASE_URL: _t, DATABASE_URL: _d, DATA_DIR: _dd, ...base } = process.env
    child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', 'sync-server/src/main.ts'], {
      cwd: opts.cwd ?? ROOT,
      env: { ...base, HOST: '127.0.0.1', PORT: String(port), ...env, ...changes },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    running.add(child)
    const me = child
    me.once('exit', () => running.delete(me))
    me.stdout?.on('data', (d: Buffer) => (out += d.toString()))
    me.stderr?.on('data', (d: Buffer) => (out += d.toString()))
    const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000)
    for (;;) {
      if (me.exitCode !== null || me.signalCode !== null) throw new Error(`server exited while starting (${me.exitCode ?? me.signalCode}):\n${out}`)
      try {
        const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1000) })
        if (res.ok) return
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) {
        me.kill('SIGKILL')
        throw new Error(`server did not answer /api/health in time:\n${out}`)
      }
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  async function kill(): Promise<void> {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited(child)
  }

  await launch()
  return {
    url,
    port,
    pid: () => child.pid ?? -1,
    alive: () => child.exitCode === null && child.signalCode === null,
    output: () => out,
    kill,
    async restart(changes) {
      await kill()
      await launch(changes)
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited(child)
      clearTimeout(timer)
    },
  }
}

/** Kills whatever these tests started and is still running (afterAll; also after a failure). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map(async (c) => {
    c.kill('SIGKILL')
    await exited(c)
  }))
}

export async function activateOn(url: string, code: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/activate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  })
  if (res.status !== 200) throw new Error(`activate ${code}: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
