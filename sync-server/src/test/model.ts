/**
 * The in-memory model the property tests compare the server with: the shared mutators' MemoryState,
 * loaded from what the server holds now, as phones would see it (pulled by two families and an
 * officer: the catalogue and every booking from the officer, children and vouchers from the families).
 */
import type { Hono } from 'hono'
import type { z } from 'zod'
import { stateFrom, type MemoryState } from '../../../shared/mutators/memory-store.ts'
import { ENTITY_SCHEMAS } from '../../../shared/sync/protocol.ts'
import type { AppEnv } from '../routes/http.ts'
import { SyncClient } from './sync-client.ts'

export async function modelFromServer(app: Hono<AppEnv>, familyTokens: readonly string[], officerToken: string): Promise<MemoryState> {
  const families = familyTokens.map((token) => new SyncClient(app, token))
  const officer = new SyncClient(app, officerToken)
  await Promise.all([...families, officer].map((c) => c.pull()))
  const parse = <S extends z.ZodType>(schema: S, rows: unknown[]): z.infer<S>[] => rows.map((r) => schema.parse(r))
  const E = ENTITY_SCHEMAS
  return stateFrom({
    programs: parse(E.program, officer.rows('program')),
    services: parse(E.service, officer.rows('service')),
    operators: parse(E.operator, officer.rows('operator')),
    sessions: parse(E.session, officer.rows('session')),
    bookings: parse(E.booking, officer.rows('booking')),
    children: parse(E.child, families.flatMap((f) => f.rows('child'))),
    vouchers: parse(E.voucher, families.flatMap((f) => f.rows('voucher'))),
  })
}
