/**
 * The sync contract (architecture.md, "Sync protocol"): push and pull envelopes, results, changes.
 * Both sides parse with these schemas; the server refuses anything that does not parse (400).
 */
import { z } from 'zod'
import { REJECTION_CODES } from '../errors.ts'
import { ENTITIES, type EntityName, type Row } from '../entities/registry.ts'
import { IsoDateTime, Text } from '../ids.ts'

/** Bumped when the envelopes change incompatibly; an older client is told `version-skew`. */
export const PROTOCOL_VERSION = 1

/**
 * Sessions that ended longer ago than this, and that no booking refers to, are left out of a first
 * pull (server) and dropped from a phone's mirror (client): after a year a catalogue is mostly past
 * sessions, which a phone would download and re-read to show none. One that changes again comes
 * with the next pull, like any change (docs/sync.md).
 */
export const PAST_SESSIONS_KEPT_DAYS = 7

/** The instant before which a session that ended is "long past" (ISO 8601, UTC), for `now`. */
export const pastSessionsHorizon = (now: Date): string => new Date(now.getTime() - PAST_SESSIONS_KEPT_DAYS * 86_400_000).toISOString()
export const MAX_MUTATIONS_PER_PUSH = 1000

const ClientId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/)

export const Mutation = z.object({
  clientId: ClientId,
  id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  name: z.string().min(1).max(64),
  args: z.unknown(),
  createdAt: IsoDateTime,
})
export type Mutation = z.infer<typeof Mutation>

export const PushRequest = z.object({
  protocolVersion: z.number().int(),
  clientGroupId: ClientId,
  mutations: z.array(Mutation).max(MAX_MUTATIONS_PER_PUSH),
})
export type PushRequest = z.infer<typeof PushRequest>

export const MutationResult = z.object({
  clientId: ClientId,
  id: z.number().int(),
  status: z.enum(['applied', 'rejected', 'already-processed']),
  code: z.enum(REJECTION_CODES).optional(),
  message: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
})
export type MutationResult = z.infer<typeof MutationResult>

export const PushResponse = z.object({ results: z.array(MutationResult) })
export type PushResponse = z.infer<typeof PushResponse>

export const PullRequest = z.object({
  protocolVersion: z.number().int(),
  clientGroupId: ClientId,
  cookie: z.string().max(10_000).nullable(),
  /** Extension: per client, the highest mutation id whose result the phone has stored; older results are not resent. */
  resultsAcked: z.record(ClientId, z.number().int().nonnegative()).optional(),
})
export type PullRequest = z.infer<typeof PullRequest>

/** Entity name → schema of the value pulled for it (contract names), from the registry. */
export const ENTITY_SCHEMAS = Object.fromEntries(Object.entries(ENTITIES).map(([name, d]) => [name, d.schema])) as {
  [E in EntityName]: (typeof ENTITIES)[E]['schema']
}
export type { EntityName }
export { ENTITY_NAMES } from '../entities/registry.ts'
export type EntityValue<E extends EntityName> = Row<E>

export const Change = z.object({
  entity: z.string(),
  key: z.string(),
  op: z.enum(['put', 'del']),
  value: z.unknown().optional(),
})
export type Change = z.infer<typeof Change>

export const PullResponse = z.object({
  cookie: z.string(),
  lastMutationIds: z.record(z.string(), z.number().int()),
  changes: z.array(Change),
  results: z.array(MutationResult),
})
export type PullResponse = z.infer<typeof PullResponse>

export const ActivateRequest = z.object({
  code: z.string().trim().min(3).max(64),
  deviceName: Text(100).optional(),
})
export const ActivateResponse = z.object({
  token: z.string(),
  role: z.enum(['parent', 'provider', 'officer', 'operator']),
  programId: z.string(),
  familyId: z.string().nullable(),
  providerId: z.string().nullable(),
  /** An operator's own id (role `operator`); absent or null for the other roles. */
  operatorId: z.string().nullable().optional(),
  displayName: z.string(),
})
export type ActivateResponse = z.infer<typeof ActivateResponse>

/** Error body of every 4xx/5xx: `{ error: { code, message, details? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown }
}
