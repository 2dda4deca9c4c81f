/** The waiting list's rules the phone and the server share (no zod: the plan's screens load this). */
import type { WaitlistEntry } from './waitlist.schema.ts'

/** A waiting entry whose session has started: no place can free in time, so the wait is over (`expired`). */
export const waitingExpired = (entry: Pick<WaitlistEntry, 'status'>, session: { startsAt: string } | null | undefined, now: string): boolean =>
  entry.status === 'waiting' && !!session && Date.parse(session.startsAt) <= Date.parse(now)
