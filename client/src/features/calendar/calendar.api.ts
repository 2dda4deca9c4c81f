/** The family's calendar feed (architecture.md): online only, with the parent's token. */
import { requestJson } from '../../sync/http.ts'
import type { FetchFn } from '../../sync/http.ts'

export const subscribeFeed = (fetchFn: FetchFn, token: string) => requestJson<{ url: string }>(fetchFn, '/api/calendar/feed', { token, body: {} })

export async function revokeFeed(fetchFn: FetchFn, token: string): Promise<void> {
  const res = await fetchFn('/api/calendar/feed', { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })
  if (!res.ok && res.status !== 204) throw new Error(`calendar feed: ${res.status}`)
}
