/** Direct calls to the real server's contract API, for setting up races the browser then meets. */
import { eligibility, isUpcoming, PROTOCOL_VERSION, type Booking, type Child, type Message, type PullResponse, type Session, type Service, type Provider } from '../../shared/index.ts'

/** Activates a code and returns its bearer token. */
export { activateOn as activate } from '../../sync-server/test/processes.ts'

export interface Snapshot {
  sessions: Session[]
  services: Service[]
  providers: Provider[]
  children: Child[]
  bookings: Booking[]
  messages: Message[]
}

export async function pullAll(url: string, token: string): Promise<Snapshot> {
  const res = await fetch(`${url}/api/sync/pull`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, clientGroupId: 'e2e-probe', cookie: null }),
  })
  if (!res.ok) throw new Error(`pull: ${res.status} ${await res.text()}`)
  const body = (await res.json()) as PullResponse
  const of = <T>(entity: string) => body.changes.filter((c) => c.entity === entity && c.op === 'put').map((c) => c.value as T)
  return {
    sessions: of<Session>('session'),
    services: of<Service>('service'),
    providers: of<Provider>('provider'),
    children: of<Child>('child'),
    bookings: of<Booking>('booking'),
    messages: of<Message>('message'),
  }
}

export async function push(url: string, token: string, clientId: string, id: number, name: string, args: unknown) {
  const res = await fetch(`${url}/api/sync/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      protocolVersion: PROTOCOL_VERSION, clientGroupId: clientId,
      mutations: [{ clientId, id, name, args, createdAt: new Date().toISOString() }],
    }),
  })
  if (!res.ok) throw new Error(`push: ${res.status} ${await res.text()}`)
  return (await res.json()) as { results: { status: string; code?: string }[] }
}

/** The sessions `childId` may book that start after tomorrow (the shared rules: open, not started, age), soonest first. */
export function bookableFor(snap: Snapshot, childId: string): Session[] {
  const child = snap.children.find((c) => c.id === childId)
  if (!child) throw new Error(`no child ${childId} in the snapshot`)
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString()
  return snap.sessions
    .filter((s) => {
      const service = snap.services.find((v) => v.id === s.serviceId)
      return !!service && isUpcoming(s, tomorrow) && eligibility(child.birthDate, service, s).fits
    })
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
}
