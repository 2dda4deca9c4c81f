/**
 * What the page's long tasks are made of, from a Chrome trace (`devtools.timeline` with the V8 sampling
 * profiler, as DevTools' Performance panel records it): each task of the renderer's main thread over
 * 50 ms, what ran in it (script evaluation of which file, timers, animation frames, events, parsing,
 * style, layout, GC) and the functions the profiler's samples found in it, by self time. Used by
 * `bench:coldstart` with BENCH_TRACE (figures only, nothing asserts).
 */

interface TraceEvent {
  name: string
  cat: string
  ph: string
  ts: number
  dur?: number
  pid: number
  tid: number
  id?: string
  args?: { name?: string; data?: Record<string, unknown> & { cpuProfile?: CpuProfileChunk; timeDeltas?: number[]; startTime?: number; url?: string; functionName?: string; type?: string; message?: string } }
}
interface CpuProfileChunk {
  nodes?: { id: number; parent?: number; callFrame: { functionName: string; url: string; lineNumber?: number } }[]
  samples?: number[]
}

export interface LongTask {
  start: number
  duration: number
  parts: { what: string; ms: number }[]
  functions: { what: string; ms: number }[]
}

const short = (url: string | undefined) => (url ? url.replace(/^.*\/(assets\/)?/, '') || url : '')

/** The main thread of the page's renderer: the `CrRendererMain` with the most task time. */
function mainThread(events: TraceEvent[]): { pid: number; tid: number } | null {
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`))
  const busy = new Map<string, number>()
  for (const e of events) {
    if (e.name !== 'RunTask' || e.ph !== 'X') continue
    const k = `${e.pid}:${e.tid}`
    if (mains.has(k)) busy.set(k, (busy.get(k) ?? 0) + (e.dur ?? 0))
  }
  const best = [...busy].sort((a, b) => b[1] - a[1])[0]
  if (!best) return null
  const [pid, tid] = best[0].split(':').map(Number)
  return { pid: pid!, tid: tid! }
}

/** Samples of the V8 profiler on that thread: [time µs, node id] and the nodes. */
function samplesOf(events: TraceEvent[], pid: number, tid: number) {
  const nodes = new Map<number, { parent?: number; name: string }>()
  const samples: { ts: number; node: number }[] = []
  const profiles = new Map<string, { t: number }>()
  for (const e of events) {
    if (e.pid !== pid) continue
    if (e.name === 'Profile' && e.tid === tid && e.id) profiles.set(e.id, { t: e.args?.data?.startTime ?? e.ts })
    if (e.name !== 'ProfileChunk' || !e.id || !profiles.has(e.id)) continue
    const p = profiles.get(e.id)!
    const chunk = e.args?.data?.cpuProfile
    for (const n of chunk?.nodes ?? []) {
      const f = n.callFrame
      nodes.set(n.id, { parent: n.parent, name: `${f.functionName || '(anonymous)'} ${short(f.url)}${f.url ? `:${(f.lineNumber ?? 0) + 1}` : ''}`.trim() })
    }
    const deltas = e.args?.data?.timeDeltas ?? []
    ;(chunk?.samples ?? []).forEach((s, i) => {
      p.t += deltas[i] ?? 0
      samples.push({ ts: p.t, node: s })
    })
  }
  return { nodes, samples: samples.sort((a, b) => a.ts - b.ts) }
}

/** The long tasks of the page's main thread between `from` and `to` (trace µs), biggest first. */
export function longTasks(events: TraceEvent[], navigationStart: number, threshold = 50): LongTask[] {
  const main = mainThread(events)
  if (!main) return []
  const own = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined && e.ts >= navigationStart)
  const tasks = own.filter((e) => e.name === 'RunTask' && e.dur! > threshold * 1000)
  const { nodes, samples } = samplesOf(events, main.pid, main.tid)
  const IDLE = new Set(['(idle)', '(root)', '(program)'])
  return tasks.map((task) => {
    const end = task.ts + task.dur!
    const inside = own.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= end)
    const parts = new Map<string, number>()
    // Only the outermost events of interest inside the task, so nothing counts twice.
    const KINDS: Record<string, (e: TraceEvent) => string> = {
      EvaluateScript: (e) => `evaluate ${short(e.args?.data?.url)}`,
      'v8.evaluateModule': (e) => `evaluate module ${short(e.args?.data?.url as string)}`,
      FunctionCall: (e) => `call ${e.args?.data?.functionName || '(anonymous)'} ${short(e.args?.data?.url)}`.trim(),
      TimerFire: () => 'timer',
      FireAnimationFrame: () => 'animation frame',
      EventDispatch: (e) => `event ${e.args?.data?.type ?? ''}`,
      ParseHTML: () => 'parse HTML',
      UpdateLayoutTree: () => 'style',
      Layout: () => 'layout',
      Paint: () => 'paint',
      PrePaint: () => 'pre-paint',
      'v8.compile': (e) => `compile ${short(e.args?.data?.url)}`,
      'v8.compileModule': (e) => `compile module ${short(e.args?.data?.url as string)}`,
      MajorGC: () => 'GC (major)',
      MinorGC: () => 'GC (minor)',
      RunMicrotasks: () => 'microtasks',
      'V8.RunMicrotasks': () => 'microtasks',
    }
    const outer = inside.filter((e) => KINDS[e.name]).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!)
    let until = 0
    for (const e of outer) {
      if (e.ts < until) continue
      until = e.ts + e.dur!
      const what = KINDS[e.name]!(e)
      parts.set(what, (parts.get(what) ?? 0) + e.dur! / 1000)
    }
    const fns = new Map<string, number>()
    const inTask = samples.filter((s) => s.ts >= task.ts && s.ts < end)
    for (let i = 0; i < inTask.length; i++) {
      const s = inTask[i]!
      const next = inTask[i + 1]?.ts ?? end
      const name = nodes.get(s.node)?.name ?? '?'
      if (IDLE.has(name.split(' ')[0]!)) continue
      fns.set(name, (fns.get(name) ?? 0) + (next - s.ts) / 1000)
    }
    const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).filter(([, ms]) => ms >= 1).map(([what, ms]) => ({ what, ms }))
    return { start: (task.ts - navigationStart) / 1000, duration: task.dur! / 1000, parts: top(parts, 8), functions: top(fns, 8) }
  })
}

/** The navigation's start in trace time: the `navigationStart` of the main frame loading `path` in that renderer. */
export function navigationStartOf(events: TraceEvent[], path: string): number {
  const main = mainThread(events)
  const nav = events.filter((e) => e.name === 'navigationStart' && (!main || e.pid === main.pid) && String(e.args?.data?.documentLoaderURL ?? '').includes(path))
  return nav.sort((a, b) => a.ts - b.ts)[0]?.ts ?? 0
}
