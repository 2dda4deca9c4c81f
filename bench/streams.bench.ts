/**
 * bench:streams — one token tries to open 2,000 poke streams at once (issue 12: before the per-token
 * cap all 2,000 were served and the server grew to 511 MB). Prints how many are still open after the
 * burst, and the server's RSS before, at its peak during the burst (sampled every 5 ms) and after.
 */
import { readFileSync } from 'node:fs'
import { Agent, request } from 'undici'
import { activate, fmt, scratchDatabase, startServerProcess } from './lib.ts'

const STREAMS = Number(process.env.BENCH_STREAMS ?? 2000)
const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024

const db = await scratchDatabase('bench_streams')
// No rate limits here: the per-token and per-address buckets would stop the burst before the cap does.
const server = await startServerProcess({ DATABASE_URL: db.url, DEMO: '1', DEMO_FAMILIES: '1', RATE_LIMITS: '0' })
try {
  const token = await activate(server.url, 'FAM-0001')
  const before = rss(server.pid())
  let peak = before
  const sampler = setInterval(() => (peak = Math.max(peak, rss(server.pid()))), 5)
  const agent = new Agent({ connections: STREAMS + 10, pipelining: 0 })
  let open = 0
  let ended = 0
  const streams = await Promise.all(Array.from({ length: STREAMS }, async () => {
    const res = await request(`${server.url}/api/sync/poke`, { headers: { authorization: `Bearer ${token}` }, dispatcher: agent })
    open++
    res.body.on('end', () => ended++).on('error', () => ended++).resume()
    return res
  }))
  await new Promise((r) => setTimeout(r, 2000))
  clearInterval(sampler)
  const after = rss(server.pid())
  console.log(`bench:streams — one token opens ${fmt(STREAMS)} poke streams at once`)
  console.log(`  answered ${fmt(open)} (status ${[...new Set(streams.map((s) => s.statusCode))].join(', ')}); ended by the server ${fmt(ended)}; still open ${fmt(open - ended)}`)
  console.log(`  server RSS: ${fmt(before, 1)} MB before, peak ${fmt(peak, 1)} MB during, ${fmt(after, 1)} MB two seconds after`)
  await agent.destroy()
} finally {
  await server.stop()
  await db.drop()
}
