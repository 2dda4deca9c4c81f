/**
 * Pokes across server processes on one Postgres: publish = `pg_notify(channel, 'space,space…')`,
 * and one dedicated connection per process LISTENs and fans out to its local subscribers (the
 * process hears its own notifications too, so publish never emits locally). If the listening
 * connection drops it reconnects with backoff; pokes lost meanwhile are covered by the clients'
 * periodic pulls.
 *
 * Publishes are coalesced: while one NOTIFY is on its way, the spaces published meanwhile are merged
 * and go out together in the next one (one statement, one chunk per notification). Every NOTIFY is a
 * transaction of its own with a commit the database must flush, on the one listening connection; one
 * per push would queue all pushes behind each other (measured: bench/README.md).
 */
import pg from 'pg'
import { memoryNotifier, type Notifier } from './notifier.ts'

export const POKE_CHANNEL = 'conciliapp_poke'
const MAX_PAYLOAD = 7000 // NOTIFY payloads must stay under 8000 bytes

function chunks(spaces: readonly string[]): string[] {
  const out: string[] = []
  let current = ''
  for (const s of spaces) {
    if (current && current.length + s.length + 1 > MAX_PAYLOAD) {
      out.push(current)
      current = ''
    }
    current = current ? `${current},${s}` : s
  }
  if (current) out.push(current)
  return out
}

export async function pgNotifier(connectionString: string, channel = POKE_CHANNEL): Promise<Notifier> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name: ${channel}`)
  const local = memoryNotifier()
  let client: pg.Client | null = null
  let closed = false
  let retryMs = 500

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString })
    c.on('notification', (n) => {
      if (n.channel === channel && n.payload) void local.publish(n.payload.split(','))
    })
    c.on('error', () => {
      if (client === c) client = null
      void c.end().catch(() => undefined)
      if (!closed) setTimeout(() => void connect().catch(retryLater), retryMs)
    })
    await c.connect()
    await c.query(`LISTEN ${channel}`)
    client = c
    retryMs = 500
  }
  function retryLater(e: unknown): void {
    if (closed) return
    console.error('poke listener: cannot connect, retrying:', e instanceof Error ? e.message : e)
    retryMs = Math.min(retryMs * 2, 30_000)
    setTimeout(() => void connect().catch(retryLater), retryMs)
  }

  let pending = new Set<string>()
  let flushing: Promise<void> | null = null
  async function flush(): Promise<void> {
    while (pending.size > 0) {
      const spaces = [...pending]
      pending = new Set()
      const c = client
      if (!c) return // reconnecting: the phones' own pulls cover what is lost meanwhile
      await c.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [channel, chunks(spaces)])
    }
  }

  await connect()
  return {
    publish(spaces) {
      if (!client || spaces.length === 0) return Promise.resolve()
      for (const s of spaces) pending.add(s)
      // Resolves once these spaces have gone out (in this flush's next round, or a new flush).
      flushing ??= flush().finally(() => {
        flushing = null
      })
      return flushing
    },
    subscribe: (listener) => local.subscribe(listener),
    async close() {
      closed = true
      await local.close()
      await client?.end().catch(() => undefined)
      client = null
    },
  }
}
